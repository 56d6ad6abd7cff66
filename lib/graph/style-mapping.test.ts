import { describe, expect, it } from 'vitest';
import { PATH_STYLES, edgeHealth, edgeWidth, isIdle, trafficAmount, MAX_EDGE_WIDTH, MIN_EDGE_WIDTH } from './style-mapping';
import { buildStylesheet } from './stylesheet';

describe('edge encodings', () => {
  it('each path differs from every other in line style or marker (greyscale-safe)', () => {
    const sig = Object.values(PATH_STYLES).map((p) => `${p.lineStyle}/${p.midMarker}/${p.cased}`);
    expect(new Set(sig).size).toBe(4);
    expect(new Set(Object.values(PATH_STYLES).map((p) => p.color)).size).toBe(4);
  });

  it('width grows with traffic on a log scale and is bounded', () => {
    const w = [0, 0.01, 1, 10, 100, 1e6].map((rps) => edgeWidth({ rps }));
    for (let i = 1; i < w.length; i++) expect(w[i]!).toBeGreaterThanOrEqual(w[i - 1]!);
    expect(w[0]).toBe(MIN_EDGE_WIDTH);
    expect(w[5]).toBe(MAX_EDGE_WIDTH);
    expect(edgeWidth({ rps: 100 }) - edgeWidth({ rps: 10 })).toBeLessThan(edgeWidth({ rps: 10 }) * 1.0);
    expect(edgeWidth({ requestBytesPerSec: 50_000 })).toBeGreaterThan(edgeWidth({ requestBytesPerSec: 50 }));
  });

  it('health from L7 errors and from L4 failed connections', () => {
    expect(edgeHealth({ rates: {} })).toBe('none');
    expect(edgeHealth({ rates: { errorRate: 0 } })).toBe('ok');
    expect(edgeHealth({ rates: { errorRate: 0.02 } })).toBe('warn');
    expect(edgeHealth({ rates: { errorRate: 0.3 } })).toBe('error');
    expect(edgeHealth({ rates: { connectionsPerSec: 1, failedConnectionsPerSec: 0 } })).toBe('ok');
    expect(edgeHealth({ rates: { connectionsPerSec: 100, failedConnectionsPerSec: 1 } })).toBe('warn');
    expect(edgeHealth({ rates: { connectionsPerSec: 0.5, failedConnectionsPerSec: 0.2 } })).toBe('error');
    expect(edgeHealth({ rates: { errorRate: 0, failedConnectionsPerSec: 0.2 } })).toBe('error');
  });

  it('idle edges', () => {
    expect(isIdle({ rates: {} })).toBe(true);
    expect(isIdle({ rates: { rps: 0 } })).toBe(true);
    expect(isIdle({ rates: { responseBytesPerSec: 10 } })).toBe(false);
    expect(trafficAmount({ rps: 0, connectionsPerSec: 2 })).toBe(2);
  });

  it('the stylesheet has a rule for every path, mode and the overlay classes', () => {
    const selectors = buildStylesheet().map((r) => ('selector' in r ? r.selector : ''));
    for (const s of [
      'edge.path-sidecar',
      'edge.path-ambient',
      'edge.path-waypoint',
      'edge.path-mixed',
      'node.mode-sidecar',
      'node.mode-ambient',
      'node.mode-mixed',
      'node.mode-none',
      'edge.mtls-plaintext',
      'edge.blind',
      'edge.covered',
      'node.mode-changed',
    ]) {
      expect(selectors).toContain(s);
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { TrafficSplit } from '../types';
import { splitFindings } from './split';
import { edge, graph, kube, wl } from './test-builders';

const web = wl('shop', 'web', { mode: 'ambient' });
const v2 = wl('shop', 'reviews-v2', { mode: 'ambient' });
const base: TrafficSplit = {
  id: 'HTTPRoute:shop/reviews-canary#0',
  kind: 'HTTPRoute',
  namespace: 'shop',
  name: 'reviews-canary',
  appliedBy: 'mesh',
  parent: 'shop/reviews',
  backends: [
    { ref: 'shop/reviews-v1', versions: ['v1'], weight: 90, configuredShare: 0.9, observedShare: 0.7 },
    { ref: 'shop/reviews-v2', versions: ['v2'], weight: 10, configuredShare: 0.1, observedShare: 0.3 },
  ],
  requests: 9000,
  judged: true,
  maxDelta: 0.2,
  drift: true,
  driftThreshold: 0.1,
  minRequests: 200,
  notApplied: [],
};

describe('split findings', () => {
  it('split-drift names both shares, the difference, the threshold and the request count', () => {
    const g = { ...graph([web, v2], []), splits: [base] };
    const [f] = splitFindings(kube({}), g);
    expect(f).toMatchObject({
      id: 'split-drift:HTTPRoute:shop/reviews-canary#0',
      kind: 'split-drift',
      severity: 'warning',
      namespace: 'shop',
      evidence: ['HTTPRoute shop/reviews-canary'],
    });
    expect(f!.message).toContain('shop/reviews-v2 (v2) configured 10%, observed 30%');
    expect(f!.message).toContain('off by 20 points (threshold 10; 9,000 requests in the window)');
    expect(f!.fix).toContain('kubectl get httproute -n shop reviews-canary');
  });

  it('split-not-applied lists the clients and the waypoint fix for ambient paths', () => {
    const e = edge(web, v2, { path: 'ambient', telemetry: 'l4' });
    const s: TrafficSplit = { ...base, drift: false, notApplied: [{ edge: e.id, source: web.id, reason: 'reaches it through ztunnel without a waypoint' }] };
    const [f] = splitFindings(kube({}), { ...graph([web, v2], [e]), splits: [s] });
    expect(f).toMatchObject({ kind: 'split-not-applied', evidence: ['HTTPRoute shop/reviews-canary', e.id] });
    expect(f!.message).toContain('traffic from shop/web cannot be split on its path: reaches it through ztunnel without a waypoint');
    expect(f!.fix).toContain('istioctl waypoint apply -n shop');
    expect(f!.fix).not.toContain('HTTPRoute');
    const [vs] = splitFindings(kube({}), { ...graph([web, v2], [e]), splits: [{ ...s, kind: 'VirtualService' }] });
    expect(vs!.fix).toContain('express the split as an HTTPRoute with parentRef Service reviews');
  });

  it('nothing without splits, and nothing for an unjudged split', () => {
    expect(splitFindings(kube({}), graph([], []))).toEqual([]);
    expect(splitFindings(kube({}), { ...graph([], []), splits: [{ ...base, judged: false, drift: false, maxDelta: undefined }] })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { countFindingsByNamespace, deltaLabel, namespaceGraphHref, overviewHref, share, trendDomain, windowFromParams } from './overview-model';
import type { Finding } from '@/lib/mesh/types';

const f = (namespace: string, severity: Finding['severity']): Finding => ({
  id: `${namespace}-${severity}-${Math.random()}`,
  kind: 'plaintext',
  severity,
  namespace,
  objects: [],
  evidence: [],
  message: '',
  fix: '',
});

describe('overview model', () => {
  it('counts findings per namespace and severity', () => {
    const c = countFindingsByNamespace([f('a', 'critical'), f('a', 'info'), f('a', 'info'), f('b', 'warning')]);
    expect(c.get('a')).toEqual({ critical: 1, warning: 0, info: 2 });
    expect(c.get('b')).toEqual({ critical: 0, warning: 1, info: 0 });
    expect(c.get('c')).toBeUndefined();
  });

  it('links a namespace to its graph with the same window, escaping the name', () => {
    expect(namespaceGraphHref('shop', { kind: 'range', range: '6h' })).toBe('/graph?namespaces=shop&range=6h');
    expect(namespaceGraphHref('a&b', { kind: 'absolute', start: '2026-11-21T21:00:00Z', end: '2026-11-21T22:00:00Z' })).toBe(
      '/graph?namespaces=a%26b&start=2026-11-21T21%3A00%3A00Z&end=2026-11-21T22%3A00%3A00Z',
    );
    expect(overviewHref({ kind: 'range', range: '24h' })).toBe('/?range=24h');
  });

  it('reads the window from search params, rejecting junk', () => {
    const get = (o: Record<string, string>) => (k: string) => o[k] ?? null;
    expect(windowFromParams(get({ range: '6h' })).window).toEqual({ kind: 'range', range: '6h' });
    expect(windowFromParams(get({ start: '1', end: '2' })).window).toEqual({ kind: 'absolute', start: '1', end: '2' });
    const bad = windowFromParams(get({ range: '<script>' }));
    expect(bad.window).toEqual({ kind: 'range', range: '1h' });
    expect(bad.error).toContain('not a duration');
  });

  it('formats shares', () => {
    expect(share(null)).toBe('–');
    expect(share(0.4)).toBe('40.0%');
    expect(share(1)).toBe('100%');
    expect(share(0)).toBe('0%');
  });
});

describe('trend lines and deltas', () => {
  it('trendDomain: the values range, at least the minimum span, inside 0…1 for shares', () => {
    expect(trendDomain([null, null], 'share')).toBeUndefined();
    expect(trendDomain([0.5, 0.9], 'share')).toEqual({ min: 0.5, max: 0.9 });
    const flat = trendDomain([0.93, 0.931, null], 'share')!;
    expect(flat.max - flat.min).toBeCloseTo(0.05, 12);
    expect(flat.min).toBeLessThan(0.93);
    expect(trendDomain([1, 1], 'share')!.max).toBe(1);
    expect(trendDomain([1, 1], 'share')!.min).toBeCloseTo(0.95, 12);
    expect(trendDomain([0, 0], 'share')).toEqual({ min: 0, max: 0.05 });
    expect(trendDomain([12, 12, 10], 'count')).toEqual({ min: 10, max: 12 });
    expect(trendDomain([3, 3], 'count')).toEqual({ min: 2, max: 4 });
    expect(trendDomain([0], 'count')).toEqual({ min: 0, max: 2 });
  });
  it('deltaLabel: percentage points for shares, counts signed, no change and no data said so', () => {
    expect(deltaLabel('share', 0.0123)).toEqual({ text: '+1.2 pp since 24 h ago', direction: 'up' });
    expect(deltaLabel('share', -0.0014)).toEqual({ text: '−0.1 pp since 24 h ago', direction: 'down' });
    expect(deltaLabel('share', 0.0004)).toEqual({ text: 'no change since 24 h ago', direction: 'none' });
    expect(deltaLabel('count', -2)).toEqual({ text: '−2 since 24 h ago', direction: 'down' });
    expect(deltaLabel('count', 3)).toEqual({ text: '+3 since 24 h ago', direction: 'up' });
    expect(deltaLabel('count', 0)).toEqual({ text: 'no change since 24 h ago', direction: 'none' });
    expect(deltaLabel('count', null)).toEqual({ text: 'no data 24 h ago', direction: 'unknown' });
  });
});

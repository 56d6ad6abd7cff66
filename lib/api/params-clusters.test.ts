import { describe, expect, it } from 'vitest';
import { ParamError, graphQueryKey, parseClusters, parseGraphQuery } from './params';

const NOW = 1_795_300_000;
const q = (s: string) => new URLSearchParams(s);

function paramOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ParamError) return e.param;
    throw e;
  }
  return undefined;
}

describe('clusters parameter', () => {
  it('absent or empty → undefined; values are trimmed, deduplicated and sorted; Istio names allowed', () => {
    expect(parseClusters(q(''))).toBeUndefined();
    expect(parseClusters(q('clusters='))).toBeUndefined();
    expect(parseClusters(q('clusters=east, Kubernetes,east&clusters=gke.prod_1'))).toEqual(['Kubernetes', 'east', 'gke.prod_1']);
    expect(parseGraphQuery(q('clusters=east'), NOW).clusters).toEqual(['east']);
    expect('clusters' in parseGraphQuery(q('range=1h'), NOW)).toBe(false);
  });

  it('rejects names outside [A-Za-z0-9][-A-Za-z0-9_.]{0,62} with a 400 naming the parameter', () => {
    for (const bad of ['-east', 'a b', 'a/b', 'x"}', `a${'b'.repeat(63)}`, '.hidden', 'ü']) {
      expect(paramOf(() => parseGraphQuery(q(`clusters=${encodeURIComponent(bad)}`), NOW))).toBe('clusters');
    }
    const many = Array.from({ length: 51 }, (_, i) => `c${i}`).join(',');
    expect(paramOf(() => parseClusters(q(`clusters=${many}`)))).toBe('clusters');
  });

  it('is part of the cache key only when given (single-cluster keys unchanged)', () => {
    const a = parseGraphQuery(q('range=1h'), NOW);
    expect(graphQueryKey(a)).toBe(JSON.stringify([a.window.start, a.window.end, [], false]));
    const b = parseGraphQuery(q('range=1h&clusters=east'), NOW);
    expect(graphQueryKey(b)).not.toBe(graphQueryKey(a));
    expect(graphQueryKey(b)).toBe(graphQueryKey(parseGraphQuery(q('range=1h&clusters=east,east'), NOW)));
  });
});

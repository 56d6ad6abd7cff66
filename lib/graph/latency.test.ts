import { describe, expect, it } from 'vitest';
import type { GraphEdge, MeshGraph } from '@/lib/mesh/types';
import fixture from './testdata/demo-graph.json';
import { withoutDetail } from '@/lib/api/detail';
import { detailMissing, latencyFailure, latencyMissing, latencyScope, withLatency } from './latency';

const full = fixture as MeshGraph;
const LAT = ['p50Ms', 'p95Ms', 'p99Ms', 'meanMs'] as const;

/** The fixture as an `omit=latency` answer: the same graph without any latency field. */
function withoutLatency(g: MeshGraph): MeshGraph {
  const strip = <T extends { rates: GraphEdge['rates'] }>(x: T): T => {
    const rates = { ...x.rates };
    for (const f of LAT) delete rates[f];
    return { ...x, rates };
  };
  return { ...g, omitted: ['latency'], edges: g.edges.map((e) => ({ ...strip(e), ...(e.slices ? { slices: e.slices.map(strip) } : {}) })) };
}

const bare = withoutLatency(full);
const l7WithLatency = full.edges.filter((e) => e.rates.p95Ms !== undefined);

describe('latencyScope', () => {
  it('nothing to read when the graph carries latency', () => {
    expect(latencyScope({ omitted: undefined, collapsedView: false, detailed: [] })).toBeUndefined();
  });
  it('everything when nothing is collapsed; the detailed namespaces when collapsed; nothing when none is detailed', () => {
    expect(latencyScope({ omitted: ['latency'], collapsedView: false, detailed: ['a'] })).toBe('all');
    expect(latencyScope({ omitted: ['latency'], collapsedView: true, detailed: ['b', 'a', 'b', ''] })).toEqual(['a', 'b']);
    expect(latencyScope({ omitted: ['latency'], collapsedView: true, detailed: [] })).toBeUndefined();
  });
});

describe('withLatency', () => {
  it('the fixture has L7 edges with latency to test with', () => {
    expect(l7WithLatency.length).toBeGreaterThanOrEqual(3);
    expect(bare.edges.every((e) => e.rates.p95Ms === undefined)).toBe(true);
  });
  it('whole-mesh latency for the same window restores the full graph exactly and drops `omitted`', () => {
    const merged = withLatency(bare, full, 'all');
    expect(merged).toEqual(full);
    expect(merged.edges.some((e) => latencyMissing(merged, e))).toBe(false);
  });
  it('a namespace-restricted answer fills only its edges; the graph still says latency was omitted', () => {
    const ns = full.nodes.find((n) => n.id === l7WithLatency[0]!.target)!.namespace;
    const touching = (e: GraphEdge) => [e.source, e.target].some((id) => full.nodes.find((n) => n.id === id)?.namespace === ns);
    const partial: MeshGraph = { ...full, edges: full.edges.filter(touching) };
    expect(partial.edges.length).toBeGreaterThan(0);
    expect(partial.edges.length).toBeLessThan(full.edges.length);
    const merged = withLatency(bare, partial, [ns]);
    expect(merged.omitted).toEqual(['latency']);
    for (const e of merged.edges) {
      const want = full.edges.find((x) => x.id === e.id)!;
      if (touching(e)) expect(e).toEqual(want);
      else expect(e).toEqual(bare.edges.find((x) => x.id === e.id));
    }
    expect(merged.edges.filter((e) => latencyMissing(merged, e)).length).toBeGreaterThan(0);
    expect(merged.edges.filter(touching).some((e) => latencyMissing(merged, e))).toBe(false);
  });
  it('keeps `omitted` when the latency answer is for another window (placeholder while the next one loads)', () => {
    const older = { ...full, window: { start: '2020-01-01T00:00:00Z', end: '2020-01-01T00:15:00Z' } };
    const merged = withLatency(bare, older, 'all');
    expect(merged.omitted).toEqual(['latency']);
    expect(merged.edges.find((e) => e.id === l7WithLatency[0]!.id)!.rates.p95Ms).toBe(l7WithLatency[0]!.rates.p95Ms);
  });
  it('an answer that itself omitted latency, or none, changes nothing', () => {
    expect(withLatency(bare, bare, 'all')).toBe(bare);
    expect(withLatency(bare, undefined, 'all')).toBe(bare);
  });
  it('never touches anything but the latency fields', () => {
    const noisy: MeshGraph = {
      ...full,
      edges: full.edges.map((e) => ({ ...e, path: e.path === 'ambient' ? 'sidecar' : 'ambient', rates: { ...e.rates, rps: 1e9 } })),
    };
    const merged = withLatency(bare, noisy, 'all');
    merged.edges.forEach((e, i) => {
      expect(e.path).toBe(bare.edges[i]!.path);
      expect(e.rates.rps).toBe(bare.edges[i]!.rates.rps);
    });
  });
});

describe("withLatency: the edges' detail (omit=detail,latency, the page's own request)", () => {
  const lean = withoutDetail(bare);
  it('the whole mesh for the same window restores the full graph exactly', () => {
    expect(lean.omitted).toEqual(['detail', 'latency']);
    expect(lean.edges.every((e) => detailMissing(lean, e))).toBe(true);
    expect(withLatency(lean, full, 'all')).toEqual(full);
  });
  it("a namespace's follow-up lends detail to the edges touching it only, and says which", () => {
    const ns = 'payments';
    const touching = (e: GraphEdge) => e.source.includes(`/${ns}/`) || e.target.includes(`/${ns}/`);
    const partial = { ...full, edges: full.edges.filter(touching) };
    const merged = withLatency(lean, partial, [ns]);
    expect(merged.omitted).toEqual(['detail', 'latency']);
    for (const e of merged.edges) {
      expect(detailMissing(merged, e)).toBe(!touching(e));
      expect(e.reporters === undefined).toBe(!touching(e));
    }
  });
  it('a follow-up whose latency queries failed lends the detail but no latency', () => {
    const merged = withLatency(lean, bare, 'all', { latencyFailed: true });
    expect(merged.omitted).toEqual(['latency']);
    expect(merged.edges.some((e) => detailMissing(merged, e))).toBe(false);
    expect(merged.edges.filter((e) => e.telemetry === 'l7').every((e) => latencyMissing(merged, e))).toBe(true);
    expect(merged.edges.every((e) => e.rates.p95Ms === undefined)).toBe(true);
  });
  it('a graph that carries its detail has none missing', () => {
    expect(full.edges.some((e) => detailMissing(full, e))).toBe(false);
    expect(bare.edges.some((e) => detailMissing(bare, e))).toBe(false);
  });
});

describe('latencyMissing', () => {
  it('only for L7 edges of a graph that omitted latency', () => {
    const e = bare.edges.find((x) => x.telemetry === 'l7')!;
    const l4 = bare.edges.find((x) => x.telemetry === 'l4');
    expect(latencyMissing(bare, e)).toBe(true);
    if (l4) expect(latencyMissing(bare, l4)).toBe(false);
    expect(
      latencyMissing(
        full,
        full.edges.find((x) => x.id === e.id)!,
      ),
    ).toBe(false);
  });
});

describe('latencyFailure', () => {
  it('is the warning of an answer whose latency queries failed, and nothing for any other warning', () => {
    const failed = 'latency queries failed: query timed out in expression evaluation; these numbers are missing';
    expect(
      latencyFailure({
        warnings: [
          { source: 'kubernetes', message: 'x' },
          { source: 'prometheus', message: failed },
        ],
      }),
    ).toBe(failed);
    expect(latencyFailure({ warnings: [{ source: 'prometheus', message: 'traffic queries failed: timeout; these numbers are missing' }] })).toBeUndefined();
    expect(latencyFailure({ warnings: [{ source: 'kubernetes', message: failed }] })).toBeUndefined();
    expect(latencyFailure(full)).toBeUndefined();
    expect(latencyFailure(undefined)).toBeUndefined();
  });
});

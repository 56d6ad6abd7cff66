import { describe, expect, it } from 'vitest';
import type { MeshGraph } from '@/lib/mesh/types';
import fixture from '@/lib/graph/testdata/demo-graph.json';
import { EDGE_DETAIL_FIELDS, withEdgeDetail, withoutDetail } from './detail';

const demo = fixture as MeshGraph;
// The demo's first L7 edge as a mixed one (part through a waypoint, part direct), so slices are covered too.
const l7 = demo.edges.findIndex((e) => e.telemetry === 'l7' && e.rateSources);
const sliced = demo.edges[l7]!;
const full: MeshGraph = {
  ...demo,
  edges: demo.edges.map((e, i) =>
    i === l7
      ? {
          ...e,
          path: 'mixed',
          slices: [
            { via: 'waypoint', path: 'waypoint', telemetry: 'l7', mtls: 'mutual', rates: sliced.rates, rateSources: { l7: 'waypoint' } },
            { via: 'direct', path: 'ambient', telemetry: 'l4', mtls: 'mutual', rates: {}, rateSources: { l4: 'destination' } },
          ],
        }
      : e,
  ),
};

describe('withoutDetail', () => {
  it('the fixture carries every detail field somewhere, and slices with their rate sources', () => {
    for (const f of EDGE_DETAIL_FIELDS) expect(full.edges.some((e) => e[f] !== undefined)).toBe(true);
    expect(full.edges.some((e) => e.slices?.some((s) => s.rateSources))).toBe(true);
  });
  it('drops exactly the detail fields (edges and slices), says so in `omitted`, and leaves the input alone', () => {
    const before = JSON.stringify(full);
    const lean = withoutDetail(full);
    expect(JSON.stringify(full)).toBe(before);
    expect(lean.omitted).toEqual(['detail']);
    expect(lean.nodes).toBe(full.nodes);
    lean.edges.forEach((e, i) => {
      const orig = full.edges[i]!;
      for (const f of EDGE_DETAIL_FIELDS) expect(e).not.toHaveProperty(f);
      for (const s of e.slices ?? []) expect(s).not.toHaveProperty('rateSources');
      const kept = Object.keys(orig).filter((k) => !(EDGE_DETAIL_FIELDS as readonly string[]).includes(k));
      expect(Object.keys(e).sort()).toEqual(kept.sort());
      for (const k of kept) if (k !== 'slices') expect(e[k as keyof typeof e]).toEqual(orig[k as keyof typeof orig]);
    });
    expect(JSON.stringify(lean).length).toBeLessThan(JSON.stringify(full).length);
  });
  it('adds detail to an `omitted` that lists latency, sorted, once', () => {
    expect(withoutDetail({ ...full, omitted: ['latency'] }).omitted).toEqual(['detail', 'latency']);
    expect(withoutDetail(withoutDetail(full)).omitted).toEqual(['detail']);
  });
});

describe('withEdgeDetail', () => {
  it('gives a lean edge back its detail from the full one, slices matched by via', () => {
    const lean = withoutDetail(full);
    lean.edges.forEach((e, i) => expect(withEdgeDetail(e, full.edges[i]!)).toEqual(full.edges[i]));
  });
  it('touches nothing but the detail fields', () => {
    const e = withoutDetail(full).edges.find((x) => x.slices)!;
    const noisy = { ...full.edges.find((x) => x.id === e.id)!, path: 'ambient' as const, rates: { rps: 1e9 } };
    const merged = withEdgeDetail(e, noisy);
    expect(merged.path).toBe(e.path);
    expect(merged.rates).toBe(e.rates);
    expect(merged.reporters).toBe(noisy.reporters);
  });
});

import { describe, expect, it } from 'vitest';
import { runLayoutJob } from './layout-job';
import { layoutOptionsFor } from './layout-scale';

describe('runLayoutJob', () => {
  it('lays out a headless graph from plain data and returns positions for every leaf', () => {
    const nodes = Array.from({ length: 40 }, (_, i) => ({ id: `n${i}`, parent: i < 20 ? 'ns:a' : 'ns:b', w: 38, h: 38 }));
    const all = [{ id: 'ns:a', w: 0, h: 0 }, { id: 'ns:b', w: 0, h: 0 }, ...nodes];
    const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: `n${i}`, target: n.id }));
    const r = runLayoutJob({
      seq: 7,
      nodes: all,
      edges: [...edges, { id: 'dangling', source: 'n1', target: 'gone' }],
      options: layoutOptionsFor('fcose', 40, edges.length, { offMainThread: true }),
    });
    if ('error' in r) throw new Error(r.error);
    expect(r.seq).toBe(7);
    expect(Object.keys(r.positions).sort()).toEqual(nodes.map((n) => n.id).sort());
    const ps = Object.values(r.positions);
    expect(ps.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))).toBe(true);
    // spread out: not all on one spot
    const xs = ps.map((p) => p.x);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(100);
  });

  it('reports an error instead of throwing', () => {
    const r = runLayoutJob({ seq: 1, nodes: [{ id: 'a', w: 10, h: 10 }], edges: [], options: { name: 'no-such-layout' } });
    expect(r).toMatchObject({ seq: 1 });
    expect('error' in r).toBe(true);
  });
});

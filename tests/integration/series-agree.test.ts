// Case 9 of the real-clusters issue: a sparkline is the edge's own numbers over time. For every edge of the
// demo's steady window, the mean of /api/edge-series over the window equals the edge's rate in /api/graph
// (same reporter choice, same waypoint folding, slices summed), and a node's inbound series is the sum of
// the edges into it. Real Prometheus with backfilled history, Kubernetes API simulator.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GET as edgeSeriesGET } from '@/app/api/edge-series/route';
import { GET as graphGET } from '@/app/api/graph/route';
import { GET as nodeSeriesGET } from '@/app/api/node-series/route';
import type { GraphEdge, MeshGraph } from '@/lib/mesh/types';
import { call, iso, restoreEnv, useEnv } from './helpers';

type Series = { window: { start: number; end: number; step: number }; series: Record<string, (number | null)[] | number[]> };

/**
 * Mean over every point of the window (rate() at each step over the preceding 2 steps). A point without a value
 * is a time the series did not exist yet (e.g. the demo's orders-api ambient pod, created mid-window): no
 * traffic, so 0 — exactly what increase() over the whole window counts.
 */
function mean(xs: readonly (number | null)[] | undefined): number | undefined {
  const all = xs ?? [];
  if (!all.some((x) => x !== null)) return undefined;
  return all.reduce<number>((a, b) => a + (b ?? 0), 0) / all.length;
}

describe('sparklines agree with the graph', () => {
  let g: MeshGraph;
  let q: string;
  beforeAll(async () => {
    const T = inject('anchorUnix');
    useEnv({ PROMETHEUS_URL: inject('promIstioSampleUrl'), KUBECONFIG: inject('kubeconfigPath') });
    // A steady hour: the demo's rates are constant there, so the mean of the rate points is the window rate.
    q = `start=${iso(T - 3600 - 600)}&end=${iso(T - 600)}`;
    const r = await call(graphGET, `/api/graph?${q}`);
    expect(r.status).toBe(200);
    g = r.body as MeshGraph;
  });
  afterAll(() => restoreEnv());

  const edgeSeries = async (e: GraphEdge): Promise<Series> => {
    const r = await call(edgeSeriesGET, `/api/edge-series?edge=${encodeURIComponent(e.id)}&${q}&points=60`);
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
    return r.body as Series;
  };

  it('covers the edge kinds that matter: waypoint-folded, mixed, sidecar, ambient L4', () => {
    const paths = new Set(g.edges.map((e) => e.path));
    for (const p of ['waypoint', 'mixed', 'sidecar', 'ambient'] as const) expect(paths.has(p)).toBe(true);
  });

  it('every L7 edge: mean rps of the sparkline = edge rps (within the rate() edges of the window)', async () => {
    const l7 = g.edges.filter((e) => e.rates.rps !== undefined && e.rates.rps > 0);
    expect(l7.length).toBeGreaterThan(5);
    for (const e of l7) {
      const s = await edgeSeries(e);
      const m = mean(s.series.rps as (number | null)[]);
      expect(m, `${e.id}: no rps series`).toBeDefined();
      expect(Math.abs(m! - e.rates.rps!) / e.rates.rps!, `${e.id}: sparkline mean ${m} vs edge rps ${e.rates.rps}`).toBeLessThan(0.05);
    }
  });

  it('every L4 edge with connections: mean connections/s = edge connections/s', async () => {
    const l4 = g.edges.filter((e) => e.rates.connectionsPerSec !== undefined && e.rates.connectionsPerSec > 0);
    expect(l4.length).toBeGreaterThan(5);
    for (const e of l4) {
      const m = mean((await edgeSeries(e)).series.connectionsPerSec as (number | null)[]);
      expect(m, `${e.id}: no connections series`).toBeDefined();
      // Sparse counters (a few dozen connections an hour) on a series born mid-window: rate() cannot see the
      // increase before a series' first samples, so allow 10 connections over the hour besides 5 % (a wrong selection — both reporters summed, a slice missing — is off by a factor, not by a few events).
      const diff = Math.abs(m! - e.rates.connectionsPerSec!);
      expect(diff < 0.05 * e.rates.connectionsPerSec! || diff * 3600 <= 10, `${e.id}: sparkline mean ${m} vs edge ${e.rates.connectionsPerSec}`).toBe(true);
    }
  });

  it("a node's inbound rps is the sum of the edges into it (service and unknown nodes included)", async () => {
    const targets = [...new Set(g.edges.filter((e) => (e.rates.rps ?? 0) > 0).map((e) => e.target))];
    for (const id of targets) {
      const r = await call(nodeSeriesGET, `/api/node-series?node=${encodeURIComponent(id)}&${q}&points=60`);
      expect(r.status).toBe(200);
      const expected = g.edges.filter((e) => e.target === id).reduce((a, e) => a + (e.rates.rps ?? 0), 0);
      const m = mean((r.body as Series).series.rps as (number | null)[]);
      expect(Math.abs((m ?? 0) - expected) / expected, `${id}: inbound ${m} vs edges ${expected}`).toBeLessThan(0.05);
    }
  });
});

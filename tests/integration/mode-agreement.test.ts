// Integration: /api/graph and /api/namespaces cannot disagree on a pod's mode (issue 12, "Done when"), over
// the demo mesh (real Prometheus + Kubernetes API simulator): for every application workload node of the
// graph, its mode and pods fit the namespace row of /api/namespaces, and every row's mode follows its counts.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GET as graphGET } from '@/app/api/graph/route';
import { GET as namespacesGET } from '@/app/api/namespaces/route';
import { modeDisagreements } from '@/lib/mesh/testing/mode-agreement';
import type { MeshGraph, NamespaceSummary } from '@/lib/mesh/types';
import { call, iso, restoreEnv, useEnv } from './helpers';

let q: string;

beforeAll(() => {
  const T = inject('anchorUnix');
  q = `start=${iso(T - 3600)}&end=${iso(T - 600)}`;
  useEnv({ PROMETHEUS_URL: inject('promIstioSampleUrl'), KUBECONFIG: inject('kubeconfigPath') });
});
afterAll(() => restoreEnv());

describe('/api/graph and /api/namespaces agree on modes (demo mesh)', () => {
  it('every workload node matches the counts and mode of its namespace', async () => {
    const [g, ns] = await Promise.all([call(graphGET, `/api/graph?${q}`), call(namespacesGET, `/api/namespaces?${q}`)]);
    expect(g.status).toBe(200);
    expect(ns.status).toBe(200);
    const graph = g.body as MeshGraph;
    const rows = ns.body.namespaces as (NamespaceSummary & { telemetryOnly?: boolean })[];
    const workloads = graph.nodes.filter((n) => n.kind === 'workload' && n.pods !== undefined && !n.telemetryOnly);
    expect(workloads.length).toBeGreaterThan(3); // the check must cover real nodes
    expect(new Set(workloads.map((n) => n.mode)).size).toBeGreaterThan(1);
    expect(modeDisagreements(graph.nodes, rows)).toEqual([]);
  });

  it('the same holds for a namespace filter and the expanded waypoint view', async () => {
    const all = (await call(namespacesGET, `/api/namespaces?${q}`)).body.namespaces as NamespaceSummary[];
    // A filtered graph also draws the peers of the chosen namespaces: they are checked against the full list.
    for (const extra of ['&namespaces=shop,orders', '&expandWaypoints=true']) {
      const g = (await call(graphGET, `/api/graph?${q}${extra}`)).body as MeshGraph;
      expect(modeDisagreements(g.nodes, all)).toEqual([]);
    }
    const filtered = (await call(namespacesGET, `/api/namespaces?${q}&namespaces=shop,orders`)).body.namespaces as NamespaceSummary[];
    expect(filtered).toEqual(all.filter((r) => r.name === 'shop' || r.name === 'orders'));
  });
});

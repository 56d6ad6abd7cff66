// Integration: multi-cluster awareness. Two Kubernetes API simulators behind two contexts of one kubeconfig
// (KUBE_CONTEXTS=ctxA=Kubernetes,ctxB=east), the demo Prometheus (its telemetry says source_cluster=
// "Kubernetes"), the real route handlers in-process. This Prometheus is the single-cluster demo's, so east's
// workloads are idle here; the cross-cluster traffic of `demo/cli.ts serve --second-cluster` (shop/cart →
// east inventory-api) is checked end to end by e2e/multi-cluster/clusters.spec.ts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { GET as configGET } from '@/app/api/config/route';
import { GET as edgeSeriesGET } from '@/app/api/edge-series/route';
import { GET as nodeSeriesGET } from '@/app/api/node-series/route';
import { GET as findingsGET } from '@/app/api/findings/route';
import { GET as graphGET } from '@/app/api/graph/route';
import { GET as healthGET } from '@/app/api/healthz/route';
import { GET as namespacesGET } from '@/app/api/namespaces/route';
import { EAST_OBJECTS } from '@/demo/model/east-cluster';
import { startKubeSimulator, type KubeSimulator } from '@/demo/kube-sim/server';
import type { MeshGraph, NamespaceSummary } from '@/lib/mesh/types';
import { call, iso, restoreEnv, useEnv } from './helpers';

const STATE = '.demo/it/multi-cluster';

type KubeconfigDoc = { clusters: object[]; users: object[]; contexts: object[] };

let simA: KubeSimulator;
let simB: KubeSimulator;
let kubeconfig: string;
let q: string;
let single: MeshGraph;

function useMulti(contexts = 'ctxA=Kubernetes,ctxB=east') {
  useEnv({ PROMETHEUS_URL: inject('promIstioSampleUrl'), KUBECONFIG: kubeconfig, KUBE_CONTEXTS: contexts });
}

async function graph(extra = ''): Promise<MeshGraph> {
  const r = await call(graphGET, `/api/graph?${q}${extra}`);
  expect(r.status).toBe(200);
  return r.body as MeshGraph;
}

beforeAll(async () => {
  const T = inject('anchorUnix');
  q = `start=${iso(T - 3600)}&end=${iso(T - 600)}`;
  simA = await startKubeSimulator({ manifestsDir: 'demo/cluster', port: 0, stateDir: `${STATE}/a`, contextName: 'ctxA' });
  simB = await startKubeSimulator({ objects: EAST_OBJECTS, port: 0, stateDir: `${STATE}/b`, contextName: 'ctxB' });
  const a = parse(readFileSync(simA.kubeconfigPath, 'utf8')) as KubeconfigDoc;
  const b = parse(readFileSync(simB.kubeconfigPath, 'utf8')) as KubeconfigDoc;
  mkdirSync(STATE, { recursive: true });
  kubeconfig = path.resolve(STATE, 'kubeconfig');
  const merged = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [...a.clusters, ...b.clusters],
    users: [...a.users, ...b.users],
    contexts: [...a.contexts, ...b.contexts],
    'current-context': 'ctxA',
    preferences: {},
  };
  writeFileSync(kubeconfig, stringify(merged), { mode: 0o600 });
  // Baseline: the same demo cluster as the only (single-cluster) context.
  useEnv({ PROMETHEUS_URL: inject('promIstioSampleUrl'), KUBECONFIG: simA.kubeconfigPath });
  single = await graph();
  expect(single.edges.length).toBeGreaterThan(5);
  useMulti();
}, 60_000);

afterAll(async () => {
  restoreEnv();
  await simA?.stop();
  await simB?.stop();
});

describe('two clusters by kubeconfig contexts', () => {
  it('/api/config lists the configured clusters', async () => {
    const r = await call(configGET, '/api/config');
    expect(r.body).toMatchObject({ cluster: 'Kubernetes', clusters: ['Kubernetes', 'east'] });
  });

  it('the demo cluster’s edges are classified exactly as with one context', async () => {
    const g = await graph();
    expect(g.edges).toEqual(single.edges);
    expect(g.nodes.filter((n) => n.cluster === 'Kubernetes')).toEqual(single.nodes);
    for (const e of g.edges) expect(e.crossCluster).toBeUndefined();
    expect(g.warnings.filter((w) => w.source === 'kubernetes')).toEqual([]);
  });

  it('cluster east’s objects are idle workload nodes of cluster east, apart from equal names in the demo cluster', async () => {
    const g = await graph();
    const east = g.nodes.filter((n) => n.cluster === 'east');
    expect(east.map((n) => n.id)).toEqual(['workload:east/billing/ledger', 'workload:east/inventory/inventory-api']);
    expect(east.find((n) => n.name === 'inventory-api')).toMatchObject({
      kind: 'workload',
      namespace: 'inventory',
      mode: 'ambient',
      pods: { total: 1, sidecar: 0, ambient: 1, none: 0 },
      services: ['inventory/inventory-api'],
    });
    expect(east.find((n) => n.name === 'ledger')).toMatchObject({ mode: 'none' });
    // the demo cluster's inventory-api is a different node, with its own pods
    const demo = g.nodes.find((n) => n.id === 'workload:Kubernetes/inventory/inventory-api');
    expect(demo).toBeDefined();
    expect(demo!.pods!.total).toBeGreaterThan(1);
    const ids = new Set(east.map((n) => n.id));
    expect(g.edges.some((e) => ids.has(e.source) || ids.has(e.target))).toBe(false);
  });

  it('clusters=east returns only east; clusters=Kubernetes returns the single-cluster graph', async () => {
    const e = await graph('&clusters=east');
    expect(e.edges).toEqual([]);
    expect(e.nodes.map((n) => n.id)).toEqual(['workload:east/billing/ledger', 'workload:east/inventory/inventory-api']);
    const k = await graph('&clusters=Kubernetes');
    expect(k.edges).toEqual(single.edges);
    expect(k.nodes).toEqual(single.nodes);
    const both = await graph('&clusters=east,Kubernetes&namespaces=billing');
    expect(both.nodes.map((n) => n.id)).toEqual(['workload:east/billing/ledger']);
  });

  it('namespaces and findings take the clusters parameter', async () => {
    const r = await call(namespacesGET, `/api/namespaces?${q}&clusters=east`);
    expect(r.status).toBe(200);
    const rows = r.body.namespaces as NamespaceSummary[];
    expect(rows.map((n) => n.name).sort()).toEqual(['billing', 'inventory', 'istio-system']);
    expect(rows.find((n) => n.name === 'istio-system')).toMatchObject({ system: true, workloads: { total: 0 } });
    expect(rows.find((n) => n.name === 'inventory')).toMatchObject({ mode: 'ambient', workloads: { total: 1, ambient: 1 } });
    const all = await call(namespacesGET, `/api/namespaces?${q}`);
    expect((all.body.namespaces as NamespaceSummary[]).map((n) => n.name)).toEqual(expect.arrayContaining(['billing', 'shop', 'payments']));
    // The graph page's picker (omit=traffic, the Kubernetes inventory only): the same namespaces and modes per cluster selection.
    const pick = (body: { namespaces: NamespaceSummary[] }) => body.namespaces.map((n) => [n.name, n.mode]);
    const inventoryEast = await call(namespacesGET, `/api/namespaces?omit=traffic&clusters=east`);
    expect(inventoryEast.status).toBe(200);
    expect(pick(inventoryEast.body)).toEqual(pick(r.body));
    const inventoryAll = await call(namespacesGET, `/api/namespaces?omit=traffic`);
    expect(pick(inventoryAll.body)).toEqual(
      pick({ namespaces: (all.body.namespaces as (NamespaceSummary & { telemetryOnly: boolean })[]).filter((n) => !n.telemetryOnly) }),
    );
    const f = await call(findingsGET, `/api/findings?${q}&clusters=east`);
    expect(f.status).toBe(200);
    const fk = await call(findingsGET, `/api/findings?${q}`);
    expect((fk.body.findings as unknown[]).length).toBeGreaterThan((f.body.findings as unknown[]).length);
  });

  it('edge and node series match the node’s cluster (demo series unchanged, east has none)', async () => {
    const e = single.edges.find((x) => x.telemetry === 'l7' && (x.rates.rps ?? 0) > 0)!;
    const path = `/api/edge-series?edge=${encodeURIComponent(e.id)}&${q}&points=20`;
    useEnv({ PROMETHEUS_URL: inject('promIstioSampleUrl'), KUBECONFIG: simA.kubeconfigPath });
    const one = await call(edgeSeriesGET, path);
    useMulti();
    const multi = await call(edgeSeriesGET, path);
    expect(one.status).toBe(200);
    expect(one.body.series.rps?.some((v: number | null) => v !== null && v > 0)).toBe(true);
    expect(multi.body).toEqual(one.body);
    const east = await call(nodeSeriesGET, `/api/node-series?node=${encodeURIComponent('workload:east/inventory/inventory-api')}&${q}&points=20`);
    const demo = await call(nodeSeriesGET, `/api/node-series?node=${encodeURIComponent('workload:Kubernetes/inventory/inventory-api')}&${q}&points=20`);
    expect(east.status).toBe(200);
    expect(east.body.series.connectionsPerSec).toBeUndefined();
    expect(demo.body.series.connectionsPerSec?.some((v: number | null) => v !== null && v > 0)).toBe(true);
  });

  it('a bad cluster name is a 400 naming the parameter', async () => {
    for (const handler of [graphGET, namespacesGET, findingsGET]) {
      const r = await call(handler, `/api/x?${q}&clusters=${encodeURIComponent('east"} or vector(1)')}`);
      expect(r.status).toBe(400);
      expect(r.body.parameter).toBe('clusters');
    }
  });

  it('healthz reports each cluster', async () => {
    const r = await call(healthGET, '/api/healthz');
    expect(r.body.status).toBe('ok');
    expect(r.body.kubernetes.clusters.map((c: { cluster: string; ok: boolean }) => [c.cluster, c.ok])).toEqual([
      ['Kubernetes', true],
      ['east', true],
    ]);
  });

  it('a context that cannot be loaded affects only its cluster', async () => {
    useMulti('ctxA=Kubernetes,ctxB=east,ctxC=north');
    try {
      const g = await graph();
      expect(g.edges).toEqual(single.edges);
      expect(g.nodes.filter((n) => n.cluster === 'east')).toHaveLength(2);
      expect(g.warnings).toContainEqual({
        source: 'kubernetes',
        message: 'north: cannot load Kubernetes configuration: KUBE_CONTEXTS names a context that is not in the kubeconfig: ctxC',
      });
      const h = await call(healthGET, '/api/healthz');
      expect(h.body.status).toBe('degraded');
      expect(h.body.kubernetes.error).toMatch(/^north: /);
    } finally {
      useMulti();
    }
  });

  it('an API server that is down only removes its cluster’s objects', async () => {
    await simB.stop();
    useEnv({ PROMETHEUS_URL: inject('promIstioSampleUrl'), KUBECONFIG: kubeconfig, KUBE_CONTEXTS: 'ctxA=Kubernetes,ctxB=east', KUBE_TIMEOUT_MS: '1500' });
    const g = await graph();
    expect(g.edges).toEqual(single.edges);
    expect(g.nodes.filter((n) => n.cluster === 'east')).toEqual([]);
    expect(g.warnings.some((w) => w.source === 'kubernetes' && w.message.startsWith('east: '))).toBe(true);
  }, 30_000);
});

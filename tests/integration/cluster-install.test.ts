// Integration: the demo mesh installed as many real clusters are (docs/demo-mesh.md "Install variants"): Istio
// cluster name `prod-eu1` (CLUSTER_ID of istiod and ztunnel, source_cluster/destination_cluster of every series),
// ztunnel and istio-cni in `kube-system`, and the app configured WITHOUT MESH_CLUSTER_NAME and ISTIO_NAMESPACE.
// It starts its own Kubernetes API simulator (manifests of `buildDemoTopology({clusterName, ztunnelNamespace})`)
// and its own telemetry stack (simulated proxies + real Prometheus, both scrape profiles) backfilled from the SAME
// anchor as the default stack of global-setup, so both stacks hold the same traffic numbers. `/api/graph` of the
// variant must equal the default demo's graph once `Kubernetes` is replaced by `prod-eu1`: same nodes, edges, paths,
// telemetry, mTLS, rates, warnings. (The same as `npm run demo -- --cluster-name prod-eu1 --ztunnel-namespace kube-system`.)
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GET } from '@/app/api/graph/route';
import { freePort } from '@/tests/helpers/free-port';
import { startKubeSimulator, type KubeSimulator } from '@/demo/kube-sim/server';
import { buildManifests } from '@/demo/model/manifests';
import { buildDemoTopology } from '@/demo/model/topology';
import { startDemoTelemetry, type DemoTelemetry } from '@/demo/telemetry';
import type { MeshGraph } from '@/lib/mesh/types';
import { call, iso, promQuery, restoreEnv, useEnv } from './helpers';

const CLUSTER = 'prod-eu1';
const STATE = '.demo/it/cluster-install';
const RESERVED = new Set([16443, 19090, 19091, 19100, 3000, 3100]);

let kube: KubeSimulator | undefined;
/** The same install with a revisioned control plane (istiod-1-28): its telemetry is identical, so it shares the Prometheus. */
let kubeRev: KubeSimulator | undefined;
let telemetry: DemoTelemetry | undefined;
let T: number;

beforeAll(async () => {
  T = inject('anchorUnix');
  const topology = buildDemoTopology({ clusterName: CLUSTER, ztunnelNamespace: 'kube-system' });
  kube = await startKubeSimulator({ objects: buildManifests(topology), port: 0, stateDir: `${STATE}/kube`, contextName: 'meshglass-prod-eu1' });
  const revObjects = buildManifests(buildDemoTopology({ clusterName: CLUSTER, ztunnelNamespace: 'kube-system', revision: '1-28' }));
  kubeRev = await startKubeSimulator({ objects: revObjects, port: 0, stateDir: `${STATE}/kube-rev`, contextName: 'meshglass-prod-eu1-rev' });
  const [p1, p2, proxiesPort] = [await freePort(RESERVED), await freePort(RESERVED), await freePort(RESERVED)];
  telemetry = await startDemoTelemetry({
    stateDir: STATE,
    topology,
    anchorUnix: T,
    profiles: [
      { profile: 'istio-sample', port: p1 },
      { profile: 'minimal', port: p2 },
    ],
    proxiesPort,
    log: (m) => console.log(`cluster-install setup: ${m}`),
  });
}, 480_000);

afterAll(async () => {
  restoreEnv();
  await telemetry?.stop().catch(() => undefined);
  await kube?.stop().catch(() => undefined);
  await kubeRev?.stop().catch(() => undefined);
});

async function graph(query: string): Promise<MeshGraph> {
  const r = await call(GET, `/api/graph?${query}`);
  expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(200);
  return r.body as MeshGraph;
}

/** The default graph as the variant must answer it: cluster `Kubernetes` renamed in ids and `cluster` fields. */
function renamed(v: unknown): unknown {
  if (typeof v === 'string') return v === 'Kubernetes' ? CLUSTER : v.replace(/(^|[:>\s,(])Kubernetes\//g, `$1${CLUSTER}/`);
  if (Array.isArray(v)) return v.map(renamed);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renamed(x)]));
  return v;
}

/** Stable order and numbers to 9 significant digits (the two Prometheus servers sum series in their own order). */
function canonical(g: MeshGraph): unknown {
  const round = (v: unknown): unknown => {
    if (typeof v === 'number') return v === 0 || !Number.isFinite(v) ? v : Number(v.toPrecision(9));
    if (Array.isArray(v)) return v.map(round);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)]));
    return v;
  };
  return round({
    window: g.window,
    nodes: [...g.nodes].sort((a, b) => a.id.localeCompare(b.id)),
    edges: [...g.edges].sort((a, b) => a.id.localeCompare(b.id)),
    warnings: [...g.warnings].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  });
}

const PROFILES = [
  { profile: 'istio-sample' as const, defaultUrl: () => inject('promIstioSampleUrl') },
  { profile: 'minimal' as const, defaultUrl: () => inject('promMinimalUrl') },
];

const WINDOWS = [
  { name: 'steady window T−1h … T−10m', query: () => `start=${iso(T - 3600)}&end=${iso(T - 600)}` },
  { name: 'expanded waypoints, steady window', query: () => `start=${iso(T - 3600)}&end=${iso(T - 600)}&expandWaypoints=true` },
  { name: 'incident window T−2h … T−1h50m', query: () => `start=${T - 7200}&end=${T - 7200 + 600}` },
];

describe(`cluster named ${CLUSTER}, ztunnel and istio-cni in kube-system, no MESH_CLUSTER_NAME / ISTIO_NAMESPACE`, () => {
  it('the variant stack really is installed that way (sanity of the setup, not of the app)', async () => {
    const url = telemetry!.prometheusUrls['istio-sample']!;
    const clusters = await promQuery(url, 'count by (source_cluster) (istio_requests_total)', T - 600);
    expect(clusters.map((r) => r.metric.source_cluster).sort()).toEqual([CLUSTER]);
    const zt = await promQuery(url, 'count by (namespace) (istio_tcp_sent_bytes_total{app="ztunnel"})', T - 600);
    expect(zt.map((r) => r.metric.namespace)).toEqual(['kube-system']);
    const objs = buildManifests(buildDemoTopology({ clusterName: CLUSTER, ztunnelNamespace: 'kube-system' })) as unknown as {
      kind: string;
      metadata: { name: string; namespace?: string };
      spec?: { containers?: { env?: { name: string; value: string }[] }[] };
    }[];
    const istiod = objs.find((o) => o.kind === 'Pod' && o.metadata.name.startsWith('istiod-'))!;
    expect(istiod.spec!.containers![0]!.env).toContainEqual({ name: 'CLUSTER_ID', value: CLUSTER });
    expect(
      objs
        .filter((o) => o.kind === 'DaemonSet')
        .map((o) => `${o.metadata.namespace}/${o.metadata.name}`)
        .sort(),
    ).toEqual(['kube-system/istio-cni-node', 'kube-system/ztunnel']);
  });

  for (const p of PROFILES) {
    for (const w of WINDOWS) {
      it(`/api/graph equals the default demo's with the cluster renamed — profile ${p.profile}, ${w.name}`, async () => {
        useEnv({ PROMETHEUS_URL: p.defaultUrl(), KUBECONFIG: inject('kubeconfigPath') });
        const base = await graph(w.query());
        expect(base.edges.length).toBeGreaterThan(15);
        // the variant: nothing tells the app the cluster name or the Istio namespace
        useEnv({ PROMETHEUS_URL: telemetry!.prometheusUrls[p.profile]!, KUBECONFIG: kube!.kubeconfigPath });
        expect(process.env.MESH_CLUSTER_NAME).toBeUndefined();
        expect(process.env.ISTIO_NAMESPACE).toBeUndefined();
        const variant = await graph(w.query());
        const expected = renamed(base) as MeshGraph;
        // first the inventory of the graph (readable failures), then everything
        expect(variant.nodes.map((n) => n.id).sort(), 'node ids').toEqual(expected.nodes.map((n) => n.id).sort());
        expect(variant.edges.map((e) => e.id).sort(), 'edge ids').toEqual(expected.edges.map((e) => e.id).sort());
        expect(variant.warnings, 'warnings').toEqual(expected.warnings);
        const cls = (g: MeshGraph) =>
          Object.fromEntries(
            g.edges.map((e) => [
              e.id,
              { path: e.path, telemetry: e.telemetry, protocol: e.protocol, l7Gap: e.l7Gap, mtls: e.mtls, waypoint: e.waypoint ?? null },
            ]),
          );
        expect(cls(variant), 'edge classification').toEqual(cls(expected));
        expect(canonical(variant)).toEqual(canonical(expected));
      });
    }
    it(`revisioned control plane istiod-1-28 (istio.io/rev=1-28): same graph — profile ${p.profile}, steady window`, async () => {
      const q = WINDOWS[0]!.query();
      useEnv({ PROMETHEUS_URL: p.defaultUrl(), KUBECONFIG: inject('kubeconfigPath') });
      const expected = renamed(await graph(q)) as MeshGraph;
      useEnv({ PROMETHEUS_URL: telemetry!.prometheusUrls[p.profile]!, KUBECONFIG: kubeRev!.kubeconfigPath });
      const variant = await graph(q);
      expect(variant.nodes.map((n) => n.id).sort(), 'node ids').toEqual(expected.nodes.map((n) => n.id).sort());
      expect(variant.edges.map((e) => e.id).sort(), 'edge ids').toEqual(expected.edges.map((e) => e.id).sort());
      expect(canonical(variant)).toEqual(canonical(expected));
    });
  }
});

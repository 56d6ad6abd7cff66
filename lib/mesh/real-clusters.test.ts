// Clusters installed the way real ones are (docs/istio-telemetry.md §7): a named Istio cluster, ztunnel and
// istio-cni in kube-system (GKE), a revisioned control plane. The graph must be the same as on a default
// install, and anything the data cannot explain must be said in a warning.
import { describe, expect, it } from 'vitest';
import { buildMeshGraph } from './build';
import { resolveClusterNames, selfNamed, telemetryClusters } from './cluster-name';
import { nodeId } from './ids';
import { inventoryOf } from './inventory';
import { classifyPod } from './pods';
import {
  ambientPod,
  cniPod,
  edgeLabels,
  kube,
  namespace,
  plainPod,
  pod,
  service,
  TelemetryBuilder,
  waypointGateway,
  waypointPod,
  ztunnelPod,
  type ScrapeProfile,
} from './testing/fixtures';
import type { KubeSnapshot, PodInfo, TelemetryInput } from './types';

function inNamespace(p: PodInfo, ns: string): PodInfo {
  return { ...p, namespace: ns };
}
function withClusterId(p: PodInfo, id: string): PodInfo {
  return { ...p, containers: p.containers.map((c) => ({ ...c, env: { CLUSTER_ID: id } })) };
}
function istiodPod(o: { namespace: string; rev?: string; clusterId?: string }): PodInfo {
  const name = o.rev ? `istiod-${o.rev}` : 'istiod';
  const p = pod({
    namespace: o.namespace,
    name: `${name}-7c9f-abcde`,
    workload: name,
    workloadKind: 'Deployment',
    labels: { app: 'istiod', istio: 'pilot', ...(o.rev ? { 'istio.io/rev': o.rev } : {}) },
  });
  p.containers = [
    { name: 'discovery', image: 'docker.io/istio/pilot:1.28.0', args: ['discovery'], ...(o.clusterId ? { env: { CLUSTER_ID: o.clusterId } } : {}) },
  ];
  return p;
}

interface Install {
  /** Namespace of ztunnel and istio-cni. */
  ztunnelNamespace: string;
  /** CLUSTER_ID on istiod/ztunnel (undefined: not set in the pod spec). */
  clusterId?: string;
  /** What the snapshot is called before resolution, and where that came from. */
  configured: { cluster: string; source: 'config' | 'default' };
  rev?: string;
}

const zA0 = ztunnelPod('ztunnel-a', '10.0.0.2', 'a');
const zB0 = ztunnelPod('ztunnel-b', '10.0.1.2', 'b');

/** Ambient namespace `shop` behind waypoint `wp`: web → cart (Service cart), and web → db (no waypoint, TCP). */
function cluster(i: Install): { k: KubeSnapshot; z: PodInfo[]; p: Record<string, PodInfo> } {
  const z = [zA0, zB0].map((x) => inNamespace(i.clusterId ? withClusterId(x, i.clusterId) : x, i.ztunnelNamespace));
  const pods = [
    ...z,
    inNamespace(cniPod('istio-cni-node-a', 'a'), i.ztunnelNamespace),
    istiodPod({ namespace: 'istio-system', ...(i.rev ? { rev: i.rev } : {}), ...(i.clusterId ? { clusterId: i.clusterId } : {}) }),
    ambientPod({ namespace: 'shop', name: 'web-1', workload: 'web', ip: '10.0.0.20', node: 'a' }),
    ambientPod({ namespace: 'shop', name: 'cart-1', workload: 'cart', ip: '10.0.1.20', node: 'b' }),
    ambientPod({ namespace: 'data', name: 'db-0', workload: 'db', workloadKind: 'StatefulSet', ip: '10.0.1.30', node: 'b' }),
    waypointPod({ namespace: 'shop', gateway: 'wp', name: 'wp-1', ip: '10.0.0.30', node: 'a' }),
  ];
  const k = kube({
    cluster: i.configured.cluster,
    clusterSource: i.configured.source,
    namespaces: [
      namespace('istio-system'),
      namespace(i.ztunnelNamespace),
      namespace('shop', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'wp' }),
      namespace('data', { 'istio.io/dataplane-mode': 'ambient' }),
    ],
    pods,
    services: [service('shop', 'cart', { app: 'cart' }, [{ name: 'http', port: 80 }]), service('data', 'db', { app: 'db' }, [{ name: 'tcp-pg', port: 5432 }])],
    gateways: [waypointGateway('shop', 'wp')],
  });
  return { k, z, p: Object.fromEntries(pods.map((x) => [x.name, x])) };
}

/** What the proxies of that cluster report, with `name` in source_cluster/destination_cluster. */
function telemetry(c: ReturnType<typeof cluster>, name: string, profile: ScrapeProfile): TelemetryInput {
  const [zA, zB] = c.z as [PodInfo, PodInfo];
  const web = { workload: 'web', namespace: 'shop' };
  const cart = { workload: 'cart', namespace: 'shop' };
  const wp = { workload: 'wp', namespace: 'shop' };
  const db = { workload: 'db', namespace: 'data' };
  const svcCart = { name: 'cart', namespace: 'shop' };
  const svcDb = { name: 'db', namespace: 'data' };
  const t = new TelemetryBuilder(profile)
    .requests(edgeLabels({ reporter: 'waypoint', src: web, dst: cart, service: svcCart, csp: 'mutual_tls' }), c.p['wp-1']!, { '200': 600 })
    .tcp(edgeLabels({ reporter: 'source', src: web, dst: wp, service: svcCart, csp: 'mutual_tls' }), zA, { opened: 60, sent: 600, received: 300 })
    .tcp(edgeLabels({ reporter: 'destination', src: wp, dst: cart, service: svcCart, csp: 'mutual_tls' }), zB, { opened: 60, sent: 600, received: 300 })
    .tcp(edgeLabels({ reporter: 'source', src: web, dst: db, service: svcDb, csp: 'mutual_tls' }), zA, { opened: 12, sent: 1200, received: 120 })
    .tcp(edgeLabels({ reporter: 'destination', src: web, dst: db, service: svcDb, csp: 'mutual_tls' }), zB, { opened: 12, sent: 1200, received: 120 })
    .build();
  const rename = (v: string | undefined) => (v === 'Kubernetes' ? name : v);
  const relabel = <T extends { labels: Record<string, string> }>(x: T): T => ({
    ...x,
    labels: {
      ...x.labels,
      ...(x.labels.source_cluster ? { source_cluster: rename(x.labels.source_cluster)! } : {}),
      ...(x.labels.destination_cluster ? { destination_cluster: rename(x.labels.destination_cluster)! } : {}),
    },
  });
  return { ...t, samples: t.samples.map(relabel), reporterTargets: t.reporterTargets.map(relabel) };
}

/** The graph as a platform engineer reads it, without cluster names. */
function picture(k: KubeSnapshot, t: TelemetryInput) {
  const r = resolveClusterNames([k], t);
  const g = buildMeshGraph(r.snapshots[0]!, t);
  const strip = (id: string) => id.replace(/:[^/]+\//, ':/');
  return {
    cluster: r.snapshots[0]!.cluster,
    source: r.snapshots[0]!.clusterSource,
    warnings: [...r.warnings, ...g.warnings].map((w) => w.message),
    nodes: g.nodes.map((n) => `${strip(n.id)} ${n.kind} ${n.mode ?? ''}`).sort(),
    edges: g.edges
      .map(
        (e) =>
          `${strip(e.source)} → ${strip(e.target)} ${e.path} ${e.telemetry} ${e.mtls} ${e.waypoint ?? ''} ${e.reporters!.map((x) => `${x.reporter}/${x.proxy}`).join(',')}`,
      )
      .sort(),
  };
}

const DEFAULT_INSTALL: Install = { ztunnelNamespace: 'istio-system', configured: { cluster: 'Kubernetes', source: 'default' } };

describe('infrastructure is recognised by what it is, in any namespace (case 2)', () => {
  it('ztunnel and istio-cni in kube-system; istiod revisioned', () => {
    const c = cluster({ ...DEFAULT_INSTALL, ztunnelNamespace: 'kube-system', rev: '1-28' });
    const inv = inventoryOf(c.k);
    expect(inv.workloads.get('kube-system', 'ztunnel')?.role).toBe('ztunnel');
    expect(inv.workloads.get('kube-system', 'istio-cni-node')?.role).toBe('istio-cni');
    expect(inv.workloads.get('istio-system', 'istiod-1-28')?.role).toBe('control-plane');
    expect(inv.controlPlane).toMatchObject({
      istiodNamespaces: ['istio-system'],
      ztunnelNamespaces: ['kube-system'],
      revisions: ['1-28'],
      pods: { istiod: 1, ztunnel: 2, cni: 1 },
    });
  });
  it('ISTIO_NAMESPACE is a hint: istiod elsewhere becomes the root namespace', () => {
    const k = kube({ istioNamespace: 'istio-system', pods: [istiodPod({ namespace: 'mesh-cp' })] });
    expect(inventoryOf(k).istioNamespace).toBe('mesh-cp');
    const k2 = kube({ istioNamespace: 'istio-system', pods: [istiodPod({ namespace: 'istio-system' }), istiodPod({ namespace: 'mesh-cp', rev: 'x' })] });
    expect(inventoryOf(k2).istioNamespace).toBe('istio-system');
  });
  it('an application labelled app=ztunnel or app=istiod stays an application', () => {
    expect(classifyPod(plainPod({ namespace: 'apps', name: 'z-1', workload: 'z', labels: { app: 'ztunnel' } }), 'istio-system').class).toBe('none');
    expect(
      classifyPod(plainPod({ namespace: 'apps', name: 'i-1', workload: 'i', workloadKind: 'StatefulSet', labels: { app: 'istiod' } }), 'istio-system').class,
    ).toBe('none');
  });
  it('a ztunnel DaemonSet recognised by its image alone', () => {
    const p = pod({ namespace: 'platform', name: 'zt-x', workload: 'zt', workloadKind: 'DaemonSet' });
    p.containers = [{ name: 'istio-proxy', image: 'gcr.io/gke-release/asm/ztunnel:1.28.0-distroless@sha256:abc', args: [] }];
    expect(classifyPod(p).class).toBe('ztunnel');
  });
  for (const profile of ['labels', 'instance', 'none'] as const) {
    it(`ztunnel in kube-system reports as ztunnel (scrape profile ${profile}): ambient edges stay ambient`, () => {
      const c = cluster({ ...DEFAULT_INSTALL, ztunnelNamespace: 'kube-system' });
      const base = cluster(DEFAULT_INSTALL);
      expect(picture(c.k, telemetry(c, 'Kubernetes', profile)).edges).toEqual(picture(base.k, telemetry(base, 'Kubernetes', profile)).edges);
      expect(picture(c.k, telemetry(c, 'Kubernetes', profile)).edges.join('\n')).toContain('ambient l4 mutual');
    });
  }
});

describe("Istio's cluster name (case 1)", () => {
  const reference = (() => {
    const base = cluster(DEFAULT_INSTALL);
    return picture(base.k, telemetry(base, 'Kubernetes', 'instance'));
  })();

  it('the reference install: one folded waypoint edge, one ambient edge, no warnings', () => {
    expect(reference.edges).toEqual([
      'workload:/shop/web → workload:/data/db ambient l4 mutual  destination/ztunnel,source/ztunnel',
      'workload:/shop/web → workload:/shop/cart waypoint l7 mutual shop/wp destination/ztunnel,source/ztunnel,waypoint/waypoint',
    ]);
    expect(reference.warnings).toEqual([]);
  });
  it('learnt from CLUSTER_ID of istiod/ztunnel: same graph as the default install, with ztunnel in kube-system', () => {
    const c = cluster({ ztunnelNamespace: 'kube-system', clusterId: 'prod-eu-1', configured: { cluster: 'Kubernetes', source: 'default' } });
    const got = picture(c.k, telemetry(c, 'prod-eu-1', 'instance'));
    expect(got).toMatchObject({ cluster: 'prod-eu-1', source: 'cluster-id' });
    expect(got.edges).toEqual(reference.edges);
    expect(got.nodes).toEqual(reference.nodes);
    expect(got.warnings).toEqual([]);
  });
  it('learnt from the telemetry when the pods do not say it (one cluster configured, one cluster in the series)', () => {
    const c = cluster({ ...DEFAULT_INSTALL });
    const got = picture(c.k, telemetry(c, 'mesh-west', 'labels'));
    expect(got).toMatchObject({ cluster: 'mesh-west', source: 'telemetry' });
    expect(got.edges).toEqual(picture(c.k, telemetry(c, 'Kubernetes', 'labels')).edges);
    expect(got.warnings).toEqual([]);
  });
  it('MESH_CLUSTER_NAME overrides, and a mismatch with CLUSTER_ID and with the telemetry is said, never silent', () => {
    const c = cluster({ ztunnelNamespace: 'istio-system', clusterId: 'prod-eu-1', configured: { cluster: 'Kubernetes', source: 'config' } });
    const got = picture(c.k, telemetry(c, 'prod-eu-1', 'instance'));
    expect(got.cluster).toBe('Kubernetes');
    expect(got.warnings.some((w) => w.includes('overrides the cluster\'s own CLUSTER_ID "prod-eu-1"'))).toBe(true);
    expect(got.warnings.some((w) => w.includes('telemetry names cluster "prod-eu-1" that no configured Kubernetes context stands for'))).toBe(true);
  });
  it('without the name, the old failure mode is visible: the graph differs and a warning says why', () => {
    const c = cluster({ ztunnelNamespace: 'istio-system', configured: { cluster: 'Kubernetes', source: 'config' } });
    const got = picture(c.k, telemetry(c, 'prod-eu-1', 'instance'));
    expect(got.edges).not.toEqual(reference.edges);
    expect(got.warnings.join('\n')).toMatch(/no configured Kubernetes context stands for/);
  });
  it('pods that disagree on CLUSTER_ID: warning, configured name kept', () => {
    const c = cluster({ ...DEFAULT_INSTALL, clusterId: 'a' });
    const k = { ...c.k, pods: [...c.k.pods, withClusterId(istiodPod({ namespace: 'istio-system', rev: 'canary' }), 'b')] };
    const r = selfNamed(k);
    expect(r.snapshot.cluster).toBe('Kubernetes');
    expect(r.warnings[0]!.message).toMatch(/disagree on CLUSTER_ID \(a, b\)/);
  });
  it('unchanged snapshots are returned as the same object (inventory memo survives)', () => {
    const c = cluster(DEFAULT_INSTALL);
    const t = telemetry(c, 'Kubernetes', 'labels');
    expect(resolveClusterNames([c.k], t).snapshots[0]).toBe(c.k);
    expect(telemetryClusters(t)).toEqual(['Kubernetes']);
  });
  it('a renamed snapshot reuses the classification of the original', () => {
    const c = cluster({ ...DEFAULT_INSTALL, clusterId: 'x' });
    const a = inventoryOf(c.k);
    const b = inventoryOf({ ...c.k, cluster: 'x' });
    expect(b.cluster).toBe('x');
    expect(b.workloads.cluster).toBe('x');
    expect(b.pods).toBe(a.pods);
    expect(nodeId('workload', b.cluster, 'shop', 'web')).toBe('workload:x/shop/web');
  });
});

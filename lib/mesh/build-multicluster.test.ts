// Multi-cluster graphs: one Kubernetes snapshot per cluster, lookups by source_cluster/destination_cluster.
import { describe, expect, it } from 'vitest';
import { buildMeshGraph } from './build';
import { nodeId } from './ids';
import { mergeSnapshots } from './merge';
import { ambientPod, edgeLabels, kube, namespace, service, sidecarPod, TelemetryBuilder, ztunnelPod, type EdgeOpts } from './testing/fixtures';
import type { KubeSnapshot, Labels } from './types';

// Two clusters with the same namespace and workload names, and colliding pod IPs (separate pod networks):
// west: web (sidecar, 10.0.0.10), api (ambient, 10.0.0.11), ztunnel 10.0.0.2
// east: web (ambient, 10.0.0.30), api (sidecar, 10.0.0.10 — west's web IP), ztunnel 10.0.0.11 — west's api IP
const west: KubeSnapshot = kube({
  cluster: 'west',
  namespaces: [namespace('shop')],
  pods: [
    ztunnelPod('ztunnel-w', '10.0.0.2', 'w1'),
    sidecarPod({ namespace: 'shop', name: 'web-w1', workload: 'web', ip: '10.0.0.10', node: 'w1', labels: { app: 'web' } }),
    ambientPod({ namespace: 'shop', name: 'api-w1', workload: 'api', ip: '10.0.0.11', node: 'w1', labels: { app: 'api' } }),
  ],
  services: [service('shop', 'api', { app: 'api' }, [{ name: 'http', port: 80 }])],
});
const east: KubeSnapshot = kube({
  cluster: 'east',
  namespaces: [namespace('shop')],
  pods: [
    ztunnelPod('ztunnel-e', '10.0.0.11', 'e1'),
    ambientPod({ namespace: 'shop', name: 'web-e1', workload: 'web', ip: '10.0.0.30', node: 'e1', labels: { app: 'web' } }),
    sidecarPod({ namespace: 'shop', name: 'api-e1', workload: 'api', ip: '10.0.0.10', node: 'e1', labels: { app: 'api' } }),
    ambientPod({ namespace: 'shop', name: 'db-e1', workload: 'db', ip: '10.0.0.40', node: 'e1', labels: { app: 'db' } }),
  ],
  services: [
    service('shop', 'api', { app: 'api' }, [{ name: 'http', port: 80 }]),
    // Only east has a db Service (a gRPC port): the L4-only edge to it must use east's port for its protocol.
    service('shop', 'db', { app: 'db' }, [{ name: 'grpc', port: 9090 }]),
  ],
});

const web = { workload: 'web', namespace: 'shop' };
const api = { workload: 'api', namespace: 'shop' };
const db = { workload: 'db', namespace: 'shop' };
const pod = (k: KubeSnapshot, name: string) => k.pods.find((p) => p.name === name)!;
const labels = (o: EdgeOpts, src: string, dst: string): Labels => ({ ...edgeLabels(o), source_cluster: src, destination_cluster: dst });
const W = (cluster: string, name: string) => nodeId('workload', cluster, 'shop', name);

function telemetry() {
  const svc = { name: 'api', namespace: 'shop' };
  return (
    new TelemetryBuilder('instance')
      // west web (sidecar) → east api (sidecar): both Envoys, attributed by instance IP in their own cluster
      .requests(labels({ reporter: 'source', src: web, dst: api, service: svc, csp: 'unknown' }, 'west', 'east'), pod(west, 'web-w1'), { '200': 600 })
      .requests(labels({ reporter: 'destination', src: web, dst: api, service: svc, csp: 'mutual_tls' }, 'west', 'east'), pod(east, 'api-e1'), {
        '200': 540,
        '503': 60,
      })
      // east web (ambient) → east api (sidecar): source is east's ztunnel (10.0.0.11 = west's api pod IP)
      .tcp(labels({ reporter: 'source', src: web, dst: api, service: svc, csp: 'unknown' }, 'east', 'east'), pod(east, 'ztunnel-e'), {
        opened: 60,
        sent: 6000,
        received: 1200,
      })
      .requests(labels({ reporter: 'destination', src: web, dst: api, service: svc, csp: 'mutual_tls' }, 'east', 'east'), pod(east, 'api-e1'), { '200': 300 })
      // east web → east db, ztunnel only (L4): protocol from east's db Service port
      .tcp(
        labels({ reporter: 'destination', src: web, dst: db, service: { name: 'db', namespace: 'shop' }, csp: 'unknown' }, 'east', 'east'),
        pod(east, 'ztunnel-e'),
        {
          opened: 30,
          sent: 300,
          received: 300,
        },
      )
      .build()
  );
}

describe('multi-cluster graph', () => {
  const g = buildMeshGraph([west, east], telemetry());
  const node = (id: string) => g.nodes.find((n) => n.id === id);
  const edge = (s: string, d: string) => g.edges.find((e) => e.source === s && e.target === d);

  it('same namespace/workload names in two clusters are distinct nodes with their own cluster and mode', () => {
    expect(node(W('west', 'web'))).toMatchObject({ cluster: 'west', mode: 'sidecar', pods: { total: 1, sidecar: 1 } });
    expect(node(W('west', 'api'))).toMatchObject({ cluster: 'west', mode: 'ambient' });
    expect(node(W('east', 'web'))).toMatchObject({ cluster: 'east', mode: 'ambient' });
    expect(node(W('east', 'api'))).toMatchObject({ cluster: 'east', mode: 'sidecar', services: ['shop/api'] });
    expect(node(W('east', 'db'))).toMatchObject({ cluster: 'east', mode: 'ambient' });
    expect(node(W('west', 'db'))).toBeUndefined();
    for (const n of g.nodes) expect(n.telemetryOnly).toBeUndefined();
  });

  it('a cross-cluster edge is marked and attributed in each side’s cluster by instance IP', () => {
    const e = edge(W('west', 'web'), W('east', 'api'));
    expect(e).toBeDefined();
    expect(e!.crossCluster).toBe(true);
    expect(e!.path).toBe('sidecar');
    expect(e!.telemetry).toBe('l7');
    expect(e!.rates.errorRate).toBeCloseTo(0.1, 10);
    // 10.0.0.10 is web-w1 in west and api-e1 in east: each reporter's IP is looked up in its own cluster.
    expect(e!.reporters).toEqual([
      { reporter: 'destination', proxy: 'envoy', rule: 'instance-ip', targets: ['api-e1'] },
      { reporter: 'source', proxy: 'envoy', rule: 'instance-ip', targets: ['web-w1'] },
    ]);
  });

  it('an IP that is an app pod in one cluster and ztunnel in the other attributes to the right one', () => {
    const e = edge(W('east', 'web'), W('east', 'api'));
    expect(e).toBeDefined();
    expect(e!.crossCluster).toBeUndefined();
    expect(e!.reporters).toContainEqual({ reporter: 'source', proxy: 'ztunnel', rule: 'instance-ip', targets: ['ztunnel-e'] });
    expect(e!.path).toBe('mixed');
    // east web proved ambient by its ztunnel; west's web (same ns/name) proves nothing here
    expect(node(W('east', 'web'))!.modeInWindow).toBe('ambient');
    expect(node(W('east', 'api'))!.modeInWindow).toBe('sidecar');
    expect(node(W('west', 'web'))!.modeInWindow).toBe('sidecar');
    expect(node(W('west', 'api'))!.modeInWindow).toBeUndefined();
  });

  it('service ports come from the destination’s cluster', () => {
    const e = edge(W('east', 'web'), W('east', 'db'));
    expect(e).toMatchObject({ path: 'ambient', telemetry: 'l4', protocol: 'grpc', protocolSource: 'service-port', l7Gap: true, mtls: 'plaintext' });
  });

  it('clusters filter: edges touching the clusters, their peers, and only those clusters’ idle workloads', () => {
    const w = buildMeshGraph([west, east], telemetry(), { clusters: ['west'] });
    expect(w.edges.map((e) => e.id)).toEqual([`${W('west', 'web')}->${W('east', 'api')}`]);
    expect(w.nodes.map((n) => n.id)).toEqual([W('east', 'api'), W('west', 'api'), W('west', 'web')]);
    const e = buildMeshGraph([west, east], telemetry(), { clusters: ['east'] });
    expect(e.nodes.map((n) => n.id)).toEqual([W('east', 'api'), W('east', 'db'), W('east', 'web'), W('west', 'web')]);
    expect(e.edges).toHaveLength(3);
    const both = buildMeshGraph([west, east], telemetry(), { clusters: ['east', 'west'] });
    expect(both).toEqual(g);
    const none = buildMeshGraph([west, east], telemetry(), { clusters: ['nowhere'] });
    expect(none.nodes).toEqual([]);
    expect(none.edges).toEqual([]);
    const combined = buildMeshGraph([west, east], telemetry(), { clusters: ['east'], namespaces: ['other'] });
    expect(combined.nodes).toEqual([]);
  });

  it('series without a known cluster label fall back to the first snapshot', () => {
    const t = new TelemetryBuilder('instance')
      .requests(
        labels({ reporter: 'destination', src: web, dst: api, service: { name: 'api', namespace: 'shop' }, csp: 'mutual_tls' }, 'unknown', 'unknown'),
        pod(east, 'api-e1'),
        {
          '200': 10,
        },
      )
      .build();
    const r = buildMeshGraph([east, west], t);
    const e = r.edges[0]!;
    expect(e.source).toBe(W('east', 'web'));
    expect(e.target).toBe(W('east', 'api'));
    expect(e.reporters).toEqual([{ reporter: 'destination', proxy: 'envoy', rule: 'instance-ip', targets: ['api-e1'] }]);
  });

  it('a cluster with no snapshot stays telemetry-only', () => {
    const t = new TelemetryBuilder('instance')
      .requests(
        labels({ reporter: 'destination', src: web, dst: api, service: { name: 'api', namespace: 'shop' }, csp: 'mutual_tls' }, 'north', 'east'),
        pod(east, 'api-e1'),
        { '200': 10 },
      )
      .build();
    const r = buildMeshGraph([west, east], t);
    expect(r.nodes.find((n) => n.id === W('north', 'web'))).toMatchObject({ cluster: 'north', telemetryOnly: true });
    expect(r.edges[0]!.crossCluster).toBe(true);
  });

  it('one snapshot in an array is exactly the single-snapshot graph; warnings of every snapshot are kept', () => {
    const t = telemetry();
    expect(buildMeshGraph([west], t)).toEqual(buildMeshGraph(west, t));
    const warned = buildMeshGraph(
      [
        { ...west, warnings: [{ source: 'kubernetes', message: 'west: x' }] },
        { ...east, warnings: [{ source: 'kubernetes', message: 'east: y' }] },
      ],
      t,
    );
    expect(warned.warnings.slice(0, 2).map((w) => w.message)).toEqual(['west: x', 'east: y']);
  });
});

describe('mergeSnapshots', () => {
  it('concatenates objects, keeps the first cluster-scoped object of a name, available if any is', () => {
    const m = mergeSnapshots([west, { ...east, available: false, warnings: [{ source: 'kubernetes', message: 'east: down' }] }]);
    expect(m.cluster).toBe('west');
    expect(m.pods).toHaveLength(west.pods.length + east.pods.length);
    expect(m.services.map((s) => s.name)).toEqual(['api', 'api', 'db']);
    expect(m.namespaces.map((n) => n.name)).toEqual(['shop']);
    expect(m.available).toBe(true);
    expect(m.warnings).toEqual([{ source: 'kubernetes', message: 'east: down' }]);
    expect(mergeSnapshots([west])).toBe(west);
    expect(mergeSnapshots([]).available).toBe(false);
  });
});

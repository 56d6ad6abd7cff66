// Slices (docs/classification.md §4) and the folding cases of real meshes: one client→server pair that is
// partly waypoint-routed and partly direct, client legs whose Service differs from the waypoint's (HTTPRoute
// backends) or is unknown (pod-IP traffic to a workload waypoint). Series shapes: docs/istio-telemetry.md §4.
import { describe, expect, it } from 'vitest';
import { buildMeshGraph } from '../build';
import { nodeId } from '../ids';
import { ambientPod, edgeLabels, kube, namespace, service, sidecarPod, TelemetryBuilder, waypointGateway, waypointPod, ztunnelPod } from '../testing/fixtures';
import type { KubeSnapshot, PodInfo } from '../types';

const W = (ns: string, name: string) => nodeId('workload', 'Kubernetes', ns, name);
const zA = ztunnelPod('ztunnel-a', '10.0.0.2', 'a');
const zB = ztunnelPod('ztunnel-b', '10.0.1.2', 'b');
const http = [{ name: 'http', port: 80 }];
const mig = { workload: 'mig', namespace: 'shop' };
const srv = { workload: 'srv', namespace: 'shop' };
const wp = { workload: 'wp', namespace: 'shop' };
const svcSrv = { name: 'srv', namespace: 'shop' };

/** Namespace shop (ambient, service waypoint wp): client `mig` 2 sidecar + 2 ambient pods (a rollout), server `srv` ambient. */
function mesh(extra: Partial<KubeSnapshot> = {}): { k: KubeSnapshot; p: Record<string, PodInfo> } {
  const pods = [
    zA,
    zB,
    sidecarPod({ namespace: 'shop', name: 'mig-s1', workload: 'mig', ip: '10.0.0.10', node: 'a' }),
    sidecarPod({ namespace: 'shop', name: 'mig-s2', workload: 'mig', ip: '10.0.0.11', node: 'a' }),
    ambientPod({ namespace: 'shop', name: 'mig-a1', workload: 'mig', ip: '10.0.0.12', node: 'a' }),
    ambientPod({ namespace: 'shop', name: 'mig-a2', workload: 'mig', ip: '10.0.0.13', node: 'a' }),
    ambientPod({ namespace: 'shop', name: 'srv-1', workload: 'srv', ip: '10.0.1.20', node: 'b' }),
    waypointPod({ namespace: 'shop', gateway: 'wp', name: 'wp-1', ip: '10.0.0.30', node: 'a' }),
  ];
  const k = kube({
    namespaces: [namespace('shop', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'wp' })],
    pods,
    services: [service('shop', 'srv', { app: 'srv' }, http)],
    gateways: [waypointGateway('shop', 'wp')],
    ...extra,
  });
  return { k, p: Object.fromEntries(pods.map((x) => [x.name, x])) };
}

describe('a pair carried partly through the waypoint and partly directly (case 3)', () => {
  const { k, p } = mesh();
  // 600 s window. Ambient pods: 600 requests through the waypoint. Sidecar pods: 400 requests straight to the
  // backend (sidecars never use waypoints), seen by their own sidecar (source) and by srv's ztunnel (L4).
  const t = new TelemetryBuilder('labels')
    .requests(edgeLabels({ reporter: 'waypoint', src: mig, dst: srv, service: svcSrv, csp: 'mutual_tls' }), p['wp-1']!, { '200': 594, '503': 6 })
    .tcp(edgeLabels({ reporter: 'source', src: mig, dst: wp, service: svcSrv, csp: 'mutual_tls' }), zA, { opened: 60, sent: 6000, received: 3000 })
    .tcp(edgeLabels({ reporter: 'destination', src: wp, dst: srv, service: svcSrv, csp: 'mutual_tls' }), zB, { opened: 60, sent: 6000, received: 3000 })
    .requests(edgeLabels({ reporter: 'source', src: mig, dst: srv, service: svcSrv, csp: 'unknown' }), p['mig-s1']!, { '200': 200 })
    .requests(edgeLabels({ reporter: 'source', src: mig, dst: srv, service: svcSrv, csp: 'unknown' }), p['mig-s2']!, { '200': 160, '503': 40 })
    .tcp(edgeLabels({ reporter: 'destination', src: mig, dst: srv, service: svcSrv, csp: 'mutual_tls' }), zB, { opened: 40, sent: 4000, received: 2000 })
    .build();
  const g = buildMeshGraph(k, t);
  const e = g.edges.find((x) => x.source === W('shop', 'mig') && x.target === W('shop', 'srv'))!;

  it('one edge, path mixed, requests = waypoint slice + direct slice (nothing vanishes, nothing twice)', () => {
    expect(g.edges).toHaveLength(1);
    expect(e).toMatchObject({ path: 'mixed', telemetry: 'l7', mtls: 'mutual', waypoint: 'shop/wp' });
    expect(e.rates.rps).toBeCloseTo((600 + 400) / 600, 10);
    expect(e.rates.errorRate).toBeCloseTo((6 + 40) / 1000, 10);
  });
  it('each slice with its own path, reporter, share and mTLS', () => {
    expect(e.slices).toHaveLength(2);
    const [via, direct] = e.slices!;
    expect(via).toMatchObject({
      via: 'waypoint',
      path: 'waypoint',
      telemetry: 'l7',
      mtls: 'mutual',
      rateSources: { l7: 'waypoint', l4: 'source' },
      waypoint: 'shop/wp',
    });
    expect(via!.share).toBeCloseTo(0.6, 10);
    expect(via!.rates.rps).toBeCloseTo(1, 10);
    expect(direct).toMatchObject({ via: 'direct', path: 'mixed', telemetry: 'l7', mtls: 'mutual', rateSources: { l7: 'source', l4: 'destination' } });
    expect(direct!.share).toBeCloseTo(0.4, 10);
    expect(direct!.rates.connectionsPerSec).toBeCloseTo(40 / 600, 10);
  });
  it('L4 numbers add up the slices, each from its own server side', () => {
    expect(e.rates.connectionsPerSec).toBeCloseTo((60 + 40) / 600, 10);
    expect(e.rates.responseBytesPerSec).toBeCloseTo((6000 + 4000) / 600, 10);
  });
  it('a plaintext direct slice makes the edge plaintext (out-of-mesh pods bypassing the waypoint)', () => {
    const t2 = new TelemetryBuilder('labels')
      .requests(edgeLabels({ reporter: 'waypoint', src: mig, dst: srv, service: svcSrv, csp: 'mutual_tls' }), p['wp-1']!, { '200': 600 })
      .tcp(edgeLabels({ reporter: 'destination', src: mig, dst: srv, service: svcSrv, csp: 'unknown' }), zB, { opened: 30, sent: 300, received: 300 })
      .build();
    const e2 = buildMeshGraph(k, t2).edges[0]!;
    expect(e2).toMatchObject({ path: 'mixed', telemetry: 'l7', mtls: 'plaintext', partialL7: true });
    expect(e2.slices!.map((s) => [s.via, s.telemetry, s.mtls])).toEqual([
      ['waypoint', 'l7', 'mutual'],
      ['direct', 'l4', 'plaintext'],
    ]);
    // requests in one slice, connections in the other: no common measure, no share
    expect(e2.slices!.every((s) => s.share === undefined)).toBe(true);
  });
  it('all traffic through the waypoint: one slice, no slices field', () => {
    const t3 = new TelemetryBuilder('labels')
      .requests(edgeLabels({ reporter: 'waypoint', src: mig, dst: srv, service: svcSrv, csp: 'mutual_tls' }), p['wp-1']!, { '200': 600 })
      .build();
    const e3 = buildMeshGraph(k, t3).edges[0]!;
    expect(e3).toMatchObject({ path: 'waypoint', mtls: 'mutual' });
    expect(e3.slices).toBeUndefined();
  });
});

describe('client legs the waypoint reports under another name (case 6)', () => {
  it('HTTPRoute backend: the leg names `reviews`, the waypoint `reviews-v2`: one edge, no spurious L7 gap', () => {
    const { k, p } = mesh({ services: [service('shop', 'srv', { app: 'srv' }, http), service('shop', 'reviews', { app: 'none' }, http)] });
    const t = new TelemetryBuilder('labels')
      .requests(edgeLabels({ reporter: 'waypoint', src: mig, dst: srv, service: svcSrv, csp: 'mutual_tls' }), p['wp-1']!, { '200': 600 })
      .tcp(edgeLabels({ reporter: 'source', src: mig, dst: wp, service: { name: 'reviews', namespace: 'shop' }, csp: 'mutual_tls' }), zA, {
        opened: 60,
        sent: 600,
        received: 600,
      })
      .build();
    const g = buildMeshGraph(k, t);
    expect(g.edges.map((e) => `${e.source} ${e.target} ${e.path} ${e.l7Gap}`)).toEqual([`${W('shop', 'mig')} ${W('shop', 'srv')} waypoint false`]);
    expect(g.edges[0]!.rates.connectionsPerSec).toBeCloseTo(0.1, 10);
  });
  it('pod-IP traffic to a workload waypoint (destination_service unknown): folded, the unknown node gains nothing', () => {
    const { k, p } = mesh({
      namespaces: [namespace('shop', { 'istio.io/dataplane-mode': 'ambient' })],
      gateways: [waypointGateway('shop', 'wp', { labels: { 'istio.io/waypoint-for': 'workload' } })],
    });
    const kk: KubeSnapshot = { ...k, pods: k.pods.map((x) => (x.name === 'srv-1' ? { ...x, labels: { ...x.labels, 'istio.io/use-waypoint': 'wp' } } : x)) };
    const t = new TelemetryBuilder('labels')
      .requests(edgeLabels({ reporter: 'waypoint', src: mig, dst: srv, csp: 'mutual_tls' }), p['wp-1']!, { '200': 300 })
      .tcp(edgeLabels({ reporter: 'source', src: mig, dst: wp, csp: 'mutual_tls' }), zA, { opened: 30, sent: 300, received: 300 })
      .tcp(edgeLabels({ reporter: 'destination', src: wp, dst: srv, csp: 'mutual_tls' }), zB, { opened: 30, sent: 300, received: 300 })
      .build();
    const g = buildMeshGraph(kk, t);
    expect(g.edges.map((e) => `${e.source} ${e.target} ${e.path}`)).toEqual([`${W('shop', 'mig')} ${W('shop', 'srv')} waypoint`]);
    expect(g.nodes.some((n) => n.kind === 'unknown')).toBe(false);
  });
  it('a pod-IP leg with no waypoint series goes to the one workload the waypoint serves', () => {
    const { k } = mesh({
      namespaces: [namespace('shop', { 'istio.io/dataplane-mode': 'ambient' })],
      gateways: [waypointGateway('shop', 'wp', { labels: { 'istio.io/waypoint-for': 'workload' } })],
    });
    const kk: KubeSnapshot = { ...k, pods: k.pods.map((x) => (x.name === 'srv-1' ? { ...x, labels: { ...x.labels, 'istio.io/use-waypoint': 'wp' } } : x)) };
    const t = new TelemetryBuilder('labels')
      .tcp(edgeLabels({ reporter: 'source', src: mig, dst: wp, csp: 'mutual_tls' }), zA, { opened: 30, sent: 300, received: 300 })
      .build();
    const g = buildMeshGraph(kk, t);
    expect(g.edges.map((e) => `${e.source} ${e.target} ${e.path}`)).toEqual([`${W('shop', 'mig')} ${W('shop', 'srv')} waypoint`]);
  });
});

describe('protocol from evidence (case 8)', () => {
  const pods = [
    zA,
    zB,
    sidecarPod({ namespace: 'app', name: 'sc-1', workload: 'sc', ip: '10.0.0.10', node: 'a' }),
    ambientPod({ namespace: 'app', name: 'amb-1', workload: 'amb', ip: '10.0.0.12', node: 'a' }),
    ambientPod({ namespace: 'app', name: 'api-1', workload: 'api', ip: '10.0.1.20', node: 'b' }),
  ];
  const sc = { workload: 'sc', namespace: 'app' };
  const amb = { workload: 'amb', namespace: 'app' };
  const api = { workload: 'api', namespace: 'app' };
  const svcApi = { name: 'api', namespace: 'app' };
  const graph = (ports: { name?: string; port: number }[], withSidecarClient: boolean) => {
    const k = kube({ namespaces: [namespace('app')], pods, services: [service('app', 'api', { app: 'api' }, ports)] });
    const b = new TelemetryBuilder('labels').tcp(edgeLabels({ reporter: 'destination', src: amb, dst: api, service: svcApi, csp: 'mutual_tls' }), zB, {
      opened: 6,
      sent: 60,
      received: 60,
    });
    if (withSidecarClient) b.requests(edgeLabels({ reporter: 'source', src: sc, dst: api, service: svcApi, csp: 'unknown' }), pods[2]!, { '200': 60 });
    return buildMeshGraph(k, b.build()).edges.find((e) => e.source === W('app', 'amb'))!;
  };
  it('a port named `web` that a sidecar client saw answer HTTP: the ambient edge is an L7 gap', () => {
    expect(graph([{ name: 'web', port: 8080 }], true)).toMatchObject({ protocol: 'http', protocolSource: 'peer-telemetry', l7Gap: true, telemetry: 'l4' });
  });
  it('the same port without evidence stays unknown', () => {
    expect(graph([{ name: 'web', port: 8080 }], false)).toMatchObject({ protocol: 'unknown', l7Gap: false });
  });
  it('a Service with an HTTP and a TCP port is judged per port: L7 only with evidence', () => {
    expect(
      graph(
        [
          { name: 'http', port: 80 },
          { name: 'tcp-db', port: 5432 },
        ],
        false,
      ),
    ).toMatchObject({ protocol: 'unknown', l7Gap: false });
    expect(
      graph(
        [
          { name: 'http', port: 80 },
          { name: 'tcp-db', port: 5432 },
        ],
        true,
      ),
    ).toMatchObject({ protocol: 'http', protocolSource: 'peer-telemetry', l7Gap: true });
  });
});

describe('named egress (case 10)', () => {
  it('PassthroughCluster and BlackHoleCluster are their own nodes, not the shared unknown peer', () => {
    const { k, p } = mesh();
    const out = (name: string) => ({
      ...edgeLabels({ reporter: 'source', src: mig, csp: 'unknown' }),
      destination_service: name,
      destination_service_name: name,
    });
    const t = new TelemetryBuilder('labels')
      .tcp(out('PassthroughCluster'), p['mig-s1']!, { opened: 60, sent: 600, received: 60 })
      .requests(out('BlackHoleCluster'), p['mig-s1']!, { '502': 30 })
      .tcp({ ...edgeLabels({ reporter: 'source', src: mig, csp: 'unknown' }) }, zA, { opened: 6, sent: 6, received: 6 })
      .build();
    const g = buildMeshGraph(k, t);
    const byName = Object.fromEntries(g.nodes.filter((n) => n.namespace === 'unknown').map((n) => [n.name, n]));
    expect(byName.PassthroughCluster).toMatchObject({ kind: 'service', egress: 'passthrough', id: 'service:Kubernetes/unknown/PassthroughCluster' });
    expect(byName.BlackHoleCluster).toMatchObject({ kind: 'service', egress: 'blackhole' });
    expect(byName.unknown).toMatchObject({ kind: 'unknown' });
    const into = (id: string) => g.edges.find((e) => e.target === id)!;
    expect(into('service:Kubernetes/unknown/PassthroughCluster').rates.connectionsPerSec).toBeCloseTo(0.1, 10);
    expect(into('service:Kubernetes/unknown/BlackHoleCluster').rates.errorRate).toBe(1);
    // a close-only series carries no scrape target, yet only Envoy names these clusters: no guess
    const closedOnly = buildMeshGraph(k, new TelemetryBuilder('none').add('tcpClosed', { ...out('BlackHoleCluster'), response_flags: 'UH' }, 15).build());
    expect(closedOnly.edges[0]!.reporters).toEqual([{ reporter: 'source', proxy: 'envoy', rule: 'series-labels', targets: [] }]);
    expect(closedOnly.edges[0]!.attributionGuessed).toBeUndefined();
    expect(into('unknown:Kubernetes/unknown/unknown').rates.connectionsPerSec).toBeCloseTo(0.01, 10);
  });
});

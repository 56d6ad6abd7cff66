// Rule-by-rule graph tests on small inline meshes (docs/classification.md §3.1–§3.6, node identity, filters).
import { describe, expect, it } from 'vitest';
import { buildMeshGraph } from './build';
import { nodeId } from './ids';
import {
  ambientPod,
  edgeLabels,
  ingressGatewayPod,
  kube,
  namespace,
  plainPod,
  service,
  sidecarPod,
  TelemetryBuilder,
  waypointGateway,
  waypointPod,
  ztunnelPod,
} from './testing/fixtures';
import {
  H_ZTUNNEL_SOURCE_SENT,
  I_ZTUNNEL_DEST_RECEIVED,
  I_ZTUNNEL_SOURCE_UNKNOWN_DEST,
  J_WAYPOINT_REQUESTS,
  K_SIDECAR_CLIENT_CLOSED,
  pick,
} from './testing/real-series';
import { EDGE_LABELS, TARGET_LABELS, type KubeSnapshot, type TelemetryInput } from './types';

const W = (ns: string, name: string) => nodeId('workload', 'Kubernetes', ns, name);
const zA = ztunnelPod('ztunnel-a', '10.0.0.2', 'a');
const zB = ztunnelPod('ztunnel-b', '10.0.1.2', 'b');
const http = [{ name: 'http', port: 80 }];

/** ns "app": client sidecar `sc`, client ambient `amb`, server sidecar `srv` (2 pods), ambient `api`,
 *  ns "wp": waypoint `wp` serving services `v` (backends v1, v2) and `one` (backend one). */
function mesh(extra: Partial<KubeSnapshot> = {}): KubeSnapshot {
  return kube({
    namespaces: [
      namespace('app', { 'istio-injection': 'enabled' }),
      namespace('amb', { 'istio.io/dataplane-mode': 'ambient' }),
      namespace('wp', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'wp' }),
      namespace('idle'),
    ],
    pods: [
      zA,
      zB,
      sidecarPod({ namespace: 'app', name: 'sc-1', workload: 'sc', ip: '10.0.0.10', node: 'a' }),
      sidecarPod({ namespace: 'app', name: 'srv-1', workload: 'srv', ip: '10.0.0.11', node: 'a' }),
      sidecarPod({ namespace: 'app', name: 'srv-2', workload: 'srv', ip: '10.0.1.11', node: 'b' }),
      ambientPod({ namespace: 'amb', name: 'amb-1', workload: 'amb', ip: '10.0.0.20', node: 'a' }),
      ambientPod({ namespace: 'amb', name: 'api-1', workload: 'api', ip: '10.0.1.20', node: 'b' }),
      waypointPod({ namespace: 'wp', gateway: 'wp', name: 'wp-1', ip: '10.0.0.30', node: 'a' }),
      ambientPod({ namespace: 'wp', name: 'v1-1', workload: 'v1', ip: '10.0.1.31', node: 'b', labels: { app: 'v', version: 'v1' } }),
      ambientPod({ namespace: 'wp', name: 'v2-1', workload: 'v2', ip: '10.0.1.32', node: 'b', labels: { app: 'v', version: 'v2' } }),
      ambientPod({ namespace: 'wp', name: 'one-1', workload: 'one', ip: '10.0.1.33', node: 'b' }),
      ambientPod({ namespace: 'idle', name: 'quiet-1', workload: 'quiet', ip: '10.0.1.40', node: 'b' }),
    ],
    services: [
      service('app', 'srv', { app: 'srv' }, http),
      service('app', 'grpc-svc', { app: 'sc' }, [{ name: 'grpc', port: 9090 }]),
      service('amb', 'api', { app: 'api' }, http),
      service('wp', 'v', { app: 'v' }, http),
      service('wp', 'one', { app: 'one' }, [{ name: 'tcp-db', port: 5432 }]),
    ],
    gateways: [waypointGateway('wp', 'wp')],
    ...extra,
  });
}
const sc = { workload: 'sc', namespace: 'app' };
const srv = { workload: 'srv', namespace: 'app' };
const amb = { workload: 'amb', namespace: 'amb' };
const api = { workload: 'api', namespace: 'amb' };
const wp = { workload: 'wp', namespace: 'wp' };
const v1 = { workload: 'v1', namespace: 'wp' };
const v2 = { workload: 'v2', namespace: 'wp' };
const one = { workload: 'one', namespace: 'wp' };
const pods = (k: KubeSnapshot) => Object.fromEntries(k.pods.map((p) => [p.name, p]));

function graphOf(k: KubeSnapshot, t: TelemetryInput, opts = {}) {
  const g = buildMeshGraph(k, t, opts);
  return { g, edge: (s: string, d: string) => g.edges.find((e) => e.source === s && e.target === d) };
}

describe('§3.2 no double counting', () => {
  const k = mesh();
  const p = pods(k);
  it('requests from destination, not source + destination; several destination pods are summed', () => {
    const t = new TelemetryBuilder('labels')
      .requests(edgeLabels({ reporter: 'source', src: sc, dst: srv, service: { name: 'srv', namespace: 'app' }, csp: 'unknown' }), p['sc-1']!, { '200': 1200 })
      .requests(edgeLabels({ reporter: 'destination', src: sc, dst: srv, service: { name: 'srv', namespace: 'app' }, csp: 'mutual_tls' }), p['srv-1']!, {
        '200': 500,
        '503': 100,
      })
      .requests(edgeLabels({ reporter: 'destination', src: sc, dst: srv, service: { name: 'srv', namespace: 'app' }, csp: 'mutual_tls' }), p['srv-2']!, {
        '200': 600,
      })
      .build();
    const e = graphOf(k, t).edge(W('app', 'sc'), W('app', 'srv'))!;
    expect(e.rates.rps).toBeCloseTo(1200 / 600, 12); // 500+100+600, not 2400
    expect(e.rates.errorRate).toBeCloseTo(100 / 1200, 12);
    expect(e.rateSources).toEqual({ l7: 'destination' });
    expect(e.reporters!.find((r) => r.reporter === 'destination')!.targets).toEqual(['srv-1', 'srv-2']);
  });
  it('source only when nothing else reported', () => {
    const t = new TelemetryBuilder('labels')
      .requests(edgeLabels({ reporter: 'source', src: sc, dst: api, service: { name: 'api', namespace: 'amb' }, csp: 'unknown' }), p['sc-1']!, { '200': 60 })
      .build();
    expect(graphOf(k, t).edge(W('app', 'sc'), W('amb', 'api'))!.rateSources).toEqual({ l7: 'source' });
  });
  it('bytes and connections prefer the server side', () => {
    const t = new TelemetryBuilder('labels')
      .tcp(edgeLabels({ reporter: 'source', src: amb, dst: api, service: { name: 'api', namespace: 'amb' }, csp: 'mutual_tls' }), zA, {
        opened: 999,
        sent: 999,
        received: 999,
      })
      .tcp(edgeLabels({ reporter: 'destination', src: amb, dst: api, service: { name: 'api', namespace: 'amb' }, csp: 'mutual_tls' }), zB, {
        opened: 60,
        sent: 600,
        received: 1200,
      })
      .build();
    const e = graphOf(k, t).edge(W('amb', 'amb'), W('amb', 'api'))!;
    expect(e.rates).toMatchObject({ connectionsPerSec: 0.1, responseBytesPerSec: 1, requestBytesPerSec: 2 });
    expect(e.rateSources).toEqual({ l4: 'destination' });
  });
  it('waypoint beats a sidecar backend that also reports (sidecar-backed service with a waypoint)', () => {
    const kk = mesh({
      namespaces: [namespace('app', { 'istio.io/use-waypoint': 'wp', 'istio.io/use-waypoint-namespace': 'wp' }), namespace('amb'), namespace('wp')],
    });
    const pp = pods(kk);
    const t = new TelemetryBuilder('labels')
      .requests(edgeLabels({ reporter: 'waypoint', src: amb, dst: srv, service: { name: 'srv', namespace: 'app' }, csp: 'mutual_tls' }), pp['wp-1']!, {
        '200': 600,
      })
      .requests(edgeLabels({ reporter: 'destination', src: wp, dst: srv, service: { name: 'srv', namespace: 'app' }, csp: 'mutual_tls' }), pp['srv-1']!, {
        '200': 600,
      })
      .build();
    const { g, edge } = graphOf(kk, t);
    expect(g.edges).toHaveLength(1);
    const e = edge(W('amb', 'amb'), W('app', 'srv'))!;
    expect(e).toMatchObject({ path: 'waypoint', waypoint: 'wp/wp', rates: { rps: 1 }, rateSources: { l7: 'waypoint' } });
    expect(e.reporters!.map((r) => `${r.reporter}/${r.proxy}`)).toEqual(['destination/envoy', 'waypoint/waypoint']);
  });
});

describe('§3.3 waypoint hops are folded', () => {
  const k = mesh();
  const p = pods(k);
  const svcV = { name: 'v', namespace: 'wp' };
  function tel() {
    return new TelemetryBuilder('labels')
      .requests(edgeLabels({ reporter: 'waypoint', src: amb, dst: v1, service: svcV, csp: 'mutual_tls' }), p['wp-1']!, { '200': 300 })
      .requests(edgeLabels({ reporter: 'waypoint', src: amb, dst: v2, service: svcV, csp: 'mutual_tls' }), p['wp-1']!, { '200': 300 })
      .tcp(edgeLabels({ reporter: 'source', src: amb, dst: wp, service: svcV, csp: 'mutual_tls' }), zA, { opened: 60, sent: 60, received: 60 })
      .tcp(edgeLabels({ reporter: 'destination', src: wp, dst: v1, service: svcV, csp: 'mutual_tls' }), zB, { opened: 30, sent: 30, received: 30 })
      .tcp(edgeLabels({ reporter: 'destination', src: wp, dst: v2, service: svcV, csp: 'mutual_tls' }), zB, { opened: 30, sent: 30, received: 30 })
      .build();
  }
  it('legs never become ambient edges; one folded edge per backend', () => {
    const { g } = graphOf(k, tel());
    expect(g.edges.map((e) => [e.source, e.target, e.path])).toEqual([
      [W('amb', 'amb'), W('wp', 'v1'), 'waypoint'],
      [W('amb', 'amb'), W('wp', 'v2'), 'waypoint'],
    ]);
    expect(g.nodes.some((n) => n.kind === 'waypoint')).toBe(false);
  });
  it('a client leg shared by several backends is not attributable: no L4 numbers', () => {
    const { edge } = graphOf(k, tel());
    const e = edge(W('amb', 'amb'), W('wp', 'v1'))!;
    expect(e.rates.connectionsPerSec).toBeUndefined();
    expect(e.rateSources).toEqual({ l7: 'waypoint' });
    expect(e.reporters!.map((r) => `${r.reporter}/${r.proxy}/${r.rule}`)).toEqual([
      'destination/ztunnel/scrape-labels',
      'source/ztunnel/scrape-labels',
      'waypoint/waypoint/waypoint',
    ]);
  });
  it('a client leg with a single backend gives the L4 numbers', () => {
    const t = new TelemetryBuilder('labels')
      .requests(edgeLabels({ reporter: 'waypoint', src: amb, dst: v1, service: svcV, csp: 'mutual_tls' }), p['wp-1']!, { '200': 300 })
      .tcp(edgeLabels({ reporter: 'source', src: amb, dst: wp, service: svcV, csp: 'mutual_tls' }), zA, { opened: 60, sent: 60, received: 120 })
      .build();
    const e = graphOf(k, t).edge(W('amb', 'amb'), W('wp', 'v1'))!;
    expect(e.rates).toMatchObject({ rps: 0.5, connectionsPerSec: 0.1, requestBytesPerSec: 0.2 });
    expect(e.rateSources).toEqual({ l7: 'waypoint', l4: 'source' });
  });
  it("TCP through a waypoint: L4 from the waypoint's own TCP series; client leg alone maps via the Service", () => {
    const svcOne = { name: 'one', namespace: 'wp' };
    const t = new TelemetryBuilder('labels')
      .tcp(edgeLabels({ reporter: 'waypoint', src: amb, dst: one, service: svcOne, csp: 'mutual_tls' }), p['wp-1']!, { opened: 6, sent: 6, received: 6 })
      .tcp(edgeLabels({ reporter: 'source', src: amb, dst: wp, service: svcOne, csp: 'mutual_tls' }), zA, { opened: 60, sent: 60, received: 60 })
      .build();
    const e = graphOf(k, t).edge(W('amb', 'amb'), W('wp', 'one'))!;
    expect(e).toMatchObject({
      path: 'waypoint',
      telemetry: 'l4',
      protocol: 'tcp',
      l7Gap: false,
      rates: { connectionsPerSec: 0.01 },
      rateSources: { l4: 'waypoint' },
    });
    const onlyLeg = new TelemetryBuilder('labels')
      .tcp(edgeLabels({ reporter: 'source', src: amb, dst: wp, service: svcOne, csp: 'mutual_tls' }), zA, { opened: 60, sent: 60, received: 60 })
      .build();
    const e2 = graphOf(k, onlyLeg).edge(W('amb', 'amb'), W('wp', 'one'))!;
    expect(e2).toMatchObject({ path: 'waypoint', waypoint: 'wp/wp', mtls: 'mutual', rates: { connectionsPerSec: 0.1 } });
  });
  it('a server leg with no known client stays a waypoint leg, never an ambient edge', () => {
    const t = new TelemetryBuilder('labels')
      .tcp(edgeLabels({ reporter: 'destination', src: wp, dst: v1, service: svcV, csp: 'mutual_tls' }), zB, { opened: 30, sent: 30, received: 30 })
      .build();
    const { g } = graphOf(k, t);
    expect(g.edges.map((e) => [e.source, e.target, e.path, e.leg])).toEqual([
      [nodeId('waypoint', 'Kubernetes', 'wp', 'wp'), W('wp', 'v1'), 'waypoint', 'from-waypoint'],
    ]);
  });
  it('expanded view: client → waypoint → servers with legs', () => {
    const { g } = graphOf(k, tel(), { expandWaypoints: true });
    const WP = nodeId('waypoint', 'Kubernetes', 'wp', 'wp');
    expect(g.edges.map((e) => [e.source, e.target, e.leg])).toEqual([
      [WP, W('wp', 'v1'), 'from-waypoint'],
      [WP, W('wp', 'v2'), 'from-waypoint'],
      [W('amb', 'amb'), WP, 'to-waypoint'],
    ]);
    expect(g.edges[2]!.rates).toMatchObject({ rps: 1, connectionsPerSec: 0.1 });
    expect(g.edges[0]!.rates).toMatchObject({ rps: 0.5, connectionsPerSec: 0.05 });
  });
  it('(j) waypoint series: the waypoint is identified from the scrape target', () => {
    const k2 = kube({
      namespaces: [namespace('istio-workloads-lab')],
      pods: [
        waypointPod({ namespace: 'istio-workloads-lab', gateway: 'waypoint', name: 'waypoint-565898c798-hjdcp', ip: '10.205.64.152' }),
        ambientPod({ namespace: 'istio-workloads-lab', name: 'productpage-v1-x', workload: 'productpage-v1', labels: { app: 'productpage' } }),
      ],
      services: [service('istio-workloads-lab', 'productpage', { app: 'productpage' }, [{ name: 'http', port: 9080 }])],
      gateways: [waypointGateway('istio-workloads-lab', 'waypoint')],
    });
    const edge = {
      ...pick(J_WAYPOINT_REQUESTS, EDGE_LABELS),
      source_workload: 'client',
      source_workload_namespace: 'istio-workloads-lab',
      source_cluster: 'Kubernetes',
    };
    const t: TelemetryInput = {
      window: { start: '2026-11-21T21:00:00Z', end: '2026-11-21T21:01:00Z' },
      samples: [{ metric: 'requests', labels: { ...edge, request_protocol: 'http', response_code: '200' }, value: 60 }],
      reporterTargets: [{ labels: { ...edge, ...pick(J_WAYPOINT_REQUESTS, TARGET_LABELS) } }],
      warnings: [],
      available: true,
    };
    const g = buildMeshGraph(k2, t, {});
    expect(g.edges[0]).toMatchObject({
      path: 'waypoint',
      waypoint: 'istio-workloads-lab/waypoint',
      telemetry: 'l7',
      protocol: 'http',
      mtls: 'mutual',
      rates: { rps: 1 },
    });
    expect(g.edges[0]!.reporters).toEqual([{ reporter: 'waypoint', proxy: 'waypoint', rule: 'waypoint', targets: ['waypoint-565898c798-hjdcp'] }]);
    expect(g.nodes.find((n) => n.id === nodeId('workload', 'Kubernetes', 'istio-workloads-lab', 'client'))).toMatchObject({ telemetryOnly: true });
  });
  it('pre-1.22 waypoint (reporter=destination from the waypoint pod) is folded like reporter=waypoint', () => {
    const t = new TelemetryBuilder('labels')
      .requests(edgeLabels({ reporter: 'destination', src: amb, dst: v1, service: svcV, csp: 'mutual_tls' }), p['wp-1']!, { '200': 300 })
      .durations(edgeLabels({ reporter: 'destination', src: amb, dst: v1, service: svcV, csp: 'mutual_tls' }), p['wp-1']!, [
        ['10', 150],
        ['+Inf', 300],
      ])
      .tcp(edgeLabels({ reporter: 'source', src: amb, dst: wp, service: svcV, csp: 'mutual_tls' }), zA, { opened: 60, sent: 60, received: 60 })
      .build();
    const { g } = graphOf(k, t);
    expect(g.edges).toHaveLength(1);
    expect(g.edges[0]).toMatchObject({
      target: W('wp', 'v1'),
      path: 'waypoint',
      waypoint: 'wp/wp',
      rates: { rps: 0.5, p50Ms: 10, connectionsPerSec: 0.1 },
      rateSources: { l7: 'waypoint', l4: 'source' },
    });
    expect(g.edges[0]!.reporters).toContainEqual({ reporter: 'destination', proxy: 'waypoint', rule: 'scrape-labels', targets: ['wp-1'] });
  });
  it('waypoint series but no waypoint Gateway known → warning, still a waypoint edge', () => {
    const t = new TelemetryBuilder('labels')
      .requests(edgeLabels({ reporter: 'waypoint', src: amb, dst: api, service: { name: 'api', namespace: 'amb' }, csp: 'mutual_tls' }), p['wp-1']!, {
        '200': 60,
      })
      .build();
    const { g } = graphOf(mesh({ gateways: [] }), t);
    expect(g.edges[0]).toMatchObject({ path: 'waypoint', mtls: 'mutual' });
    expect(g.edges[0]!.waypoint).toBeUndefined();
    expect(g.warnings.map((w) => w.message).filter((m) => /waypoint/.test(m))).toEqual([
      'reporter="waypoint" series exist but no waypoint Gateway (class istio-waypoint) is known',
    ]);
  });
});

describe('node identity', () => {
  it('(k) unknown destination workload with a destination_service → service node named by the host', () => {
    const k = kube({ pods: [sidecarPod({ namespace: 'example-test-dev', name: 'smt-1', workload: 'session-manager-test-dev', ip: '10.1.0.1' })] });
    const t: TelemetryInput = {
      window: { start: '2026-11-21T21:00:00Z', end: '2026-11-21T21:01:28Z' },
      samples: [{ metric: 'tcpClosed', labels: pick(K_SIDECAR_CLIENT_CLOSED, [...EDGE_LABELS, 'response_flags']), value: 88 }],
      reporterTargets: [],
      warnings: [],
      available: true,
    };
    const g = buildMeshGraph(k, t, {});
    const target = nodeId('service', 'Kubernetes', 'example-test-dev', 'redis-sessman-master');
    expect(g.edges[0]).toMatchObject({
      target,
      path: 'sidecar',
      telemetry: 'l4',
      mtls: 'unknown',
      protocol: 'tcp',
      rates: { failedConnectionsPerSec: 1 },
      failuresByFlag: { UH: 1 },
    });
    expect(g.nodes.find((n) => n.id === target)).toMatchObject({
      kind: 'service',
      host: 'redis-sessman-master.example-test-dev.svc.cluster.local',
      telemetryOnly: true,
    });
  });
  it('(i) nothing known about the destination → unknown node; ztunnel never a node', () => {
    const k = kube({ pods: [ztunnelPod('ztunnel-vbzsb', '10.244.0.8', 'n'), ambientPod({ namespace: 'ambient', name: 'debugbox-1', workload: 'debugbox' })] });
    const edge = pick(I_ZTUNNEL_SOURCE_UNKNOWN_DEST, EDGE_LABELS);
    const t: TelemetryInput = {
      window: { start: '2026-11-21T21:00:00Z', end: '2026-11-21T21:01:00Z' },
      samples: [{ metric: 'tcpSentBytes', labels: edge, value: 600 }],
      reporterTargets: [{ labels: pick(I_ZTUNNEL_SOURCE_UNKNOWN_DEST, [...EDGE_LABELS, ...TARGET_LABELS]) }],
      warnings: [],
      available: true,
    };
    const g = buildMeshGraph(k, t, {});
    expect(g.edges[0]).toMatchObject({
      source: W('ambient', 'debugbox'),
      target: nodeId('unknown', 'Kubernetes', 'unknown', 'unknown'),
      path: 'ambient',
      mtls: 'plaintext',
      protocol: 'unknown',
      rates: { responseBytesPerSec: 10 },
    });
    expect(g.nodes.map((n) => n.kind).sort()).toEqual(['unknown', 'workload']);
  });
  it('(i) gateway source (Gateway API ingress) is a gateway node; (h) edge without destination_service uses the services of the destination workload', () => {
    const gw = plainPod({
      namespace: 'server',
      name: 'gateway-istio-1',
      workload: 'gateway-istio',
      labels: { 'gateway.istio.io/managed': 'istio.io-gateway-controller' },
    });
    const k = kube({
      pods: [
        ztunnelPod('ztunnel-6f5cp', '10.68.2.42', 'n'),
        gw,
        ambientPod({ namespace: 'server', name: 'echo-v2-1', workload: 'echo-v2', labels: { app: 'echo' } }),
        ambientPod({ namespace: 'default', name: 'sleep-1', workload: 'sleep' }),
        ambientPod({ namespace: 'default', name: 'hw-1', workload: 'helloworld-v2-same-node', labels: { app: 'helloworld' } }),
      ],
      services: [
        service('server', 'echo', { app: 'echo' }, [{ name: 'http', port: 80 }]),
        service('default', 'helloworld', { app: 'helloworld' }, [{ name: 'http', port: 5000 }]),
      ],
    });
    const t: TelemetryInput = {
      window: { start: '2026-11-21T21:00:00Z', end: '2026-11-21T21:01:00Z' },
      samples: [
        { metric: 'tcpReceivedBytes', labels: pick(I_ZTUNNEL_DEST_RECEIVED, EDGE_LABELS), value: 17738454 },
        { metric: 'tcpSentBytes', labels: pick(H_ZTUNNEL_SOURCE_SENT, EDGE_LABELS), value: 225 },
      ],
      reporterTargets: [{ labels: pick(I_ZTUNNEL_DEST_RECEIVED, [...EDGE_LABELS, ...TARGET_LABELS]) }],
      warnings: [],
      available: true,
    };
    const g = buildMeshGraph(k, t, {});
    const gwEdge = g.edges.find((e) => e.source === nodeId('gateway', 'Kubernetes', 'server', 'gateway-istio'))!;
    expect(gwEdge).toMatchObject({
      target: W('server', 'echo-v2'),
      path: 'ambient',
      mtls: 'mutual',
      protocol: 'http',
      protocolSource: 'service-port',
      l7Gap: true,
      services: [],
    });
    expect(gwEdge.rates.requestBytesPerSec).toBeCloseTo(17738454 / 60, 6);
    const hEdge = g.edges.find((e) => e.source === W('default', 'sleep'))!;
    expect(hEdge).toMatchObject({ target: W('default', 'helloworld-v2-same-node'), path: 'ambient', protocol: 'http', l7Gap: true, attributionGuessed: true });
  });
  it('an ingress gateway pod (§5 e) reporting L7 → gateway node, path from its Envoy', () => {
    const gwPod = ingressGatewayPod({ name: 'istio-ingressgateway-1', ip: '10.0.0.99' });
    const k = mesh({ pods: [...mesh().pods, gwPod], services: [...mesh().services] });
    const gwPeer = { workload: 'istio-ingressgateway', namespace: 'istio-system' };
    const t = new TelemetryBuilder('instance')
      .requests(
        edgeLabels({ reporter: 'source', src: gwPeer, dst: srv, service: { name: 'srv', namespace: 'app' }, csp: 'unknown' }),
        gwPod,
        { '200': 60 },
        'grpc',
      )
      .build();
    const e = buildMeshGraph(k, t, {}).edges[0]!;
    expect(e).toMatchObject({
      source: nodeId('gateway', 'Kubernetes', 'istio-system', 'istio-ingressgateway'),
      path: 'sidecar',
      protocol: 'grpc',
      protocolSource: 'telemetry',
      mtls: 'unknown',
    });
    expect(e.reporters).toEqual([{ reporter: 'source', proxy: 'envoy', rule: 'instance-ip', targets: ['istio-ingressgateway-1'] }]);
  });
});

describe('multi-cluster', () => {
  it('a peer in another cluster is never matched against local Kubernetes objects', () => {
    const k = mesh();
    const t = new TelemetryBuilder('labels')
      .tcp({ ...edgeLabels({ reporter: 'destination', src: amb, dst: api, csp: 'mutual_tls' }), source_cluster: 'east' }, zB, {
        opened: 6,
        sent: 6,
        received: 6,
      })
      .build();
    const g = buildMeshGraph(k, t, {});
    expect(g.edges[0]!.source).toBe(nodeId('workload', 'east', 'amb', 'amb'));
    expect(g.nodes.find((n) => n.id === nodeId('workload', 'east', 'amb', 'amb'))).toMatchObject({ telemetryOnly: true });
  });
});

describe('§3.6 mode as of the window', () => {
  it('ztunnel reported inbound for a workload that has a sidecar today → mode changed since', () => {
    const k = mesh();
    const t = new TelemetryBuilder('labels')
      .tcp(edgeLabels({ reporter: 'destination', src: amb, dst: srv, csp: 'mutual_tls' }), zA, { opened: 6, sent: 6, received: 6 })
      .build();
    const g = buildMeshGraph(k, t, {});
    expect(g.nodes.find((n) => n.id === W('app', 'srv'))).toMatchObject({ mode: 'sidecar', modeInWindow: 'ambient', modeChanged: true });
    expect(g.edges[0]!.path).toBe('ambient');
  });
  it('a guessed attribution proves nothing', () => {
    const k = mesh();
    const t = new TelemetryBuilder('none')
      .tcp(edgeLabels({ reporter: 'destination', src: amb, dst: api, csp: 'mutual_tls' }), zB, { opened: 6, sent: 6, received: 6 })
      .build();
    const g = buildMeshGraph(k, t, {});
    expect(g.nodes.find((n) => n.id === W('amb', 'api'))!.modeInWindow).toBeUndefined();
    expect(g.edges[0]).toMatchObject({ attributionGuessed: true });
    expect(g.edges[0]!.reporters![0]!.rule).toBe('current-mode');
  });
});

describe('namespace filter and idle workloads', () => {
  const k = mesh();
  const p = pods(k);
  const t = new TelemetryBuilder('labels')
    .requests(edgeLabels({ reporter: 'destination', src: amb, dst: srv, service: { name: 'srv', namespace: 'app' }, csp: 'mutual_tls' }), p['srv-1']!, {
      '200': 60,
    })
    .tcp(edgeLabels({ reporter: 'destination', src: amb, dst: api, service: { name: 'api', namespace: 'amb' }, csp: 'mutual_tls' }), zB, {
      opened: 6,
      sent: 6,
      received: 6,
    })
    .build();
  it('no filter: every application workload is a node, even idle ones', () => {
    const ids = buildMeshGraph(k, t, {}).nodes.map((n) => n.id);
    expect(ids).toEqual([W('amb', 'amb'), W('amb', 'api'), W('app', 'sc'), W('app', 'srv'), W('idle', 'quiet'), W('wp', 'one'), W('wp', 'v1'), W('wp', 'v2')]);
  });
  it('filter: edges touching the namespace plus peers; idle workloads of the namespace only', () => {
    const g = buildMeshGraph(k, t, { namespaces: ['app'] });
    expect(g.edges.map((e) => e.target)).toEqual([W('app', 'srv')]);
    expect(g.nodes.map((n) => n.id)).toEqual([W('amb', 'amb'), W('app', 'sc'), W('app', 'srv')]);
  });
});

describe('protocol and L7 gap', () => {
  const k = mesh();
  it('L4-only edge to an http Service is an L7 gap; to a tcp Service it is not', () => {
    const t = new TelemetryBuilder('labels')
      .tcp(edgeLabels({ reporter: 'destination', src: amb, dst: api, service: { name: 'api', namespace: 'amb' }, csp: 'mutual_tls' }), zB, {
        opened: 6,
        sent: 6,
        received: 6,
      })
      .tcp(edgeLabels({ reporter: 'destination', src: amb, dst: one, service: { name: 'one', namespace: 'wp' }, csp: 'unknown' }), zB, {
        opened: 6,
        sent: 6,
        received: 6,
      })
      .build();
    const { edge } = graphOf(k, t);
    expect(edge(W('amb', 'amb'), W('amb', 'api'))).toMatchObject({ protocol: 'http', protocolSource: 'service-port', telemetry: 'l4', l7Gap: true });
    expect(edge(W('amb', 'amb'), W('wp', 'one'))).toMatchObject({ protocol: 'tcp', l7Gap: false, mtls: 'plaintext' });
  });
  it('L7 edge takes the protocol from request_protocol', () => {
    const t = new TelemetryBuilder('labels')
      .requests(edgeLabels({ reporter: 'destination', src: amb, dst: sc, csp: 'mutual_tls' }), pods(k)['sc-1']!, { '0': 10 }, 'grpc')
      .build();
    expect(graphOf(k, t).edge(W('amb', 'amb'), W('app', 'sc'))).toMatchObject({
      protocol: 'grpc',
      protocolSource: 'telemetry',
      l7Gap: false,
      rates: { errorRate: 1 },
    });
  });
  it('no Service and nothing in telemetry → unknown', () => {
    const t = new TelemetryBuilder('labels')
      .tcp(edgeLabels({ reporter: 'destination', src: amb, dst: { workload: 'quiet', namespace: 'idle' }, csp: 'mutual_tls' }), zB, {
        opened: 6,
        sent: 6,
        received: 6,
      })
      .build();
    expect(graphOf(k, t).edge(W('amb', 'amb'), W('idle', 'quiet'))).toMatchObject({ protocol: 'unknown', protocolSource: 'none', l7Gap: false });
  });
});

describe('partial L7 and mixed workloads', () => {
  const k = kube({
    pods: [
      zB,
      sidecarPod({ namespace: 'm', name: 'mw-1', workload: 'mw', ip: '10.0.1.50', node: 'b' }),
      ambientPod({ namespace: 'm', name: 'mw-2', workload: 'mw', ip: '10.0.1.51', node: 'b' }),
      sidecarPod({ namespace: 'app', name: 'sc-1', workload: 'sc', ip: '10.0.0.10' }),
    ],
    services: [service('m', 'mw', { app: 'mw' }, http)],
  });
  const mw = { workload: 'mw', namespace: 'm' };
  const pp = pods(k);
  it('a full client-side L7 beats a partial server side', () => {
    const t = new TelemetryBuilder('labels')
      .requests(edgeLabels({ reporter: 'source', src: sc, dst: mw, service: { name: 'mw', namespace: 'm' }, csp: 'unknown' }), pp['sc-1']!, { '200': 1200 })
      .requests(edgeLabels({ reporter: 'destination', src: sc, dst: mw, service: { name: 'mw', namespace: 'm' }, csp: 'mutual_tls' }), pp['mw-1']!, {
        '200': 600,
      })
      .tcp(edgeLabels({ reporter: 'destination', src: sc, dst: mw, service: { name: 'mw', namespace: 'm' }, csp: 'mutual_tls' }), zB, {
        opened: 60,
        sent: 6,
        received: 6,
      })
      .build();
    const e = buildMeshGraph(k, t, {}).edges[0]!;
    expect(e).toMatchObject({ path: 'mixed', rates: { rps: 2 }, rateSources: { l7: 'source', l4: 'destination' } });
    expect(e.partialL7).toBeUndefined();
  });
});

describe('warnings', () => {
  it('passes source warnings through and flags address-less waypoints', () => {
    const k = mesh({ gateways: [waypointGateway('wp', 'wp', { addresses: [] })], warnings: [{ source: 'kubernetes', message: 'no Gateway API CRDs' }] });
    const t = { ...new TelemetryBuilder('labels').build(), warnings: [{ source: 'prometheus' as const, message: 'slow' }] };
    const msgs = buildMeshGraph(k, t, {}).warnings.map((w) => w.message);
    expect(msgs).toEqual(['no Gateway API CRDs', 'slow', 'waypoint wp/wp has no status address: istiod ignores it']);
  });
});

// The series every simulated proxy exposes, as cumulative counters at any time t.
//
// Ground truth: docs/istio-telemetry.md §2, §4 and §7 (docs/demo-mesh.md lists what each edge emits). Summary:
//   * Envoy (sidecar, gateway, waypoint) — Envoy label set/order (25 labels, §2.1); app/version from
//     the peer's `app`/`version` pod labels, canonical revision fallback `latest`.
//       client sidecar / gateway: reporter="source", connection_security_policy="unknown";
//       server sidecar:           reporter="destination", mutual_tls (meshed client) or none (plaintext);
//       waypoint:                 reporter="waypoint", client → backend, mutual_tls.
//     Sidecars and gateways bypass waypoints; ingress-use-waypoint is not modelled (not set in the demo).
//     http: response_code + grpc_response_status=""; grpc: response_code="200" always, outcome in grpc_response_status.
//     Unknown addresses from a sidecar: PassthroughCluster (ALLOW_ANY; TCP: destination_service="unknown") or
//     BlackHoleCluster (REGISTRY_ONLY; only istio_tcp_connections_closed_total, response_flags="UH").
//   * ztunnel — ztunnel label set/order (§2.4) plus source/destination region/zone; app/version filled
//     from canonical service/revision; every unknown value is `unknown` (canonical revision included);
//     request_protocol always "tcp"; connection_security_policy mutual_tls (HBONE) or unknown (plain
//     TCP, inbound passthrough) — never none. Only istio_tcp_* (+ istio_tcp_connections_failed_total
//     with response_flags CONNECT during connection failures).
//       client ztunnel: reporter="source"; through a waypoint destination_workload = the waypoint,
//       destination_service = the target Service; server ztunnel: reporter="destination"; through a
//       waypoint source_workload = the waypoint and source_principal = the waypoint's SA.
//       Out-of-mesh clients: only the server-side ztunnel reports (source_principal unknown, `unknown`).
//   * Envoy emits istio_tcp_* only for TCP traffic (tcp_proxy); HTTP traffic yields istio_requests_total
//     and istio_request_duration_milliseconds (request/response size histograms are skipped).
//   * istio_build{component="proxy"|"ztunnel",tag=<version>} 1 on every proxy.
//
// Histogram buckets: a trimmed subset of Istio's defaults (to keep the backfill small), documented in
// DURATION_BUCKETS below.
//
// Counters = floor(∫ rate from the origin) evaluated in closed form (traffic.ts), so live scrapes continue
// the backfill exactly. Traffic of an edge is split evenly over (client pod × server pod) pairs alive at the
// time; each pair is reported by the proxies its modes imply; identical label sets on the same proxy sum.
import { allPods, clusterOf, type EdgeSpec, type PodModel, type ServiceModel, type Topology, type WorkloadModel, spiffe } from './topology';
import { buildTrafficModel, stateLatencyCdf, stateLatencyMean, type EdgeState, type EdgeTraffic, type TrafficModel } from './traffic';

/** Istio's default duration buckets are 0.5,1,5,10,25,50,100,250,500,1000,2500,5000,10000,30000,60000,300000,600000,1800000,3600000.
 * We emit this 11-bucket subset (+Inf = 12 `le` values): enough for p50/p95/p99 of the demo latencies. */
export const DURATION_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000];

export const ENVOY_LABELS = [
  'reporter',
  'source_workload',
  'source_canonical_service',
  'source_canonical_revision',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_principal',
  'destination_app',
  'destination_version',
  'destination_service',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_service_name',
  'destination_service_namespace',
  'destination_cluster',
  'request_protocol',
  'response_code',
  'grpc_response_status',
  'response_flags',
  'connection_security_policy',
] as const;

export const ZTUNNEL_LABELS = [
  'reporter',
  'source_workload',
  'source_canonical_service',
  'source_canonical_revision',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_cluster',
  'destination_service',
  'destination_service_namespace',
  'destination_service_name',
  'destination_workload',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_workload_namespace',
  'destination_principal',
  'destination_app',
  'destination_version',
  'destination_cluster',
  'request_protocol',
  'response_flags',
  'connection_security_policy',
  'source_region',
  'source_zone',
  'destination_region',
  'destination_zone',
] as const;

/** Closed connections trail opened ones by this many seconds. */
const CLOSE_LAG = 20;

export type ProxyRole = 'sidecar' | 'gateway' | 'waypoint' | 'ztunnel';

type Component =
  | { k: 'req'; code: string }
  | { k: 'bucket'; code: string; le: number }
  | { k: 'sum'; code: string }
  | { k: 'opened' }
  | { k: 'closedOk' }
  | { k: 'closedFail' }
  /** every connection attempt closes at once (BlackHoleCluster) */
  | { k: 'blocked' }
  | { k: 'failed' }
  | { k: 'sent' }
  | { k: 'recv' };

interface Term {
  e: EdgeTraffic;
  weight: number;
  from: number;
  to: number;
  c: Component;
}

interface PlannedSeries {
  /** Sample name, e.g. istio_requests_total, istio_request_duration_milliseconds_bucket. */
  name: string;
  family: string;
  labels: [string, string][];
  integer: boolean;
  terms: Term[];
  /** Index (in the proxy's series) of the series whose value must be > 0 for this one to exist. */
  gate: number;
  /** Constant gauge value (istio_build). */
  constant?: number;
}

export interface ProxyPlan {
  id: string;
  pod: PodModel;
  role: ProxyRole;
  series: PlannedSeries[];
}

export interface EmitPlan {
  topology: Topology;
  traffic: TrafficModel;
  anchor: number;
  /** keyed by "<namespace>/<pod>" */
  proxies: Map<string, ProxyPlan>;
}

interface Sample {
  name: string;
  labels: [string, string][];
  value: number;
}

// ---------------------------------------------------------------------------
// Peers and labels
// ---------------------------------------------------------------------------

interface Peer {
  /** Istio cluster name of the peer's pod (source_cluster / destination_cluster). */
  cluster: string;
  workload: string;
  namespace: string;
  sa: string;
  canonicalService: string;
  canonicalRevision: string;
  app?: string;
  version?: string;
  region: string;
  zone: string;
}

interface SvcLabels {
  host: string;
  name: string;
  namespace: string;
}

const UNKNOWN_SVC: SvcLabels = { host: 'unknown', name: 'unknown', namespace: 'unknown' };

function peerOf(t: Topology, pod: PodModel): Peer {
  const cluster = clusterOf(t, pod);
  const node = t.nodes.find((n) => n.name === pod.node && clusterOf(t, n) === cluster);
  return {
    cluster,
    workload: pod.workload,
    namespace: pod.namespace,
    sa: pod.serviceAccount,
    canonicalService: pod.labels['service.istio.io/canonical-name'] ?? pod.labels['app.kubernetes.io/name'] ?? pod.labels.app ?? pod.workload,
    canonicalRevision: pod.labels['service.istio.io/canonical-revision'] ?? pod.labels['app.kubernetes.io/version'] ?? pod.labels.version ?? 'latest',
    app: pod.labels.app,
    version: pod.labels.version,
    region: node?.region ?? 'unknown',
    zone: node?.zone ?? 'unknown',
  };
}

interface LabelInput {
  reporter: 'source' | 'destination' | 'waypoint';
  src?: Peer;
  dst?: Peer;
  srcPrincipal: boolean;
  dstPrincipal: boolean;
  svc: SvcLabels;
  protocol: 'http' | 'grpc' | 'tcp';
  /** HTTP response code (http and grpc; grpc calls answer 200 whatever their outcome). */
  code?: string;
  /** grpc-status of a grpc call ("0" OK, "14" UNAVAILABLE, …); empty for plain HTTP, as Envoy emits it. */
  grpcStatus?: string;
  flags: string;
  csp: 'mutual_tls' | 'none' | 'unknown';
}

function envoyLabels(t: Topology, i: LabelInput): [string, string][] {
  const u = 'unknown';
  const s = i.src;
  const d = i.dst;
  const l: [string, string][] = [
    ['reporter', i.reporter],
    ['source_workload', s?.workload ?? u],
    ['source_canonical_service', s?.canonicalService ?? u],
    ['source_canonical_revision', s?.canonicalRevision ?? 'latest'],
    ['source_workload_namespace', s?.namespace ?? u],
    ['source_principal', s && i.srcPrincipal ? spiffe(t, s.namespace, s.sa) : u],
    ['source_app', s?.app ?? u],
    ['source_version', s?.version ?? u],
    ['source_cluster', s?.cluster ?? u],
    ['destination_workload', d?.workload ?? u],
    ['destination_workload_namespace', d?.namespace ?? u],
    ['destination_principal', d && i.dstPrincipal ? spiffe(t, d.namespace, d.sa) : u],
    ['destination_app', d?.app ?? u],
    ['destination_version', d?.version ?? u],
    ['destination_service', i.svc.host],
    ['destination_canonical_service', d?.canonicalService ?? u],
    ['destination_canonical_revision', d?.canonicalRevision ?? 'latest'],
    ['destination_service_name', i.svc.name],
    ['destination_service_namespace', i.svc.namespace],
    ['destination_cluster', d?.cluster ?? u],
    ['request_protocol', i.protocol],
  ];
  if (i.protocol !== 'tcp') {
    l.push(['response_code', i.code ?? '200']);
    l.push(['grpc_response_status', i.grpcStatus ?? '']);
  }
  l.push(['response_flags', i.flags]);
  l.push(['connection_security_policy', i.csp]);
  return l;
}

function ztunnelLabels(t: Topology, i: LabelInput): [string, string][] {
  const u = 'unknown';
  const s = i.src;
  const d = i.dst;
  return [
    ['reporter', i.reporter],
    ['source_workload', s?.workload ?? u],
    ['source_canonical_service', s?.canonicalService ?? u],
    ['source_canonical_revision', s?.canonicalRevision ?? u],
    ['source_workload_namespace', s?.namespace ?? u],
    ['source_principal', s && i.srcPrincipal ? spiffe(t, s.namespace, s.sa) : u],
    ['source_app', s?.canonicalService ?? u],
    ['source_version', s?.canonicalRevision ?? u],
    ['source_cluster', s?.cluster ?? u],
    ['destination_service', i.svc.host],
    ['destination_service_namespace', i.svc.namespace],
    ['destination_service_name', i.svc.name],
    ['destination_workload', d?.workload ?? u],
    ['destination_canonical_service', d?.canonicalService ?? u],
    ['destination_canonical_revision', d?.canonicalRevision ?? u],
    ['destination_workload_namespace', d?.namespace ?? u],
    ['destination_principal', d && i.dstPrincipal ? spiffe(t, d.namespace, d.sa) : u],
    ['destination_app', d?.canonicalService ?? u],
    ['destination_version', d?.canonicalRevision ?? u],
    ['destination_cluster', d?.cluster ?? u],
    ['request_protocol', 'tcp'],
    ['response_flags', i.flags],
    ['connection_security_policy', i.csp],
    ['source_region', s?.region ?? u],
    ['source_zone', s?.zone ?? u],
    ['destination_region', d?.region ?? u],
    ['destination_zone', d?.zone ?? u],
  ];
}

// ---------------------------------------------------------------------------
// Plan construction
// ---------------------------------------------------------------------------

class PlanBuilder {
  readonly proxies = new Map<string, ProxyPlan>();
  private readonly index = new Map<ProxyPlan, Map<string, number>>();

  constructor(
    readonly t: Topology,
    pods: PodModel[],
  ) {
    for (const p of pods) {
      if (!p.proxy) continue;
      const role: ProxyRole = p.proxy === 'ztunnel' ? 'ztunnel' : p.role === 'waypoint' ? 'waypoint' : p.role === 'gateway' ? 'gateway' : 'sidecar';
      const plan: ProxyPlan = { id: `${p.namespace}/${p.name}`, pod: p, role, series: [] };
      // one /proxies/<namespace>/<pod> path per proxy, whatever its cluster
      if (this.proxies.has(plan.id)) throw new Error(`two proxies named ${plan.id} (pod names must be unique across clusters)`);
      this.proxies.set(plan.id, plan);
      this.index.set(plan, new Map());
      const component = role === 'ztunnel' ? 'ztunnel' : 'proxy';
      this.add(
        plan,
        'istio_build',
        'istio_build',
        [
          ['component', component],
          ['tag', p.proxyVersion ?? t.istioVersion],
        ],
        false,
        undefined,
        -1,
        1,
      );
    }
  }

  /** Adds (or extends) a series; returns its index. gate = -1 → self. */
  add(
    plan: ProxyPlan,
    name: string,
    family: string,
    labels: [string, string][],
    integer: boolean,
    term: Term | undefined,
    gate: number,
    constant?: number,
  ): number {
    const idx = this.index.get(plan)!;
    const key = name + '\u0000' + labels.map(([k, v]) => `${k}=${v}`).join('\u0001');
    let i = idx.get(key);
    if (i === undefined) {
      i = plan.series.length;
      plan.series.push({ name, family, labels, integer, terms: [], gate: gate < 0 ? i : gate, constant });
      idx.set(key, i);
    }
    if (term) plan.series[i]!.terms.push(term);
    return i;
  }

  /** Series groups already created, keyed by proxy + label set: later pairs only append terms. */
  private readonly groups = new Map<ProxyPlan, Map<string, { idx: number[]; comps: Component[] }>>();

  private group(plan: ProxyPlan, key: string, e: EdgeTraffic, weight: number, from: number, to: number, create: () => { idx: number[]; comps: Component[] }) {
    let g = this.groups.get(plan);
    if (!g) this.groups.set(plan, (g = new Map()));
    let entry = g.get(key);
    if (!entry) {
      entry = create();
      g.set(key, entry);
    }
    for (let i = 0; i < entry.idx.length; i++) plan.series[entry.idx[i]!]!.terms.push({ e, weight, from, to, c: entry.comps[i]! });
  }

  /** istio_requests_total + duration histogram, one set per outcome (HTTP response code, or grpc-status for grpc). */
  l7(plan: ProxyPlan, base: Omit<LabelInput, 'code' | 'flags' | 'grpcStatus'>, e: EdgeTraffic, weight: number, from: number, to: number) {
    const grpc = base.protocol === 'grpc';
    for (const code of e.codes) {
      // gRPC: HTTP 200 whatever the call's outcome, which is in grpc_response_status (docs/demo-mesh.md, gRPC row)
      const labels = grpc
        ? envoyLabels(this.t, { ...base, code: '200', grpcStatus: code, flags: '-' })
        : envoyLabels(this.t, { ...base, code, flags: code === '0' ? 'DC' : '-' });
      const key = 'l7\u0002' + labels.map(([k, v]) => `${k}=${v}`).join('\u0001');
      this.group(plan, key, e, weight, from, to, () => {
        const idx: number[] = [];
        const comps: Component[] = [];
        const push = (i: number, c: Component) => {
          idx.push(i);
          comps.push(c);
        };
        const g = this.add(plan, 'istio_requests_total', 'istio_requests_total', labels, true, undefined, -1);
        push(g, { k: 'req', code });
        for (const le of [...DURATION_BUCKETS, Infinity]) {
          push(
            this.add(
              plan,
              'istio_request_duration_milliseconds_bucket',
              'istio_request_duration_milliseconds',
              [...labels, ['le', Number.isFinite(le) ? String(le) : '+Inf']],
              true,
              undefined,
              g,
            ),
            { k: 'bucket', code, le },
          );
        }
        push(this.add(plan, 'istio_request_duration_milliseconds_sum', 'istio_request_duration_milliseconds', labels, false, undefined, g), { k: 'sum', code });
        push(this.add(plan, 'istio_request_duration_milliseconds_count', 'istio_request_duration_milliseconds', labels, true, undefined, g), {
          k: 'req',
          code,
        });
        return { idx, comps };
      });
    }
  }

  /** Envoy's BlackHoleCluster: the connection is accepted and closed at once (no upstream host, flag UH):
   *  only istio_tcp_connections_closed_total, nothing opened upstream, no bytes. */
  blackhole(plan: ProxyPlan, base: Omit<LabelInput, 'code' | 'flags' | 'protocol'>, e: EdgeTraffic, weight: number, from: number, to: number) {
    const labels = envoyLabels(this.t, { ...base, protocol: 'tcp', flags: 'UH' });
    const key = 'tcpb\u0002' + labels.map(([k, v]) => `${k}=${v}`).join('\u0001');
    this.group(plan, key, e, weight, from, to, () => ({
      idx: [this.add(plan, 'istio_tcp_connections_closed_total', 'istio_tcp_connections_closed_total', labels, true, undefined, -1)],
      comps: [{ k: 'blocked' }],
    }));
  }

  /** istio_tcp_* for one reporter (Envoy or ztunnel label set). */
  tcp(
    plan: ProxyPlan,
    base: Omit<LabelInput, 'code' | 'flags' | 'protocol'>,
    ztunnel: boolean,
    e: EdgeTraffic,
    weight: number,
    from: number,
    to: number,
    failFlag = ztunnel ? 'CONNECT' : 'UF',
  ) {
    const mk = (flags: string) =>
      ztunnel ? ztunnelLabels(this.t, { ...base, protocol: 'tcp', flags }) : envoyLabels(this.t, { ...base, protocol: 'tcp', flags });
    const ok = mk('-');
    const failing = e.states.some((s) => s.connectFailShare > 0);
    const key = `tcp${ztunnel ? 'z' : 'e'}${failing ? 'f' : ''}\u0002` + ok.map(([k, v]) => `${k}=${v}`).join('\u0001');
    this.group(plan, key, e, weight, from, to, () => {
      const idx: number[] = [];
      const comps: Component[] = [];
      const push = (i: number, c: Component) => {
        idx.push(i);
        comps.push(c);
      };
      const g = this.add(plan, 'istio_tcp_connections_opened_total', 'istio_tcp_connections_opened_total', ok, true, undefined, -1);
      push(g, { k: 'opened' });
      // failFlag "-": the connections end in a plain close whatever their fate (a client of a ztunnel DENY).
      push(this.add(plan, 'istio_tcp_connections_closed_total', 'istio_tcp_connections_closed_total', ok, true, undefined, -1), {
        k: failFlag === '-' ? 'blocked' : 'closedOk',
      });
      push(this.add(plan, 'istio_tcp_sent_bytes_total', 'istio_tcp_sent_bytes_total', ok, true, undefined, g), { k: 'sent' });
      push(this.add(plan, 'istio_tcp_received_bytes_total', 'istio_tcp_received_bytes_total', ok, true, undefined, g), { k: 'recv' });
      if (failing && failFlag !== '-') {
        const fail = mk(failFlag);
        const fg = this.add(plan, 'istio_tcp_connections_closed_total', 'istio_tcp_connections_closed_total', fail, true, undefined, -1);
        push(fg, { k: 'closedFail' });
        if (ztunnel)
          push(this.add(plan, 'istio_tcp_connections_failed_total', 'istio_tcp_connections_failed_total', fail, true, undefined, fg), { k: 'failed' });
      }
      return { idx, comps };
    });
  }
}

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

function svcLabels(t: Topology, s: ServiceModel): SvcLabels {
  return { host: `${s.name}.${s.namespace}.svc.${t.trustDomain}`, name: s.name, namespace: s.namespace };
}

/** Absolute lifetime of a pod, clipped to [origin, ∞). */
function life(p: PodModel, anchor: number, origin: number): [number, number] {
  return [Math.max(origin, p.startOffset === undefined ? -Infinity : anchor + p.startOffset), p.endOffset === undefined ? Infinity : anchor + p.endOffset];
}

export function buildEmitPlan(topology: Topology, anchor: number, traffic?: TrafficModel): EmitPlan {
  const tm = traffic ?? buildTrafficModel(topology, anchor);
  const pods = allPods(topology);
  const b = new PlanBuilder(topology, pods);
  // Keys are "<cluster>/<namespace>/<name>": objects of other clusters (multi-cluster runs) stay apart.
  const key = (o: { cluster?: string }, ns: string, name: string) => `${clusterOf(topology, o)}/${ns}/${name}`;
  const wByKey = new Map<string, WorkloadModel>(topology.workloads.map((w) => [key(w, w.namespace, w.name), w]));
  const svcByKey = new Map<string, ServiceModel>(topology.services.map((s) => [key(s, s.namespace, s.name), s]));
  const ztunnelByNode = new Map<string, ProxyPlan>();
  for (const p of b.proxies.values()) if (p.role === 'ztunnel') ztunnelByNode.set(`${clusterOf(topology, p.pod)}/${p.pod.node}`, p);
  const appPodsByNs = new Map<string, PodModel[]>();
  for (const p of pods) {
    if (p.role !== 'app') continue;
    const k = `${clusterOf(topology, p)}/${p.namespace}`;
    appPodsByNs.set(k, [...(appPodsByNs.get(k) ?? []), p]);
  }
  const peerCache = new Map<PodModel, Peer>();
  const peer = (p: PodModel) => {
    let v = peerCache.get(p);
    if (!v) peerCache.set(p, (v = peerOf(topology, p)));
    return v;
  };
  const origin = tm.origin;

  for (const e of tm.edges) {
    const spec: EdgeSpec = e.spec;
    const cw = wByKey.get(key(spec.client, spec.client.namespace, spec.client.name));
    if (!cw) throw new Error(`edge ${spec.id}: unknown client workload ${spec.client.namespace}/${spec.client.name}`);
    const clients = cw.pods;
    let svc: ServiceModel | undefined;
    let servers: (PodModel | undefined)[] = [undefined];
    let svcL: SvcLabels = UNKNOWN_SVC;
    let envoySvcL: SvcLabels = UNKNOWN_SVC;
    if (spec.server.kind === 'service') {
      svc = svcByKey.get(key(spec.server, spec.server.namespace, spec.server.name));
      if (!svc) throw new Error(`edge ${spec.id}: unknown service ${key(spec.server, spec.server.namespace, spec.server.name)}`);
      const sel = svc.selector;
      servers = (appPodsByNs.get(`${clusterOf(topology, svc)}/${svc.namespace}`) ?? []).filter((p) => selects(sel, p.labels));
      svcL = envoySvcL = svcLabels(topology, svc);
    } else if (spec.server.kind === 'external') {
      envoySvcL = { host: spec.server.host, name: spec.server.host, namespace: spec.server.namespace };
    } else if (spec.server.kind === 'blackhole') {
      // REGISTRY_ONLY: Envoy's virtual outbound listener sends unknown addresses to BlackHoleCluster; a TCP
      // proxy listener knows no host, so destination_service is unknown (docs/demo-mesh.md, named egress)
      envoySvcL = { host: 'unknown', name: 'BlackHoleCluster', namespace: 'unknown' };
    } else {
      // ALLOW_ANY: PassthroughCluster (original destination); TCP: destination_service unknown
      envoySvcL = { host: 'unknown', name: 'PassthroughCluster', namespace: 'unknown' };
    }
    const wpWorkload = svc?.waypoint ? wByKey.get(key(svc, svc.namespace, svc.waypoint.name)) : undefined;
    const wpSince = svc?.waypoint?.sinceOffset === undefined ? -Infinity : anchor + svc.waypoint.sinceOffset;
    const wpPods = wpWorkload?.pods ?? [];

    // time cuts: every lifetime boundary of the pods involved, and the waypoint binding time
    const cutSet = new Set<number>([origin]);
    for (const p of [...clients, ...servers, ...wpPods]) {
      if (!p) continue;
      for (const x of life(p, anchor, origin)) if (Number.isFinite(x) && x > origin) cutSet.add(x);
    }
    if (Number.isFinite(wpSince) && wpSince > origin) cutSet.add(wpSince);
    const cuts = [...cutSet].sort((x, y) => x - y);
    cuts.push(Infinity);

    for (let k = 0; k + 1 < cuts.length; k++) {
      const from = cuts[k]!;
      const to = cuts[k + 1]!;
      const alive = (p: PodModel) => {
        const [s, en] = life(p, anchor, origin);
        return s <= from && to <= en;
      };
      const C = clients.filter(alive);
      const S = servers.filter((p) => p === undefined || alive(p));
      if (C.length === 0 || S.length === 0) continue;
      const W = wpPods.filter(alive);
      const weight = 1 / (C.length * S.length);
      for (const c of C) {
        for (const s of S) {
          emitPair(b, e, c, s, svcL, envoySvcL, weight, from, to, from >= wpSince && W.length > 0 ? W : [], peer, (p) =>
            ztunnelByNode.get(`${clusterOf(topology, p)}/${p.node}`),
          );
        }
      }
    }
  }
  return { topology, traffic: tm, anchor, proxies: b.proxies };
}

function emitPair(
  b: PlanBuilder,
  e: EdgeTraffic,
  c: PodModel,
  s: PodModel | undefined,
  svcL: SvcLabels,
  envoySvcL: SvcLabels,
  weight: number,
  from: number,
  to: number,
  waypoints: PodModel[],
  peer: (p: PodModel) => Peer,
  ztunnelOf: (p: PodModel) => ProxyPlan | undefined,
) {
  const http = e.spec.protocol !== 'tcp';
  const l7proto = e.spec.protocol === 'grpc' ? ('grpc' as const) : ('http' as const);
  const clientEnvoy = c.proxy === 'envoy' ? b.proxies.get(`${c.namespace}/${c.name}`) : undefined;
  const clientAmbient = c.mode === 'ambient';
  const inMesh = !!clientEnvoy || clientAmbient;
  const serverEnvoy = s?.mode === 'sidecar' && s.proxy === 'envoy' ? b.proxies.get(`${s.namespace}/${s.name}`) : undefined;
  const serverAmbient = s?.mode === 'ambient';
  const src = peer(c);
  const dst = s ? peer(s) : undefined;
  const zt = (p: PodModel) => {
    const z = ztunnelOf(p);
    if (!z) throw new Error(`no ztunnel on node ${p.node} for pod ${p.namespace}/${p.name}`);
    return z;
  };

  // server side of a hop arriving at pod s from `from` peer (fromPeer), mTLS or not
  const serverSide = (fromPeer: Peer | undefined, mtls: boolean, w: number) => {
    if (!s || !dst) return;
    // The CNI drops the connection before the server's proxy sees it: only the client reports (a failed connect).
    if (e.spec.refusedBy === 'network-policy') return;
    if (serverEnvoy) {
      const base = {
        reporter: 'destination' as const,
        src: fromPeer,
        dst,
        srcPrincipal: mtls,
        dstPrincipal: mtls,
        svc: envoySvcL,
        csp: mtls ? ('mutual_tls' as const) : ('none' as const),
      };
      if (http) b.l7(serverEnvoy, { ...base, protocol: l7proto }, e, w, from, to);
      else b.tcp(serverEnvoy, base, false, e, w, from, to);
    } else if (serverAmbient) {
      b.tcp(
        zt(s),
        { reporter: 'destination', src: fromPeer, dst, srcPrincipal: mtls, dstPrincipal: true, svc: svcL, csp: mtls ? 'mutual_tls' : 'unknown' },
        true,
        e,
        w,
        from,
        to,
        // ztunnel's authorization refuses it: the server's ztunnel records response_flags="DENY".
        e.spec.refusedBy === 'authorization-policy' ? 'DENY' : 'CONNECT',
      );
    }
  };

  if (clientEnvoy) {
    // Envoy client (sidecar or gateway): reporter=source, never uses waypoints; security policy unknown.
    const sidecarPeer = !!serverEnvoy; // principals visible on a direct sidecar↔sidecar mTLS connection
    const base = { reporter: 'source' as const, src, dst, srcPrincipal: sidecarPeer, dstPrincipal: sidecarPeer, svc: envoySvcL, csp: 'unknown' as const };
    if (e.spec.server.kind === 'blackhole') {
      if (http) throw new Error(`edge ${e.spec.id}: BlackHoleCluster is modelled for TCP only`);
      b.blackhole(clientEnvoy, base, e, weight, from, to);
      return;
    }
    if (http) b.l7(clientEnvoy, { ...base, protocol: l7proto }, e, weight, from, to);
    else b.tcp(clientEnvoy, base, false, e, weight, from, to);
    serverSide(src, true, weight);
    return;
  }

  if (e.spec.server.kind === 'blackhole') throw new Error(`edge ${e.spec.id}: BlackHoleCluster needs a sidecar client`);
  if (clientAmbient) {
    if (waypoints.length > 0 && s) {
      const ww = weight / waypoints.length;
      for (const wp of waypoints) {
        const wpPeer = peer(wp);
        const wpPlan = b.proxies.get(`${wp.namespace}/${wp.name}`)!;
        // client ztunnel: leg to the waypoint
        b.tcp(zt(c), { reporter: 'source', src, dst: wpPeer, srcPrincipal: true, dstPrincipal: true, svc: svcL, csp: 'mutual_tls' }, true, e, ww, from, to);
        // waypoint: L7 client → backend
        const base = { reporter: 'waypoint' as const, src, dst, srcPrincipal: true, dstPrincipal: true, svc: svcL, csp: 'mutual_tls' as const };
        if (http) b.l7(wpPlan, { ...base, protocol: l7proto }, e, ww, from, to);
        else b.tcp(wpPlan, base, false, e, ww, from, to);
        // server side sees the waypoint's identity
        serverSide(wpPeer, true, ww);
      }
      return;
    }
    const mtls = !!serverEnvoy || !!serverAmbient;
    b.tcp(
      zt(c),
      { reporter: 'source', src, dst, srcPrincipal: mtls, dstPrincipal: true, svc: svcL, csp: mtls ? 'mutual_tls' : 'unknown' },
      true,
      e,
      weight,
      from,
      to,
      // refused by the server's ztunnel: the client sees its connections close without a flag (docs/classification.md §3.5)
      e.spec.refusedBy === 'authorization-policy' ? '-' : 'CONNECT',
    );
    serverSide(src, mtls, weight);
    return;
  }

  // out of mesh client: only the server side can report (waypoints are bypassed)
  if (!inMesh) serverSide(src, false, weight);
}

// ---------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------

/** Antiderivative memo per evaluation instant. */
class Integrals {
  private memo = new Map<EdgeTraffic, Map<number, number>>();
  F(e: EdgeTraffic, x: number, anchor: number): number {
    let m = this.memo.get(e);
    if (!m) this.memo.set(e, (m = new Map()));
    let v = m.get(x);
    if (v === undefined) {
      const w = e.wave;
      v = x - anchor - (w.a / w.w) * Math.cos(w.w * x + w.phi);
      for (const n of w.noise) v -= (n.b / n.w) * Math.cos(n.w * x + n.phi);
      m.set(x, v);
    }
    return v;
  }
}

function factor(e: EdgeTraffic, st: EdgeState, c: Component): number {
  switch (c.k) {
    case 'req':
      return e.spec.rate * (st.codeShares[c.code] ?? 0);
    case 'bucket':
      return e.spec.rate * (st.codeShares[c.code] ?? 0) * stateLatencyCdf(st, c.le);
    case 'sum':
      return e.spec.rate * (st.codeShares[c.code] ?? 0) * stateLatencyMean(st);
    case 'opened':
      return e.connRate;
    case 'closedOk':
      return e.connRate * (1 - st.connectFailShare);
    case 'blocked':
      return e.connRate;
    case 'closedFail':
    case 'failed':
      return e.connRate * st.connectFailShare;
    case 'sent':
      return e.responseBytesRate * (1 - st.connectFailShare);
    case 'recv':
      return e.requestBytesRate * (1 - st.connectFailShare);
  }
}

function termValue(term: Term, t: number, anchor: number, I: Integrals): number {
  const end = Math.min(term.to, term.c.k === 'closedOk' ? t - CLOSE_LAG : t);
  if (!(end > term.from)) return 0;
  let v = 0;
  for (const st of term.e.states) {
    const a = Math.max(term.from, st.from);
    const bb = Math.min(end, st.to);
    if (!(bb > a)) continue;
    const f = factor(term.e, st, term.c);
    if (f === 0) continue;
    v += f * (I.F(term.e, bb, anchor) - I.F(term.e, a, anchor));
  }
  return term.weight * v;
}

/**
 * Values of every series of one proxy at time t (unix seconds). NaN = the series does not exist yet
 * (never incremented). Aligned with plan.series.
 */
export function evaluateProxy(plan: EmitPlan, proxy: ProxyPlan, t: number, integrals = new Integrals()): Float64Array {
  const out = new Float64Array(proxy.series.length);
  for (let i = 0; i < proxy.series.length; i++) {
    const s = proxy.series[i]!;
    if (s.constant !== undefined) {
      out[i] = s.constant;
      continue;
    }
    let v = 0;
    for (const term of s.terms) v += termValue(term, t, plan.anchor, integrals);
    out[i] = s.integer ? Math.floor(v + 1e-9) : v;
  }
  for (let i = 0; i < proxy.series.length; i++) {
    const g = proxy.series[i]!.gate;
    if (!(out[g]! > 0)) out[i] = NaN;
  }
  return out;
}

export function newIntegrals(): Integrals {
  return new Integrals();
}

/** The samples a proxy exposes at t, or undefined if the proxy does not exist at t. */
function samplesAt(plan: EmitPlan, proxyId: string, t: number): Sample[] | undefined {
  const p = plan.proxies.get(proxyId);
  if (!p) return undefined;
  const off = t - plan.anchor;
  if ((p.pod.startOffset !== undefined && off < p.pod.startOffset) || (p.pod.endOffset !== undefined && off >= p.pod.endOffset)) return undefined;
  const v = evaluateProxy(plan, p, t);
  const out: Sample[] = [];
  p.series.forEach((s, i) => {
    if (!Number.isNaN(v[i]!)) out.push({ name: s.name, labels: s.labels, value: v[i]! });
  });
  return out;
}

/** Every proxy's samples at t. */
export function emitAll(plan: EmitPlan, t: number): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>();
  for (const id of plan.proxies.keys()) {
    const s = samplesAt(plan, id, t);
    if (s) out.set(id, s);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Text exposition 0.0.4
// ---------------------------------------------------------------------------

const HELP: Record<string, [string, string]> = {
  istio_build: ['gauge', 'Istio component build info.'],
  istio_requests_total: ['counter', 'Total number of requests.'],
  istio_request_duration_milliseconds: ['histogram', 'Duration of requests in milliseconds.'],
  istio_tcp_connections_opened_total: ['counter', 'The total number of TCP connections opened.'],
  istio_tcp_connections_closed_total: ['counter', 'The total number of TCP connections closed.'],
  istio_tcp_connections_failed_total: ['counter', 'The total number of TCP connections that failed to establish (unstable).'],
  istio_tcp_sent_bytes_total: ['counter', 'The size of total bytes sent during response in case of TCP connection.'],
  istio_tcp_received_bytes_total: ['counter', 'The size of total bytes received during request in case of TCP connection.'],
};

export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatLabels(labels: [string, string][], dropEmpty = false): string {
  return labels
    .filter(([, v]) => !dropEmpty || v !== '')
    .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
    .join(',');
}

export function formatValue(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return String(Math.round(v * 1000) / 1000);
}

/** Prometheus text format (0.0.4) of one proxy at t; undefined when the proxy does not exist at t. */
export function exposition(plan: EmitPlan, proxyId: string, t: number): string | undefined {
  const p = plan.proxies.get(proxyId);
  const samples = samplesAt(plan, proxyId, t);
  if (!p || !samples) return undefined;
  const v = evaluateProxy(plan, p, t);
  const byFamily = new Map<string, string[]>();
  p.series.forEach((s, i) => {
    if (Number.isNaN(v[i]!)) return;
    const lines = byFamily.get(s.family) ?? [];
    lines.push(`${s.name}{${formatLabels(s.labels)}} ${formatValue(v[i]!)}`);
    byFamily.set(s.family, lines);
  });
  let out = '';
  for (const [family, lines] of byFamily) {
    const [type, help] = HELP[family] ?? ['untyped', family];
    out += `# HELP ${family} ${help}\n# TYPE ${family} ${type}\n${lines.join('\n')}\n`;
  }
  return out;
}

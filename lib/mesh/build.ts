// buildMeshGraph: Kubernetes snapshot + telemetry → the graph of docs/api.md §4.
//
// 1. groupSeries: samples are grouped by their EDGE_LABELS (one group = one reporter's view of one
//    labelled pair, already summed over that reporter's pods); each group's proxy kind(s) come from
//    its scrape targets (attribution.ts, §3.1) and both ends are resolved to graph endpoints.
// 2. assignEdges: groups become edges. reporter=waypoint series make the folded client→server edge;
//    ztunnel legs to/from a waypoint are attached to it (client legs via destination_service, §3.3) and
//    never become edges of their own; `expandWaypoints` keeps the legs instead. A group's numbers are
//    "usable" for an edge only when they belong to that edge alone.
// 3. finishEdge: path/telemetry/protocol/mTLS and rates, each number from exactly one reporter
//    (waypoint > destination > source, §3.2), rates = increase / window seconds (§3.5).
// 4. Nodes for every endpoint plus idle application workloads; modes proved in the window (§3.6).
//
// Multi-cluster: one snapshot per cluster. Each lookup (workloads, services, waypoints, pod IPs) uses the
// snapshot whose `cluster` equals the series' source_cluster / destination_cluster (the reporting side's
// cluster for attribution); a label naming no snapshot (or `unknown`) falls back to the first snapshot,
// which with one snapshot is exactly the single-cluster behaviour.
import { attributeKey, parseReporter } from './attribution';
import { finishEdge } from './edge';
import { protocolEvidence } from './edge/protocol-evidence';
import { edgeId, nodeId } from './ids';
import { inventoryOf } from './inventory';
import { emptySnapshot } from './merge';
import { roleOf, TCP_METRICS, type EdgeAcc, type Endpoint, type MeshContext, type SeriesGroup } from './model';
import { isLatencySample, windowSeconds } from './rates';
import { telemetryHealth } from './telemetry-health';
import {
  EDGE_LABELS,
  type BuildOptions,
  type GraphNode,
  type KubeSnapshot,
  type Labels,
  type MeshGraph,
  type NodeKind,
  type ServiceInfo,
  type TelemetryInput,
  type TelemetrySample,
  type Warning,
  type WorkloadMode,
} from './types';
import { byCodePoint, instanceHost, isKnown, known, parseServiceHost, ref } from './util';
import type { WaypointInfo } from './waypoints';
import { applicationWorkloads, type WorkloadInfo } from './workloads';

/** Build the indexes the findings/namespace authors reuse. */
export function buildMeshContext(kube: KubeSnapshot): MeshContext {
  return buildMeshContexts([kube])[0]!;
}

/** One context per snapshot (first snapshot first); duplicate cluster names keep the first snapshot. */
export function buildMeshContexts(snapshots: KubeSnapshot[]): MeshContext[] {
  const byCluster = new Map<string, MeshContext>();
  const list: MeshContext[] = [];
  const of = (cluster: string): MeshContext => byCluster.get(cluster) ?? list[0]!;
  const all = () => list.slice();
  for (const kube of snapshots) {
    if (byCluster.has(kube.cluster)) continue;
    const inventory = inventoryOf(kube);
    const ctx: MeshContext = { inventory, index: inventory.workloads, waypoints: inventory.waypoints, of, all };
    byCluster.set(kube.cluster, ctx);
    list.push(ctx);
  }
  return list;
}

/** Context of one side of a series (its `<side>_cluster` label; unlabelled → this context). */
function sideContext(ctx: MeshContext, side: 'source' | 'destination', labels: Labels): MeshContext {
  return ctx.of(known(labels[`${side}_cluster`]) ?? ctx.index.cluster);
}

/** Resolve one side of a series to a graph endpoint (undefined = infrastructure, dropped). */
export function resolveEndpoint(outer: MeshContext, side: 'source' | 'destination', labels: Labels): Endpoint | undefined | null {
  const ctx = sideContext(outer, side, labels);
  const { index, waypoints } = ctx;
  const cluster = known(labels[`${side}_cluster`]) ?? index.cluster;
  const wl = known(labels[`${side}_workload`]);
  const ns = known(labels[`${side}_workload_namespace`]);
  if (wl && ns) {
    // Kubernetes objects describe the local cluster only; a remote peer is known from telemetry alone.
    const local = cluster === index.cluster;
    const wp = local ? waypoints.lookup(ns, wl) : undefined;
    const w = local ? index.get(ns, wl) : undefined;
    if (wp) return waypointNode(wp, cluster, w);
    if (w) {
      if (w.role === 'ztunnel' || w.role === 'istio-cni') return null;
      if (w.role === 'control-plane') {
        return { id: nodeId('workload', cluster, ns, wl), kind: 'workload', namespace: ns, name: wl, cluster, workload: w, telemetryOnly: false };
      }
      const kind: NodeKind = w.role === 'waypoint' ? 'waypoint' : w.role === 'application' ? 'workload' : 'gateway';
      return { id: nodeId(kind, cluster, ns, wl), kind, namespace: ns, name: wl, cluster, workload: w, telemetryOnly: false };
    }
    return { id: nodeId('workload', cluster, ns, wl), kind: 'workload', namespace: ns, name: wl, cluster, telemetryOnly: true };
  }
  if (side === 'destination') {
    const egress = egressOf(labels);
    if (egress) {
      return {
        id: nodeId('service', cluster, 'unknown', egress.name),
        kind: 'service',
        namespace: 'unknown',
        name: egress.name,
        cluster,
        egress: egress.kind,
        telemetryOnly: true,
      };
    }
    const svc = serviceOf(ctx, labels);
    if (svc) {
      const host = known(labels.destination_service);
      if (svc.info) {
        return {
          id: nodeId('service', cluster, svc.info.namespace, svc.info.name),
          kind: 'service',
          namespace: svc.info.namespace,
          name: svc.info.name,
          cluster,
          ...(host ? { host } : {}),
          telemetryOnly: false,
        };
      }
      const parsed = host ? parseServiceHost(host) : undefined;
      const svcNs = parsed?.namespace ?? known(labels.destination_service_namespace) ?? 'unknown';
      const name = parsed?.name ?? svc.ref;
      return { id: nodeId('service', cluster, svcNs, name), kind: 'service', namespace: svcNs, name, cluster, host: host ?? svc.ref, telemetryOnly: true };
    }
  }
  const uns = ns ?? 'unknown';
  return { id: nodeId('unknown', cluster, uns, 'unknown'), kind: 'unknown', namespace: uns, name: 'unknown', cluster, telemetryOnly: true };
}

/**
 * Envoy's named egress clusters (docs/istio-telemetry.md §7): `PassthroughCluster` (ALLOW_ANY: traffic to a host
 * the mesh does not know) and `BlackHoleCluster` (REGISTRY_ONLY: dropped). Each is its own peer, never the
 * shared unknown node.
 */
export function egressOf(labels: Labels): { name: string; kind: 'passthrough' | 'blackhole' } | undefined {
  for (const v of [labels.destination_service_name, labels.destination_service]) {
    if (v === 'PassthroughCluster' || v === 'InboundPassthroughCluster') return { name: 'PassthroughCluster', kind: 'passthrough' };
    if (v === 'BlackHoleCluster') return { name: 'BlackHoleCluster', kind: 'blackhole' };
  }
  return undefined;
}

/** Destination service of a series: a known Service ("ns/name") or the bare host. */
export function serviceOf(outer: MeshContext, labels: Labels): { ref: string; info?: ServiceInfo } | undefined {
  const ctx = sideContext(outer, 'destination', labels);
  const host = known(labels.destination_service);
  const parsed = host ? parseServiceHost(host) : undefined;
  const candidates = [
    parsed ? ref(parsed.namespace, parsed.name) : undefined,
    isKnown(labels.destination_service_name) && isKnown(labels.destination_service_namespace)
      ? ref(labels.destination_service_namespace, labels.destination_service_name)
      : undefined,
  ];
  for (const c of candidates) {
    const info = c ? ctx.index.services.get(c) : undefined;
    if (info && c) return { ref: c, info };
  }
  if (parsed) return { ref: ref(parsed.namespace, parsed.name) };
  if (host) return { ref: host };
  return undefined;
}

function waypointOfGroup(outer: MeshContext, g: SeriesGroup, targets: Labels[]): WaypointInfo | undefined {
  const ctx = sideContext(outer, 'destination', g.labels);
  for (const t of targets) {
    const podNs = t.namespace;
    const pod = t.pod && podNs ? ctx.index.podsByName.get(ref(podNs, t.pod)) : undefined;
    const wp = pod ? ctx.waypoints.byWorkload.get(pod.workload.ref) : undefined;
    if (wp) return wp;
  }
  for (const t of targets) {
    if (!t.instance) continue;
    for (const hit of ctx.index.podsByIp.get(instanceHost(t.instance)) ?? []) {
      const wp = ctx.waypoints.byWorkload.get(hit.workload.ref);
      if (wp) return wp;
    }
  }
  // No scrape target names the waypoint: infer it from how the traffic was addressed (docs/classification.md
  // §4): a Service-addressed request used the Service's waypoint, a pod-IP request the workload's own (also
  // the fallback: the series prove a waypoint processed it).
  const svc = serviceOf(ctx, g.labels);
  const byService = svc?.info ? ctx.waypoints.serviceWaypoint(svc.info) : undefined;
  if (byService) return ctx.waypoints.waypoints.get(byService);
  const w = g.dst.workload;
  const byWorkload = w ? ctx.waypoints.podWaypoint(w) : undefined;
  return byWorkload ? ctx.waypoints.waypoints.get(byWorkload) : undefined;
}

/**
 * Series-group key: `b` (latency buckets) or `m` (every other metric), then the EDGE_LABELS values in
 * order, each behind a \u0001 separator. Built with one string per sample: this runs ~100k times for a
 * 2,000-workload mesh.
 */
function seriesKey(kind: 'b' | 'm', labels: Labels): string {
  let key: string = kind;
  for (const l of EDGE_LABELS) key += `\u0001${labels[l] ?? ''}`;
  return key;
}

/** Group samples by EDGE_LABELS, attribute each group's reporter, resolve its endpoints. */
export function groupSeries(ctx: MeshContext, telemetry: TelemetryInput): SeriesGroup[] {
  // Hot loop at mesh scale (~100k samples for 2,000 workloads): one flat key string per sample, the
  // labels object built only for a new key, target lists appended in place.
  const byKey = new Map<string, { labels: Labels; samples: TelemetrySample[] }>();
  for (const s of telemetry.samples) {
    const key = seriesKey(isLatencySample(s) ? 'b' : 'm', s.labels);
    let e = byKey.get(key);
    if (!e) {
      const labels: Labels = {};
      for (const l of EDGE_LABELS) if (s.labels[l] !== undefined) labels[l] = s.labels[l]!;
      e = { labels, samples: [] };
      byKey.set(key, e);
    }
    e.samples.push(s);
  }
  const targetsByKey = new Map<string, Labels[]>();
  for (const t of telemetry.reporterTargets) {
    const key = seriesKey('m', t.labels);
    const list = targetsByKey.get(key);
    if (list) list.push(t.labels);
    else targetsByKey.set(key, [t.labels]);
  }
  const groups: SeriesGroup[] = [];
  for (const [key, { labels, samples }] of [...byKey.entries()].sort(([a], [b]) => byCodePoint(a, b))) {
    const reporter = parseReporter(labels.reporter);
    if (!reporter) continue;
    const src = resolveEndpoint(ctx, 'source', labels);
    const dst = resolveEndpoint(ctx, 'destination', labels);
    if (!src || !dst) continue;
    const bucketsOnly = key.startsWith('b');
    const hasRequests = samples.some((s) => s.metric === 'requests');
    const hasTcp = samples.some((s) => TCP_METRICS.has(s.metric));
    const targets = targetsByKey.get(key) ?? [];
    const svc = serviceOf(ctx, labels);
    // The reporting proxy runs in the reporter side's cluster (a waypoint next to its destination).
    const reporterIndex = sideContext(ctx, reporter === 'source' ? 'source' : 'destination', labels).index;
    const attributions = bucketsOnly
      ? []
      : attributeKey(
          labels,
          targets.map((l) => ({ labels: l })),
          reporterIndex,
          { hasRequests },
        );
    const g: SeriesGroup = {
      key,
      labels,
      reporter,
      rank: attributions.some((a) => a.proxy === 'waypoint') ? 'waypoint' : reporter,
      samples,
      bucketsOnly,
      hasRequests,
      hasTcp,
      attributions,
      src,
      dst,
      ...(svc ? { service: svc.ref } : {}),
    };
    if (g.rank === 'waypoint') {
      const wp = waypointOfGroup(ctx, g, targets);
      if (wp) {
        g.waypoint = wp;
        g.waypointCluster = sideContext(ctx, 'destination', labels).index.cluster;
      }
    }
    groups.push(g);
  }
  // Histogram buckets carry no targets: they inherit the rank of the series they belong to.
  const rankOf = new Map(groups.filter((g) => !g.bucketsOnly).map((g) => [`${g.reporter}|${g.src.id}|${g.dst.id}|${g.service ?? ''}`, g]));
  for (const g of groups) {
    if (!g.bucketsOnly) continue;
    const twin = rankOf.get(`${g.reporter}|${g.src.id}|${g.dst.id}|${g.service ?? ''}`);
    if (twin && twin.rank !== g.rank) {
      g.rank = twin.rank;
      if (twin.waypoint) g.waypoint = twin.waypoint;
      if (twin.waypointCluster !== undefined) g.waypointCluster = twin.waypointCluster;
    }
  }
  return groups;
}

function backendOfService(outer: MeshContext, g: SeriesGroup): Endpoint {
  const ctx = sideContext(outer, 'destination', g.labels);
  const svc = serviceOf(ctx, g.labels);
  const cluster = known(g.labels.destination_cluster) ?? ctx.index.cluster;
  if (svc?.info) {
    const ws = ctx.index.workloadsOf(svc.info).filter((w) => !w.infrastructure);
    if (ws.length === 1) {
      const w = ws[0]!;
      return {
        id: nodeId('workload', cluster, w.namespace, w.name),
        kind: 'workload',
        namespace: w.namespace,
        name: w.name,
        cluster,
        workload: w,
        telemetryOnly: false,
      };
    }
    return {
      id: nodeId('service', cluster, svc.info.namespace, svc.info.name),
      kind: 'service',
      namespace: svc.info.namespace,
      name: svc.info.name,
      cluster,
      ...(isKnown(g.labels.destination_service) ? { host: g.labels.destination_service } : {}),
      telemetryOnly: false,
    };
  }
  if (svc) {
    const slash = svc.ref.indexOf('/');
    const ns = slash >= 0 ? svc.ref.slice(0, slash) : (known(g.labels.destination_service_namespace) ?? 'unknown');
    const name = slash >= 0 ? svc.ref.slice(slash + 1) : svc.ref;
    const host = known(g.labels.destination_service) ?? svc.ref;
    return { id: nodeId('service', cluster, ns, name), kind: 'service', namespace: ns, name, cluster, host, telemetryOnly: true };
  }
  return { id: nodeId('unknown', cluster, 'unknown', 'unknown'), kind: 'unknown', namespace: 'unknown', name: 'unknown', cluster, telemetryOnly: true };
}

function waypointEndpoint(wp: WaypointInfo, cluster: string, ctx: MeshContext): Endpoint {
  return waypointNode(wp, cluster, wp.workloads[0] ?? ctx.of(cluster).index.get(wp.namespace, wp.name));
}

function waypointNode(wp: WaypointInfo, cluster: string, w: WorkloadInfo | undefined): Endpoint {
  return {
    id: nodeId('waypoint', cluster, wp.namespace, wp.name),
    kind: 'waypoint',
    namespace: wp.namespace,
    name: wp.name,
    cluster,
    waypoint: wp,
    ...(w ? { workload: w } : {}),
    telemetryOnly: false,
  };
}

/**
 * Where a client leg goes when no waypoint series of this client explains it: the backend of the Service it
 * addressed; for pod-IP traffic (destination_service unknown) the one workload the waypoint serves. Undefined
 * when neither is known: the caller keeps the leg to the waypoint rather than invent an unknown peer.
 */
function backendOfLeg(outer: MeshContext, g: SeriesGroup, wp: WaypointInfo | undefined): Endpoint | undefined {
  if (g.service !== undefined) return backendOfService(outer, g);
  if (!wp) return undefined;
  const ctx = outer.of(g.dst.cluster);
  // Pod-IP traffic uses a workload waypoint: only workloads bound to this one as their own count.
  const served = (ctx.waypoints.servedWorkloads.get(wp.ref) ?? []).flatMap((r) => {
    const x = ctx.index.workloads.get(r);
    return x && ctx.waypoints.podWaypoint(x) === wp.ref ? [x] : [];
  });
  const w = served.length === 1 ? served[0] : undefined;
  if (!w) return undefined;
  return {
    id: nodeId('workload', g.dst.cluster, w.namespace, w.name),
    kind: 'workload',
    namespace: w.namespace,
    name: w.name,
    cluster: g.dst.cluster,
    workload: w,
    telemetryOnly: false,
  };
}

/**
 * Assign series groups to edges (folded or expanded waypoint view, docs/classification.md §4). Every group
 * lands on exactly one edge as usable numbers, or on several as evidence only; a group's traffic either went
 * through a waypoint (waypoint series, ztunnel legs) or not, which is what splits an edge into slices.
 */
export function assignEdges(ctx: MeshContext, groups: SeriesGroup[], expand: boolean, warnings: Warning[]): EdgeAcc[] {
  const edges = new Map<string, EdgeAcc>();
  const edge = (src: Endpoint, dst: Endpoint, leg?: 'to-waypoint' | 'from-waypoint'): EdgeAcc => {
    const id = edgeId(src.id, dst.id);
    let e = edges.get(id);
    if (!e) {
      e = { id, src, dst, viaWaypoint: false, waypoints: new Set(), attached: [], ...(leg ? { leg } : {}) };
      edges.set(id, e);
    }
    return e;
  };
  // Folded waypoint edges (client → server, no leg), indexed by their ends for the leg lookups below.
  const foldedBySrc = new Map<string, EdgeAcc[]>();
  const foldedByDst = new Map<string, EdgeAcc[]>();
  const index = (m: Map<string, EdgeAcc[]>, key: string, e: EdgeAcc) => {
    const list = m.get(key);
    if (list) list.push(e);
    else m.set(key, [e]);
  };
  const attach = (e: EdgeAcc, g: SeriesGroup, usable: boolean, via: boolean, wp?: WaypointInfo) => {
    if (via) {
      if (!e.viaWaypoint && !e.leg) {
        index(foldedBySrc, e.src.id, e);
        index(foldedByDst, e.dst.id, e);
      }
      e.viaWaypoint = true;
      if (wp) e.waypoints.add(wp.ref);
    }
    e.attached.push({ group: g, usable, viaWaypoint: via });
  };
  const through = (e: EdgeAcc, wp: WaypointInfo | undefined) => !wp || e.waypoints.size === 0 || e.waypoints.has(wp.ref);
  const roles = groups.map((g) => ({ g, role: roleOf(g) }));
  let unknownWaypointSeries = 0;
  // 1. direct and waypoint-reported groups
  for (const { g, role } of roles) {
    if (role === 'direct') attach(edge(g.src, g.dst), g, true, false);
    if (role !== 'waypoint') continue;
    const wp = g.waypoint;
    if (!wp && !g.bucketsOnly) unknownWaypointSeries++;
    if (expand && wp) {
      // One snapshot: the client's cluster label; several: the waypoint's own cluster.
      const wpCluster = ctx.all().length > 1 ? (g.waypointCluster ?? g.src.cluster) : g.src.cluster;
      const wpEnd = waypointEndpoint(wp, wpCluster, ctx);
      for (const e of [edge(g.src, wpEnd, 'to-waypoint'), edge(wpEnd, g.dst, 'from-waypoint')]) attach(e, g, true, true, wp);
    } else {
      attach(edge(g.src, g.dst), g, true, true, wp);
    }
  }
  // 2. client legs (client → waypoint). The leg names the Service the client addressed; the waypoint's own
  // series name the Service it routed to (an HTTPRoute can send `reviews` to `reviews-v2`) or none at all
  // (pod-IP traffic to a workload waypoint): same Service first, else any edge of this client through this
  // waypoint. Shared by several edges → evidence only, never counted twice.
  for (const { g, role } of roles) {
    if (role !== 'client-leg') continue;
    const wp = g.dst.waypoint;
    if (expand) {
      attach(edge(g.src, g.dst, 'to-waypoint'), g, true, true, wp);
      continue;
    }
    const candidates = (foldedBySrc.get(g.src.id) ?? []).filter((e) => through(e, wp));
    let matches = g.service !== undefined ? candidates.filter((e) => e.attached.some((a) => a.group.rank === 'waypoint' && a.group.service === g.service)) : [];
    if (matches.length === 0 && wp) matches = candidates.filter((e) => e.waypoints.has(wp.ref));
    if (matches.length > 0) {
      for (const e of matches) attach(e, g, matches.length === 1, true, wp);
      continue;
    }
    const backend = backendOfLeg(ctx, g, wp);
    attach(backend ? edge(g.src, backend) : edge(g.src, g.dst, 'to-waypoint'), g, true, true, wp);
  }
  // 3. server legs (waypoint → backend)
  for (const { g, role } of roles) {
    if (role !== 'server-leg') continue;
    const wp = g.src.waypoint;
    if (expand) {
      attach(edge(g.src, g.dst, 'from-waypoint'), g, true, true, wp);
      continue;
    }
    const matches = (foldedByDst.get(g.dst.id) ?? []).filter((e) => through(e, wp));
    if (matches.length === 0) {
      // No client is known for this hop: keep it visible as the waypoint's leg, never as an ambient edge.
      attach(edge(g.src, g.dst, 'from-waypoint'), g, true, true, wp);
    } else {
      for (const e of matches) e.attached.push({ group: g, usable: false, viaWaypoint: true });
    }
  }
  if (unknownWaypointSeries > 0 && knownWaypoints(ctx) > 0) {
    warnings.push({
      source: 'model',
      message: `${unknownWaypointSeries} reporter="waypoint" series could not be tied to a waypoint Gateway (no Gateway of class istio-waypoint known for their scrape target or destination service)`,
    });
  }
  return [...edges.values()];
}

function knownWaypoints(ctx: MeshContext): number {
  return ctx.all().reduce((n, c) => n + c.waypoints.waypoints.size, 0);
}

/**
 * Modes proved by telemetry in the window (docs/classification.md §3.6), per workload. Keyed by the WorkloadInfo
 * object: one per cluster's index, so equal "ns/name" in two clusters stay apart.
 */
export function modesInWindow(groups: SeriesGroup[]): Map<WorkloadInfo, Set<'sidecar' | 'ambient'>> {
  const proved = new Map<WorkloadInfo, Set<'sidecar' | 'ambient'>>();
  const add = (ep: Endpoint, mode: 'sidecar' | 'ambient') => {
    if (ep.kind !== 'workload' || !ep.workload || ep.workload.infrastructure) return;
    const s = proved.get(ep.workload) ?? new Set();
    s.add(mode);
    proved.set(ep.workload, s);
  };
  for (const g of groups) {
    if (g.bucketsOnly) continue;
    for (const a of g.attributions) {
      if (a.rule === 'waypoint') {
        // Sidecars never use waypoints and out-of-mesh clients bypass them (docs/istio-telemetry.md §4):
        // a client seen by a waypoint was ambient.
        if (g.src.kind === 'workload') add(g.src, 'ambient');
        continue;
      }
      if (a.rule !== 'scrape-labels' && a.rule !== 'instance-ip') continue;
      if (a.proxy !== 'envoy' && a.proxy !== 'ztunnel') continue;
      const ep = g.reporter === 'source' ? g.src : g.dst;
      add(ep, a.proxy === 'ztunnel' ? 'ambient' : 'sidecar');
    }
  }
  return proved;
}

function workloadNode(outer: MeshContext, w: WorkloadInfo, kind: NodeKind, cluster: string, proved?: Set<'sidecar' | 'ambient'>): GraphNode {
  const ctx = outer.of(cluster);
  const node: GraphNode = {
    id: nodeId(kind, cluster, w.namespace, w.name),
    kind,
    namespace: w.namespace,
    name: w.name,
    cluster,
    mode: w.mode,
    pods: { ...w.counts },
    services: ctx.index.servicesOf(w).map((s) => ref(s.namespace, s.name)),
  };
  if (proved && proved.size > 0) {
    const m: WorkloadMode = proved.size > 1 ? 'mixed' : [...proved][0]!;
    node.modeInWindow = m;
    node.modeChanged = m !== w.mode;
  }
  const wp = ctx.waypoints.workloadWaypoint(w);
  if (wp) node.waypoint = wp;
  if (w.issues.length > 0) node.issues = w.issues.slice();
  if (w.proxyVersions.length > 0) node.proxyVersions = w.proxyVersions.slice();
  return node;
}

function endpointNode(ctx: MeshContext, ep: Endpoint, proved: Map<WorkloadInfo, Set<'sidecar' | 'ambient'>>): GraphNode {
  if (ep.workload && (ep.kind === 'workload' || ep.kind === 'gateway')) {
    return workloadNode(ctx, ep.workload, ep.kind, ep.cluster, proved.get(ep.workload));
  }
  const node: GraphNode = { id: ep.id, kind: ep.kind, namespace: ep.namespace, name: ep.name, cluster: ep.cluster };
  if (ep.kind === 'waypoint' && ep.workload) {
    node.pods = { ...ep.workload.counts };
    if (ep.workload.proxyVersions.length > 0) node.proxyVersions = ep.workload.proxyVersions.slice();
    if (ep.workload.issues.length > 0) node.issues = ep.workload.issues.slice();
  }
  if (ep.host) node.host = ep.host;
  if (ep.egress) node.egress = ep.egress;
  if (ep.telemetryOnly) node.telemetryOnly = true;
  return node;
}

const EMPTY_SNAPSHOT: KubeSnapshot = emptySnapshot();

/**
 * The whole graph (docs/api.md §4 /api/graph). Pure and deterministic. `kube` is one snapshot
 * (single cluster) or one per cluster (multi-cluster; the first is the default for unlabelled series).
 */
export function buildMeshGraph(kube: KubeSnapshot | KubeSnapshot[], telemetry: TelemetryInput, options: BuildOptions = {}): MeshGraph {
  const snapshots = Array.isArray(kube) ? (kube.length > 0 ? kube : [EMPTY_SNAPSHOT]) : [kube];
  const multi = snapshots.length > 1;
  const warnings: Warning[] = [...snapshots.flatMap((s) => s.warnings), ...telemetry.warnings];
  const contexts = buildMeshContexts(snapshots);
  const ctx = contexts[0]!;
  const duplicates = snapshots.length - contexts.length;
  if (duplicates > 0)
    warnings.push({ source: 'config', message: `${duplicates} Kubernetes snapshot(s) repeat a cluster name: only the first of each is used` });
  const seconds = windowSeconds(telemetry.window);
  if (seconds <= 0 && telemetry.samples.length > 0) {
    warnings.push({ source: 'model', message: `window ${telemetry.window.start} … ${telemetry.window.end} is empty or invalid: no rates computed` });
  }
  const groups = groupSeries(ctx, telemetry);
  const accs = assignEdges(ctx, groups, options.expandWaypoints === true, warnings);
  const proved = modesInWindow(groups);

  const filter = options.namespaces && options.namespaces.length > 0 ? new Set(options.namespaces) : undefined;
  const clusterFilter = options.clusters && options.clusters.length > 0 ? new Set(options.clusters) : undefined;
  const kept = accs.filter(
    (e) =>
      (!filter || filter.has(e.src.namespace) || filter.has(e.dst.namespace)) &&
      (!clusterFilter || clusterFilter.has(e.src.cluster) || clusterFilter.has(e.dst.cluster)),
  );
  const protocols = protocolEvidence(groups);
  const edges = kept.map((e) => finishEdge(ctx, e, seconds, protocols)).sort((a, b) => a.id.localeCompare(b.id));

  const nodes = new Map<string, GraphNode>();
  for (const e of kept) {
    for (const ep of [e.src, e.dst]) if (!nodes.has(ep.id)) nodes.set(ep.id, endpointNode(ctx, ep, proved));
  }
  for (const c of contexts) {
    const cluster = c.index.cluster;
    if (clusterFilter && !clusterFilter.has(cluster)) continue;
    for (const w of applicationWorkloads(c.index)) {
      if (filter && !filter.has(w.namespace)) continue;
      const id = nodeId('workload', cluster, w.namespace, w.name);
      if (!nodes.has(id)) nodes.set(id, workloadNode(c, w, 'workload', cluster, proved.get(w)));
    }
  }

  warnings.push(...telemetryHealth(contexts, groups, telemetry));
  const guessed = groups.filter((g) => !g.bucketsOnly && g.attributions.some((a) => a.rule === 'current-mode')).length;
  if (guessed > 0) {
    warnings.push({
      source: 'model',
      message: `${guessed} series were attributed to ztunnel or Envoy from the workloads' current mode (no pod/app scrape labels, no pod IP match): a guess for past windows`,
    });
  }
  const unattributed = groups.filter((g) => !g.bucketsOnly && g.attributions.some((a) => a.proxy === 'unknown')).length;
  if (unattributed > 0) {
    warnings.push({
      source: 'model',
      message: `${unattributed} series could not be attributed to a proxy kind (reporting workload unknown to the Kubernetes API)`,
    });
  }
  if (groups.some((g) => g.rank === 'waypoint') && knownWaypoints(ctx) === 0) {
    warnings.push({ source: 'model', message: 'reporter="waypoint" series exist but no waypoint Gateway (class istio-waypoint) is known' });
  }
  for (const c of contexts) {
    for (const wp of c.waypoints.waypoints.values()) {
      const where = multi ? `${c.index.cluster}: ` : '';
      if (!wp.effective) warnings.push({ source: 'kubernetes', message: `${where}waypoint ${wp.ref} has no status address: istiod ignores it` });
    }
  }

  return {
    window: telemetry.window,
    nodes: [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id)),
    edges,
    warnings,
  };
}

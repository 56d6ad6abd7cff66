// Namespace rows and mesh-wide totals for the overview (docs/api.md §4 /api/namespaces). Pure.
//
// Rules:
// - Mode comes from application workloads only: waypoints, gateways (ingress/egress/east-west),
//   ztunnel, istio-cni and istiod are excluded. All workloads share a mode → that mode; no
//   application workload → "none"; otherwise "mixed" (a mixed workload makes the namespace mixed).
// - Edge coverage counts the folded edges whose *destination* node is in the namespace
//   (traffic served by the namespace). Expanded waypoint legs are ignored. total = all such edges,
//   l7 = telemetry "l7", l7Gaps = HTTP/gRPC with only L4 telemetry, plaintext = mtls "plaintext".
// - Issues are the intent/state mismatches of the namespace (see findings/mode-mismatch.ts) plus
//   workloads whose mode changed since the window (GraphNode.modeChanged).
import { modeIssues } from './findings/mode-mismatch';
import { proxyPods } from './findings/version-drift';
import { inventoryOf } from './inventory';
import { LABEL_DATAPLANE_MODE, LABEL_INJECTION, LABEL_REV } from './pods';
import { ref, uniqSorted } from './util';
import { applicationWorkloads, namespaceModeOf } from './workloads';
import type { GraphEdge, KubeSnapshot, MeshGraph, ModeIntent, NamespaceSummary, PodCounts, Window, WorkloadMode } from './types';

/** A NamespaceSummary plus the extra fields the overview uses. */
export interface NamespaceRow extends NamespaceSummary {
  /** Application pods by actual mode (infrastructure excluded). */
  pods: PodCounts;
  /** The Istio system namespace (ztunnel, istiod, gateways): shown, but it has no application mode. */
  system: boolean;
  /** Known only from telemetry (no Namespace object, or Kubernetes unavailable). */
  telemetryOnly: boolean;
}

function isL7Gap(e: GraphEdge): boolean {
  return e.l7Gap || ((e.protocol === 'http' || e.protocol === 'grpc') && e.telemetry === 'l4');
}

function foldedEdges(graph: MeshGraph): GraphEdge[] {
  return graph.edges.filter((e) => e.leg === undefined);
}

function sumCounts(counts: PodCounts[]): PodCounts {
  const c: PodCounts = { total: 0, sidecar: 0, ambient: 0, none: 0 };
  for (const x of counts) {
    c.total += x.total;
    c.sidecar += x.sidecar;
    c.ambient += x.ambient;
    c.none += x.none;
  }
  return c;
}

function validNamespace(ns: string | undefined): ns is string {
  return !!ns && ns !== 'unknown';
}

/**
 * One row per namespace (Kubernetes namespaces plus namespaces seen only in telemetry), sorted by
 * name: mode, intent labels, workloads by mode, waypoints ("ns/name"), edge coverage and issues.
 *
 * @param kube  Kubernetes snapshot; when unavailable, rows come from the graph nodes only
 * @param graph MeshGraph of the window (folded view)
 */
export function summarizeNamespaces(kube: KubeSnapshot, graph: MeshGraph): NamespaceRow[] {
  const inv = inventoryOf(kube);
  const workloads = applicationWorkloads(inv.workloads);
  const issues = modeIssues(kube);
  const edges = foldedEdges(graph);
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));

  const names = new Set<string>(inv.workloads.namespaces.keys());
  for (const n of graph.nodes) if (validNamespace(n.namespace) && n.kind !== 'unknown') names.add(n.namespace);

  return [...names].sort().map((name) => {
    const nsInfo = inv.namespace(name);
    const labels = nsInfo?.labels ?? {};
    const intent: ModeIntent = {};
    if (labels[LABEL_INJECTION] !== undefined) intent.istioInjection = labels[LABEL_INJECTION];
    if (labels[LABEL_REV] !== undefined) intent.istioRev = labels[LABEL_REV];
    if (labels[LABEL_DATAPLANE_MODE] !== undefined) intent.dataplaneMode = labels[LABEL_DATAPLANE_MODE];

    let nsWorkloads = workloads.filter((w) => w.namespace === name);
    let modes: WorkloadMode[] = nsWorkloads.map((w) => w.mode);
    const telemetryOnly = !nsInfo;
    if (nsWorkloads.length === 0 && (telemetryOnly || !inv.snapshot.available)) {
      // No pods known: fall back to the graph's workload nodes.
      const wlNodes = graph.nodes.filter((n) => n.kind === 'workload' && n.namespace === name && n.mode);
      modes = wlNodes.map((n) => n.mode!);
      nsWorkloads = [];
    }
    const counts = { total: modes.length, sidecar: 0, ambient: 0, none: 0, mixed: 0 };
    for (const m of modes) counts[m] += 1;

    // Waypoints located in the namespace, and the ones its services/pods/graph nodes are bound to.
    const waypoints = new Set<string>([...inv.waypoints.waypoints.values()].filter((g) => g.namespace === name).map((g) => g.ref));
    for (const s of inv.workloads.services.values()) {
      if (s.namespace !== name) continue;
      const w = inv.waypoints.serviceWaypoint(s);
      if (w) waypoints.add(w);
    }
    for (const w of nsWorkloads) {
      for (const p of w.pods) {
        const b = inv.waypoints.podBinding(p.pod);
        if (b?.accepted && b.waypoint) waypoints.add(b.waypoint);
      }
    }
    for (const n of graph.nodes) if (n.namespace === name && n.waypoint) waypoints.add(n.waypoint);

    const into = edges.filter((e) => {
      const t = nodes.get(e.target);
      return t !== undefined && t.namespace === name && t.kind !== 'waypoint';
    });
    const nsIssues = issues.filter((i) => i.namespace === name).map((i) => i.text);
    for (const n of graph.nodes) {
      if (n.namespace === name && n.modeChanged && n.modeInWindow && n.mode) {
        nsIssues.push(`${ref(n.namespace, n.name)}: was ${n.modeInWindow} in this window, ${n.mode} now (mode changed since)`);
      }
    }

    return {
      name,
      mode: namespaceModeOf(modes),
      intent,
      workloads: counts,
      waypoints: uniqSorted(waypoints),
      edges: {
        total: into.length,
        l7: into.filter((e) => e.telemetry === 'l7').length,
        l7Gaps: into.filter(isL7Gap).length,
        plaintext: into.filter((e) => e.mtls === 'plaintext').length,
      },
      issues: nsIssues,
      pods: sumCounts(nsWorkloads.map((w) => w.counts)),
      system: name === inv.istioNamespace,
      telemetryOnly,
    };
  });
}

/** A namespace row without what only the telemetry knows (`/api/namespaces?omit=traffic`, docs/api.md §4.3). */
export type NamespaceInventoryRow = Omit<NamespaceRow, 'edges'>;

/**
 * The namespace rows of the Kubernetes inventory alone: the same name, mode, intent, workloads, pods,
 * waypoints and intent/state issues as summarizeNamespaces gives for a namespace the API knows, without edge
 * coverage, telemetry-only namespaces and "mode changed since" (they need the window's telemetry).
 */
export function summarizeNamespaceInventory(kube: KubeSnapshot, window: Window): NamespaceInventoryRow[] {
  return summarizeNamespaces(kube, { window, nodes: [], edges: [], warnings: [] }).map((r) => {
    const row: NamespaceInventoryRow & Partial<Pick<NamespaceRow, 'edges'>> = { ...r };
    delete row.edges;
    return row;
  });
}

export interface TrafficShare {
  /** Share 0..1 of traffic weight; null when no traffic was observed. */
  share: number | null;
  /** Share 0..1 by edge count; null when there are no edges. */
  edgeShare: number | null;
  edges: number;
  totalEdges: number;
}

export interface MeshSummary {
  window: Window;
  /** Running proxies (live pods). */
  proxies: { sidecars: number; ztunnels: number; waypoints: number; gateways: number };
  /** Waypoint Gateways ("ns/name") and whether each has an address (effective). */
  waypoints: { ref: string; ready: boolean }[];
  namespaces: { total: number; sidecar: number; ambient: number; mixed: number; none: number };
  /**
   * Share of observed traffic with L7 telemetry. Traffic weight of an edge = its request rate
   * when it has L7 telemetry, else its connection-open rate (one request or one connection
   * counts as one unit; edges without a rate weigh 0).
   */
  l7: TrafficShare;
  /** Share of observed traffic (same weights) whose server side saw mTLS. */
  mtls: TrafficShare & { plaintextEdges: number; unknownEdges: number };
  edges: { total: number; l7: number; l7Gaps: number; plaintext: number };
  /** Proxy versions in use: version → number of proxies. */
  proxyVersions: Record<string, number>;
}

function weight(e: GraphEdge): number {
  const w = e.telemetry === 'l7' ? (e.rates.rps ?? e.rates.connectionsPerSec) : (e.rates.connectionsPerSec ?? e.rates.rps);
  return typeof w === 'number' && Number.isFinite(w) && w > 0 ? w : 0;
}

function share(edges: GraphEdge[], pred: (e: GraphEdge) => boolean): TrafficShare {
  const total = edges.reduce((s, e) => s + weight(e), 0);
  const hit = edges.filter(pred);
  const part = hit.reduce((s, e) => s + weight(e), 0);
  return {
    share: total > 0 ? part / total : null,
    edgeShare: edges.length > 0 ? hit.length / edges.length : null,
    edges: hit.length,
    totalEdges: edges.length,
  };
}

/** The edges the mesh-wide shares weigh: folded (one per client → server), the hops into a waypoint left out. */
function meshEdges(graph: MeshGraph): GraphEdge[] {
  const kinds = new Map(graph.nodes.map((n) => [n.id, n.kind]));
  return foldedEdges(graph).filter((e) => kinds.get(e.target) !== 'waypoint');
}

/** Share of the window's traffic with L7 telemetry and with mTLS (the overview's headline shares; the trend lines' points). */
export function trafficShares(graph: MeshGraph): { l7: TrafficShare; mtls: TrafficShare } {
  const edges = meshEdges(graph);
  return { l7: share(edges, (e) => e.telemetry === 'l7'), mtls: share(edges, (e) => e.mtls === 'mutual') };
}

/**
 * Mesh-wide totals for the overview header: running sidecars/ztunnels/waypoints/gateways, share of
 * observed traffic with L7 telemetry and with mTLS (see TrafficShare), namespace modes.
 *
 * @param kube  Kubernetes snapshot
 * @param graph MeshGraph of the window (folded view)
 * @param rows  optional precomputed summarizeNamespaces(kube, graph)
 */
export function summarizeMesh(kube: KubeSnapshot, graph: MeshGraph, rows?: NamespaceRow[]): MeshSummary {
  const inv = inventoryOf(kube);
  const running = inv.pods.filter((p) => p.pod.phase === 'Running');
  const count = (...classes: string[]) => running.filter((p) => classes.includes(p.classification.class)).length;
  const edges = meshEdges(graph);
  const ns = rows ?? summarizeNamespaces(kube, graph);
  const nsCounts = { total: 0, sidecar: 0, ambient: 0, mixed: 0, none: 0 };
  for (const r of ns) {
    if (r.system) continue;
    nsCounts.total += 1;
    nsCounts[r.mode] += 1;
  }
  const versions: Record<string, number> = {};
  for (const f of proxyPods(running)) versions[f.version] = (versions[f.version] ?? 0) + 1;
  const { l7, mtls } = trafficShares(graph);
  return {
    window: graph.window,
    proxies: {
      sidecars: count('sidecar'),
      ztunnels: count('ztunnel'),
      waypoints: count('waypoint'),
      gateways: count('gateway', 'ambient-east-west-gateway'),
    },
    waypoints: [...inv.waypoints.waypoints.values()].map((g) => ({ ref: g.ref, ready: g.effective })).sort((a, b) => (a.ref < b.ref ? -1 : 1)),
    namespaces: nsCounts,
    l7,
    mtls: {
      ...mtls,
      plaintextEdges: edges.filter((e) => e.mtls === 'plaintext').length,
      unknownEdges: edges.filter((e) => e.mtls === 'unknown').length,
    },
    edges: {
      total: edges.length,
      l7: edges.filter((e) => e.telemetry === 'l7').length,
      l7Gaps: edges.filter(isL7Gap).length,
      plaintext: edges.filter((e) => e.mtls === 'plaintext').length,
    },
    proxyVersions: versions,
  };
}

import type { EdgePath, EdgeRates, GraphEdge, GraphNode, MeshGraph, Mtls, NodeKind, WorkloadMode } from '@/lib/mesh/types';
import { effectiveMode, trafficAmount } from './style-mapping';

// Namespace-level aggregation for large graphs (issue "Scale"). Pure.
//
// Above COLLAPSE_NODE_THRESHOLD nodes, every namespace that is not expanded becomes one aggregate
// node, and the edges between two ends of which at least one is an aggregate are summed into one
// edge per (source end, target end) pair. Edges inside one collapsed namespace disappear from the
// drawing and are counted on the aggregate node.

/**
 * Collapse namespaces above this many (visible) nodes. bench/results.md: one namespace (97 nodes,
 * 172 elements) is interactive in < 1 s and pans at ~17 fps in software rendering, 2,023 nodes take
 * 10 s and pan at 1 fps; docs/engineering.md B2 puts fcose default quality at ~1 s for 500 nodes, and
 * Cytoscape desktop / Grafana switch to coarse drawing or cap the view at ~200 visible nodes.
 * 250 keeps a drilled-down namespace or two fully drawn and collapses anything mesh-sized.
 */
export const COLLAPSE_NODE_THRESHOLD = 250;
/** A namespace with fewer nodes than this is drawn as is (an aggregate of one node hides nothing). */
const MIN_AGGREGATE_MEMBERS = 2;

export const AGGREGATE_NODE_PREFIX = 'ns-agg:';
const AGGREGATE_EDGE_PREFIX = 'ns-agg-edge:';

export function aggregateNodeId(cluster: string, namespace: string): string {
  return `${AGGREGATE_NODE_PREFIX}${cluster}/${namespace}`;
}

export function aggregateEdgeId(source: string, target: string): string {
  return `${AGGREGATE_EDGE_PREFIX}${source}->${target}`;
}

function isAggregateId(id: string): boolean {
  return id.startsWith(AGGREGATE_NODE_PREFIX) || id.startsWith(AGGREGATE_EDGE_PREFIX);
}

interface AggregateInfo {
  cluster: string;
  namespace: string;
  /** Member node count and ids (sorted). */
  members: number;
  memberIds: string[];
  /** Workload members (the "N workloads" of the label). */
  workloads: number;
  kinds: Partial<Record<NodeKind, number>>;
  /** Edges with both ends inside the namespace (not drawn while collapsed). */
  internalEdges: number;
}

/** A collapsed namespace. `kind` stays a valid NodeKind ('workload') so every consumer still works; `aggregate` marks it. */
export interface AggregateNode extends GraphNode {
  aggregate: AggregateInfo;
  label: string;
}

interface PathShare {
  count: number;
  /** trafficAmount() summed over the member edges of this path. */
  traffic: number;
}

export interface AggregateEdge extends GraphEdge {
  aggregate: {
    /** Member edge count and ids (sorted). */
    count: number;
    memberIds: string[];
    paths: Partial<Record<EdgePath, PathShare>>;
    /** Worst member error rate (the aggregate's errorRate is the rps-weighted mean). */
    maxErrorRate?: number;
  };
}

interface CollapseOptions {
  /** Namespaces drawn with their nodes (applies to the namespace in every cluster). */
  expanded?: Iterable<string>;
  /** Collapse only when the graph has more nodes than this. Default COLLAPSE_NODE_THRESHOLD. */
  threshold?: number;
}

export interface CollapsedGraph {
  nodes: (GraphNode | AggregateNode)[];
  edges: (GraphEdge | AggregateEdge)[];
  /** True when at least one namespace is collapsed. */
  collapsed: boolean;
  /** Collapsed namespace names, sorted, unique. */
  collapsedNamespaces: string[];
  /** Original node id → id of the aggregate that stands for it (only for collapsed members). */
  memberOf: Map<string, string>;
}

export function isAggregateNode(n: GraphNode): n is AggregateNode {
  return (n as Partial<AggregateNode>).aggregate !== undefined;
}

export function isAggregateEdge(e: GraphEdge): e is AggregateEdge {
  return (e as Partial<AggregateEdge>).aggregate !== undefined;
}

/** Nodes that can be collapsed into their namespace: unknown peers have no real namespace. */
function collapsible(n: GraphNode): boolean {
  return n.kind !== 'unknown' && n.namespace !== '';
}

/** Mode of a namespace from its workloads/gateways: the common mode, 'mixed' when they differ, undefined when none has one. */
export function namespaceMode(members: readonly GraphNode[]): WorkloadMode | undefined {
  let mode: WorkloadMode | undefined;
  for (const n of members) {
    if (n.kind !== 'workload' && n.kind !== 'gateway') continue;
    const m = effectiveMode(n);
    if (!m) continue;
    if (mode === undefined) mode = m;
    else if (mode !== m) return 'mixed';
  }
  return mode;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const MTLS_RANK: Record<Mtls, number> = { mutual: 0, unknown: 1, plaintext: 2 };

function addRate(out: EdgeRates, key: keyof EdgeRates, v: number | undefined) {
  if (v === undefined) return;
  out[key] = (out[key] ?? 0) + v;
}

/** Sum member edges into one edge from `source` to `target`. Members must be non-empty. */
export function aggregateEdges(source: string, target: string, members: readonly GraphEdge[]): AggregateEdge {
  const sorted = [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rates: EdgeRates = {};
  const paths: Partial<Record<EdgePath, PathShare>> = {};
  let errWeighted = 0;
  let errRps = 0;
  let maxErrorRate: number | undefined;
  let mtls: Mtls = 'mutual';
  let l7Gap = false;
  let l7 = false;
  let partialL7 = false;
  let crossCluster = false;
  let attributionGuessed = false;
  const protocols = new Set<GraphEdge['protocol']>();
  const services = new Set<string>();
  const failuresByFlag: Record<string, number> = {};
  const statuses: { http: Record<string, number>; grpc: Record<string, number> } = { http: {}, grpc: {} };
  let meanWeighted = 0;
  let meanRps = 0;
  for (const e of sorted) {
    const r = e.rates;
    addRate(rates, 'rps', r.rps);
    addRate(rates, 'connectionsPerSec', r.connectionsPerSec);
    addRate(rates, 'failedConnectionsPerSec', r.failedConnectionsPerSec);
    addRate(rates, 'requestBytesPerSec', r.requestBytesPerSec);
    addRate(rates, 'responseBytesPerSec', r.responseBytesPerSec);
    if (r.errorRate !== undefined) {
      maxErrorRate = Math.max(maxErrorRate ?? 0, r.errorRate);
      const w = r.rps ?? 0;
      errWeighted += r.errorRate * w;
      errRps += w;
    }
    const p = (paths[e.path] ??= { count: 0, traffic: 0 });
    p.count++;
    p.traffic += trafficAmount(r) ?? 0;
    if (MTLS_RANK[e.mtls] > MTLS_RANK[mtls]) mtls = e.mtls;
    l7Gap ||= e.l7Gap;
    l7 ||= e.telemetry === 'l7';
    partialL7 ||= Boolean(e.partialL7);
    crossCluster ||= Boolean(e.crossCluster);
    attributionGuessed ||= Boolean(e.attributionGuessed);
    protocols.add(e.protocol);
    for (const s of e.services) services.add(s);
    for (const [flag, v] of Object.entries(e.failuresByFlag ?? {})) failuresByFlag[flag] = (failuresByFlag[flag] ?? 0) + v;
    for (const kind of ['http', 'grpc'] as const) {
      for (const [code, v] of Object.entries(e.statuses?.[kind] ?? {})) statuses[kind][code] = (statuses[kind][code] ?? 0) + v;
    }
    if (r.meanMs !== undefined && r.rps !== undefined && r.rps > 0) {
      meanWeighted += r.meanMs * r.rps;
      meanRps += r.rps;
    }
  }
  // Requests of the members are disjoint, so the pair's mean latency is the rps-weighted mean.
  if (meanRps > 0) rates.meanMs = meanWeighted / meanRps;
  const hasStatuses = Object.keys(statuses.http).length > 0 || Object.keys(statuses.grpc).length > 0;
  if (maxErrorRate !== undefined) {
    // rps-weighted mean: the share of failed requests among all requests of the pair; without any
    // request rate to weigh by, the worst member.
    rates.errorRate = errRps > 0 ? errWeighted / errRps : maxErrorRate;
  }
  // Dominant path: most traffic, then most edges, then a fixed order (deterministic).
  const ORDER: EdgePath[] = ['waypoint', 'mixed', 'sidecar', 'ambient'];
  const path = (Object.entries(paths) as [EdgePath, PathShare][]).sort(
    ([pa, a], [pb, b]) => b.traffic - a.traffic || b.count - a.count || ORDER.indexOf(pa) - ORDER.indexOf(pb),
  )[0]![0];
  const protocol = protocols.size === 1 ? [...protocols][0]! : protocols.has('http') || protocols.has('grpc') ? 'http' : 'unknown';
  return {
    id: aggregateEdgeId(source, target),
    source,
    target,
    path,
    telemetry: l7 ? 'l7' : 'l4',
    protocol,
    l7Gap,
    mtls,
    rates,
    reporters: [],
    services: [...services].sort(),
    ...(Object.keys(failuresByFlag).length ? { failuresByFlag } : {}),
    ...(hasStatuses
      ? {
          statuses: {
            ...(Object.keys(statuses.http).length ? { http: statuses.http } : {}),
            ...(Object.keys(statuses.grpc).length ? { grpc: statuses.grpc } : {}),
          },
        }
      : {}),
    ...(partialL7 || (l7 && sorted.some((e) => e.telemetry === 'l4')) ? { partialL7: true } : {}),
    ...(crossCluster ? { crossCluster } : {}),
    ...(attributionGuessed ? { attributionGuessed } : {}),
    aggregate: { count: sorted.length, memberIds: sorted.map((e) => e.id), paths, ...(maxErrorRate !== undefined ? { maxErrorRate } : {}) },
  };
}

/** The namespaces that would become aggregates (id → members), or none: the one rule collapseGraph and collapses() share. */
function collapseGroups(graph: Pick<MeshGraph, 'nodes'>, opts: CollapseOptions): Map<string, GraphNode[]> {
  const groups = new Map<string, GraphNode[]>();
  if (graph.nodes.length <= (opts.threshold ?? COLLAPSE_NODE_THRESHOLD)) return groups;
  const expanded = new Set(opts.expanded ?? []);
  // Group collapsible nodes by (cluster, namespace).
  for (const n of graph.nodes) {
    if (!collapsible(n) || expanded.has(n.namespace)) continue;
    const id = aggregateNodeId(n.cluster, n.namespace);
    const g = groups.get(id);
    if (g) g.push(n);
    else groups.set(id, [n]);
  }
  for (const [id, members] of groups) if (members.length < MIN_AGGREGATE_MEMBERS) groups.delete(id);
  return groups;
}

/** Would collapseGraph draw at least one namespace as an aggregate? (Cheap: no edge is looked at.) */
export function collapses(graph: Pick<MeshGraph, 'nodes'>, opts: CollapseOptions = {}): boolean {
  return collapseGroups(graph, opts).size > 0;
}

/**
 * Reduce a graph by collapsing every non-expanded namespace into one node. Below the threshold,
 * or when nothing is collapsible, the graph is returned unchanged (same node/edge objects).
 */
export function collapseGraph(graph: Pick<MeshGraph, 'nodes' | 'edges'>, opts: CollapseOptions = {}): CollapsedGraph {
  const unchanged: CollapsedGraph = { nodes: graph.nodes, edges: graph.edges, collapsed: false, collapsedNamespaces: [], memberOf: new Map() };
  const groups = collapseGroups(graph, opts);
  const memberOf = new Map<string, string>();
  for (const [id, members] of groups) for (const m of members) memberOf.set(m.id, id);
  if (groups.size === 0) return unchanged;

  const internal = new Map<string, number>();
  const kept: GraphEdge[] = [];
  const buckets = new Map<string, { source: string; target: string; members: GraphEdge[] }>();
  for (const e of graph.edges) {
    const s = memberOf.get(e.source) ?? e.source;
    const t = memberOf.get(e.target) ?? e.target;
    if (s === e.source && t === e.target) {
      kept.push(e);
      continue;
    }
    if (s === t) {
      internal.set(s, (internal.get(s) ?? 0) + 1);
      continue;
    }
    const key = aggregateEdgeId(s, t);
    const b = buckets.get(key);
    if (b) b.members.push(e);
    else buckets.set(key, { source: s, target: t, members: [e] });
  }

  const nodes: (GraphNode | AggregateNode)[] = [];
  const emitted = new Set<string>();
  const collapsedNamespaces = new Set<string>();
  // Keep the original order; an aggregate takes the place of its first member.
  for (const n of graph.nodes) {
    const agg = memberOf.get(n.id);
    if (agg === undefined) {
      nodes.push(n);
      continue;
    }
    if (emitted.has(agg)) continue;
    emitted.add(agg);
    const members = groups.get(agg)!;
    const kinds: Partial<Record<NodeKind, number>> = {};
    for (const m of members) kinds[m.kind] = (kinds[m.kind] ?? 0) + 1;
    const workloads = kinds.workload ?? 0;
    const mode = namespaceMode(members);
    collapsedNamespaces.add(n.namespace);
    nodes.push({
      id: agg,
      kind: 'workload',
      namespace: n.namespace,
      name: n.namespace,
      cluster: n.cluster,
      ...(mode ? { mode } : {}),
      label: `${n.namespace} (${plural(workloads, 'workload')})`,
      aggregate: {
        cluster: n.cluster,
        namespace: n.namespace,
        members: members.length,
        memberIds: members.map((m) => m.id).sort(),
        workloads,
        kinds,
        internalEdges: internal.get(agg) ?? 0,
      },
    });
  }
  const edges: (GraphEdge | AggregateEdge)[] = [...kept];
  for (const b of buckets.values()) edges.push(aggregateEdges(b.source, b.target, b.members));
  return { nodes, edges, collapsed: true, collapsedNamespaces: [...collapsedNamespaces].sort(), memberOf };
}

/**
 * Namespaces that must be expanded so `id` (a node or edge id of the full graph, e.g. from the
 * URL's `selected=`) is drawn. Empty for aggregate ids, unknown ids and unknown peers.
 */
export function namespacesToReveal(graph: Pick<MeshGraph, 'nodes' | 'edges'>, id: string | undefined): string[] {
  if (!id || isAggregateId(id)) return [];
  const nodeNs = (nid: string): string | undefined => {
    const n = graph.nodes.find((x) => x.id === nid);
    return n && collapsible(n) ? n.namespace : undefined;
  };
  const edge = graph.edges.find((e) => e.id === id);
  const out = edge ? [nodeNs(edge.source), nodeNs(edge.target)] : [nodeNs(id)];
  return [...new Set(out.filter((x): x is string => x !== undefined && x !== ''))].sort();
}

/**
 * Namespaces to expand when the user activates `id` on the collapsed drawing: an aggregate node
 * → its namespace; an aggregate edge → the collapsed namespaces at its ends; anything else → [].
 */
export function namespacesToExpand(collapsed: Pick<CollapsedGraph, 'nodes'>, id: string): string[] {
  if (!isAggregateId(id)) return [];
  const byId = new Map(collapsed.nodes.map((n) => [n.id, n]));
  const nsOf = (nid: string): string | undefined => {
    const n = byId.get(nid);
    return n && isAggregateNode(n) ? n.aggregate.namespace : undefined;
  };
  if (id.startsWith(AGGREGATE_NODE_PREFIX)) return [nsOf(id)].filter((x): x is string => x !== undefined);
  const m = /^ns-agg-edge:(.+?)->(.+)$/.exec(id);
  // Ends are node ids or aggregate ids; neither contains "->" (lib/mesh/ids.ts names have no "->").
  if (!m) return [];
  return [...new Set([nsOf(m[1]!), nsOf(m[2]!)].filter((x): x is string => x !== undefined))].sort();
}

/**
 * The namespaces an aggregate id (a collapsed namespace, or a link between two ends of which one at least is
 * collapsed) stands for; [] for any other id. Node-id ends are looked up in the full graph.
 */
export function aggregateNamespaces(graph: Pick<MeshGraph, 'nodes'>, id: string | undefined): string[] {
  if (!id || !isAggregateId(id)) return [];
  const endNs = (end: string): string | undefined => {
    if (end.startsWith(AGGREGATE_NODE_PREFIX)) return end.slice(end.indexOf('/') + 1) || undefined;
    return graph.nodes.find((n) => n.id === end)?.namespace || undefined;
  };
  if (id.startsWith(AGGREGATE_NODE_PREFIX)) return [endNs(id)].filter((x): x is string => x !== undefined);
  const m = /^ns-agg-edge:(.+?)->(.+)$/.exec(id);
  if (!m) return [];
  return [...new Set([endNs(m[1]!), endNs(m[2]!)].filter((x): x is string => x !== undefined))].sort();
}

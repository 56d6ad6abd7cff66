import { withEdgeDetail } from '@/lib/api/detail';
import type { EdgeRates, GraphEdge, MeshGraph } from '@/lib/mesh/types';

// Latency on demand (docs/api.md `omit`, docs/api.md §4.1 "Latency on demand"). Pure.
//
// The whole-mesh graph is read with `omit=latency`: its histogram query is the most expensive one and a
// collapsed drawing shows no percentile. The page then asks the full graph of the namespaces the user looks
// at in detail (expanded ones, the selection's ends) — or of the whole mesh when nothing is collapsed — and
// copies each edge's latency into the drawn graph by edge id. An edge's latency comes from its own
// histogram series only, which a namespace restriction on either end keeps whole, so the numbers are the
// ones a whole-mesh request would give.

const LATENCY_FIELDS = ['p50Ms', 'p95Ms', 'p99Ms', 'meanMs'] as const satisfies readonly (keyof EdgeRates)[];

/** Where latency is still to be read: every edge ('all'), the edges touching these namespaces, or nothing. */
export type LatencyScope = 'all' | string[] | undefined;

export function latencyScope(opts: {
  /** The drawn graph's `omitted` (undefined when it already carries latency). */
  omitted: MeshGraph['omitted'];
  /** True when namespaces are drawn collapsed (lib/graph/collapse.ts collapses). */
  collapsedView: boolean;
  /** Namespaces drawn with their workloads, and the ones the selection needs. */
  detailed: readonly string[];
}): LatencyScope {
  if (!opts.omitted || opts.omitted.length === 0) return undefined;
  if (!opts.collapsedView) return 'all';
  const ns = [...new Set(opts.detailed.filter((n) => n !== ''))].sort();
  return ns.length > 0 ? ns : undefined;
}

function copyLatency(into: EdgeRates, from: EdgeRates): EdgeRates {
  const out: EdgeRates = { ...into };
  for (const f of LATENCY_FIELDS) {
    const v = from[f];
    if (v !== undefined) out[f] = v;
  }
  return out;
}

function mergeEdge(e: GraphEdge, l: GraphEdge): GraphEdge {
  const rates = copyLatency(e.rates, l.rates);
  if (!e.slices || !l.slices) return { ...e, rates };
  const byVia = new Map(l.slices.map((s) => [s.via, s]));
  return { ...e, rates, slices: e.slices.map((s) => (byVia.has(s.via) ? { ...s, rates: copyLatency(s.rates, byVia.get(s.via)!.rates) } : s)) };
}

/**
 * A drawn graph; `latencyRead` / `detailRead` = the edges whose latency / detail (lib/api/detail.ts) was read
 * when the graph itself omitted it.
 */
export type LatencyView = MeshGraph & { latencyRead?: ReadonlySet<string>; detailRead?: ReadonlySet<string> };

/**
 * `graph` with the latency and the detail fields of the follow-up's edges (same ids). A part is dropped from
 * `omitted` when the follow-up covered the whole mesh for the same window; otherwise `latencyRead` /
 * `detailRead` list the edges it covered. `latencyFailed`: the follow-up's latency queries failed (latencyFailure)
 * — it still lends the detail, read by its traffic queries.
 */
export function withLatency(
  graph: MeshGraph,
  followUp: Pick<MeshGraph, 'edges' | 'window' | 'omitted'> | undefined,
  scope: LatencyScope,
  opts: { latencyFailed?: boolean } = {},
): LatencyView {
  if (!followUp) return graph;
  const lendsLatency = !opts.latencyFailed && !followUp.omitted?.includes('latency') && (graph.omitted?.includes('latency') ?? false);
  const lendsDetail = !followUp.omitted?.includes('detail') && (graph.omitted?.includes('detail') ?? false);
  if (!lendsLatency && !lendsDetail) return graph;
  const byId = new Map(followUp.edges.map((e) => [e.id, e]));
  const read = new Set<string>();
  const edges = graph.edges.map((e) => {
    const l = byId.get(e.id);
    if (!l) return e;
    read.add(e.id);
    const withDetail = lendsDetail ? withEdgeDetail(e, l) : e;
    return lendsLatency ? mergeEdge(withDetail, l) : withDetail;
  });
  const complete = scope === 'all' && followUp.window.start === graph.window.start && followUp.window.end === graph.window.end;
  if (read.size === 0 && !complete) return graph;
  const merged: LatencyView = { ...graph, edges };
  const lent = [...(lendsLatency ? ['latency'] : []), ...(lendsDetail ? ['detail'] : [])];
  if (complete) {
    const omitted = (graph.omitted ?? []).filter((p) => !lent.includes(p));
    if (omitted.length > 0) merged.omitted = omitted;
    else delete merged.omitted;
  }
  const stillLatency = merged.omitted?.includes('latency') ?? false;
  const stillDetail = merged.omitted?.includes('detail') ?? false;
  if (stillLatency && lendsLatency) merged.latencyRead = read;
  if (stillDetail && lendsDetail) merged.detailRead = read;
  return merged;
}

/** True when this L7 edge's latency was not read for the drawn graph yet (as opposed to: it has none). */
export function latencyMissing(graph: Pick<LatencyView, 'omitted' | 'latencyRead'>, edge: GraphEdge): boolean {
  return (graph.omitted?.includes('latency') ?? false) && edge.telemetry === 'l7' && !graph.latencyRead?.has(edge.id);
}

/** True when this edge's reporters, principals and rate sources were not read for the drawn graph yet (`omit=detail`). */
export function detailMissing(graph: Pick<LatencyView, 'omitted' | 'detailRead'>, edge: GraphEdge): boolean {
  return (graph.omitted?.includes('detail') ?? false) && !graph.detailRead?.has(edge.id);
}

/**
 * The latency answer's own failure: a graph whose latency queries all failed while its traffic queries
 * answered carries the warning `latency queries failed: <why>; these numbers are missing` (docs/api.md §4.1
 * "Latency on demand"). Its edges then have no latency because none was read, which the page must not take
 * for "no latency": the message, or undefined when the latency was read.
 */
export function latencyFailure(latency: Pick<MeshGraph, 'warnings'> | undefined): string | undefined {
  return latency?.warnings?.find((w) => w.source === 'prometheus' && w.message.startsWith('latency queries failed: '))?.message;
}

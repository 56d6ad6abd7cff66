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
  if (!opts.omitted?.includes('latency')) return undefined;
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

/** A drawn graph; `latencyRead` = the edges whose latency was read when the graph itself omitted it. */
export type LatencyView = MeshGraph & { latencyRead?: ReadonlySet<string> };

/**
 * `graph` with the latency of `latency`'s edges (same ids). `omitted` is dropped when `latency` covered the
 * whole mesh for the same window; otherwise `latencyRead` lists the edges it covered.
 */
export function withLatency(graph: MeshGraph, latency: Pick<MeshGraph, 'edges' | 'window' | 'omitted'> | undefined, scope: LatencyScope): LatencyView {
  if (!latency || latency.omitted?.includes('latency')) return graph;
  const byId = new Map(latency.edges.map((e) => [e.id, e]));
  const read = new Set<string>();
  const edges = graph.edges.map((e) => {
    const l = byId.get(e.id);
    if (!l) return e;
    read.add(e.id);
    return mergeEdge(e, l);
  });
  const complete = scope === 'all' && latency.window.start === graph.window.start && latency.window.end === graph.window.end;
  if (read.size === 0 && !complete) return graph;
  const merged: LatencyView = { ...graph, edges };
  if (complete) delete merged.omitted;
  else merged.latencyRead = read;
  return merged;
}

/** True when this L7 edge's latency was not read for the drawn graph yet (as opposed to: it has none). */
export function latencyMissing(graph: Pick<LatencyView, 'omitted' | 'latencyRead'>, edge: GraphEdge): boolean {
  return (graph.omitted?.includes('latency') ?? false) && edge.telemetry === 'l7' && !graph.latencyRead?.has(edge.id);
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

import type { GraphEdge, MeshGraph } from '@/lib/mesh/types';

// `omit=detail` (docs/api.md §4.2 "Detail on demand"). Pure.
//
// Per edge, the reporters that saw it, the SPIFFE principals and which reporter each family of numbers came
// from are read only by the side panel of a selected edge, yet they are 40 % of a whole-mesh answer's bytes
// (2,000 workloads: 3.6 of 9.0 MB; bench/results.md). The graph page reads them with the latency of what the
// user looks at in detail (lib/graph/latency.ts), so the polled whole-mesh answer leaves them out. They come
// from the edge's own series, which a namespace restriction on either end keeps whole: the follow-up gives
// the same values as the whole-mesh graph would. Everything the drawing, the filters, the list view and the
// collapsed namespaces use stays in.

/** The edge fields `omit=detail` leaves out (and the slices' `rateSources`). */
export const EDGE_DETAIL_FIELDS = ['reporters', 'principals', 'rateSources'] as const satisfies readonly (keyof GraphEdge)[];

function withoutEdgeDetail(e: GraphEdge): GraphEdge {
  const out: GraphEdge = { ...e };
  for (const f of EDGE_DETAIL_FIELDS) delete out[f];
  if (e.slices) {
    out.slices = e.slices.map((s) => {
      const slice = { ...s };
      delete slice.rateSources;
      return slice;
    });
  }
  return out;
}

/** The graph without its edges' detail fields, `omitted` listing `detail` (sorted, as the API's `omit`). */
export function withoutDetail<G extends MeshGraph>(graph: G): G {
  const omitted = [...new Set([...(graph.omitted ?? []), 'detail' as const])].sort();
  return { ...graph, edges: graph.edges.map(withoutEdgeDetail), omitted };
}

/** `into` with the detail fields of `from` (the same edge read in full); slices matched by `via`. */
export function withEdgeDetail(into: GraphEdge, from: GraphEdge): GraphEdge {
  const out: GraphEdge = { ...into };
  for (const f of EDGE_DETAIL_FIELDS) {
    if (from[f] !== undefined) (out as unknown as Record<string, unknown>)[f] = from[f];
  }
  if (into.slices && from.slices) {
    const byVia = new Map(from.slices.map((s) => [s.via, s]));
    out.slices = into.slices.map((s) => {
      const f = byVia.get(s.via);
      return f?.rateSources ? { ...s, rateSources: f.rateSources } : s;
    });
  }
  return out;
}

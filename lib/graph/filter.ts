import type { GraphEdge, GraphNode, MeshGraph } from '@/lib/mesh/types';
import type { GraphFilters } from './url-state';
import { isIdle } from './style-mapping';

interface FilteredGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Out of the mesh: workloads/gateways with mode none, and peers Istio could not identify. */
function isOutOfMesh(node: GraphNode): boolean {
  return node.kind === 'unknown' || ((node.kind === 'workload' || node.kind === 'gateway') && (node.modeInWindow ?? node.mode) === 'none');
}

function hasEdgeFilter(f: GraphFilters): boolean {
  return f.paths.length > 0 || f.telemetry.length > 0 || f.mtls.length > 0 || f.hideIdle;
}

/**
 * Apply the toolbar filters. Edge filters keep only nodes touching a kept edge; without edge
 * filters every node stays (so idle workloads remain visible), minus out-of-mesh ones when hidden.
 */
export function filterGraph(graph: Pick<MeshGraph, 'nodes' | 'edges'>, f: GraphFilters): FilteredGraph {
  const hidden = new Set<string>();
  if (f.hideOutOfMesh) for (const n of graph.nodes) if (isOutOfMesh(n)) hidden.add(n.id);
  const known = new Set(graph.nodes.map((n) => n.id));

  const edges = graph.edges.filter(
    (e) =>
      known.has(e.source) &&
      known.has(e.target) &&
      !hidden.has(e.source) &&
      !hidden.has(e.target) &&
      (f.paths.length === 0 || f.paths.includes(e.path)) &&
      (f.telemetry.length === 0 || f.telemetry.includes(e.telemetry)) &&
      (f.mtls.length === 0 || f.mtls.includes(e.mtls)) &&
      (!f.hideIdle || !isIdle(e)),
  );

  let nodes = graph.nodes.filter((n) => !hidden.has(n.id));
  if (hasEdgeFilter(f)) {
    const touched = new Set<string>();
    for (const e of edges) {
      touched.add(e.source);
      touched.add(e.target);
    }
    nodes = nodes.filter((n) => touched.has(n.id));
  }
  return { nodes, edges };
}

/** Case-insensitive match on name, namespace/name or host. Empty query matches nothing. */
export function matchesSearch(node: GraphNode, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return false;
  return `${node.namespace}/${node.name}`.toLowerCase().includes(q) || (node.host?.toLowerCase().includes(q) ?? false);
}

/** Namespaces adjacent to `namespaces` through at least one edge (the drill-down "neighbours"). */
export function neighbourNamespaces(graph: Pick<MeshGraph, 'nodes' | 'edges'>, namespaces: string[]): string[] {
  const nsOf = new Map(graph.nodes.map((n) => [n.id, n.namespace]));
  const wanted = new Set(namespaces);
  const out = new Set<string>();
  for (const e of graph.edges) {
    const a = nsOf.get(e.source);
    const b = nsOf.get(e.target);
    if (a === undefined || b === undefined) continue;
    if (wanted.has(a) && !wanted.has(b)) out.add(b);
    if (wanted.has(b) && !wanted.has(a)) out.add(a);
  }
  return [...out].sort();
}

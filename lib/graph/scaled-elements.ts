import type { GraphEdge, MeshGraph } from '@/lib/mesh/types';
import { edgeHealth, trafficAmount } from './style-mapping';
import { collapseGraph, isAggregateEdge, isAggregateNode, type AggregateNode, type CollapsedGraph } from './collapse';
import { filterGraph, matchesSearch } from './filter';
import { isMultiCluster } from './clusters';
import { edgeToElement, namespaceElementId, nodeToElement, splitNamespacesByCluster, type GraphElement, type ToElementsOptions } from './to-elements';

// The graph page's element list at any size: filters → namespace collapse (collapse.ts) →
// cytoscape elements. Filters run on the full graph first, so an aggregate only sums what the
// filters let through. Adds a level-of-detail class: above LARGE_GRAPH_ELEMENTS the stylesheet
// draws plain straight edges without labels, dashes or markers (docs/engineering.md B1).

/** Above this many drawn elements the stylesheet's "large graph" rules apply (docs/engineering.md B1: ~1,000). */
export const LARGE_GRAPH_ELEMENTS = 1000;
/**
 * Most edges drawn between two collapsed namespaces. The 200-namespace bench mesh still has 8,487
 * namespace pairs after collapsing (random cross-namespace calls) and pans at ~5 fps with them in
 * software rendering. Problem edges (errors, plaintext, L7 gaps) go first; the page says how many are left out.
 * Panning the collapsed whole mesh (bench/render-lab.ts, headless software rendering; bench/results.md):
 * 55 fps with 800 links, 29 fps with 1,500; on that mesh both counts are problem links only.
 */
const MAX_AGGREGATE_EDGES = 800;

interface ScaledElementsOptions extends ToElementsOptions {
  /** Namespaces drawn with their nodes when the graph is collapsed. */
  expanded: Iterable<string>;
  /** false = never collapse. */
  collapse: boolean;
  threshold?: number;
  /** Default MAX_AGGREGATE_EDGES. */
  maxAggregateEdges?: number;
}

export interface ScaledElements {
  elements: GraphElement[];
  collapsed: CollapsedGraph;
  /** True when the large-graph (low detail) style applies. */
  large: boolean;
  /** Edges between collapsed namespaces left out (problem-free quietest first); expand a namespace to see its own. */
  hiddenEdges: number;
  /** How many of the hidden ones have an error, plaintext or L7 gap (0 unless there are more than the cap). */
  hiddenProblemEdges: number;
}

/** Keep at most `max` aggregate-to-aggregate edges: problem edges first (busiest first), then the busiest others. */
function capAggregateEdges(c: CollapsedGraph, max: number): { edges: CollapsedGraph['edges']; hidden: number; hiddenProblems: number } {
  const aggIds = new Set(c.nodes.filter(isAggregateNode).map((n) => n.id));
  const between = c.edges.filter((e) => isAggregateEdge(e) && aggIds.has(e.source) && aggIds.has(e.target));
  if (between.length <= max) return { edges: c.edges, hidden: 0, hiddenProblems: 0 };
  const problem = (e: GraphEdge) => e.l7Gap || e.mtls === 'plaintext' || edgeHealth(e) === 'error' || edgeHealth(e) === 'warn';
  const ranked = [...between].sort(
    (a, b) => Number(problem(b)) - Number(problem(a)) || (trafficAmount(b.rates) ?? 0) - (trafficAmount(a.rates) ?? 0) || (a.id < b.id ? -1 : 1),
  );
  const dropped = ranked.slice(max);
  const drop = new Set(dropped.map((e) => e.id));
  return { edges: c.edges.filter((e) => !drop.has(e.id)), hidden: drop.size, hiddenProblems: dropped.filter(problem).length };
}

function aggregateToElement(node: AggregateNode, members: ReadonlyMap<string, MeshGraph['nodes'][number]>, search: string, large: boolean): GraphElement {
  const base = nodeToElement(node, search);
  const q = search.trim();
  const matched =
    q !== '' &&
    node.aggregate.memberIds.some((id) => {
      const m = members.get(id);
      return m !== undefined && matchesSearch(m, q);
    });
  const classes = base.classes
    .split(' ')
    .filter((c) => c !== 'search-match' && c !== 'search-miss' && c !== 'kind-workload' && !c.startsWith('mode-'))
    .concat('aggregate', `mode-${node.mode ?? 'unknown'}`, matched ? 'search-match' : q ? 'search-miss' : '', large ? 'lod-low' : '')
    .filter(Boolean)
    .sort()
    .join(' ');
  return {
    group: 'nodes',
    data: {
      ...base.data,
      parent: undefined,
      label: node.label,
      kind: 'workload',
      aggregate: true,
      members: node.aggregate.members,
      workloads: node.aggregate.workloads,
      internalEdges: node.aggregate.internalEdges,
    },
    classes,
  };
}

function withClass(e: GraphElement, extra: string): GraphElement {
  return { ...e, classes: [...e.classes.split(' ').filter(Boolean), extra].sort().join(' ') };
}

export function toScaledElements(graph: Pick<MeshGraph, 'nodes' | 'edges'>, opts: ScaledElementsOptions): ScaledElements {
  const filtered = filterGraph(graph, opts.filters);
  const collapsed = opts.collapse
    ? collapseGraph(filtered, { expanded: opts.expanded, ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}) })
    : collapseGraph(filtered, { threshold: Number.POSITIVE_INFINITY });
  const capped = capAggregateEdges(collapsed, opts.maxAggregateEdges ?? MAX_AGGREGATE_EDGES);
  const large = collapsed.nodes.length + capped.edges.length > LARGE_GRAPH_ELEMENTS;
  const byId = new Map(filtered.nodes.map((n) => [n.id, n]));
  const namespaces = new Set<string>();
  for (const n of collapsed.nodes) if (!isAggregateNode(n) && n.kind !== 'unknown' && n.namespace) namespaces.add(n.namespace);
  const out: GraphElement[] = [...namespaces].sort().map((ns) => ({
    group: 'nodes' as const,
    data: { id: namespaceElementId(ns), label: ns, namespace: ns, kind: 'namespace' },
    classes: large ? 'lod-low namespace' : 'namespace',
  }));
  for (const n of collapsed.nodes) {
    if (isAggregateNode(n)) out.push(aggregateToElement(n, byId, opts.filters.search, large));
    else {
      const el = nodeToElement(n, opts.filters.search);
      out.push(large ? withClass(el, 'lod-low') : el);
    }
  }
  for (const e of capped.edges) {
    let el = edgeToElement(e, opts.overlay);
    if (isAggregateEdge(e)) {
      el = withClass(el, 'aggregate');
      el = { ...el, data: { ...el.data, aggregate: true, members: e.aggregate.count } };
    }
    out.push(large ? withClass(el, 'lod-low') : el);
  }
  // Per-cluster namespace boxes, decided on the whole graph (as toElements does) so a filter never renames them.
  return {
    elements: splitNamespacesByCluster(out, isMultiCluster(graph.nodes)),
    collapsed,
    large,
    hiddenEdges: capped.hidden,
    hiddenProblemEdges: capped.hiddenProblems,
  };
}

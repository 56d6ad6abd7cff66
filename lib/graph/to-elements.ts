import type { GraphEdge, GraphNode, MeshGraph } from '@/lib/mesh/types';
import { filterGraph, matchesSearch } from './filter';
import { edgeHealth, edgeLabel, edgeWidth, effectiveMode, isIdle, nodeLabel } from './style-mapping';
import type { GraphFilters, Overlay } from './url-state';

// MeshGraph → cytoscape element definitions. Pure; ids are the API's stable ids so a poll turns
// into data updates (diff.ts) instead of remove/add. Styling hangs on classes and data fields
// read by stylesheet.ts with data(): no function styles (cytoscape performance.md).

export interface ElementData {
  id: string;
  [key: string]: unknown;
}

export interface GraphElement {
  group: 'nodes' | 'edges';
  data: ElementData;
  /** Space-separated, sorted: diff compares them as strings. */
  classes: string;
}

export const NAMESPACE_PREFIX = 'ns:';

export function namespaceElementId(namespace: string): string {
  return `${NAMESPACE_PREFIX}${namespace}`;
}

/** Nodes that are not placed in a namespace box (unknown peers have no real namespace). */
function parentOf(node: GraphNode): string | undefined {
  if (node.kind === 'unknown') return undefined;
  return node.namespace ? namespaceElementId(node.namespace) : undefined;
}

function cls(...names: (string | false | undefined)[]): string {
  return names.filter((n): n is string => Boolean(n)).sort().join(' ');
}

export interface ToElementsOptions {
  filters: GraphFilters;
  overlay: Overlay;
}

export function nodeToElement(node: GraphNode, search: string): GraphElement {
  const mode = effectiveMode(node);
  const matched = matchesSearch(node, search);
  return {
    group: 'nodes',
    data: {
      id: node.id,
      parent: parentOf(node),
      label: nodeLabel(node),
      kind: node.kind,
      mode: mode ?? 'unknown',
      namespace: node.namespace,
      name: node.name,
      modeChanged: Boolean(node.modeChanged),
    },
    classes: cls(
      'mesh-node',
      `kind-${node.kind}`,
      node.kind === 'workload' && `mode-${mode ?? 'unknown'}`,
      node.modeChanged && 'mode-changed',
      node.issues?.length ? 'has-issues' : undefined,
      matched && 'search-match',
      search.trim() !== '' && !matched && 'search-miss',
    ),
  };
}

export function edgeToElement(edge: GraphEdge, overlay: Overlay): GraphElement {
  const health = edgeHealth(edge);
  // Coverage overlay ("where are we blind"): fade edges that have request telemetry and mTLS,
  // highlight L7 gaps and plaintext.
  const covered = edge.telemetry === 'l7' && edge.mtls !== 'plaintext';
  return {
    group: 'edges',
    data: {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      path: edge.path,
      telemetry: edge.telemetry,
      protocol: edge.protocol,
      mtls: edge.mtls,
      l7Gap: edge.l7Gap,
      health,
      width: edgeWidth(edge.rates),
      label: edgeLabel(edge, overlay),
    },
    classes: cls(
      'mesh-edge',
      `path-${edge.path}`,
      `telemetry-${edge.telemetry}`,
      `mtls-${edge.mtls}`,
      `health-${health}`,
      edge.l7Gap && 'l7-gap',
      isIdle(edge) && 'idle',
      edge.leg && `leg-${edge.leg}`,
      overlay === 'coverage' && (edge.l7Gap || edge.mtls === 'plaintext' ? 'blind' : covered ? 'covered' : 'l4-only'),
    ),
  };
}

/** Full conversion: filters, namespace compound nodes (only for namespaces with visible nodes), edges. */
export function toElements(graph: Pick<MeshGraph, 'nodes' | 'edges'>, opts: ToElementsOptions): GraphElement[] {
  const { nodes, edges } = filterGraph(graph, opts.filters);
  const namespaces = new Set<string>();
  for (const n of nodes) {
    const p = parentOf(n);
    if (p) namespaces.add(n.namespace);
  }
  const out: GraphElement[] = [...namespaces].sort().map((ns) => ({
    group: 'nodes' as const,
    data: { id: namespaceElementId(ns), label: ns, namespace: ns, kind: 'namespace' },
    classes: 'namespace',
  }));
  for (const n of nodes) out.push(nodeToElement(n, opts.filters.search));
  for (const e of edges) out.push(edgeToElement(e, opts.overlay));
  return out;
}

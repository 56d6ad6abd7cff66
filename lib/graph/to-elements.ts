import type { GraphEdge, GraphNode, MeshGraph } from '@/lib/mesh/types';
import { isMultiCluster } from './clusters';
import { filterGraph, matchesSearch } from './filter';
import { edgeHealth, edgeLabel, edgeWidth, effectiveMode, isIdle, nodeLabel, policyVerdict } from './style-mapping';
import type { GraphFilters, Overlay } from './url-state';

// MeshGraph → cytoscape element definitions. Pure; ids are the API's stable ids so a poll turns
// into data updates (diff.ts) instead of remove/add. Styling hangs on classes and data fields
// read by stylesheet.ts with data(): no function styles (cytoscape performance.md).

interface ElementData {
  id: string;
  [key: string]: unknown;
}

export interface GraphElement {
  group: 'nodes' | 'edges';
  data: ElementData;
  /** Space-separated, sorted: diff compares them as strings. */
  classes: string;
}

const NAMESPACE_PREFIX = 'ns:';

/**
 * Id of a namespace box: `ns:<namespace>` in a single-cluster graph, `ns:<cluster>/<namespace>` when
 * the graph spans several clusters (a cluster name has no "/", so the id parses back unambiguously).
 */
export function namespaceElementId(namespace: string, cluster?: string): string {
  return cluster === undefined ? `${NAMESPACE_PREFIX}${namespace}` : `${NAMESPACE_PREFIX}${cluster}/${namespace}`;
}

/** Inverse of namespaceElementId; undefined for other ids. */
export function parseNamespaceElementId(id: string): { namespace: string; cluster?: string } | undefined {
  if (!id.startsWith(NAMESPACE_PREFIX)) return undefined;
  const rest = id.slice(NAMESPACE_PREFIX.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? { namespace: rest } : { cluster: rest.slice(0, slash), namespace: rest.slice(slash + 1) };
}

/** Nodes that are not placed in a namespace box (unknown peers have no real namespace). */
function parentOf(node: GraphNode): string | undefined {
  if (node.kind === 'unknown') return undefined;
  return node.namespace ? namespaceElementId(node.namespace) : undefined;
}

function cls(...names: (string | false | undefined)[]): string {
  return names
    .filter((n): n is string => Boolean(n))
    .sort()
    .join(' ');
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
      cluster: node.cluster,
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
      crossCluster: Boolean(edge.crossCluster),
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
      edge.crossCluster && 'cross-cluster',
      overlay === 'coverage' && (edge.l7Gap || edge.mtls === 'plaintext' ? 'blind' : covered ? 'covered' : 'l4-only'),
      overlay === 'policy' && `policy-${policyVerdict(edge)}`,
    ),
  };
}

/**
 * Multi-cluster graphs: one namespace box per (cluster, namespace), labelled `cluster/namespace`, so
 * two clusters' `inventory` namespaces are two boxes; collapsed namespaces (aggregates) get the
 * cluster in their label too. Works on any element list built with `ns:<namespace>` boxes
 * (toElements, toScaledElements); boxes keep their classes. Returns the list unchanged when
 * `multiCluster` is false, so single-cluster ids and labels stay as they are.
 */
export function splitNamespacesByCluster(elements: GraphElement[], multiCluster: boolean): GraphElement[] {
  if (!multiCluster) return elements;
  const boxClasses = new Map<string, string>();
  for (const e of elements) if (e.group === 'nodes' && e.data.kind === 'namespace') boxClasses.set(e.data.id, e.classes);
  const boxes = new Map<string, GraphElement>();
  const rest: GraphElement[] = [];
  for (const e of elements) {
    if (e.group === 'nodes' && e.data.kind === 'namespace') continue;
    if (e.group === 'edges') {
      rest.push(e);
      continue;
    }
    const cluster = typeof e.data.cluster === 'string' ? e.data.cluster : undefined;
    const parent = typeof e.data.parent === 'string' ? e.data.parent : undefined;
    let data = e.data;
    if (parent !== undefined && cluster !== undefined && boxClasses.has(parent)) {
      const namespace = String(e.data.namespace);
      const id = namespaceElementId(namespace, cluster);
      if (!boxes.has(id)) {
        boxes.set(id, {
          group: 'nodes',
          data: { id, label: `${cluster}/${namespace}`, namespace, cluster, kind: 'namespace' },
          classes: boxClasses.get(parent) ?? 'namespace',
        });
      }
      data = { ...data, parent: id };
    }
    if (e.data.aggregate === true && cluster !== undefined) data = { ...data, label: `${cluster}/${String(e.data.label)}` };
    rest.push(data === e.data ? e : { ...e, data });
  }
  return [...[...boxes.values()].sort((a, b) => (a.data.id < b.data.id ? -1 : a.data.id > b.data.id ? 1 : 0)), ...rest];
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
  // Decided on the whole graph, not the filtered one, so a filter never renames the boxes.
  return splitNamespacesByCluster(out, isMultiCluster(graph.nodes));
}

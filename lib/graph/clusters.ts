import type { GraphEdge, GraphNode } from '@/lib/mesh/types';
import { CLUSTER_NAME } from '@/lib/api/scope';

// Multi-cluster helpers for the graph page (issue #6): which clusters a graph shows, and which
// clusters an edge joins. Pure.

/** Clusters of the graph's placed nodes (unknown peers carry the reporter's cluster, not their own), sorted. */
export function graphClusters(nodes: readonly Pick<GraphNode, 'kind' | 'cluster'>[]): string[] {
  const out = new Set<string>();
  for (const n of nodes) if (n.kind !== 'unknown' && n.cluster) out.add(n.cluster);
  return [...out].sort();
}

/** True when the nodes span more than one cluster: namespace boxes and names then carry the cluster. */
export function isMultiCluster(nodes: readonly Pick<GraphNode, 'kind' | 'cluster'>[]): boolean {
  return graphClusters(nodes).length > 1;
}

/**
 * The clusters the Clusters menu offers: configured ∪ seen on the graph ∪ currently selected, sorted, unique.
 * Telemetry labels are untrusted: a name the `clusters` URL parameter would reject is not offered.
 */
export function clusterChoices(
  configured: readonly string[] | undefined,
  nodes: readonly Pick<GraphNode, 'kind' | 'cluster'>[] | undefined,
  selected: readonly string[],
): string[] {
  return [...new Set([...(configured ?? []), ...graphClusters(nodes ?? []), ...selected])].filter((c) => CLUSTER_NAME.test(c)).sort();
}

interface EdgeClusters {
  source?: string;
  target?: string;
  /** The ends are in different clusters (the API's flag, or the two ends' clusters differ). */
  crossCluster: boolean;
}

/** An unknown peer's cluster is where it was seen from, so only placed nodes can make an edge cross-cluster by themselves. */
export function edgeClusters(
  edge: Pick<GraphEdge, 'source' | 'target' | 'crossCluster'>,
  nodes: ReadonlyMap<string, Pick<GraphNode, 'kind' | 'cluster'>>,
): EdgeClusters {
  const s = nodes.get(edge.source);
  const t = nodes.get(edge.target);
  const placed = s !== undefined && t !== undefined && s.kind !== 'unknown' && t.kind !== 'unknown';
  return { source: s?.cluster, target: t?.cluster, crossCluster: Boolean(edge.crossCluster) || (placed && s.cluster !== t.cluster) };
}

/** "east → Kubernetes (cross-cluster)" or "Kubernetes → Kubernetes". */
export function formatEdgeClusters(c: EdgeClusters): string {
  return `${c.source ?? 'unknown'} → ${c.target ?? 'unknown'}${c.crossCluster ? ' (cross-cluster)' : ''}`;
}

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { clusterChoices, isMultiCluster } from '@/lib/graph/clusters';
import { namespacesToReveal } from '@/lib/graph/collapse';
import { filterGraph } from '@/lib/graph/filter';
import { toScaledElements } from '@/lib/graph/scaled-elements';
import type { GraphUrlState } from '@/lib/graph/url-state';
import { markDiff } from '@/lib/compare/elements';
import { configQueryOptions } from '@/lib/query/graph';
import { useDiffData, useGraphData as useGraphSource, useNamespacesData } from '../graph-source';

/** The page's three queries (graph, namespaces for the picker, public config) and what is drawn from them. */
export function useGraphData(state: GraphUrlState) {
  const graphParams = { namespaces: state.namespaces, clusters: state.clusters, window: state.window, expandWaypoints: state.expandWaypoints };
  const graphQuery = useGraphSource(graphParams, state.refresh);
  const nsQuery = useNamespacesData(state.window, state.clusters);
  const configQuery = useQuery(configQueryOptions());
  const graph = graphQuery.data;
  // Several clusters (KUBE_CONTEXTS, or source_cluster/destination_cluster in the telemetry): the Clusters menu,
  // namespace boxes per cluster and cluster-qualified names in the list view.
  const clusters = useMemo(() => clusterChoices(configQuery.data?.clusters, graph?.nodes, state.clusters), [configQuery.data, graph, state.clusters]);
  const multiCluster = useMemo(() => (graph ? isMultiCluster(graph.nodes) : false), [graph]);

  // Large graphs: every namespace not listed in expandNs (nor scoped, nor holding the selection) is one node (lib/graph/collapse.ts).
  const expanded = useMemo(
    () => [...new Set([...(state.expandNamespaces ?? []), ...state.namespaces, ...(graph ? namespacesToReveal(graph, state.selected) : [])])],
    [graph, state.expandNamespaces, state.namespaces, state.selected],
  );
  const scaled = useMemo(
    () => (graph ? toScaledElements(graph, { filters: state.filters, overlay: state.overlay, expanded, collapse: state.collapse !== false }) : undefined),
    [graph, state.filters, state.overlay, expanded, state.collapse],
  );
  // "What changed?" (docs/compare.md): the diff against the `compare=` base, drawn on the canvas and listed beside it.
  const diffQuery = useDiffData({ compare: state.compare, window: graph?.window, namespaces: state.namespaces, clusters: state.clusters });
  const diff = state.compare ? diffQuery.data : undefined;
  const elements = useMemo(() => markDiff(scaled?.elements ?? [], diff), [scaled, diff]);
  const nodeNames = useMemo(() => new Map((graph?.nodes ?? []).map((n) => [n.id, `${n.namespace}/${n.name}`])), [graph]);
  const visible = useMemo(() => (graph ? filterGraph(graph, state.filters) : { nodes: [], edges: [] }), [graph, state.filters]);
  const listEdges = useMemo(() => {
    const q = state.filters.search.trim().toLowerCase();
    if (!q) return visible.edges;
    const names = new Map(visible.nodes.map((n) => [n.id, `${n.namespace}/${n.name}`.toLowerCase()]));
    return visible.edges.filter((e) => names.get(e.source)?.includes(q) || names.get(e.target)?.includes(q));
  }, [visible, state.filters.search]);

  return { graphQuery, nsQuery, graph, clusters, multiCluster, scaled, elements, visible, listEdges, diffQuery, diff, nodeNames };
}

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { clusterChoices, isMultiCluster } from '@/lib/graph/clusters';
import { aggregateNamespaces, collapses, namespacesToReveal } from '@/lib/graph/collapse';
import { filterGraph } from '@/lib/graph/filter';
import { toScaledElements } from '@/lib/graph/scaled-elements';
import { withAppBoxes, withVersionLatency } from '@/lib/graph/app-boxes';
import type { GraphUrlState } from '@/lib/graph/url-state';
import { markDiff } from '@/lib/compare/elements';
import { latencyFailure, latencyScope, withLatency } from '@/lib/graph/latency';
import { configQueryOptions, latencyQueryOptions } from '@/lib/query/graph';
import { pickerNamespaces } from '@/lib/graph/picker';
import { useDiffData, useGraphData as useGraphSource, useNamespaceInventory, useSnapshot } from '../graph-source';

/**
 * The page's queries (graph, its latency, namespaces for the picker, public config) and what is drawn from them.
 * Nothing but the graph reads Prometheus before the graph is drawn: the picker's namespaces are the Kubernetes
 * inventory's (`omit=traffic`), completed by the drawn graph's telemetry-only namespaces (lib/graph/picker.ts).
 * The whole mesh is read without latency and the edges' detail first (`omit=detail,latency`), then both for what the
 * user looks at in detail — expanded namespaces and the selection's, or everything when nothing is collapsed
 * (lib/graph/latency.ts, lib/api/detail.ts).
 */
export function useGraphData(state: GraphUrlState) {
  const snapshot = useSnapshot();
  const base = {
    namespaces: state.namespaces,
    clusters: state.clusters,
    expandWaypoints: state.expandWaypoints,
    ...(state.group === 'version' ? { group: 'version' as const } : {}),
  };
  // The graph draws from the traffic queries; latency and the edges' detail follow in a second request. A snapshot carries both.
  const graphParams = { ...base, window: state.window, omitLatencyAndDetail: !snapshot };
  const graphQuery = useGraphSource(graphParams, state.refresh);
  const inventoryQuery = useNamespaceInventory(state.clusters);
  const configQuery = useQuery(configQueryOptions());
  const drawn = graphQuery.data;
  const pickerRows = useMemo(
    () => pickerNamespaces(inventoryQuery.data?.namespaces, drawn?.nodes, state.clusters),
    [inventoryQuery.data, drawn, state.clusters],
  );
  const picker = { namespaces: pickerRows, error: inventoryQuery.error?.message };
  // Several clusters (KUBE_CONTEXTS, or source_cluster/destination_cluster in the telemetry): the Clusters menu,
  // namespace boxes per cluster and cluster-qualified names in the list view.
  const clusters = useMemo(() => clusterChoices(configQuery.data?.clusters, drawn?.nodes, state.clusters), [configQuery.data, drawn, state.clusters]);
  const multiCluster = useMemo(() => (drawn ? isMultiCluster(drawn.nodes) : false), [drawn]);

  // Large graphs: every namespace not listed in expandNs (nor scoped, nor holding the selection) is one node (lib/graph/collapse.ts).
  const expanded = useMemo(
    () => [...new Set([...(state.expandNamespaces ?? []), ...state.namespaces, ...(drawn ? namespacesToReveal(drawn, state.selected) : [])])],
    [drawn, state.expandNamespaces, state.namespaces, state.selected],
  );
  // Filtered once per graph and filter change, not again on every selection (the scope below follows the selection).
  const filteredDrawn = useMemo(() => (drawn ? filterGraph(drawn, state.filters) : undefined), [drawn, state.filters]);
  const scope = useMemo(() => {
    if (!drawn || !filteredDrawn) return undefined;
    const collapsedView = state.collapse !== false && collapses(filteredDrawn, { expanded });
    return latencyScope({ omitted: drawn.omitted, collapsedView, detailed: [...expanded, ...aggregateNamespaces(drawn, state.selected)] });
  }, [drawn, filteredDrawn, state.collapse, expanded, state.selected]);
  const latencyQuery = useQuery(
    latencyQueryOptions({ ...base, namespaces: scope === 'all' || !scope ? state.namespaces : scope }, drawn?.window, scope !== undefined),
  );
  // An answer whose latency queries failed (a warning, not an HTTP error) lends no latency: its edges have none read.
  const latencyFailed = scope ? latencyFailure(latencyQuery.data) : undefined;
  const graph = useMemo(() => {
    if (!drawn) return undefined;
    const followUp = scope ? latencyQuery.data : undefined;
    // A follow-up whose latency queries failed still lends the edges' detail (its traffic queries answered).
    // The versioned view's p95 per version comes with the latency answer too (lib/graph/app-boxes.ts).
    return withVersionLatency(withLatency(drawn, followUp, scope, { latencyFailed: latencyFailed !== undefined }), latencyFailed ? undefined : followUp);
  }, [drawn, latencyQuery.data, scope, latencyFailed]);
  // A failed latency request (or latency queries): the side panel says so, with the message and a retry, instead of "loading…".
  const latencyStatus = {
    error: latencyFailed ?? (scope && !latencyQuery.data && latencyQuery.isError ? latencyQuery.error.message : undefined),
    retrying: latencyQuery.isFetching,
    retry: () => void latencyQuery.refetch(),
  };

  const scaled = useMemo(
    () => (graph ? toScaledElements(graph, { filters: state.filters, overlay: state.overlay, expanded, collapse: state.collapse !== false }) : undefined),
    [graph, state.filters, state.overlay, expanded, state.collapse],
  );
  // "What changed?" (docs/compare.md): the diff against the `compare=` base, drawn on the canvas and listed beside it.
  const diffQuery = useDiffData({ compare: state.compare, window: graph?.window, namespaces: state.namespaces, clusters: state.clusters });
  const diff = state.compare ? diffQuery.data : undefined;
  // The versioned view: apps with several versions as boxes inside their namespace (lib/graph/app-boxes.ts).
  const apps = state.group === 'version' ? graph?.apps : undefined;
  const elements = useMemo(() => markDiff(withAppBoxes(scaled?.elements ?? [], apps), diff), [scaled, apps, diff]);
  const nodeNames = useMemo(() => new Map((graph?.nodes ?? []).map((n) => [n.id, `${n.namespace}/${n.name}`])), [graph]);
  const visible = useMemo(() => (graph ? filterGraph(graph, state.filters) : { nodes: [], edges: [] }), [graph, state.filters]);
  const listEdges = useMemo(() => {
    const q = state.filters.search.trim().toLowerCase();
    if (!q) return visible.edges;
    const names = new Map(visible.nodes.map((n) => [n.id, `${n.namespace}/${n.name}`.toLowerCase()]));
    return visible.edges.filter((e) => names.get(e.source)?.includes(q) || names.get(e.target)?.includes(q));
  }, [visible, state.filters.search]);

  return { graphQuery, picker, latencyStatus, graph, clusters, multiCluster, scaled, elements, visible, listEdges, diffQuery, diff, nodeNames };
}

'use client';

import { useQuery } from '@tanstack/react-query';
import type { Core } from 'cytoscape';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useRef, useState } from 'react';
import { filterGraph, matchesSearch, neighbourNamespaces } from '@/lib/graph/filter';
import { AGGREGATE_NODE_PREFIX, namespacesToExpand, namespacesToReveal } from '@/lib/graph/collapse';
import { toScaledElements } from '@/lib/graph/scaled-elements';
import { clusterChoices, isMultiCluster } from '@/lib/graph/clusters';
import { parseNamespaceElementId } from '@/lib/graph/to-elements';
import { parseUrlState, serializeUrlState, shareState, type GraphUrlState } from '@/lib/graph/url-state';
import type { MeshGraph } from '@/lib/mesh/types';
import { configQueryOptions } from '@/lib/query/graph';
import { formatInstantUtc } from '@/lib/utils/format';
import { Banner } from '@/components/ui/banner';
import { Button } from '@/components/ui/button';
import { CytoscapeCanvas } from './cytoscape-canvas';
import { EdgeTable } from './edge-table';
import { GraphLegend } from './graph-legend';
import { GraphToolbar } from './graph-toolbar';
import { resolveViewState, useGraphData, useNamespacesData, useSnapshot } from './graph-source';
import { PinSnapshot } from './pin-snapshot';
import { ChangeList } from '@/components/compare/change-list';
import { CompareBar } from '@/components/compare/compare-bar';
import { markDiff } from '@/lib/compare/elements';
import { diffQueryOptions } from '@/lib/query/compare';
import { ShareDialog } from './share-dialog';
import { SidePanel, type Selection } from './side-panel';

function download(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function fileStamp(graph: MeshGraph): string {
  return graph.window.end.replace(/[:.]/g, '-');
}

function findSelection(graph: MeshGraph | undefined, id: string | undefined): Selection | undefined {
  if (!graph || !id) return undefined;
  const box = parseNamespaceElementId(id);
  if (box) return { kind: 'namespace', ...box };
  // A collapsed namespace (ns-agg:<cluster>/<ns>), reached with the arrow keys: Enter expands it.
  if (id.startsWith(AGGREGATE_NODE_PREFIX)) return { kind: 'namespace', namespace: id.slice(id.indexOf('/') + 1) };
  const node = graph.nodes.find((n) => n.id === id);
  if (node) return { kind: 'node', node };
  const edge = graph.edges.find((e) => e.id === id);
  if (edge) return { kind: 'edge', edge };
  return { kind: 'missing', id };
}

export function GraphView() {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const snapshot = useSnapshot();
  const { state, errors } = useMemo(
    () => resolveViewState(parseUrlState(new URLSearchParams(searchParams.toString())), searchParams.toString() !== '', snapshot),
    [searchParams, snapshot],
  );
  const cyRef = useRef<Core | null>(null);
  const [layoutNonce, setLayoutNonce] = useState(0);
  const [share, setShare] = useState<{ url: string; state: string; copied?: boolean }>();

  // URL is the single source of truth; native history calls integrate with Next's router
  // without a server round trip.
  const update = useCallback(
    (next: GraphUrlState, opts?: { push?: boolean }) => {
      const qs = serializeUrlState(next).toString();
      const url = `${pathname}${qs ? `?${qs}` : ''}`;
      if (opts?.push) window.history.pushState(null, '', url);
      else window.history.replaceState(null, '', url);
    },
    [pathname],
  );

  const graphParams = { namespaces: state.namespaces, clusters: state.clusters, window: state.window, expandWaypoints: state.expandWaypoints };
  const graphQuery = useGraphData(graphParams, state.refresh);
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
  const diffQuery = useQuery(diffQueryOptions({ compare: state.compare, window: graph?.window, namespaces: state.namespaces, clusters: state.clusters }));
  const diff = state.compare ? diffQuery.data : undefined;
  const elements = useMemo(() => markDiff(scaled?.elements ?? [], diff), [scaled, diff]);
  const nodeNames = useMemo(() => new Map((graph?.nodes ?? []).map((n) => [n.id, `${n.namespace}/${n.name}`])), [graph]);
  const collapsedCount = scaled?.collapsed.collapsedNamespaces.length ?? 0;
  const visible = useMemo(() => (graph ? filterGraph(graph, state.filters) : { nodes: [], edges: [] }), [graph, state.filters]);
  const listEdges = useMemo(() => {
    const q = state.filters.search.trim().toLowerCase();
    if (!q) return visible.edges;
    const names = new Map(visible.nodes.map((n) => [n.id, `${n.namespace}/${n.name}`.toLowerCase()]));
    return visible.edges.filter((e) => names.get(e.source)?.includes(q) || names.get(e.target)?.includes(q));
  }, [visible, state.filters.search]);
  const selection = findSelection(graph, state.selected);

  const select = useCallback(
    (id: string | undefined) => {
      // Keep open the namespaces the old and new selections revealed, so clearing a selection does not collapse them under the user.
      const open =
        graph && scaled?.collapsed.collapsed
          ? [...namespacesToReveal(graph, id), ...namespacesToReveal(graph, state.selected)].filter((ns) => !state.namespaces.includes(ns) && !(state.expandNamespaces ?? []).includes(ns))
          : [];
      update({ ...state, selected: id, ...(open.length ? { expandNamespaces: [...(state.expandNamespaces ?? []), ...new Set(open)] } : {}) });
    },
    [state, update, graph, scaled],
  );
  const expandNamespaces = useCallback(
    (id: string) => {
      const ns = scaled ? namespacesToExpand(scaled.collapsed, id) : [];
      if (ns.length) update({ ...state, selected: undefined, expandNamespaces: [...new Set([...(state.expandNamespaces ?? []), ...ns])] }, { push: true });
    },
    [state, update, scaled],
  );
  const drill = useCallback(
    (ns: string, cluster?: string) => update({ ...state, namespaces: [ns], ...(cluster ? { clusters: [cluster] } : {}), selected: undefined }, { push: true }),
    [state, update],
  );

  async function onShare() {
    if (!graph) return;
    const qs = serializeUrlState(shareState(state, graph.window)).toString();
    const url = `${window.location.origin}${pathname}?${qs}`;
    setShare({ url, state: qs });
    let copied = false;
    try {
      if (navigator.clipboard) {
        await navigator.clipboard.writeText(url);
        copied = true;
      }
    } catch {
      copied = false;
    }
    setShare({ url, state: qs, copied });
  }

  function onExportPng() {
    const cy = cyRef.current;
    if (!cy || !graph) return;
    const blob = cy.png({ full: true, bg: '#fff', output: 'blob', scale: 2 });
    download(blob, `meshglass-graph-${fileStamp(graph)}.png`);
  }

  function onExportJson() {
    if (!graph) return;
    download(new Blob([JSON.stringify(graph, null, 2)], { type: 'application/json' }), `meshglass-graph-${fileStamp(graph)}.json`);
  }

  const neighbours = graph && state.namespaces.length ? neighbourNamespaces(graph, state.namespaces) : [];
  const empty = graph && graph.nodes.length === 0;
  const filteredEmpty = graph && graph.nodes.length > 0 && visible.nodes.length === 0;

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <GraphToolbar
        state={state}
        namespaces={nsQuery.data?.namespaces}
        namespacesError={nsQuery.error?.message}
        clusters={clusters}
        onChange={update}
        onRefresh={() => void graphQuery.refetch()}
        onRelayout={() => setLayoutNonce((n) => n + 1)}
        onShare={() => void onShare()}
        onExportPng={onExportPng}
        onExportJson={onExportJson}
        onSearchSubmit={() => {
          const hit = visible.nodes.find((n) => matchesSearch(n, state.filters.search));
          if (hit) select(hit.id);
        }}
        fetching={graphQuery.isFetching}
        canExport={Boolean(graph)}
      />

      <nav aria-label="Breadcrumb" className="flex flex-wrap items-center gap-x-2 border-b border-gray-200 bg-gray-50 px-3 py-1 text-sm">
        {state.namespaces.length ? (
          <>
            <button type="button" className="text-blue-800 underline" onClick={() => update({ ...state, namespaces: [], selected: undefined }, { push: true })} data-testid="breadcrumb-mesh">
              Whole mesh
            </button>
            <span aria-hidden="true">›</span>
            <span aria-current="page" data-testid="breadcrumb-current">
              {state.namespaces.join(', ')}
            </span>
            {neighbours.length > 0 && <span className="text-gray-600">(with neighbours: {neighbours.join(', ')})</span>}
          </>
        ) : (
          <span aria-current="page">Whole mesh</span>
        )}
        {state.clusters.length > 0 && (
          <span className="text-gray-700" data-testid="breadcrumb-clusters">
            · cluster{state.clusters.length === 1 ? '' : 's'} {state.clusters.join(', ')}
          </span>
        )}
        <span className="ml-auto text-xs text-gray-600" data-testid="window-label">
          {graph ? `${formatInstantUtc(graph.window.start)} → ${formatInstantUtc(graph.window.end)}` : ''}
          {graph && state.window.kind === 'range' && ` (last ${state.window.range}${state.refresh ? `, refreshing every ${state.refresh}s` : ', paused'})`}
          {graph && state.window.kind === 'absolute' && ' (fixed window)'}
        </span>
      </nav>

      <CompareBar
        key={state.compare ?? ''}
        compare={state.compare}
        onChange={(compare) => update({ ...state, compare }, { push: true })}
        summary={diff ? `${diff.edges.length} edge${diff.edges.length === 1 ? '' : 's'} changed, ${diff.nodes.filter((n) => n.changes.length).length} workload${diff.nodes.filter((n) => n.changes.length).length === 1 ? '' : 's'}` : undefined}
      />

      <div className="space-y-px">
        {errors.length > 0 && (
          <Banner tone="error" testId="url-error">
            This link has {errors.length === 1 ? 'a parameter' : 'parameters'} Meshglass cannot read:{' '}
            {errors.map((e, i) => (
              <span key={e.param}>
                {i > 0 && '; '}
                <code className="font-semibold">{e.param}</code> {e.message}
              </span>
            ))}
            . {errors.length === 1 ? 'It was' : 'They were'} replaced by the default.
          </Banner>
        )}
        {graphQuery.isError && (
          <Banner tone="error" testId="graph-error" action={<Button onClick={() => void graphQuery.refetch()}>Retry</Button>}>
            Could not load the graph: {graphQuery.error.message}
            {graph && ' — showing the last graph received.'}
          </Banner>
        )}
        {graph?.warnings.map((w, i) => (
          <Banner key={i} tone="warning" testId="api-warning">
            [{w.source}] {w.message}
          </Banner>
        ))}
        {graphQuery.isPlaceholderData && graphQuery.isFetching && (
          <Banner tone="info">Loading the new view… the previous graph stays on screen until it arrives.</Banner>
        )}
      </div>

      <div className="flex min-h-0 flex-1">
        <div className="flex min-w-0 flex-1 flex-col">
          <div className="relative min-h-0 flex-1">
            {/* The canvas stays mounted in list view so the cytoscape instance (and its positions) lives on. */}
            <CytoscapeCanvas
              elements={elements}
              layout={state.layout}
              layoutNonce={layoutNonce}
              selectedId={state.selected}
              onSelect={select}
              onDrillNamespace={drill}
              onExpandAggregate={expandNamespaces}
              inactive={state.view === 'list'}
              onReady={(cy) => {
                cyRef.current = cy;
              }}
            />
            {state.view === 'list' && (
              <div className="absolute inset-0 z-20">
                <EdgeTable nodes={visible.nodes} edges={listEdges} multiCluster={multiCluster} selectedId={state.selected} onSelect={(id) => select(id)} />
              </div>
            )}
            {graphQuery.isPending && (
              <div className="absolute inset-0 z-30 flex items-center justify-center bg-white/70" role="status" data-testid="graph-loading">
                Loading the service graph…
              </div>
            )}
            {empty && (
              <div className="absolute inset-0 z-30 flex items-center justify-center p-6 text-center" role="status" data-testid="graph-empty">
                <p className="max-w-md rounded border border-gray-300 bg-white p-4 text-sm shadow">
                  No traffic in this window{state.namespaces.length ? ` for ${state.namespaces.join(', ')}` : ''}. Try a longer window or another namespace.
                </p>
              </div>
            )}
            {filteredEmpty && (
              <div className="absolute inset-0 z-30 flex items-center justify-center p-6 text-center" role="status">
                <p className="max-w-md rounded border border-gray-300 bg-white p-4 text-sm shadow">The filters hide every node. Clear some filters to see the graph.</p>
              </div>
            )}
            {state.view === 'graph' && (collapsedCount > 0 || state.collapse === false || (state.expandNamespaces?.length ?? 0) > 0) && (
              <p className="absolute left-2 top-2 z-10 max-w-sm rounded border border-gray-300 bg-white/95 p-2 text-xs shadow" role="status" data-testid="collapse-hint">
                {collapsedCount > 0 ? `${collapsedCount} namespace${collapsedCount === 1 ? '' : 's'} collapsed — click one to expand. ` : ''}
                {scaled?.hiddenEdges
                  ? `${scaled.hiddenEdges} links between collapsed namespaces not drawn${scaled.hiddenProblemEdges ? ` (${scaled.hiddenProblemEdges} with errors, plaintext or L7 gaps)` : ''} — expand a namespace or use the list view to see them. `
                  : ''}
                {(state.expandNamespaces?.length ?? 0) > 0 && (
                  <button type="button" className="mr-2 text-blue-800 underline" onClick={() => update({ ...state, expandNamespaces: undefined, selected: undefined }, { push: true })}>
                    Collapse all
                  </button>
                )}
                {state.collapse === false ? (
                  <button type="button" className="text-blue-800 underline" onClick={() => update({ ...state, collapse: undefined }, { push: true })}>
                    Collapse large graphs
                  </button>
                ) : (
                  collapsedCount > 0 && (
                    <button type="button" className="text-blue-800 underline" onClick={() => update({ ...state, collapse: false }, { push: true })}>
                      Show every workload (slow)
                    </button>
                  )
                )}
              </p>
            )}
            {state.overlay === 'coverage' && state.view === 'graph' && (
              <p className="pointer-events-none absolute right-2 top-2 z-10 max-w-xs rounded border border-amber-400 bg-amber-50 p-2 text-xs">
                <strong>Where are we blind:</strong> highlighted edges are L7 gaps (HTTP seen only at L4) or plaintext; faded edges have request telemetry.
              </p>
            )}
          </div>
          <GraphLegend multiCluster={multiCluster} />
        </div>
        {state.compare && (
          <ChangeList diff={diff} names={nodeNames} selectedId={state.selected} onSelect={(id) => select(id)} loading={diffQuery.isFetching && !diff} error={diffQuery.error?.message} />
        )}
        {selection && graph && <SidePanel selection={selection} graph={graph} onClose={() => select(undefined)} onDrill={drill} />}
      </div>
      <ShareDialog url={share?.url} copied={share?.copied} onClose={() => setShare(undefined)}>
        {share && !snapshot && <PinSnapshot state={share.state} />}
      </ShareDialog>
    </div>
  );
}

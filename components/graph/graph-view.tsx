'use client';

import type { Core } from 'cytoscape';
import { useRef, useState } from 'react';
import { matchesSearch } from '@/lib/graph/filter';
import { CytoscapeCanvas } from './cytoscape-canvas';
import { EdgeTable } from './edge-table';
import { GraphLegend } from './graph-legend';
import { GraphToolbar } from './graph-toolbar';
import { ChangeList } from '@/components/compare/change-list';
import { CompareBar } from '@/components/compare/compare-bar';
import { leafPositions } from './canvas/use-layout-worker';
import { PinSnapshot } from './pin-snapshot';
import { ShareDialog } from './share-dialog';
import { SidePanel } from './side-panel';
import { Breadcrumb } from './view/breadcrumb';
import { exportJson, exportPng } from './view/export';
import { CanvasOverlays, GraphBanners } from './view/overlays';
import { useGraphData } from './view/use-graph-data';
import { useGraphUrlState } from './view/use-graph-url-state';
import { useSelectionPolicy } from './view/use-selection-policy';
import { useShare } from './view/use-share';

/**
 * The graph page: composes the URL state, the data, the selection policy and the parts of the screen
 * (components/graph/view/), each with one job.
 */
export function GraphView() {
  const { state, errors, update, pathname, snapshot } = useGraphUrlState();
  const { graphQuery, picker, latencyStatus, graph, clusters, multiCluster, scaled, elements, visible, listEdges, diffQuery, diff, nodeNames } =
    useGraphData(state);
  const changedWorkloads = diff ? diff.nodes.filter((n) => n.changes.length).length : 0;
  const { selection, select, expandNamespaces, drill } = useSelectionPolicy(state, update, graph, scaled);
  const share = useShare(state, graph, pathname);
  const cyRef = useRef<Core | null>(null);
  const [layoutNonce, setLayoutNonce] = useState(0);

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <GraphToolbar
        state={state}
        namespaces={picker.namespaces}
        namespacesError={picker.error}
        clusters={clusters}
        onChange={update}
        onRefresh={() => void graphQuery.refetch()}
        onRelayout={() => setLayoutNonce((n) => n + 1)}
        onShare={() => void share.open()}
        onExportPng={() => cyRef.current && graph && exportPng(cyRef.current, graph)}
        onExportJson={() => graph && exportJson(graph)}
        onSearchSubmit={() => {
          const hit = visible.nodes.find((n) => matchesSearch(n, state.filters.search));
          if (hit) select(hit.id);
        }}
        fetching={graphQuery.isFetching}
        canExport={Boolean(graph)}
      />
      <Breadcrumb state={state} graph={graph} update={update} />
      <CompareBar
        key={state.compare ?? ''}
        compare={state.compare}
        onChange={(compare) => update({ ...state, compare }, { push: true })}
        summary={
          diff
            ? `${diff.edges.length} edge${diff.edges.length === 1 ? '' : 's'} changed, ${changedWorkloads} workload${changedWorkloads === 1 ? '' : 's'}`
            : undefined
        }
      />
      <GraphBanners errors={errors} graphQuery={graphQuery} />

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
              {...(snapshot?.positions ? { pinnedPositions: snapshot.positions } : {})}
              onReady={(cy) => {
                cyRef.current = cy;
              }}
            />
            {state.view === 'list' && (
              <div className="absolute inset-0 z-20">
                <EdgeTable nodes={visible.nodes} edges={listEdges} multiCluster={multiCluster} selectedId={state.selected} onSelect={(id) => select(id)} />
              </div>
            )}
            <CanvasOverlays
              state={state}
              update={update}
              graph={graph}
              pending={graphQuery.isPending}
              filteredEmpty={Boolean(graph && graph.nodes.length > 0 && visible.nodes.length === 0)}
              scaled={scaled}
            />
          </div>
          <GraphLegend multiCluster={multiCluster} overlay={state.overlay} versions={state.group === 'version'} />
        </div>
        {state.compare && (
          <ChangeList
            diff={diff}
            names={nodeNames}
            selectedId={state.selected}
            onSelect={(id) => select(id)}
            loading={diffQuery.isFetching && !diff}
            error={diffQuery.error?.message}
          />
        )}
        {selection && graph && (
          <SidePanel
            selection={selection}
            graph={graph}
            latency={latencyStatus}
            onClose={() => select(undefined)}
            onDrill={drill}
            onExpand={expandNamespaces}
          />
        )}
      </div>
      <ShareDialog url={share.share?.url} copied={share.share?.copied} onClose={share.close}>
        {share.share && !snapshot && <PinSnapshot state={share.share.state} positions={() => leafPositions(cyRef.current)} />}
      </ShareDialog>
    </div>
  );
}

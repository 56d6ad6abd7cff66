import type { UseQueryResult } from '@tanstack/react-query';
import type { ScaledElements } from '@/lib/graph/scaled-elements';
import type { GraphUrlState, UrlParamError } from '@/lib/graph/url-state';
import type { MeshGraph } from '@/lib/mesh/types';
import { Banner } from '@/components/ui/banner';
import { Button } from '@/components/ui/button';
import type { UpdateUrlState } from './use-graph-url-state';

/** Above the canvas: unreadable URL parameters, a failed load, the API's warnings, a view being replaced. */
function formatAge(seconds: number): string {
  return seconds < 60 ? `${Math.round(seconds)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

export function GraphBanners({ errors, graphQuery }: { errors: UrlParamError[]; graphQuery: UseQueryResult<MeshGraph> }) {
  const graph = graphQuery.data;
  return (
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
      {graph?.stale && (
        <Banner tone="info" testId="graph-stale">
          Showing the graph computed {formatAge(graph.stale.ageSeconds)} ago while the server computes the current one.
        </Banner>
      )}
      {graphQuery.isPlaceholderData && graphQuery.isFetching && (
        <Banner tone="info">Loading the new view… the previous graph stays on screen until it arrives.</Banner>
      )}
    </div>
  );
}

interface CanvasOverlaysProps {
  state: GraphUrlState;
  update: UpdateUrlState;
  graph: MeshGraph | undefined;
  pending: boolean;
  /** No node passes the filters. */
  filteredEmpty: boolean;
  scaled: ScaledElements | undefined;
}

/** Over the canvas: loading, empty and filtered-out states, the collapse hint and the coverage overlay's key. */
export function CanvasOverlays({ state, update, graph, pending, filteredEmpty, scaled }: CanvasOverlaysProps) {
  const empty = graph && graph.nodes.length === 0;
  const collapsedCount = scaled?.collapsed.collapsedNamespaces.length ?? 0;
  return (
    <>
      {pending && (
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
          <p className="max-w-md rounded border border-gray-300 bg-white p-4 text-sm shadow">
            The filters hide every node. Clear some filters to see the graph.
          </p>
        </div>
      )}
      {state.view === 'graph' && (collapsedCount > 0 || state.collapse === false || (state.expandNamespaces?.length ?? 0) > 0) && (
        <p
          className="absolute left-2 top-2 z-10 max-w-sm rounded border border-gray-300 bg-white/95 p-2 text-xs shadow"
          role="status"
          data-testid="collapse-hint"
        >
          {collapsedCount > 0 ? `${collapsedCount} namespace${collapsedCount === 1 ? '' : 's'} collapsed — click one to expand. ` : ''}
          {scaled?.hiddenEdges
            ? `${scaled.hiddenEdges} links between collapsed namespaces not drawn${scaled.hiddenProblemEdges ? ` (${scaled.hiddenProblemEdges} with errors, plaintext or L7 gaps)` : ''} — expand a namespace or use the list view to see them. `
            : ''}
          {(state.expandNamespaces?.length ?? 0) > 0 && (
            <button
              type="button"
              className="mr-2 text-blue-800 underline"
              onClick={() => update({ ...state, expandNamespaces: undefined, selected: undefined }, { push: true })}
            >
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
    </>
  );
}

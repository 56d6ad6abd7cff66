import { neighbourNamespaces } from '@/lib/graph/filter';
import type { GraphUrlState } from '@/lib/graph/url-state';
import type { MeshGraph } from '@/lib/mesh/types';
import { formatInstantUtc } from '@/lib/utils/format';
import type { UpdateUrlState } from './use-graph-url-state';

/** Where the view is (whole mesh or namespaces, clusters) and the window the graph covers. */
export function Breadcrumb({ state, graph, update }: { state: GraphUrlState; graph: MeshGraph | undefined; update: UpdateUrlState }) {
  const neighbours = graph && state.namespaces.length ? neighbourNamespaces(graph, state.namespaces) : [];
  return (
    <nav aria-label="Breadcrumb" className="flex flex-wrap items-center gap-x-2 border-b border-gray-200 bg-gray-50 px-3 py-1 text-sm">
      {state.namespaces.length ? (
        <>
          <button
            type="button"
            className="text-blue-800 underline"
            onClick={() => update({ ...state, namespaces: [], selected: undefined }, { push: true })}
            data-testid="breadcrumb-mesh"
          >
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
  );
}

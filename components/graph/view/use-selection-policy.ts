import { useCallback } from 'react';
import { AGGREGATE_NODE_PREFIX, isAggregateEdge, namespacesToExpand, namespacesToReveal } from '@/lib/graph/collapse';
import type { ScaledElements } from '@/lib/graph/scaled-elements';
import { parseNamespaceElementId } from '@/lib/graph/to-elements';
import type { GraphUrlState } from '@/lib/graph/url-state';
import type { MeshGraph } from '@/lib/mesh/types';
import type { Selection } from '../side-panel';
import type { UpdateUrlState } from './use-graph-url-state';

/** What the side panel shows for the selected id (`scaled`: the drawing, with its collapsed namespaces and links). */
export function findSelection(graph: MeshGraph | undefined, id: string | undefined, scaled?: Pick<ScaledElements, 'collapsed'>): Selection | undefined {
  if (!graph || !id) return undefined;
  const box = parseNamespaceElementId(id);
  if (box) return { kind: 'namespace', ...box };
  // A collapsed namespace (ns-agg:<cluster>/<ns>), reached with the arrow keys: Enter expands it.
  if (id.startsWith(AGGREGATE_NODE_PREFIX)) return { kind: 'namespace', namespace: id.slice(id.indexOf('/') + 1) };
  // A link between collapsed namespaces (ns-agg-edge:…), reached with the arrow keys or a shared link.
  const links = scaled?.collapsed.edges.find((e) => e.id === id);
  if (links && isAggregateEdge(links)) return { kind: 'links', edge: links };
  const app = graph.apps?.find((a) => a.id === id);
  if (app) return { kind: 'app', app };
  const node = graph.nodes.find((n) => n.id === id);
  if (node) return { kind: 'node', node };
  const edge = graph.edges.find((e) => e.id === id);
  if (edge) return { kind: 'edge', edge };
  return { kind: 'missing', id };
}

/**
 * How selecting, expanding a collapsed namespace and drilling into a namespace change the URL state.
 * `scaled` is the drawn graph (collapsed namespaces), undefined before the first graph.
 */
export function useSelectionPolicy(state: GraphUrlState, update: UpdateUrlState, graph: MeshGraph | undefined, scaled: ScaledElements | undefined) {
  const select = useCallback(
    (id: string | undefined) => {
      // Keep open the namespaces the old and new selections revealed, so clearing a selection does not collapse them under the user.
      const open =
        graph && scaled?.collapsed.collapsed
          ? [...namespacesToReveal(graph, id), ...namespacesToReveal(graph, state.selected)].filter(
              (ns) => !state.namespaces.includes(ns) && !(state.expandNamespaces ?? []).includes(ns),
            )
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
  return { selection: findSelection(graph, state.selected, scaled), select, expandNamespaces, drill };
}

import type { TimeWindow } from '@/lib/api/scope';

// Query-key factory (docs/engineering.md A6 rule 4): arrays starting with the resource name.

export interface GraphQueryParams {
  namespaces: string[];
  /** Istio cluster names; empty = every cluster. */
  clusters: string[];
  window: TimeWindow;
  expandWaypoints: boolean;
  /** The versioned view (apps, versions and configured splits in the answer). */
  group?: 'version';
  /** Ask without the latency and the edges' detail (`omit=detail,latency`, docs/api.md); the page reads them apart (lib/graph/latency.ts). */
  omitLatencyAndDetail?: boolean;
}

export interface SeriesQueryParams {
  kind: 'edge' | 'node';
  id: string;
  start: string;
  end: string;
  points: number;
}

export const queryKeys = {
  graph: (p: GraphQueryParams) => ['graph', p] as const,
  /** The graph page's namespace picker (Kubernetes inventory only): no window, it does not depend on one. */
  namespaceInventory: (clusters: string[] = []) => ['namespaces', 'inventory', { clusters }] as const,
  series: (p: SeriesQueryParams) => ['series', p] as const,
  config: () => ['config'] as const,
  /** The overview's reads: polled on their own clock, so kept apart from the graph page's `namespaces`. */
  overview: (resource: 'namespaces' | 'findings' | 'migration', window: TimeWindow) => ['overview', resource, window] as const,
};

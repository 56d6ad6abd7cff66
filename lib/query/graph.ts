import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { ConfigResponse, GraphResponse, NamespacesResponse, SeriesResponse } from '@/lib/api/types';
import { apiWindowParams, type TimeWindow } from '@/lib/api/scope';
import { fetchJson } from './fetch-json';
import { queryKeys, type GraphQueryParams, type SeriesQueryParams } from './keys';

/** How soon a stale graph is asked again. */
const STALE_FOLLOW_UP_MS = 2_000;

export function graphUrl(p: GraphQueryParams): string {
  const q = new URLSearchParams(apiWindowParams(p.window));
  if (p.namespaces.length) q.set('namespaces', p.namespaces.join(','));
  if (p.clusters.length) q.set('clusters', p.clusters.join(','));
  if (p.expandWaypoints) q.set('expandWaypoints', 'true');
  if (p.omitLatency) q.set('omit', 'latency');
  return `/api/graph?${q}`;
}

/**
 * The polled graph. Absolute windows never change, so they are not polled; relative ones poll at
 * `refreshSeconds` (0 = paused). React Query pauses intervals in background tabs by default.
 */
export function graphQueryOptions(p: GraphQueryParams, refreshSeconds = 0) {
  return queryOptions({
    queryKey: queryKeys.graph(p),
    queryFn: ({ signal }) => fetchJson<GraphResponse>(graphUrl(p), signal),
    placeholderData: keepPreviousData,
    // A stale answer (the server's previous computation, docs/api.md §4.2) is followed up soon: the next one is computing.
    refetchInterval: (query) =>
      p.window.kind === 'range' && refreshSeconds > 0
        ? query.state.data?.stale
          ? Math.min(STALE_FOLLOW_UP_MS, refreshSeconds * 1000)
          : refreshSeconds * 1000
        : false,
    staleTime: 5_000,
  });
}

/**
 * The latency of the namespaces in `namespaces` (empty = whole mesh) for the drawn graph's own (aligned,
 * absolute) window: a full graph of that scope, whose edges lend their latency to the drawn graph by id
 * (lib/graph/latency.ts). Absolute, so never polled; the previous answer stays shown while the next loads.
 */
export function latencyQueryOptions(p: Omit<GraphQueryParams, 'window' | 'omitLatency'>, window: { start: string; end: string } | undefined, enabled: boolean) {
  const params: GraphQueryParams = { ...p, window: { kind: 'absolute', start: window?.start ?? '', end: window?.end ?? '' } };
  return queryOptions({
    queryKey: [...queryKeys.graph(params), 'latency'] as const,
    queryFn: ({ signal }) => fetchJson<GraphResponse>(graphUrl(params), signal),
    placeholderData: keepPreviousData,
    enabled: enabled && window !== undefined,
    staleTime: Infinity,
  });
}

function namespacesUrl(window: TimeWindow, clusters: string[] = []): string {
  const q = new URLSearchParams(apiWindowParams(window));
  if (clusters.length) q.set('clusters', clusters.join(','));
  return `/api/namespaces?${q}`;
}

export function namespacesQueryOptions(window: TimeWindow, clusters: string[] = []) {
  return queryOptions({
    queryKey: queryKeys.namespaces(window, clusters),
    queryFn: ({ signal }) => fetchJson<NamespacesResponse>(namespacesUrl(window, clusters), signal),
    staleTime: 60_000,
  });
}

export function seriesQueryOptions(p: SeriesQueryParams) {
  const q = new URLSearchParams({ [p.kind]: p.id, start: p.start, end: p.end, points: String(p.points) });
  return queryOptions({
    queryKey: queryKeys.series(p),
    queryFn: ({ signal }) => fetchJson<SeriesResponse>(`/api/${p.kind}-series?${q}`, signal),
    staleTime: Infinity, // absolute window: the numbers never change
  });
}

export function configQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.config(),
    queryFn: ({ signal }) => fetchJson<ConfigResponse>('/api/config', signal),
    staleTime: Infinity,
    retry: 1,
  });
}

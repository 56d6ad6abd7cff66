import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { ConfigResponse, GraphResponse, NamespacesResponse, SeriesResponse } from '@/lib/api/types';
import { apiWindowParams, type TimeWindow } from '@/lib/api/scope';
import { fetchJson } from './fetch-json';
import { queryKeys, type GraphQueryParams, type SeriesQueryParams } from './keys';

export function graphUrl(p: GraphQueryParams): string {
  const q = new URLSearchParams(apiWindowParams(p.window));
  if (p.namespaces.length) q.set('namespaces', p.namespaces.join(','));
  if (p.clusters.length) q.set('clusters', p.clusters.join(','));
  if (p.expandWaypoints) q.set('expandWaypoints', 'true');
  if (p.group === 'version') q.set('group', 'version');
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
    refetchInterval: p.window.kind === 'range' && refreshSeconds > 0 ? refreshSeconds * 1000 : false,
    staleTime: 5_000,
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

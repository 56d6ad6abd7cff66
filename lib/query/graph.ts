import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { ConfigResponse, GraphResponse, NamespaceInventoryResponse, SeriesResponse } from '@/lib/api/types';
import { apiWindowParams } from '@/lib/api/scope';
import { fetchGraphJson, fetchJson } from './fetch-json';
import { queryKeys, type GraphQueryParams, type SeriesQueryParams } from './keys';

/** How soon a stale graph is asked again at the earliest (and when an older server gives no hint). */
const STALE_FOLLOW_UP_MS = 2_000;

/**
 * After a stale answer: when the server expects the next one (`stale.retryAfterSeconds`), at least 2 s and at
 * most the refresh interval, spread by up to a quarter later at random. Asking every 2 s while a whole-mesh
 * computation runs for 20 s would fetch the same multi-megabyte answer ten times over; and without the spread
 * every dashboard that got the same hint asks at the same instant, and the server compresses the same 9 MB for
 * all of them at once (bench/results.md, rolling window).
 */
export function staleFollowUpMs(stale: { retryAfterSeconds?: number }, refreshSeconds: number, random: () => number = Math.random): number {
  const hinted = typeof stale.retryAfterSeconds === 'number' && Number.isFinite(stale.retryAfterSeconds) ? stale.retryAfterSeconds * 1000 : STALE_FOLLOW_UP_MS;
  const base = Math.max(STALE_FOLLOW_UP_MS, hinted);
  return Math.min(Math.round(base * (1 + 0.25 * random())), refreshSeconds * 1000);
}

export function graphUrl(p: GraphQueryParams): string {
  const q = new URLSearchParams(apiWindowParams(p.window));
  if (p.namespaces.length) q.set('namespaces', p.namespaces.join(','));
  if (p.clusters.length) q.set('clusters', p.clusters.join(','));
  if (p.expandWaypoints) q.set('expandWaypoints', 'true');
  if (p.group === 'version') q.set('group', 'version');
  if (p.omitLatencyAndDetail) q.set('omit', 'detail,latency');
  return `/api/graph?${q}`;
}

/**
 * The polled graph. Absolute windows never change, so they are not polled; relative ones poll at
 * `refreshSeconds` (0 = paused). React Query pauses intervals in background tabs by default.
 */
export function graphQueryOptions(p: GraphQueryParams, refreshSeconds = 0) {
  return queryOptions({
    queryKey: queryKeys.graph(p),
    queryFn: ({ signal }) => fetchGraphJson<GraphResponse>(graphUrl(p), signal),
    placeholderData: keepPreviousData,
    // A stale answer (the server's previous computation, docs/api.md §4.2) is followed up when the next one is expected.
    refetchInterval: (query) =>
      p.window.kind === 'range' && refreshSeconds > 0
        ? query.state.data?.stale
          ? staleFollowUpMs(query.state.data.stale, refreshSeconds)
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
export function latencyQueryOptions(
  p: Omit<GraphQueryParams, 'window' | 'omitLatencyAndDetail'>,
  window: { start: string; end: string } | undefined,
  enabled: boolean,
) {
  const params: GraphQueryParams = { ...p, window: { kind: 'absolute', start: window?.start ?? '', end: window?.end ?? '' } };
  return queryOptions({
    queryKey: [...queryKeys.graph(params), 'latency'] as const,
    queryFn: ({ signal }) => fetchGraphJson<GraphResponse>(graphUrl(params), signal),
    placeholderData: keepPreviousData,
    enabled: enabled && window !== undefined,
    staleTime: Infinity,
  });
}

/**
 * The graph page's namespace picker: the Kubernetes inventory's namespaces and modes (`omit=traffic`, docs/api.md
 * §4.3), which cost no Prometheus call and do not depend on the window, so they never compete with the graph's
 * own queries. Namespaces known only from telemetry come from the drawn graph (lib/graph/picker.ts).
 */
export function namespaceInventoryQueryOptions(clusters: string[] = []) {
  const q = new URLSearchParams({ omit: 'traffic' });
  if (clusters.length) q.set('clusters', clusters.join(','));
  return queryOptions({
    queryKey: queryKeys.namespaceInventory(clusters),
    queryFn: ({ signal }) => fetchJson<NamespaceInventoryResponse>(`/api/namespaces?${q}`, signal),
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

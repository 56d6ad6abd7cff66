import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { fetchJson } from '@/lib/query/fetch-json';
import { apiWindowParams, type TimeWindow } from '@/lib/api/scope';
import type { FindingsResponse, MigrationResponse, NamespacesResponse } from '@/lib/api/types';
import { queryKeys } from '@/lib/query/keys';

/** Relative windows are re-read every minute; absolute windows never change. */
const REFRESH_MS = 60_000;

function opts<T>(resource: 'namespaces' | 'findings' | 'migration', window: TimeWindow, extra: Record<string, string> = {}) {
  return queryOptions({
    queryKey: queryKeys.overview(resource, window),
    queryFn: ({ signal }) => fetchJson<T>(`/api/${resource}?${new URLSearchParams({ ...apiWindowParams(window), ...extra })}`, signal),
    placeholderData: keepPreviousData,
    staleTime: window.kind === 'absolute' ? Infinity : 15_000,
    refetchInterval: window.kind === 'range' ? REFRESH_MS : false,
  });
}

/** With the headline figures' trend lines and "since 24 h ago" deltas (docs/api.md). */
export const overviewNamespacesQuery = (w: TimeWindow) => opts<NamespacesResponse>('namespaces', w, { trends: 'true' });
export const overviewFindingsQuery = (w: TimeWindow) => opts<FindingsResponse>('findings', w);
export const overviewMigrationQuery = (w: TimeWindow) => opts<MigrationResponse>('migration', w);

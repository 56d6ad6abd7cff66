import { queryOptions } from '@tanstack/react-query';
import type { SnapshotDocument } from '@/lib/api/types';
import { apiUrl, fetchJson, ApiError } from './fetch-json';

// Client side of /api/snapshots (README "Snapshots"). Bodies are what the API stored: typed loosely.

/** A stored snapshot as the API returns it. */
export type SnapshotBody = SnapshotDocument;

export interface SnapshotListRow {
  id: string;
  title: string | null;
  createdAt: string;
  window: { start: string; end: string };
  size: number;
}

export function snapshotQueryOptions(id: string) {
  return queryOptions({
    queryKey: ['snapshot', id] as const,
    queryFn: ({ signal }) => fetchJson<SnapshotBody>(`/api/snapshots/${encodeURIComponent(id)}`, signal),
    staleTime: Infinity,
    retry: (n, e) => !(e instanceof ApiError && e.status === 404) && n < 1,
  });
}

export function snapshotListQueryOptions() {
  return queryOptions({
    queryKey: ['snapshots'] as const,
    queryFn: ({ signal }) => fetchJson<{ snapshots: SnapshotListRow[] }>('/api/snapshots', signal),
    staleTime: 30_000,
  });
}

export async function pinSnapshot(
  state: string,
  title: string | undefined,
  positions?: Record<string, { x: number; y: number }>,
): Promise<{ id: string; url: string }> {
  const res = await fetch(apiUrl('/api/snapshots'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ state, ...(title ? { title } : {}), ...(positions ? { positions } : {}) }),
    cache: 'no-store',
  });
  const body = (await res.json().catch(() => ({}))) as { id?: string; url?: string; error?: string };
  if (res.status !== 201 || !body.id || !body.url) throw new ApiError(body.error ?? `${res.status} ${res.statusText}`, res.status);
  return { id: body.id, url: body.url };
}

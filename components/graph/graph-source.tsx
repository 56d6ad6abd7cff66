'use client';

import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import type { SeriesResponse } from '@/lib/api/types';
import { DEFAULT_REFRESH, parseUrlState, type GraphUrlState, type ParsedUrlState } from '@/lib/graph/url-state';
import type { PickerNamespace } from '@/lib/graph/picker';
import type { MeshGraph } from '@/lib/mesh/types';
import { diffQueryOptions, type DiffBody } from '@/lib/query/compare';
import { graphQueryOptions, namespaceInventoryQueryOptions, seriesQueryOptions } from '@/lib/query/graph';
import type { GraphQueryParams, SeriesQueryParams } from '@/lib/query/keys';
import type { SnapshotBody } from '@/lib/query/snapshots';

// Where the graph page's data comes from: live (the API, polled) or a pinned snapshot (/s/<id>,
// docs/snapshots.md). The page's components ask these hooks instead of building queries themselves, so
// a snapshot renders with the same graph page, list view and side panel, and never calls Prometheus.

const SnapshotContext = createContext<SnapshotBody | null>(null);

export function SnapshotSourceProvider({ snapshot, children }: { snapshot: SnapshotBody; children: ReactNode }) {
  return <SnapshotContext.Provider value={snapshot}>{children}</SnapshotContext.Provider>;
}

/** The snapshot being shown, or null on the live page. */
export function useSnapshot(): SnapshotBody | null {
  return useContext(SnapshotContext);
}

/**
 * The view state: the URL's, except that a snapshot fixes what its data covers (window, namespaces,
 * clusters, waypoint expansion) and never refreshes. A snapshot link without parameters shows the view
 * as it was pinned.
 */
export function resolveViewState(parsed: ParsedUrlState, hasParams: boolean, snapshot: SnapshotBody | null): ParsedUrlState {
  if (!snapshot) return parsed;
  const pinned = parseUrlState(new URLSearchParams(snapshot.state)).state;
  const base: GraphUrlState = hasParams ? parsed.state : pinned;
  return {
    state: {
      ...base,
      window: { kind: 'absolute', start: snapshot.window.start, end: snapshot.window.end },
      namespaces: pinned.namespaces,
      clusters: pinned.clusters,
      expandWaypoints: pinned.expandWaypoints,
      refresh: hasParams ? base.refresh : DEFAULT_REFRESH,
    },
    errors: hasParams ? parsed.errors : [],
  };
}

type GraphResult = UseQueryResult<MeshGraph, Error> & { isPlaceholderData: boolean };

export function useGraphData(params: GraphQueryParams, refreshSeconds: number): GraphResult {
  const snap = useSnapshot();
  const live = graphQueryOptions(params, refreshSeconds);
  const options = snap
    ? {
        queryKey: ['snapshot', snap.id, 'graph'] as unknown as typeof live.queryKey,
        queryFn: async () => snap.graph as MeshGraph,
        initialData: snap.graph as MeshGraph,
        staleTime: Infinity,
        refetchInterval: false as const,
      }
    : live;
  return useQuery(options as typeof live) as GraphResult;
}

/**
 * The namespace picker's rows: live from the Kubernetes inventory (`/api/namespaces?omit=traffic`, no Prometheus
 * call, docs/api.md §4.3), or the rows stored with the snapshot.
 */
export function useNamespaceInventory(clusters: string[]): UseQueryResult<{ namespaces: PickerNamespace[] }, Error> {
  const snap = useSnapshot();
  const live = namespaceInventoryQueryOptions(clusters);
  const body = snap?.namespaces as { namespaces: PickerNamespace[] } | undefined;
  const options = snap
    ? { queryKey: ['snapshot', snap.id, 'namespaces'] as unknown as typeof live.queryKey, queryFn: async () => body!, initialData: body, staleTime: Infinity }
    : live;
  return useQuery(options as unknown as typeof live);
}

/** Sparklines: live from /api/*-series, or the series stored with the snapshot (any `points`). */
export function useSeriesData(p: SeriesQueryParams, enabled: boolean): UseQueryResult<SeriesResponse, Error> {
  const snap = useSnapshot();
  const live = seriesQueryOptions(p);
  const options = snap
    ? {
        queryKey: ['snapshot', snap.id, 'series', p.kind, p.id] as unknown as typeof live.queryKey,
        queryFn: async () => {
          const stored = (p.kind === 'edge' ? snap.series.edges : snap.series.nodes)[p.id];
          if (!stored) throw new Error('not stored with this snapshot (only the busiest and problem edges keep their sparklines)');
          return stored as SeriesResponse;
        },
        staleTime: Infinity,
        retry: false,
        enabled,
      }
    : { ...live, enabled };
  return useQuery(options as typeof live);
}

/**
 * "What changed?": live from /api/graph/diff, or on a snapshot the diff stored with it when the view still
 * compares with what was pinned (so a pinned comparison opens with Prometheus gone); another `compare`
 * chosen on the snapshot is asked live.
 */
export function useDiffData(p: Parameters<typeof diffQueryOptions>[0]): UseQueryResult<DiffBody, Error> {
  const snap = useSnapshot();
  const live = diffQueryOptions(p);
  const stored = snap?.diff && snap.diff.compare === p.compare ? (snap.diff.body as DiffBody) : undefined;
  const options = stored
    ? {
        queryKey: ['snapshot', snap!.id, 'diff', p.compare] as unknown as typeof live.queryKey,
        queryFn: async () => stored,
        initialData: stored,
        staleTime: Infinity,
      }
    : live;
  return useQuery(options as typeof live);
}

import { queryOptions } from '@tanstack/react-query';
import type { GraphDiff } from '@/lib/compare/diff';
import { diffSearchParams } from '@/lib/compare/url';
import { fetchJson } from './fetch-json';

export type DiffBody = GraphDiff & { warnings?: { source: string; message: string }[] };

export function diffQueryOptions(p: {
  compare: string | undefined;
  window: { start: string; end: string } | undefined;
  namespaces: string[];
  clusters: string[];
}) {
  const q = diffSearchParams(p);
  return queryOptions({
    queryKey: ['graph-diff', q?.toString() ?? ''] as const,
    queryFn: ({ signal }) => fetchJson<DiffBody>(`/api/graph/diff?${q}`, signal),
    enabled: q !== undefined,
    staleTime: Infinity, // both windows are absolute
  });
}

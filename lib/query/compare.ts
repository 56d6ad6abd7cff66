import { queryOptions } from '@tanstack/react-query';
import type { GraphDiff } from '@/lib/compare/diff';
import { baseParams, parseCompare } from '@/lib/compare/url';
import { fetchJson } from './fetch-json';

export function diffQueryOptions(p: {
  compare: string | undefined;
  window: { start: string; end: string } | undefined;
  namespaces: string[];
  clusters: string[];
}) {
  const spec = p.compare ? parseCompare(p.compare) : undefined;
  const q = new URLSearchParams();
  if (spec && p.window) {
    q.set('start', p.window.start);
    q.set('end', p.window.end);
    for (const [k, v] of Object.entries(baseParams(spec, p.window))) q.set(k, v);
    if (p.namespaces.length) q.set('namespaces', p.namespaces.join(','));
    if (p.clusters.length) q.set('clusters', p.clusters.join(','));
  }
  return queryOptions({
    queryKey: ['graph-diff', q.toString()] as const,
    queryFn: ({ signal }) => fetchJson<GraphDiff & { warnings?: { source: string; message: string }[] }>(`/api/graph/diff?${q}`, signal),
    enabled: Boolean(spec && p.window),
    staleTime: Infinity, // both windows are absolute
  });
}

import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { parseUrlState, serializeUrlState, type GraphUrlState } from '@/lib/graph/url-state';
import { resolveViewState, useSnapshot } from '../graph-source';

/**
 * The graph page's state, read from the URL (the single source of truth, docs/api.md §5), and `update`
 * to write it back. Native history calls integrate with Next's router without a server round trip.
 */
export function useGraphUrlState() {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  // On /s/<id> the pinned snapshot supplies the view state the URL does not override (components/graph/graph-source.tsx).
  const snapshot = useSnapshot();
  const { state, errors } = useMemo(
    () => resolveViewState(parseUrlState(new URLSearchParams(searchParams.toString())), searchParams.toString() !== '', snapshot),
    [searchParams, snapshot],
  );
  const update = useCallback(
    (next: GraphUrlState, opts?: { push?: boolean }) => {
      const qs = serializeUrlState(next).toString();
      const url = `${pathname}${qs ? `?${qs}` : ''}`;
      if (opts?.push) window.history.pushState(null, '', url);
      else window.history.replaceState(null, '', url);
    },
    [pathname],
  );
  return { state, errors, update, pathname, snapshot };
}

export type UpdateUrlState = ReturnType<typeof useGraphUrlState>['update'];

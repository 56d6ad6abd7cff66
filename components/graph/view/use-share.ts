import { useState } from 'react';
import { serializeUrlState, shareState, type GraphUrlState } from '@/lib/graph/url-state';
import type { MeshGraph } from '@/lib/mesh/types';

/** The share link (same view, window frozen to the one the graph was computed for), copied when the browser allows. */
export function useShare(state: GraphUrlState, graph: MeshGraph | undefined, pathname: string) {
  const [share, setShare] = useState<{ url: string; state: string; copied?: boolean }>();
  async function open() {
    if (!graph) return;
    const qs = serializeUrlState(shareState(state, graph.window)).toString();
    const url = `${window.location.origin}${pathname}?${qs}`;
    setShare({ url, state: qs });
    let copied = false;
    try {
      if (navigator.clipboard) {
        await navigator.clipboard.writeText(url);
        copied = true;
      }
    } catch {
      copied = false;
    }
    setShare({ url, state: qs, copied });
  }
  return { share, open, close: () => setShare(undefined) };
}

import { useState } from 'react';
import { serializeUrlState, shareState, type GraphUrlState } from '@/lib/graph/url-state';
import type { MeshGraph } from '@/lib/mesh/types';
import { copyToClipboard } from '@/lib/utils/clipboard';

/** The share link (same view, window frozen to the one the graph was computed for), copied when the browser allows. */
export function useShare(state: GraphUrlState, graph: MeshGraph | undefined, pathname: string) {
  const [share, setShare] = useState<{ url: string; state: string; copied?: boolean }>();
  async function open() {
    if (!graph) return;
    const qs = serializeUrlState(shareState(state, graph.window)).toString();
    const url = `${window.location.origin}${pathname}?${qs}`;
    setShare({ url, state: qs });
    const copied = await copyToClipboard(url);
    setShare({ url, state: qs, copied });
  }
  return { share, open, close: () => setShare(undefined) };
}

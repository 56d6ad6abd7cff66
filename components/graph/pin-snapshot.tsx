'use client';

import { copyToClipboard } from '@/lib/utils/clipboard';
import { useState } from 'react';
import { apiUrl } from '@/lib/query/fetch-json';
import type { Position } from '@/lib/graph/layout';
import { pinSnapshot } from '@/lib/query/snapshots';
import { Button } from '@/components/ui/button';

/**
 * Share → "Pin as snapshot": stores what the link shows (graph, namespaces, findings, sparklines, view
 * state) so the link keeps working after Prometheus dropped the window (docs/snapshots.md).
 */
export function PinSnapshot({ state, positions }: { state: string; positions?: () => Record<string, Position> | undefined }) {
  const [title, setTitle] = useState('');
  const [status, setStatus] = useState<
    { kind: 'idle' } | { kind: 'pinning' } | { kind: 'done'; url: string; copied: boolean } | { kind: 'error'; message: string }
  >({ kind: 'idle' });

  async function pin() {
    setStatus({ kind: 'pinning' });
    try {
      const r = await pinSnapshot(state, title.trim() || undefined, positions?.());
      const url = `${window.location.origin}${apiUrl(r.url)}`;
      const copied = await copyToClipboard(url);
      setStatus({ kind: 'done', url, copied });
    } catch (e) {
      setStatus({ kind: 'error', message: (e as Error).message });
    }
  }

  return (
    <section className="mt-3 border-t border-gray-200 pt-3" aria-labelledby="pin-title" data-testid="pin-snapshot">
      <h3 id="pin-title" className="text-sm font-semibold">
        Pin as snapshot
      </h3>
      <p className="mt-1 text-sm text-gray-700">
        The link above needs Prometheus to still hold this window. A snapshot stores the graph, the namespace summary, the findings and the sparklines, so its
        link opens the same picture weeks later, even with Prometheus or the Kubernetes API down.
      </p>
      {status.kind !== 'done' && (
        <div className="mt-2 flex gap-2">
          <label className="min-w-0 flex-1 text-sm">
            <span className="sr-only">Snapshot title (optional)</span>
            <input
              value={title}
              maxLength={200}
              onChange={(e) => setTitle(e.currentTarget.value)}
              placeholder="Title (optional), e.g. checkout 5xx at 02:14"
              data-testid="pin-title"
              className="w-full rounded border border-gray-300 px-2 py-1 text-sm"
            />
          </label>
          <Button variant="primary" onClick={() => void pin()} disabled={status.kind === 'pinning'} data-testid="pin-button">
            {status.kind === 'pinning' ? 'Pinning…' : 'Pin as snapshot'}
          </Button>
        </div>
      )}
      {status.kind === 'done' && (
        <div className="mt-2 text-sm">
          <label className="block">
            <span className="sr-only">Snapshot link</span>
            <input
              readOnly
              value={status.url}
              data-testid="pin-url"
              className="w-full rounded border border-gray-300 px-2 py-1 font-mono text-xs"
              onFocus={(e) => e.currentTarget.select()}
            />
          </label>
          <p className="mt-1" role="status">
            {status.copied ? 'Snapshot pinned; its link is on the clipboard.' : 'Snapshot pinned: select the link and copy it.'}{' '}
            <a className="text-blue-800 underline" href={status.url}>
              Open it
            </a>
          </p>
        </div>
      )}
      {status.kind === 'error' && (
        <p className="mt-1 text-sm text-red-800" role="alert" data-testid="pin-error">
          Could not pin: {status.message}
        </p>
      )}
    </section>
  );
}

'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { GraphView } from '@/components/graph/graph-view';
import { SnapshotSourceProvider } from '@/components/graph/graph-source';
import { Banner } from '@/components/ui/banner';
import { ApiError } from '@/lib/query/fetch-json';
import { snapshotQueryOptions, type SnapshotBody } from '@/lib/query/snapshots';
import { formatInstantUtc } from '@/lib/utils/format';

/** The live graph of the snapshot's window and view (it needs Prometheus to still hold the window). */
export function liveHref(s: SnapshotBody): string {
  return `/graph?${s.state}`;
}

function SnapshotBanner({ snapshot }: { snapshot: SnapshotBody }) {
  return (
    <div
      className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-violet-300 bg-violet-50 px-3 py-2 text-sm text-violet-950"
      role="status"
      data-testid="snapshot-banner"
    >
      <span className="rounded bg-violet-700 px-1.5 py-0.5 text-xs font-semibold uppercase tracking-wide text-white">Snapshot</span>
      <span className="min-w-0 flex-1">
        {snapshot.title && (
          <strong className="mr-2" data-testid="snapshot-title">
            {snapshot.title}
          </strong>
        )}
        Snapshot of {formatInstantUtc(snapshot.window.start)} → {formatInstantUtc(snapshot.window.end)}, pinned {formatInstantUtc(snapshot.createdAt)}; live
        data may differ.
      </span>
      <Link
        href={liveHref(snapshot)}
        className="rounded border border-violet-400 bg-white px-2.5 py-1 font-medium text-violet-900 hover:bg-violet-100"
        data-testid="snapshot-live"
      >
        Open the live view of this window
      </Link>
    </div>
  );
}

export function SnapshotPage({ id }: { id: string }) {
  const q = useQuery(snapshotQueryOptions(id));
  if (q.isPending) {
    return (
      <p className="p-4 text-sm text-gray-600" role="status">
        Loading the snapshot…
      </p>
    );
  }
  if (q.isError) {
    const missing = q.error instanceof ApiError && q.error.status === 404;
    return (
      <div className="p-4">
        <Banner tone="error" testId="snapshot-error">
          {missing
            ? 'No such snapshot: the link is wrong, or the snapshot was deleted or passed the retention period.'
            : `Could not load the snapshot: ${q.error.message}`}
        </Banner>
      </div>
    );
  }
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <SnapshotBanner snapshot={q.data} />
      <SnapshotSourceProvider snapshot={q.data}>
        <GraphView />
      </SnapshotSourceProvider>
    </div>
  );
}

import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SnapshotPage } from '@/components/snapshots/snapshot-page';

export const metadata: Metadata = { title: 'Snapshot · Meshglass' };

// A pinned snapshot (docs/snapshots.md): the graph page on stored data. The client fetches
// /api/snapshots/<id>, so the page never waits on Prometheus or the Kubernetes API.
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense fallback={<p className="p-4 text-sm text-gray-600">Loading the snapshot…</p>}>
      <SnapshotPage id={id} />
    </Suspense>
  );
}

import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Overview } from '@/components/overview/overview';

export const metadata: Metadata = { title: 'Mesh overview · Meshglass' };

// The client owns the polled data; the page only provides the Suspense boundary useSearchParams needs.
export default function OverviewPage() {
  return (
    <Suspense fallback={<p className="p-4 text-sm text-gray-600">Loading the mesh overview…</p>}>
      <Overview />
    </Suspense>
  );
}

import type { Metadata } from 'next';
import { Suspense } from 'react';
import { GraphView } from '@/components/graph/graph-view';

export const metadata: Metadata = { title: 'Service graph · Meshglass' };

// The client owns the polled graph data (docs/engineering.md B5); the page only provides the Suspense
// boundary useSearchParams needs.
export default function GraphPage() {
  return (
    <Suspense fallback={<p className="p-4 text-sm text-gray-600">Loading the service graph…</p>}>
      <GraphView />
    </Suspense>
  );
}

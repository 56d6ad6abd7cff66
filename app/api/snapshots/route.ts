import { limited } from '@/lib/server/guard';
import { listSnapshots, pinSnapshot } from '@/lib/server/snapshots';

export const dynamic = 'force-dynamic';

// Pinning computes a graph, summaries, findings and sparklines: under the same per-client limit as the other routes.
export const POST = (request: Request) => limited(request, () => pinSnapshot(request));
export const GET = listSnapshots;

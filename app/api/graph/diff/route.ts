import { limited } from '@/lib/server/guard';
import { graphDiff } from '@/lib/server/snapshots';

export const dynamic = 'force-dynamic';

// A diff computes up to two graphs: under the same per-client limit as /api/graph.
export const GET = (request: Request) => limited(request, () => graphDiff(request));

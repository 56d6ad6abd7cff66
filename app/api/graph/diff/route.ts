import { graphDiff } from '@/lib/server/snapshots';

export const dynamic = 'force-dynamic';

export const GET = graphDiff;

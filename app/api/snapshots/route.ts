import { listSnapshots, pinSnapshot } from '@/lib/server/snapshots';

export const dynamic = 'force-dynamic';

export const POST = pinSnapshot;
export const GET = listSnapshots;

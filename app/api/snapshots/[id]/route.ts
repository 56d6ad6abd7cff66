import { json } from '@/lib/server/http';
import { snapshotErrorResponse } from '@/lib/snapshots/http';
import { isSnapshotId } from '@/lib/snapshots/id';
import { getSnapshotStore } from '@/lib/snapshots/server';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

const notFound = () => json({ error: 'no such snapshot (unknown id, deleted or past SNAPSHOT_RETENTION_DAYS)' }, 404);

export async function GET(request: Request, ctx: Ctx): Promise<Response> {
  try {
    const { id } = await ctx.params;
    if (!isSnapshotId(id)) return notFound();
    const doc = await getSnapshotStore().get(id);
    if (!doc) return notFound();
    return json(doc);
  } catch (e) {
    return snapshotErrorResponse(e, request.signal);
  }
}

export async function DELETE(request: Request, ctx: Ctx): Promise<Response> {
  try {
    const { id } = await ctx.params;
    if (!isSnapshotId(id)) return notFound();
    return (await getSnapshotStore().delete(id)) ? new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } }) : notFound();
  } catch (e) {
    return snapshotErrorResponse(e, request.signal);
  }
}

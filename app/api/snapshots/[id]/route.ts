import { deleteSnapshot, readSnapshot } from '@/lib/server/snapshots';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

export async function GET(request: Request, ctx: Ctx): Promise<Response> {
  return readSnapshot(request, (await ctx.params).id);
}

export async function DELETE(request: Request, ctx: Ctx): Promise<Response> {
  return deleteSnapshot(request, (await ctx.params).id);
}

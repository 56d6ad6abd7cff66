import { getSeries } from '@/lib/server/series';
import { errorResponse, json } from '@/lib/server/http';
import { limited } from '@/lib/server/guard';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return limited(request, async () => {
    try {
      return json(await getSeries('node', new URL(request.url).searchParams, request.signal));
    } catch (e) {
      return errorResponse(e, request.signal);
    }
  });
}

import { parseGraphQuery } from '@/lib/api/params';
import { getMeshData, serverTiming } from '@/lib/server/mesh-data';
import { errorResponse, json } from '@/lib/server/http';
import { limited } from '@/lib/server/guard';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return limited(request, async () => {
    try {
      const q = parseGraphQuery(new URL(request.url).searchParams, Date.now() / 1000);
      const { graph, timings } = await getMeshData(q, request.signal);
      return json(graph, 200, { 'Server-Timing': serverTiming(timings) });
    } catch (e) {
      return errorResponse(e, request.signal);
    }
  });
}

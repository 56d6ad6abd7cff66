import { errorResponse, jsonChunks } from '@/lib/server/http';
import { limited } from '@/lib/server/guard';
import { graphResponse } from '@/lib/server/routes';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return limited(request, async () => {
    try {
      const { chunks, serverTiming } = await graphResponse(new URL(request.url).searchParams, request.signal);
      // The graph's bytes are made once and shared by every poller of it (lib/server/graph-json.ts).
      return jsonChunks(chunks(), { 'Server-Timing': serverTiming });
    } catch (e) {
      return errorResponse(e, request.signal);
    }
  });
}

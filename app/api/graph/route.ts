import { acceptsGzipBody, errorResponse, gzipBody, jsonChunks } from '@/lib/server/http';
import { limited } from '@/lib/server/guard';
import { graphResponse } from '@/lib/server/routes';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return limited(request, async () => {
    try {
      const answer = await graphResponse(new URL(request.url).searchParams, request.signal);
      // `Accept: application/gzip` (the graph page): the graph's JSON compressed once and shared by every poller of
      // it, `stale` in a header (docs/api.md §4.2). Otherwise JSON, the graph's bytes made once (lib/server/graph-json.ts).
      if (acceptsGzipBody(request.headers.get('accept'))) {
        return gzipBody(await answer.gzip(), {
          'Server-Timing': answer.serverTiming,
          ...(answer.stale ? { 'X-Meshglass-Stale': JSON.stringify(answer.stale) } : {}),
        });
      }
      return jsonChunks(answer.chunks(), { 'Server-Timing': answer.serverTiming, Vary: 'Accept' });
    } catch (e) {
      return errorResponse(e, request.signal);
    }
  });
}

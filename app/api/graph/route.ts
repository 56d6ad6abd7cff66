import { errorResponse, jsonText } from '@/lib/server/http';
import { limited } from '@/lib/server/guard';
import { graphResponse } from '@/lib/server/routes';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return limited(request, async () => {
    try {
      const { json, serverTiming } = await graphResponse(new URL(request.url).searchParams, request.signal);
      return jsonText(json(), 200, { 'Server-Timing': serverTiming });
    } catch (e) {
      return errorResponse(e, request.signal);
    }
  });
}

import { findingsResponse } from '@/lib/server/routes';
import { errorResponse, json } from '@/lib/server/http';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  try {
    return json(await findingsResponse(new URL(request.url).searchParams, request.signal));
  } catch (e) {
    return errorResponse(e, request.signal);
  }
}

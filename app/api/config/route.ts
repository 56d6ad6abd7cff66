import { configResponse } from '@/lib/server/routes';
import { json } from '@/lib/server/http';

export const dynamic = 'force-dynamic';

/** Public, non-secret settings the UI needs (never tokens). */
export async function GET(request: Request): Promise<Response> {
  return json(await configResponse(request.signal));
}

import { json } from '@/lib/server/http';

export const dynamic = 'force-dynamic';

/** Public liveness probe: 200 while the process serves requests. No upstream calls, no details. */
export async function GET(): Promise<Response> {
  return json({ status: 'ok' });
}

import { json } from '@/lib/server/http';
import { readiness } from '@/lib/server/probes';

export const dynamic = 'force-dynamic';

/** Public readiness probe: a status word from cached state only (lib/server/probes.ts). */
export async function GET(): Promise<Response> {
  const { ready } = readiness();
  return json({ status: ready ? 'ready' : 'starting' }, ready ? 200 : 503);
}

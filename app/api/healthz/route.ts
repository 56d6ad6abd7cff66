import { getHealth } from '@/lib/server/health';
import { json } from '@/lib/server/http';

export const dynamic = 'force-dynamic';

/**
 * Detailed health, behind authentication like every other API route (proxy.ts): always 200 while the
 * app runs; `status` says whether an upstream is down (docs/api.md §4). Kubelet probes use the public
 * /api/livez and /api/readyz instead.
 */
export async function GET(request: Request): Promise<Response> {
  return json(await getHealth(request.signal));
}

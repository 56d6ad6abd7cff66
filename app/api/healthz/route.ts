import { getHealth } from '@/lib/server/health';
import { json } from '@/lib/server/http';

export const dynamic = 'force-dynamic';

/** Always 200 while the app runs; `status` says whether an upstream is down (product.md §4). */
export async function GET(request: Request): Promise<Response> {
  return json(await getHealth(request.signal));
}

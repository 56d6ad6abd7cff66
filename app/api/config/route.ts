import { getConfig } from '@/lib/config/env';
import { knownClusterNames } from '@/lib/server/clusters';
import { json } from '@/lib/server/http';

export const dynamic = 'force-dynamic';

/** Public, non-secret settings the UI needs (never tokens). */
export async function GET(request: Request): Promise<Response> {
  const c = getConfig();
  const clusters = await knownClusterNames(request.signal).catch(() => [] as string[]);
  return json({ grafanaUrl: c.grafanaUrl ?? null, cluster: clusters[0] ?? c.clusterName, clusters });
}

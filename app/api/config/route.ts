import { configuredClusters, getConfig } from '@/lib/config/env';
import { json } from '@/lib/server/http';

export const dynamic = 'force-dynamic';

/** Public, non-secret settings the UI needs (never tokens). */
export async function GET(): Promise<Response> {
  const c = getConfig();
  return json({ grafanaUrl: c.grafanaUrl ?? null, cluster: c.clusterName, clusters: configuredClusters(c) });
}

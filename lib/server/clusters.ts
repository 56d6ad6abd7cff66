import 'server-only';
import { getConfig } from '@/lib/config/env';
import { getKubeSnapshots } from '@/lib/kube/cache';
import { selfNamed } from '@/lib/mesh/cluster-name';

/**
 * Cluster names the UI offers even before traffic shows them: every configured context under the name the
 * cluster goes by (its CLUSTER_ID unless the configuration overrides it, lib/mesh/cluster-name.ts). A single
 * cluster whose name nobody stated is left to the graph's nodes, which carry the name the telemetry uses.
 */
export async function knownClusterNames(signal?: AbortSignal): Promise<string[]> {
  const config = getConfig();
  const snapshots = await getKubeSnapshots({ ...(signal ? { signal } : {}), timeoutMs: config.kube.timeoutMs });
  return snapshots
    .map((s) => selfNamed(s).snapshot)
    .filter((s) => config.kube.contexts !== undefined || s.clusterSource !== 'default')
    .map((s) => s.cluster);
}

import 'server-only';
import { getConfig } from '@/lib/config/env';
import { getKubeSnapshots } from '@/lib/kube/cache';
import { selfNamed } from '@/lib/mesh/cluster-name';
import { mergeSnapshots } from '@/lib/mesh/merge';
import type { KubeSnapshot, Warning } from '@/lib/mesh/types';

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

/**
 * The Kubernetes side alone, for answers that read no telemetry (`/api/namespaces?omit=traffic`): every
 * configured cluster's snapshot named by rules 1, 2 and 4 of lib/mesh/cluster-name.ts (rule 3 needs the
 * telemetry), narrowed to `clusters` and merged. A single cluster nobody named keeps its objects under any
 * `clusters` filter: the name the telemetry gives it is not known without reading the telemetry.
 */
export async function kubeOnly(clusters: string[] | undefined, signal: AbortSignal): Promise<{ kube: KubeSnapshot; available: boolean; warnings: Warning[] }> {
  const config = getConfig();
  const named = (await getKubeSnapshots({ signal, timeoutMs: config.kube.timeoutMs })).map(selfNamed);
  const snapshots = named.map((n) => n.snapshot);
  const warnings = [...snapshots.flatMap((s) => s.warnings), ...named.flatMap((n) => n.warnings)];
  const unnamed = snapshots.length === 1 && snapshots[0]!.clusterSource === 'default';
  const selected = clusters && !unnamed ? snapshots.filter((s) => clusters.includes(s.cluster)) : snapshots;
  return { kube: mergeSnapshots(selected), available: snapshots.some((s) => s.available), warnings };
}

// Which cluster name a Kubernetes snapshot stands for in the telemetry (docs/classification.md §2).
//
// Istio writes `values.global.multiCluster.clusterName` (default "Kubernetes") into every series as
// source_cluster / destination_cluster; istiod and ztunnel carry it as their CLUSTER_ID environment variable
// (docs/istio-telemetry.md §7). Series are matched to Kubernetes objects by that name, so a wrong name
// silently detaches every workload from its pods. Order, first that applies:
//   1. the configuration (MESH_CLUSTER_NAME, KUBE_CONTEXTS context=name): an override;
//   2. the cluster's own CLUSTER_ID (istiod / ztunnel pods), when they agree on one;
//   3. with one cluster configured and exactly one cluster named by the telemetry: that one;
//   4. the default ("Kubernetes", or the context name).
// Telemetry naming a cluster no snapshot stands for is always a warning, never silent.
import { inventoryOf } from './inventory';
import type { KubeSnapshot, TelemetryInput, Warning } from './types';
import { isKnown } from './util';

/** Cluster names the telemetry mentions (known values of source_cluster / destination_cluster), sorted. */
export function telemetryClusters(telemetry: Pick<TelemetryInput, 'samples'>): string[] {
  const names = new Set<string>();
  for (const s of telemetry.samples) {
    const a = s.labels.source_cluster;
    const b = s.labels.destination_cluster;
    if (a !== undefined && isKnown(a)) names.add(a);
    if (b !== undefined && isKnown(b)) names.add(b);
  }
  return [...names].sort();
}

/** Rules 1, 2 and 4 for one snapshot: the name the cluster gives itself, unless configuration overrides it. */
export function selfNamed(snapshot: KubeSnapshot): { snapshot: KubeSnapshot; warnings: Warning[] } {
  const source = snapshot.clusterSource ?? 'config';
  const ids = inventoryOf(snapshot).controlPlane.clusterIds;
  const warnings: Warning[] = [];
  if (ids.length > 1) {
    warnings.push({
      source: 'kubernetes',
      message: `istiod and ztunnel pods disagree on CLUSTER_ID (${ids.join(', ')}): using "${snapshot.cluster}"; set MESH_CLUSTER_NAME to the name the telemetry carries`,
    });
    return { snapshot, warnings };
  }
  const id = ids[0];
  if (id === undefined || id === snapshot.cluster) return { snapshot, warnings };
  if (source === 'config') {
    warnings.push({
      source: 'config',
      message: `the configured cluster name "${snapshot.cluster}" overrides the cluster's own CLUSTER_ID "${id}" (istiod/ztunnel): series labelled "${id}" will not match its Kubernetes objects`,
    });
    return { snapshot, warnings };
  }
  if (source === 'default') return { snapshot: { ...snapshot, cluster: id, clusterSource: 'cluster-id' }, warnings };
  return { snapshot, warnings };
}

/**
 * All four rules over the snapshots of one request, plus the warning for telemetry clusters no snapshot
 * explains. Snapshots keep their order; unchanged snapshots are returned as the same objects (so the
 * inventory memo keeps working).
 */
export function resolveClusterNames(snapshots: KubeSnapshot[], telemetry: Pick<TelemetryInput, 'samples'>): { snapshots: KubeSnapshot[]; warnings: Warning[] } {
  const warnings: Warning[] = [];
  let resolved = snapshots.map((s) => {
    const r = selfNamed(s);
    warnings.push(...r.warnings);
    return r.snapshot;
  });
  const seen = telemetryClusters(telemetry);
  if (resolved.length === 1 && resolved[0]!.clusterSource === 'default' && resolved[0]!.available && seen.length === 1 && seen[0] !== resolved[0]!.cluster) {
    resolved = [{ ...resolved[0]!, cluster: seen[0]!, clusterSource: 'telemetry' }];
  }
  const explained = new Set(resolved.map((s) => s.cluster));
  const strangers = seen.filter((c) => !explained.has(c));
  if (strangers.length > 0 && resolved.some((s) => s.available)) {
    const names = resolved.map((s) => `"${s.cluster}"`).join(', ');
    warnings.push({
      source: 'config',
      message: `telemetry names cluster${strangers.length > 1 ? 's' : ''} ${strangers.map((c) => `"${c}"`).join(', ')} that no configured Kubernetes context stands for (configured: ${names}): their workloads are drawn from telemetry alone, without modes or waypoints. Name the cluster with MESH_CLUSTER_NAME, or add its context to KUBE_CONTEXTS as context=name`,
    });
  }
  return { snapshots: resolved, warnings };
}

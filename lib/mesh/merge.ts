// One KubeSnapshot from several clusters' snapshots, for the per-namespace summaries and findings,
// which look objects up by namespace/name only (objects of equal names in two clusters are merged there).
import type { KubeSnapshot } from './types';

/** A snapshot with no objects (Kubernetes unavailable, or nothing read yet). */
export function emptySnapshot(cluster = 'Kubernetes', istioNamespace = 'istio-system', warnings: KubeSnapshot['warnings'] = []): KubeSnapshot {
  return {
    cluster,
    istioNamespace,
    namespaces: [],
    pods: [],
    services: [],
    gateways: [],
    gatewayClasses: [],
    authorizationPolicies: [],
    peerAuthentications: [],
    warnings,
    available: false,
  };
}

/** Concatenates the objects of every snapshot; cluster/istioNamespace of the first; available if any is. */
export function mergeSnapshots(snapshots: readonly KubeSnapshot[]): KubeSnapshot {
  const first = snapshots[0];
  if (!first) return emptySnapshot();
  if (snapshots.length === 1) return first;
  const seenNs = new Set<string>();
  const seenClasses = new Set<string>();
  return {
    cluster: first.cluster,
    istioNamespace: first.istioNamespace,
    // Namespaces and GatewayClasses are cluster-scoped by name: the first cluster's object wins.
    namespaces: snapshots.flatMap((s) => s.namespaces).filter((n) => !seenNs.has(n.name) && seenNs.add(n.name)),
    pods: snapshots.flatMap((s) => s.pods),
    services: snapshots.flatMap((s) => s.services),
    gateways: snapshots.flatMap((s) => s.gateways),
    gatewayClasses: snapshots.flatMap((s) => s.gatewayClasses).filter((c) => !seenClasses.has(c.name) && seenClasses.add(c.name)),
    authorizationPolicies: snapshots.flatMap((s) => s.authorizationPolicies),
    peerAuthentications: snapshots.flatMap((s) => s.peerAuthentications),
    httpRoutes: snapshots.flatMap((s) => s.httpRoutes ?? []),
    virtualServices: snapshots.flatMap((s) => s.virtualServices ?? []),
    destinationRules: snapshots.flatMap((s) => s.destinationRules ?? []),
    warnings: snapshots.flatMap((s) => s.warnings),
    available: snapshots.some((s) => s.available),
  };
}

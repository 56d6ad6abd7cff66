// The overview's trend lines (docs/api.md "trends"): which running Istio proxy a scrape target is, so
// the sidecar and ztunnel counts can be read from Prometheus over time (Kubernetes only knows now).
import type { Labels } from './types';
import { instanceHost } from './util';
import type { WorkloadIndex } from './workloads';

export type ProxyTargetRole = 'sidecar' | 'ztunnel' | 'other';

/**
 * What the proxy behind one `istio_build` series is, counted like the overview's "Sidecars running" and
 * "ztunnels running" (running pods by their classification, lib/mesh/pods.ts):
 * - `component="ztunnel"` is a ztunnel;
 * - an Envoy (`component="proxy"`) whose pod the Kubernetes API still knows (scrape labels namespace/pod,
 *   else a unique pod IP of the `instance`) counts as that pod's class: sidecar, or other for waypoints
 *   and gateways (which run the same Envoy);
 * - an Envoy whose pod is gone (an earlier point of the range, e.g. the sidecar pods of a workload
 *   migrated to ambient) is a sidecar, unless its scrape labels name a gateway.
 */
export function proxyTargetRole(labels: Labels, index: WorkloadIndex): ProxyTargetRole {
  if (labels.component === 'ztunnel') return 'ztunnel';
  if (labels.component !== 'proxy') return 'other';
  const byName = labels.namespace && labels.pod ? index.podsByName.get(`${labels.namespace}/${labels.pod}`) : undefined;
  const byIp = labels.instance ? index.podsByIp.get(instanceHost(labels.instance)) : undefined;
  const known = byName ?? (byIp?.length === 1 ? byIp[0] : undefined);
  if (known) {
    const cls = known.pod.classification.class;
    return cls === 'sidecar' ? 'sidecar' : cls === 'ztunnel' ? 'ztunnel' : 'other';
  }
  return /gateway/.test(labels.app ?? '') ? 'other' : 'sidecar';
}

/** Sidecars and ztunnels among the proxies present at one instant (one label set per proxy). */
export function countProxies(targets: readonly Labels[], index: WorkloadIndex): { sidecars: number; ztunnels: number } {
  const out = { sidecars: 0, ztunnels: 0 };
  for (const t of targets) {
    const role = proxyTargetRole(t, index);
    if (role === 'sidecar') out.sidecars += 1;
    else if (role === 'ztunnel') out.ztunnels += 1;
  }
  return out;
}

/** b − a when both are numbers, else null (a missing side is no change we can state). */
export function delta(now: number | null | undefined, before: number | null | undefined): number | null {
  return typeof now === 'number' && Number.isFinite(now) && typeof before === 'number' && Number.isFinite(before) ? now - before : null;
}

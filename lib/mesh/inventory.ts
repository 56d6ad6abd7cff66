// The cluster inventory: one Kubernetes snapshot, read once. Pods are classified once (pods.ts), grouped into
// workloads (workloads.ts), Services and waypoint bindings indexed (waypoints.ts), and the control plane's own
// facts collected (where istiod runs, the CLUSTER_ID Istio writes into the telemetry). The graph build, the
// findings, the namespace summary and the migration plan read only this, so they cannot disagree on what a
// pod is (docs/classification.md §1).
import { clusterIdOf } from './pods';
import type { AuthorizationPolicyInfo, KubeSnapshot, Labels, NamespaceInfo, PeerAuthenticationInfo, PodInfo } from './types';
import { selectorMatches, uniqSorted } from './util';
import { buildWaypointIndex, type WaypointIndex } from './waypoints';
import { buildWorkloadIndex, type ClassifiedPod, type WorkloadIndex, type WorkloadInfo } from './workloads';

/** What the control plane says about itself. */
export interface ControlPlaneFacts {
  /** CLUSTER_ID of istiod and ztunnel pods (unique, sorted): the name in source_cluster/destination_cluster. */
  clusterIds: string[];
  /** Namespaces istiod runs in (sorted). */
  istiodNamespaces: string[];
  /** Revisions of the running control planes (istio.io/rev of istiod pods; "default" when unlabelled). */
  revisions: string[];
  /** Namespaces ztunnel runs in (sorted). */
  ztunnelNamespaces: string[];
  /** Live pods per infrastructure class. */
  pods: { istiod: number; ztunnel: number; cni: number };
}

export interface ClusterInventory {
  snapshot: KubeSnapshot;
  cluster: string;
  /**
   * Istio's root namespace (mesh-wide policies live there): the configured ISTIO_NAMESPACE when istiod runs
   * there or no istiod is visible, else the namespace istiod was found in.
   */
  istioNamespace: string;
  workloads: WorkloadIndex;
  waypoints: WaypointIndex;
  controlPlane: ControlPlaneFacts;
  /** Live pods, each classified once. */
  pods: ClassifiedPod[];
  namespace(name: string): NamespaceInfo | undefined;
  /** Does an AuthorizationPolicy/PeerAuthentication selector apply to the pod (root namespace = mesh-wide)? */
  policySelects(policy: { namespace: string; selector?: Labels }, pod: PodInfo): boolean;
  /** Effective PeerAuthentication of a pod: workload selector, then namespace-wide, then mesh-wide. */
  peerAuthFor(pod: PodInfo): { policy: PeerAuthenticationInfo; mode: PeerAuthenticationInfo['mode'] } | undefined;
  /** AuthorizationPolicies by namespace. */
  authorizationPolicies: AuthorizationPolicyInfo[];
}

function controlPlaneFacts(workloads: Iterable<WorkloadInfo>): ControlPlaneFacts {
  const ids: string[] = [];
  const istiodNs: string[] = [];
  const ztunnelNs: string[] = [];
  const revisions: string[] = [];
  const pods = { istiod: 0, ztunnel: 0, cni: 0 };
  for (const w of workloads) {
    for (const p of w.pods) {
      const cls = p.classification.class;
      if (cls === 'istiod') {
        pods.istiod++;
        istiodNs.push(p.pod.namespace);
        revisions.push(p.pod.labels['istio.io/rev'] ?? 'default');
      } else if (cls === 'ztunnel') {
        pods.ztunnel++;
        ztunnelNs.push(p.pod.namespace);
      } else if (cls === 'istio-cni') {
        pods.cni++;
        continue;
      } else continue;
      const id = clusterIdOf(p.pod);
      if (id) ids.push(id);
    }
  }
  return {
    clusterIds: uniqSorted(ids),
    istiodNamespaces: uniqSorted(istiodNs),
    revisions: uniqSorted(revisions),
    ztunnelNamespaces: uniqSorted(ztunnelNs),
    pods,
  };
}

function build(kube: KubeSnapshot): ClusterInventory {
  const workloads = buildWorkloadIndex(kube);
  const controlPlane = controlPlaneFacts(workloads.workloads.values());
  const istioNamespace =
    controlPlane.istiodNamespaces.length === 0 || controlPlane.istiodNamespaces.includes(kube.istioNamespace)
      ? kube.istioNamespace
      : controlPlane.istiodNamespaces[0]!;
  const waypoints = buildWaypointIndex(kube, workloads);
  const pods = [...workloads.workloads.values()].flatMap((w) => w.pods);
  const policySelects = (policy: { namespace: string; selector?: Labels }, pod: PodInfo): boolean => {
    const meshWide = policy.namespace === istioNamespace;
    if (!meshWide && policy.namespace !== pod.namespace) return false;
    if (!policy.selector || Object.keys(policy.selector).length === 0) return true;
    return selectorMatches(policy.selector, pod.labels);
  };
  const hasSelector = (p: PeerAuthenticationInfo) => p.selector !== undefined && Object.keys(p.selector).length > 0;
  const peerAuthFor = (pod: PodInfo) => {
    const inNs = kube.peerAuthentications.filter((p) => p.namespace === pod.namespace);
    const candidates = [
      ...inNs.filter((p) => hasSelector(p) && selectorMatches(p.selector!, pod.labels)),
      ...inNs.filter((p) => !hasSelector(p)),
      ...kube.peerAuthentications.filter((p) => p.namespace === istioNamespace && p.namespace !== pod.namespace && !hasSelector(p)),
    ];
    for (const p of candidates) if (p.mode !== 'UNSET') return { policy: p, mode: p.mode };
    const first = candidates[0];
    return first ? { policy: first, mode: 'UNSET' as const } : undefined;
  };
  return {
    snapshot: kube,
    cluster: kube.cluster,
    istioNamespace,
    workloads,
    waypoints,
    controlPlane,
    pods,
    namespace: (name) => workloads.namespaces.get(name),
    policySelects,
    peerAuthFor,
    authorizationPolicies: kube.authorizationPolicies,
  };
}

/** The same inventory under another cluster name (classification does not depend on the name). */
function renamed(inv: ClusterInventory, kube: KubeSnapshot): ClusterInventory {
  return { ...inv, snapshot: kube, cluster: kube.cluster, workloads: { ...inv.workloads, cluster: kube.cluster } };
}

/**
 * The inventory of one snapshot, memoised on the identity of its object arrays: the Kubernetes cache hands
 * out the same arrays until an object changes, so consecutive graphs, summaries and findings of one snapshot
 * share one inventory, also when lib/mesh/cluster-name.ts renames the snapshot. It is never mutated after
 * construction, which keeps every reader pure.
 */
const MEMO = new WeakMap<object, { deps: unknown[]; byCluster: Map<string, ClusterInventory> }>();

export function inventoryOf(kube: KubeSnapshot): ClusterInventory {
  const deps: unknown[] = [
    kube.istioNamespace,
    kube.namespaces,
    kube.services,
    kube.gateways,
    kube.gatewayClasses,
    kube.authorizationPolicies,
    kube.peerAuthentications,
    kube.networkPolicies,
    kube.calicoPolicies,
  ];
  let entry = MEMO.get(kube.pods);
  if (!entry || entry.deps.length !== deps.length || !entry.deps.every((d, i) => d === deps[i])) {
    entry = { deps, byCluster: new Map() };
    MEMO.set(kube.pods, entry);
  }
  let inv = entry.byCluster.get(kube.cluster);
  if (!inv) {
    const first = entry.byCluster.values().next().value;
    inv = first ? renamed(first, kube) : build(kube);
    entry.byCluster.set(kube.cluster, inv);
  }
  return inv;
}

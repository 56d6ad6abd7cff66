// Pods → workloads, workload mode, service selection; the index every other module looks things up in.
import { classifyPod, podMismatches, LABEL_GATEWAY_NAME, type PodClass, type PodClassification, type PodIssue } from './pods';
import type { KubeSnapshot, NamespaceInfo, PodCounts, PodInfo, PodMode, ServiceInfo, WorkloadMode } from './types';
import { ref, selectorMatches, uniqSorted } from './util';

export type WorkloadRole = 'control-plane' | 'application' | 'waypoint' | 'gateway' | 'east-west-gateway' | 'ztunnel' | 'istio-cni';

export interface ClassifiedPod {
  pod: PodInfo;
  classification: PodClassification;
  /** Intent-vs-state mismatches (pods.ts podMismatches): the one source of mode issues. */
  issues: PodIssue[];
}

export interface WorkloadInfo {
  /** "ns/name" */
  ref: string;
  namespace: string;
  name: string;
  kind: string;
  pods: ClassifiedPod[];
  role: WorkloadRole;
  infrastructure: boolean;
  /** Current mode from the running pods (docs/classification.md §1). */
  mode: WorkloadMode;
  counts: PodCounts;
  /** gateway.networking.k8s.io/gateway-name of waypoint/gateway pods. */
  gatewayName?: string;
  proxyVersions: string[];
  revisions: string[];
  /** Pod issues, deduplicated, prefixed with the pod name when not all pods share them. */
  issues: string[];
  serviceAccounts: string[];
}

const ROLE_OF: Record<PodClass, WorkloadRole> = {
  istiod: 'control-plane',
  ztunnel: 'ztunnel',
  'istio-cni': 'istio-cni',
  waypoint: 'waypoint',
  'ambient-east-west-gateway': 'east-west-gateway',
  gateway: 'gateway',
  sidecar: 'application',
  ambient: 'application',
  none: 'application',
};
const ROLE_PRIORITY: WorkloadRole[] = ['control-plane', 'ztunnel', 'istio-cni', 'waypoint', 'east-west-gateway', 'gateway', 'application'];

/** Mode of a set of pod modes: all equal → that mode; none → "none"; else mixed. */
export function combineModes(modes: PodMode[]): WorkloadMode {
  const set = new Set(modes);
  if (set.size === 0) return 'none';
  if (set.size === 1) return [...set][0]!;
  return 'mixed';
}

/** Namespace mode from its application workloads' modes (infrastructure excluded by the caller). */
export function namespaceModeOf(modes: WorkloadMode[]): WorkloadMode {
  const set = new Set(modes);
  if (set.size === 0) return 'none';
  if (set.size === 1) return [...set][0]!;
  return 'mixed';
}

function isLive(pod: PodInfo): boolean {
  return pod.phase !== 'Succeeded' && pod.phase !== 'Failed';
}

export interface WorkloadIndex {
  cluster: string;
  istioNamespace: string;
  namespaces: Map<string, NamespaceInfo>;
  /** By "ns/name" (Istio's workload name, i.e. telemetry's source_workload/destination_workload). */
  workloads: Map<string, WorkloadInfo>;
  /** Live, non-hostNetwork pods by IP. */
  podsByIp: Map<string, { pod: ClassifiedPod; workload: WorkloadInfo }[]>;
  /** Pods by "ns/name". */
  podsByName: Map<string, { pod: ClassifiedPod; workload: WorkloadInfo }>;
  services: Map<string, ServiceInfo>;
  get(namespace: string, name: string): WorkloadInfo | undefined;
  /** Services (same namespace) whose selector matches at least one pod of the workload. */
  servicesOf(w: WorkloadInfo): ServiceInfo[];
  /** Workloads with a pod matched by the Service's selector. */
  workloadsOf(svc: ServiceInfo): WorkloadInfo[];
}

export function buildWorkloadIndex(kube: KubeSnapshot): WorkloadIndex {
  const namespaces = new Map(kube.namespaces.map((n) => [n.name, n]));
  const grouped = new Map<string, PodInfo[]>();
  for (const pod of kube.pods) {
    const key = ref(pod.namespace, pod.workload.name);
    const list = grouped.get(key) ?? [];
    list.push(pod);
    grouped.set(key, list);
  }
  const workloads = new Map<string, WorkloadInfo>();
  const podsByIp = new Map<string, { pod: ClassifiedPod; workload: WorkloadInfo }[]>();
  const podsByName = new Map<string, { pod: ClassifiedPod; workload: WorkloadInfo }>();
  for (const [key, allPods] of [...grouped.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const first = allPods[0]!;
    const live = allPods.filter(isLive);
    const pods = (live.length > 0 ? live : allPods).slice().sort((a, b) => a.name.localeCompare(b.name));
    const ns = namespaces.get(first.namespace);
    const classified: ClassifiedPod[] = pods.map((pod) => {
      const classification = classifyPod(pod, kube.istioNamespace);
      return { pod, classification, issues: podMismatches(pod, ns, classification) };
    });
    const roles = new Set(classified.map((c) => ROLE_OF[c.classification.class]));
    const role = ROLE_PRIORITY.find((r) => roles.has(r)) ?? 'application';
    const counts: PodCounts = { total: classified.length, sidecar: 0, ambient: 0, none: 0 };
    for (const c of classified) counts[c.classification.mode] += 1;
    const issueCount = new Map<string, string[]>();
    for (const c of classified) {
      for (const { text } of c.issues) issueCount.set(text, [...(issueCount.get(text) ?? []), c.pod.name]);
    }
    const issues = [...issueCount.entries()].map(([msg, podNames]) => (podNames.length === classified.length ? msg : `${podNames.join(', ')}: ${msg}`));
    const gatewayName = classified.map((c) => c.pod.labels[LABEL_GATEWAY_NAME]).find((g) => g !== undefined);
    const w: WorkloadInfo = {
      ref: key,
      namespace: first.namespace,
      name: first.workload.name,
      kind: first.workload.kind,
      pods: classified,
      role,
      infrastructure: role !== 'application',
      mode: combineModes(classified.map((c) => c.classification.mode)),
      counts,
      ...(gatewayName !== undefined ? { gatewayName } : {}),
      proxyVersions: uniqSorted(classified.flatMap((c) => (c.classification.proxyVersion ? [c.classification.proxyVersion] : []))),
      revisions: uniqSorted(classified.flatMap((c) => (c.classification.revision ? [c.classification.revision] : []))),
      issues: issues.sort(),
      serviceAccounts: uniqSorted(classified.map((c) => c.pod.serviceAccount)),
    };
    workloads.set(key, w);
    for (const c of classified) {
      podsByName.set(ref(c.pod.namespace, c.pod.name), { pod: c, workload: w });
      if (c.pod.ip && !c.pod.hostNetwork && isLive(c.pod)) {
        const list = podsByIp.get(c.pod.ip) ?? [];
        list.push({ pod: c, workload: w });
        podsByIp.set(c.pod.ip, list);
      }
    }
  }
  const services = new Map(kube.services.map((s) => [ref(s.namespace, s.name), s]));
  const servicesOfCache = new Map<string, ServiceInfo[]>();
  const workloadsOfCache = new Map<string, WorkloadInfo[]>();
  const index: WorkloadIndex = {
    cluster: kube.cluster,
    istioNamespace: kube.istioNamespace,
    namespaces,
    workloads,
    podsByIp,
    podsByName,
    services,
    get: (namespace, name) => workloads.get(ref(namespace, name)),
    servicesOf(w) {
      const cached = servicesOfCache.get(w.ref);
      if (cached) return cached;
      const result = kube.services
        .filter((s) => s.namespace === w.namespace && w.pods.some((p) => selectorMatches(s.selector, p.pod.labels)))
        .sort((a, b) => a.name.localeCompare(b.name));
      servicesOfCache.set(w.ref, result);
      return result;
    },
    workloadsOf(svc) {
      const key = ref(svc.namespace, svc.name);
      const cached = workloadsOfCache.get(key);
      if (cached) return cached;
      const result = [...workloads.values()].filter((w) => w.namespace === svc.namespace && w.pods.some((p) => selectorMatches(svc.selector, p.pod.labels)));
      workloadsOfCache.set(key, result);
      return result;
    },
  };
  return index;
}

/** Application (non-infrastructure) workloads of a namespace, sorted by name. */
export function applicationWorkloads(index: WorkloadIndex, namespace?: string): WorkloadInfo[] {
  return [...index.workloads.values()]
    .filter((w) => !w.infrastructure && (namespace === undefined || w.namespace === namespace))
    .sort((a, b) => a.ref.localeCompare(b.ref));
}

// Pure facts derived from the Kubernetes snapshot, shared by the findings, namespace summary and
// migration plan. Kept private to these modules so they depend only on lib/mesh/types (the
// classifier in lib/mesh/*.ts is written independently). Rules: istio-telemetry.md §1.
import type {
  AuthorizationPolicyInfo,
  ContainerInfo,
  GatewayInfo,
  KubeSnapshot,
  Labels,
  NamespaceInfo,
  PeerAuthenticationInfo,
  PodInfo,
  PodMode,
  ServiceInfo,
  WorkloadMode,
} from '../types';

export const L_INJECTION = 'istio-injection';
export const L_REV = 'istio.io/rev';
export const L_DATAPLANE = 'istio.io/dataplane-mode';
export const L_USE_WAYPOINT = 'istio.io/use-waypoint';
export const L_USE_WAYPOINT_NS = 'istio.io/use-waypoint-namespace';
export const L_INGRESS_USE_WAYPOINT = 'istio.io/ingress-use-waypoint';
export const L_WAYPOINT_FOR = 'istio.io/waypoint-for';
export const L_SIDECAR_INJECT = 'sidecar.istio.io/inject';
export const A_SIDECAR_STATUS = 'sidecar.istio.io/status';
export const A_REDIRECTION = 'ambient.istio.io/redirection';

/** What a pod is, from the mesh's point of view (istio-telemetry.md §1.8). */
export type PodRole = 'app' | 'ztunnel' | 'cni' | 'istiod' | 'waypoint' | 'eastwest' | 'gateway';

export interface PodFacts {
  pod: PodInfo;
  role: PodRole;
  /** Actual data-plane state (never the label). */
  mode: PodMode;
  /** "ns/workload" */
  workload: string;
  /** The istio-proxy container (sidecar, native sidecar, gateway, waypoint, ztunnel). */
  proxy?: ContainerInfo;
  /** Proxy image tag (e.g. "1.27.1") when the pod runs an Istio proxy. */
  proxyVersion?: string;
  /** Istio revision of the injected proxy (status JSON `revision`, else annotation istio.io/rev). */
  revision?: string;
  /** Value of ambient.istio.io/redirection when present. */
  redirection?: string;
  /** True when the namespace or pod label asks for ztunnel capture (CNI enablement selectors). */
  ambientRequested: boolean;
  /** True when sidecar injection is requested for the pod (namespace label or pod label). */
  injectionRequested: boolean;
}

const MESH_CONTROLLER = 'istio.io-mesh-controller';
const EASTWEST_CONTROLLER = 'istio.io-eastwest-controller';
const GATEWAY_CONTROLLER = 'istio.io-gateway-controller';
const WAYPOINT_CLASSES = new Set(['istio-waypoint', 'istio-agentgateway-waypoint']);

export function ref(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function splitRef(r: string): { namespace: string; name: string } {
  const i = r.indexOf('/');
  return i < 0 ? { namespace: '', name: r } : { namespace: r.slice(0, i), name: r.slice(i + 1) };
}

export function uniqSorted(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort();
}

/** Selector (matchLabels) against labels. An empty selector selects nothing. */
export function matches(selector: Labels, labels: Labels): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

function proxyContainer(pod: PodInfo): ContainerInfo | undefined {
  return (
    pod.containers.find((c) => c.name === 'istio-proxy') ??
    pod.initContainers.find((c) => c.name === 'istio-proxy' && c.restartPolicy === 'Always') ??
    pod.initContainers.find((c) => c.name === 'istio-proxy')
  );
}

/**
 * Image tag of a proxy image: "docker.io/istio/proxyv2:1.26.3" → "1.26.3",
 * "…/ztunnel:1.27.1-distroless" → "1.27.1", digest-only → "sha256:abcdef12".
 */
export function imageVersion(image: string): string | undefined {
  const at = image.indexOf('@');
  if (at >= 0) {
    const digest = image.slice(at + 1);
    const before = imageVersion(image.slice(0, at));
    return before ?? digest.slice(0, 15);
  }
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon <= slash) return undefined;
  const tag = image.slice(colon + 1);
  return tag.replace(/-(distroless|debug)$/, '') || undefined;
}

function statusRevision(pod: PodInfo): string | undefined {
  const raw = pod.annotations[A_SIDECAR_STATUS];
  if (raw) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === 'object' && 'revision' in parsed) {
        const rev = (parsed as { revision?: unknown }).revision;
        if (typeof rev === 'string' && rev) return rev;
      }
    } catch {
      // malformed status annotation: fall through to the rev annotation
    }
  }
  return pod.annotations[L_REV] ?? undefined;
}

export function podRole(pod: PodInfo, istioNamespace: string): PodRole {
  const l = pod.labels;
  const managed = l['gateway.istio.io/managed'];
  const gwClass = l['gateway.networking.k8s.io/gateway-class-name'];
  if (l['app'] === 'ztunnel' || l['app.kubernetes.io/name'] === 'ztunnel') return 'ztunnel';
  if (l['k8s-app'] === 'istio-cni-node' || l['app.kubernetes.io/name'] === 'istio-cni') return 'cni';
  if (managed === MESH_CONTROLLER || (gwClass !== undefined && WAYPOINT_CLASSES.has(gwClass))) return 'waypoint';
  if (managed === EASTWEST_CONTROLLER || gwClass === 'istio-east-west') return 'eastwest';
  const proxy = proxyContainer(pod);
  const args = proxy?.args ?? [];
  if (
    managed === GATEWAY_CONTROLLER ||
    pod.annotations['inject.istio.io/templates'] === 'gateway' ||
    args.includes('router') ||
    ['ingressgateway', 'egressgateway', 'eastwestgateway'].includes(l['istio'] ?? '')
  ) {
    return 'gateway';
  }
  if (args.includes('waypoint')) return 'waypoint';
  if (
    pod.namespace === istioNamespace &&
    (l['app'] === 'istiod' || l['istio'] === 'pilot' || l['app.kubernetes.io/name'] === 'istiod')
  ) {
    return 'istiod';
  }
  return 'app';
}

export function podMode(pod: PodInfo, role: PodRole): PodMode {
  if (role === 'app' && pod.annotations[A_SIDECAR_STATUS] !== undefined) return 'sidecar';
  if (pod.annotations[A_REDIRECTION] === 'enabled') return 'ambient';
  return 'none';
}

/** Pods that count: not finished. */
export function isLive(pod: PodInfo): boolean {
  return pod.phase !== 'Succeeded' && pod.phase !== 'Failed';
}

export function namespaceOf(kube: KubeSnapshot, name: string): NamespaceInfo | undefined {
  return kube.namespaces.find((n) => n.name === name);
}

export function podFacts(kube: KubeSnapshot, pod: PodInfo): PodFacts {
  const role = podRole(pod, kube.istioNamespace);
  const mode = podMode(pod, role);
  const ns = namespaceOf(kube, pod.namespace);
  const nsLabels = ns?.labels ?? {};
  const podDp = pod.labels[L_DATAPLANE];
  const ambientRequested =
    !pod.hostNetwork && (podDp === 'ambient' || (nsLabels[L_DATAPLANE] === 'ambient' && podDp !== 'none'));
  const podInject = pod.labels[L_SIDECAR_INJECT] ?? pod.annotations[L_SIDECAR_INJECT];
  const nsInjects = nsLabels[L_INJECTION] === 'enabled' || (nsLabels[L_INJECTION] === undefined && nsLabels[L_REV] !== undefined);
  const injectionRequested =
    podInject === 'false' ? false : nsInjects || podInject === 'true' || pod.labels[L_REV] !== undefined;
  const proxy = role === 'app' && mode !== 'sidecar' ? undefined : proxyContainer(pod);
  const facts: PodFacts = {
    pod,
    role,
    mode,
    workload: ref(pod.namespace, pod.workload.name),
    ambientRequested,
    injectionRequested: role === 'app' && injectionRequested,
  };
  if (proxy) {
    facts.proxy = proxy;
    const v = imageVersion(proxy.image);
    if (v) facts.proxyVersion = v;
  } else if (role === 'istiod') {
    const c =
      pod.containers.find((x) => x.name === 'discovery') ??
      pod.containers.find((x) => /\/pilot[:@]/.test(x.image)) ??
      pod.containers[0];
    const v = c ? imageVersion(c.image) : undefined;
    if (v) facts.proxyVersion = v;
  }
  const rev = role === 'app' && mode === 'sidecar' ? statusRevision(pod) : pod.annotations[L_REV];
  if (rev) facts.revision = rev;
  const redirection = pod.annotations[A_REDIRECTION];
  if (redirection !== undefined) facts.redirection = redirection;
  return facts;
}

export function allPodFacts(kube: KubeSnapshot): PodFacts[] {
  return kube.pods.filter(isLive).map((p) => podFacts(kube, p));
}

export interface WorkloadFacts {
  /** "ns/name" */
  ref: string;
  namespace: string;
  name: string;
  kind: string;
  mode: WorkloadMode;
  pods: PodFacts[];
}

/** Application workloads (mesh infrastructure excluded), keyed and sorted by "ns/name". */
export function appWorkloads(facts: PodFacts[]): WorkloadFacts[] {
  const byRef = new Map<string, PodFacts[]>();
  for (const f of facts) {
    if (f.role !== 'app') continue;
    const list = byRef.get(f.workload) ?? [];
    list.push(f);
    byRef.set(f.workload, list);
  }
  return [...byRef.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([r, unsorted]) => {
      const pods = [...unsorted].sort((a, b) => (a.pod.name < b.pod.name ? -1 : a.pod.name > b.pod.name ? 1 : 0));
      const first = pods[0]!;
      const modes = new Set(pods.map((p) => p.mode));
      return {
        ref: r,
        namespace: first.pod.namespace,
        name: first.pod.workload.name,
        kind: first.pod.workload.kind,
        mode: modes.size === 1 ? [...modes][0]! : 'mixed',
        pods,
      };
    });
}

export function isWaypointGateway(kube: KubeSnapshot, gw: GatewayInfo): boolean {
  if (WAYPOINT_CLASSES.has(gw.className)) return true;
  const cls = kube.gatewayClasses.find((c) => c.name === gw.className);
  return cls?.controllerName === 'istio.io/mesh-controller';
}

export function waypointGateways(kube: KubeSnapshot): GatewayInfo[] {
  return kube.gateways.filter((g) => isWaypointGateway(kube, g));
}

/** waypoint-for of a waypoint Gateway: Gateway label, else GatewayClass label, else "service". */
export function waypointFor(kube: KubeSnapshot, gw: GatewayInfo): string {
  return (
    gw.labels[L_WAYPOINT_FOR] ??
    kube.gatewayClasses.find((c) => c.name === gw.className)?.labels[L_WAYPOINT_FOR] ??
    'service'
  );
}

function bindingFrom(labels: Labels, ownNamespace: string): string | undefined | null {
  const name = labels[L_USE_WAYPOINT];
  if (name === undefined) return undefined;
  if (name === 'none') return null;
  return ref(labels[L_USE_WAYPOINT_NS] ?? ownNamespace, name);
}

/**
 * The waypoint ("ns/name") a Service is bound to: Service label, else Namespace label
 * (istio-telemetry.md §1.5). Only waypoints that exist and accept services count.
 */
export function serviceWaypoint(kube: KubeSnapshot, svc: ServiceInfo): string | undefined {
  const own = bindingFrom(svc.labels, svc.namespace);
  if (own === null) return undefined;
  const nsLabels = namespaceOf(kube, svc.namespace)?.labels ?? {};
  const target = own ?? bindingFrom(nsLabels, svc.namespace) ?? undefined;
  if (!target) return undefined;
  const { namespace, name } = splitRef(target);
  const gw = waypointGateways(kube).find((g) => g.namespace === namespace && g.name === name);
  if (!gw) return undefined;
  const f = waypointFor(kube, gw);
  return f === 'service' || f === 'all' ? target : undefined;
}

/** The workload waypoint of a pod (pod label, else namespace label; waypoint-for workload|all). */
export function podWaypoint(kube: KubeSnapshot, pod: PodInfo): string | undefined {
  const own = bindingFrom(pod.labels, pod.namespace);
  if (own === null) return undefined;
  const nsLabels = namespaceOf(kube, pod.namespace)?.labels ?? {};
  const target = own ?? bindingFrom(nsLabels, pod.namespace) ?? undefined;
  if (!target) return undefined;
  const { namespace, name } = splitRef(target);
  const gw = waypointGateways(kube).find((g) => g.namespace === namespace && g.name === name);
  if (!gw) return undefined;
  const f = waypointFor(kube, gw);
  return f === 'workload' || f === 'all' ? target : undefined;
}

export function servicesSelecting(kube: KubeSnapshot, pod: PodInfo): ServiceInfo[] {
  return kube.services.filter((s) => s.namespace === pod.namespace && matches(s.selector, pod.labels));
}

export function serviceByRef(kube: KubeSnapshot, r: string): ServiceInfo | undefined {
  const { namespace, name } = splitRef(r);
  return kube.services.find((s) => s.namespace === namespace && s.name === name);
}

/** Pods an AuthorizationPolicy/PeerAuthentication selector applies to (root namespace = mesh-wide). */
export function policySelects(
  kube: KubeSnapshot,
  policy: { namespace: string; selector?: Labels },
  pod: PodInfo,
): boolean {
  const meshWide = policy.namespace === kube.istioNamespace;
  if (!meshWide && policy.namespace !== pod.namespace) return false;
  if (!policy.selector || Object.keys(policy.selector).length === 0) return true;
  return matches(policy.selector, pod.labels);
}

/** Is the AuthorizationPolicy attached with targetRefs (waypoint / gateway / service binding)? */
export function usesTargetRefs(p: AuthorizationPolicyInfo): boolean {
  return p.targetRefs.length > 0;
}

/**
 * Effective PeerAuthentication mode for a pod, most specific first: workload selector in the
 * pod's namespace, namespace-wide, then mesh-wide (root namespace). Port-level overrides of the
 * deciding policy are returned too.
 */
export function peerAuthFor(
  kube: KubeSnapshot,
  pod: PodInfo,
): { policy: PeerAuthenticationInfo; mode: PeerAuthenticationInfo['mode'] } | undefined {
  const inNs = kube.peerAuthentications.filter((p) => p.namespace === pod.namespace);
  const candidates = [
    ...inNs.filter((p) => p.selector && Object.keys(p.selector).length > 0 && matches(p.selector, pod.labels)),
    ...inNs.filter((p) => !p.selector || Object.keys(p.selector).length === 0),
    ...kube.peerAuthentications.filter(
      (p) => p.namespace === kube.istioNamespace && (!p.selector || Object.keys(p.selector).length === 0),
    ),
  ];
  for (const p of candidates) {
    if (p.mode !== 'UNSET') return { policy: p, mode: p.mode };
  }
  const first = candidates[0];
  return first ? { policy: first, mode: 'UNSET' } : undefined;
}

/** "deployment/orders-api" style kubectl target for a workload. */
export function kubectlTarget(kind: string, name: string): string {
  const k = kind.toLowerCase();
  if (k === 'deployment' || k === 'statefulset' || k === 'daemonset') return `${k}/${name}`;
  if (k === 'replicaset') return `deployment/${name}`;
  return `pod/${name}`;
}

export function restartCommand(kind: string, name: string, namespace: string): string {
  const t = kubectlTarget(kind, name);
  return t.startsWith('pod/')
    ? `kubectl delete ${t} -n ${namespace}   # bare pod: recreate it from its manifest`
    : `kubectl rollout restart ${t} -n ${namespace}`;
}

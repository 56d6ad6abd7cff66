// The demo mesh as data (docs/demo-mesh.md), plus a synthetic generator for scale benchmarks.
// Pure: no I/O. Everything else under demo/ (manifests, emitted series, scrape targets) derives from
// the Topology returned here. Times are seconds relative to the anchor T (negative = before T).
import { k8sSuffix, rng, templateHash, uid } from './hash';

export const ISTIO_VERSION = '1.27.1';
const PROXY_IMAGE = (v: string) => `docker.io/istio/proxyv2:${v}`;
export const ZTUNNEL_IMAGE = (v: string) => `docker.io/istio/ztunnel:${v}`;

export type PodMode = 'sidecar' | 'ambient' | 'none';
/** What a pod is, for the mesh. `app` pods carry workload traffic; the others are infrastructure. */
export type PodRole = 'app' | 'gateway' | 'waypoint' | 'ztunnel' | 'cni' | 'istiod';
type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface ContainerModel {
  name: string;
  image: string;
  args?: string[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  /** "Always" = native sidecar (init container). */
  restartPolicy?: 'Always';
  resources?: { requests: { cpu: string; memory: string } };
  /** Plain env vars (rendered as Kubernetes `env: [{name, value}]`), e.g. CLUSTER_ID on istiod and ztunnel. */
  env?: { name: string; value: string }[];
}

export interface NodeModel {
  name: string;
  /** Node InternalIP. */
  ip: string;
  podCIDR: string;
  region: string;
  zone: string;
  /** Cluster (Istio cluster name) of a node of another cluster; undefined = Topology.cluster. */
  cluster?: string;
}

interface NamespaceModel {
  name: string;
  labels: Record<string, string>;
}

export interface PodModel {
  namespace: string;
  name: string;
  uid: string;
  ip: string;
  node: string;
  role: PodRole;
  /** Data-plane mode of the pod (actual state). Infrastructure pods are `none`. */
  mode: PodMode;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  serviceAccount: string;
  containers: ContainerModel[];
  initContainers: ContainerModel[];
  owner: { kind: 'ReplicaSet' | 'StatefulSet' | 'DaemonSet'; name: string };
  /** Workload (Deployment/StatefulSet/DaemonSet) name. */
  workload: string;
  /** Which proxy in this pod exposes Istio metrics (scraped), if any. */
  proxy?: 'envoy' | 'ztunnel';
  /** Proxy version (image tag) of that proxy. */
  proxyVersion?: string;
  /** Pod lifetime relative to the anchor (seconds); undefined = since before history / still running. */
  startOffset?: number;
  endOffset?: number;
  /** Cluster of a pod of another cluster (multi-cluster runs); undefined = Topology.cluster. */
  cluster?: string;
}

interface ReplicaSetModel {
  name: string;
  hash: string;
  replicas: number;
  /** Extra pod-template labels/annotations of this revision (e.g. an older template). */
  templateLabels: Record<string, string>;
  templateAnnotations: Record<string, string>;
  revision: number;
}

export interface WorkloadModel {
  namespace: string;
  name: string;
  kind: WorkloadKind;
  role: PodRole;
  serviceAccount: string;
  /** Istio canonical service / revision (what istiod derives from labels). */
  canonicalService: string;
  canonicalRevision: string;
  /** `app` / `version` pod labels, when present. */
  app?: string;
  version?: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  /** Pod template as written in the Deployment (before injection). */
  templateLabels: Record<string, string>;
  templateAnnotations: Record<string, string>;
  appContainer?: ContainerModel;
  replicas: number;
  replicaSets: ReplicaSetModel[];
  pods: PodModel[];
  /** Cluster of a workload of another cluster (multi-cluster runs); undefined = Topology.cluster. */
  cluster?: string;
}

interface ServicePortModel {
  name: string;
  port: number;
  targetPort: number;
  protocol: 'TCP';
  appProtocol?: string;
}

export interface ServiceModel {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  clusterIP: string;
  type: 'ClusterIP' | 'LoadBalancer';
  ports: ServicePortModel[];
  /** Service waypoint (Gateway name, same namespace) used for service-addressed ambient traffic. */
  waypoint?: { name: string; sinceOffset?: number };
  /** Cluster of a Service of another cluster (multi-cluster runs); undefined = Topology.cluster. */
  cluster?: string;
}

interface GatewayModel {
  namespace: string;
  name: string;
  className: string;
  labels: Record<string, string>;
  listeners: { name: string; port: number; protocol: string }[];
  addresses: string[];
  /** Workload (Deployment) implementing it. */
  workload: string;
}

interface AuthorizationPolicyModel {
  namespace: string;
  name: string;
  spec: Record<string, unknown>;
  conditions: { type: string; status: string; reason: string; message: string }[];
}

interface PeerAuthenticationModel {
  namespace: string;
  name: string;
  spec: Record<string, unknown>;
}

interface WorkloadRef {
  kind: 'workload';
  namespace: string;
  name: string;
  /** Cluster of the client workload; undefined = Topology.cluster. */
  cluster?: string;
}
type EdgeServer =
  /** cluster: the cluster whose endpoints of the Service serve this traffic (undefined = Topology.cluster). */
  | { kind: 'service'; namespace: string; name: string; port: number; cluster?: string }
  | { kind: 'external'; host: string; namespace: string; port: number }
  /** An address the mesh does not know: sidecar clients reach it through Envoy's PassthroughCluster
   *  (outboundTrafficPolicy ALLOW_ANY), ambient clients through ztunnel passthrough. */
  | { kind: 'ip'; ip: string; port: number }
  /** An address the mesh does not know, from a sidecar client under outboundTrafficPolicy REGISTRY_ONLY:
   *  Envoy sends it to BlackHoleCluster and the connection fails. `host` is what the app asked for (not in telemetry). */
  | { kind: 'blackhole'; ip: string; port: number; host: string };

export interface Incident {
  kind: 'errors' | 'connect-failures';
  fromOffset: number;
  toOffset: number;
  /** errors: share of requests answered 503; connect-failures: share of connection attempts that fail. */
  share: number;
  /** errors: latency multiplier during the incident. */
  latencyFactor?: number;
}

/** One traffic-model entry: client workload → server (Service, external host or raw IP). */
export interface EdgeSpec {
  id: string;
  client: WorkloadRef;
  server: EdgeServer;
  /** http and grpc are request-level (istio_requests_total, request_protocol="http"|"grpc"); tcp is connection-level. */
  protocol: 'http' | 'grpc' | 'tcp';
  /** http/grpc: requests/s; tcp: connections/s (steady state, before the diurnal wave). */
  rate: number;
  /** http/grpc: request latency, log-normal (median, sigma); with `uniform`, uniform over (minMs, maxMs] instead. */
  latency: { medianMs: number; sigma: number; uniform?: { minMs: number; maxMs: number } };
  /** http: bytes per request; tcp: bytes per connection. */
  requestBytes: number;
  responseBytes: number;
  /** http/grpc: requests carried per TCP connection (keep-alive, HTTP/2 multiplexing). */
  requestsPerConnection: number;
  /** Steady-state share of failed calls. http: by HTTP response code ("503", "500", "0"); the rest answer 200.
   *  grpc: by grpc-status ("14" UNAVAILABLE, "4" DEADLINE_EXCEEDED, …); every call answers HTTP 200, the rest "0" OK. */
  errors: Record<string, number>;
  incidents: Incident[];
  /**
   * Every connection is refused, for the whole history (docs/demo-mesh.md "Policy"): `network-policy` — the CNI
   * drops it, so only the client's ztunnel reports it (response_flags="CONNECT"); `authorization-policy` — the
   * server's ztunnel denies it (response_flags="DENY"); the client's ztunnel sees a plain close (flag "-").
   */
  refusedBy?: 'network-policy' | 'authorization-policy';
  /** Key of the diurnal wave (default: the id); edges sharing it keep a fixed ratio, e.g. a canary split. */
  wave?: string;
}

export interface Topology {
  /** Istio cluster name of the demo cluster. Objects of other clusters (multi-cluster runs, e.g.
   *  demo/model/east-cluster.ts) carry their own `cluster` field; they are emitted but never written as manifests. */
  cluster: string;
  trustDomain: string;
  istioNamespace: string;
  istioVersion: string;
  nodes: NodeModel[];
  namespaces: NamespaceModel[];
  workloads: WorkloadModel[];
  services: ServiceModel[];
  gateways: GatewayModel[];
  authorizationPolicies: AuthorizationPolicyModel[];
  peerAuthentications: PeerAuthenticationModel[];
  /** networking.k8s.io/v1 NetworkPolicies (spec as written). */
  networkPolicies?: { namespace: string; name: string; spec: Record<string, unknown> }[];
  edges: EdgeSpec[];
  /** Named time windows relative to the anchor, for anchor.json and tests. */
  incidentWindow: { fromOffset: number; toOffset: number };
  migration?: { workload: string; atOffset: number };
  /** Istio `Sidecar` resources (networking.istio.io/v1), e.g. REGISTRY_ONLY egress for one workload. */
  sidecars?: { namespace: string; name: string; spec: Record<string, unknown> }[];
  /** Gateway API HTTPRoutes (gateway.networking.k8s.io/v1), e.g. the canary split of shop/recommendations. */
  httpRoutes?: { namespace: string; name: string; spec: Record<string, unknown> }[];
  /** Istio networking objects (networking.istio.io/v1 VirtualService, DestinationRule). */
  istioNetworking?: { kind: 'VirtualService' | 'DestinationRule'; namespace: string; name: string; spec: Record<string, unknown> }[];
  /** Control-plane revision (undefined = the default revision, istiod Deployment `istiod`). */
  revision?: string;
}

/** How the demo cluster is installed (`demo/cli.ts --cluster-name … --ztunnel-namespace … --revision …`). */
export interface DemoInstallOptions {
  /** values.global.multiCluster.clusterName: CLUSTER_ID of istiod/ztunnel and source_cluster/destination_cluster of every series (default `Kubernetes`). */
  clusterName?: string;
  /** Namespace of the ztunnel and istio-cni DaemonSets (default `istio-system`; GKE installs use `kube-system`). */
  ztunnelNamespace?: string;
  /** Revisioned control plane: Deployment/pods `istiod-<rev>`, label istio.io/rev=<rev>, injection by `istio.io/rev`. */
  revision?: string;
}

// ---------------------------------------------------------------------------
// Pod construction (labels/annotations/containers as Istio produces them)
// ---------------------------------------------------------------------------

const SIDECAR_VOLUMES = [
  'workload-socket',
  'credential-socket',
  'workload-certs',
  'istio-envoy',
  'istio-data',
  'istio-podinfo',
  'istio-token',
  'istiod-ca-cert',
  'istio-ca-crl',
];

const PROXY_RESOURCES = { requests: { cpu: '100m', memory: '128Mi' } };

function proxyArgs(kind: 'sidecar' | 'router' | 'waypoint', name?: string): string[] {
  const args = ['proxy', kind, '--domain', '$(POD_NAMESPACE).svc.cluster.local'];
  if (kind === 'waypoint' && name) args.push('--serviceCluster', name);
  args.push('--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error', '--log_output_level=default:info');
  return args;
}

function istioProxyContainer(kind: 'sidecar' | 'router' | 'waypoint', version: string, native: boolean, name?: string): ContainerModel {
  return {
    name: 'istio-proxy',
    image: PROXY_IMAGE(version),
    args: proxyArgs(kind, name),
    ports: [
      { name: 'http-envoy-prom', containerPort: 15090, protocol: 'TCP' },
      ...(kind === 'sidecar' ? [] : [{ name: 'status-port', containerPort: 15021, protocol: 'TCP' }]),
    ],
    ...(native ? { restartPolicy: 'Always' as const } : {}),
    resources: PROXY_RESOURCES,
  };
}

function sidecarStatus(native: boolean, revision: string): string {
  return JSON.stringify({
    initContainers: native ? ['istio-validation', 'istio-proxy'] : ['istio-validation'],
    containers: native ? null : ['istio-proxy'],
    volumes: SIDECAR_VOLUMES,
    imagePullSecrets: null,
    revision,
  });
}

const validationContainer = (version: string): ContainerModel => ({
  name: 'istio-validation',
  image: PROXY_IMAGE(version),
  args: ['istio-iptables', '--validation-mode', '--run-validation'],
  resources: PROXY_RESOURCES,
});

interface NodeAlloc {
  nodes: NodeModel[];
  next: Map<string, number>;
  rr: number;
  /** Control-plane revision injected into proxies (`istio.io/rev` annotation, sidecar status); default `default`. */
  rev?: string;
}

function allocIp(alloc: NodeAlloc, node: NodeModel): string {
  const n = alloc.next.get(node.name) ?? 10;
  alloc.next.set(node.name, n + 1);
  // podCIDR a.b.c.0/24 (demo) or a.b.c.0/20 (synthetic): fill host part across the block
  const [base, bitsStr] = node.podCIDR.split('/');
  const parts = base!.split('.').map(Number);
  const bits = Number(bitsStr);
  const hostSpace = 2 ** (32 - bits) - 2;
  if (n > hostSpace) throw new Error(`pod CIDR ${node.podCIDR} of ${node.name} is full`);
  const value = ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]! + n;
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

function pickNode(alloc: NodeAlloc): NodeModel {
  const node = alloc.nodes[alloc.rr % alloc.nodes.length]!;
  alloc.rr++;
  return node;
}

interface AppWorkloadOptions {
  namespace: string;
  name: string;
  /** `app` label (and canonical service); default: the workload name. Versioned Deployments share one app. */
  app?: string;
  kind?: 'Deployment' | 'StatefulSet';
  replicas: number;
  version?: string;
  port: number;
  image: string;
  /** Pods of the current template: how they run. */
  mode: PodMode;
  /** sidecar details */
  nativeSidecar?: boolean;
  proxyVersion?: string;
  /** ambient details: value of ambient.istio.io/redirection */
  redirection?: 'enabled' | 'pending';
  /** extra pod-template labels (e.g. sidecar.istio.io/inject: "false", istio.io/dataplane-mode) */
  extraTemplateLabels?: Record<string, string>;
  /** Older ReplicaSets still (or previously) running, listed oldest first. */
  history?: {
    replicas: number;
    mode: PodMode;
    version?: string;
    nativeSidecar?: boolean;
    proxyVersion?: string;
    /** pods of this ReplicaSet stopped at this offset (undefined = still running) */
    endOffset?: number;
    /** pods still running from this revision (Deployment rollout in progress) */
    running?: number;
  }[];
  /** Current pods started at this offset (undefined = long ago). */
  startOffset?: number;
}

function appPod(
  alloc: NodeAlloc,
  w: { namespace: string; name: string; sa: string; app: string; version?: string; port: number; image: string },
  owner: PodModel['owner'],
  podName: string,
  templateLabels: Record<string, string>,
  mode: PodMode,
  opts: { nativeSidecar?: boolean; proxyVersion?: string; redirection?: 'enabled' | 'pending' },
  life: { startOffset?: number; endOffset?: number },
  node?: NodeModel,
): PodModel {
  const n = node ?? pickNode(alloc);
  const labels: Record<string, string> = { ...templateLabels };
  const annotations: Record<string, string> = {};
  const appContainer: ContainerModel = {
    name: w.app,
    image: w.image,
    ports: [{ containerPort: w.port, protocol: 'TCP' }],
  };
  const containers: ContainerModel[] = [appContainer];
  const initContainers: ContainerModel[] = [];
  let proxy: PodModel['proxy'];
  let proxyVersion: string | undefined;
  if (mode === 'sidecar') {
    const version = opts.proxyVersion ?? ISTIO_VERSION;
    const native = opts.nativeSidecar ?? false;
    Object.assign(labels, {
      'security.istio.io/tlsMode': 'istio',
      'service.istio.io/canonical-name': w.app,
      'service.istio.io/canonical-revision': w.version ?? 'latest',
      'networking.istio.io/tunnel': 'http',
    });
    Object.assign(annotations, {
      'istio.io/rev': alloc.rev ?? 'default',
      'kubectl.kubernetes.io/default-container': w.app,
      'kubectl.kubernetes.io/default-logs-container': w.app,
      'prometheus.io/path': '/stats/prometheus',
      'prometheus.io/port': '15020',
      'prometheus.io/scrape': 'true',
      'sidecar.istio.io/status': sidecarStatus(native, alloc.rev ?? 'default'),
    });
    initContainers.push(validationContainer(version));
    if (native) initContainers.push(istioProxyContainer('sidecar', version, true));
    else containers.push(istioProxyContainer('sidecar', version, false));
    proxy = 'envoy';
    proxyVersion = version;
  } else if (mode === 'ambient' || opts.redirection === 'pending') {
    annotations['ambient.istio.io/redirection'] = opts.redirection ?? 'enabled';
  }
  return {
    namespace: w.namespace,
    name: podName,
    uid: uid(`pod/${w.namespace}/${podName}`),
    ip: allocIp(alloc, n),
    node: n.name,
    role: 'app',
    mode: mode === 'ambient' && opts.redirection === 'pending' ? 'none' : mode,
    labels,
    annotations,
    serviceAccount: w.sa,
    containers,
    initContainers,
    owner,
    workload: w.name,
    proxy,
    proxyVersion,
    ...life,
  };
}

function appWorkload(alloc: NodeAlloc, o: AppWorkloadOptions): WorkloadModel {
  const kind = o.kind ?? 'Deployment';
  const app = o.app ?? o.name;
  const templateLabels: Record<string, string> = { app, ...(o.version ? { version: o.version } : {}), ...o.extraTemplateLabels };
  const w = { namespace: o.namespace, name: o.name, sa: o.name, app, version: o.version, port: o.port, image: o.image };
  const pods: PodModel[] = [];
  const replicaSets: ReplicaSetModel[] = [];
  if (kind === 'StatefulSet') {
    for (let i = 0; i < o.replicas; i++) {
      const podLabels = {
        ...templateLabels,
        'apps.kubernetes.io/pod-index': String(i),
        'controller-revision-hash': `${o.name}-${k8sSuffix(o.name, 10)}`,
        'statefulset.kubernetes.io/pod-name': `${o.name}-${i}`,
      };
      pods.push(appPod(alloc, w, { kind: 'StatefulSet', name: o.name }, `${o.name}-${i}`, podLabels, o.mode, o, { startOffset: o.startOffset }));
    }
  } else {
    let revision = 0;
    for (const h of o.history ?? []) {
      revision++;
      const hash = templateHash(`${o.namespace}/${o.name}/rev${revision}`);
      const rsName = `${o.name}-${hash}`;
      const tl = { app, ...(h.version ? { version: h.version } : {}) };
      const running = h.running ?? (h.endOffset !== undefined ? h.replicas : 0);
      replicaSets.push({ name: rsName, hash, replicas: h.endOffset !== undefined ? 0 : running, templateLabels: tl, templateAnnotations: {}, revision });
      for (let i = 0; i < running; i++) {
        const podName = `${rsName}-${k8sSuffix(`${rsName}/${i}`, 5)}`;
        pods.push(
          appPod(alloc, { ...w, version: h.version }, { kind: 'ReplicaSet', name: rsName }, podName, { ...tl, 'pod-template-hash': hash }, h.mode, h, {
            endOffset: h.endOffset,
          }),
        );
      }
    }
    revision++;
    const hash = templateHash(`${o.namespace}/${o.name}/rev${revision}`);
    const rsName = `${o.name}-${hash}`;
    replicaSets.push({ name: rsName, hash, replicas: o.replicas, templateLabels, templateAnnotations: {}, revision });
    for (let i = 0; i < o.replicas; i++) {
      const podName = `${rsName}-${k8sSuffix(`${rsName}/${i}`, 5)}`;
      pods.push(
        appPod(alloc, w, { kind: 'ReplicaSet', name: rsName }, podName, { ...templateLabels, 'pod-template-hash': hash }, o.mode, o, {
          startOffset: o.startOffset,
        }),
      );
    }
  }
  const totalRunning = pods.filter((p) => p.endOffset === undefined).length;
  return {
    namespace: o.namespace,
    name: o.name,
    kind,
    role: 'app',
    serviceAccount: o.name,
    canonicalService: app,
    canonicalRevision: o.version ?? 'latest',
    app,
    version: o.version,
    labels: { app },
    selector: o.app ? { app, ...(o.version ? { version: o.version } : {}) } : { app },
    templateLabels,
    templateAnnotations: {},
    appContainer: { name: app, image: o.image, ports: [{ containerPort: o.port, protocol: 'TCP' }] },
    replicas: kind === 'StatefulSet' ? o.replicas : totalRunning,
    replicaSets,
    pods,
  };
}

function infraDaemonSet(alloc: NodeAlloc, ns: string, name: 'ztunnel' | 'istio-cni-node', version: string, cluster = 'Kubernetes'): WorkloadModel {
  const isZ = name === 'ztunnel';
  const templateLabels: Record<string, string> = isZ
    ? { 'sidecar.istio.io/inject': 'false', 'istio.io/dataplane-mode': 'none', app: 'ztunnel', 'app.kubernetes.io/name': 'ztunnel' }
    : { 'k8s-app': 'istio-cni-node', 'sidecar.istio.io/inject': 'false', 'istio.io/dataplane-mode': 'none', 'app.kubernetes.io/name': 'istio-cni' };
  const templateAnnotations: Record<string, string> = isZ
    ? { 'prometheus.io/port': '15020', 'prometheus.io/scrape': 'true', 'sidecar.istio.io/inject': 'false' }
    : { 'prometheus.io/port': '15014', 'prometheus.io/path': '/metrics', 'prometheus.io/scrape': 'true', 'sidecar.istio.io/inject': 'false' };
  const revHash = k8sSuffix(`${ns}/${name}/crh`, 10);
  const container: ContainerModel = isZ
    ? {
        name: 'istio-proxy',
        image: ZTUNNEL_IMAGE(version),
        args: ['proxy', 'ztunnel'],
        ports: [{ name: 'ztunnel-stats', containerPort: 15020, protocol: 'TCP' }],
        resources: { requests: { cpu: '200m', memory: '512Mi' } },
        // the ztunnel chart sets CLUSTER_ID from multiCluster.clusterName (default "Kubernetes")
        env: [{ name: 'CLUSTER_ID', value: cluster }],
      }
    : {
        name: 'install-cni',
        image: `docker.io/istio/install-cni:${version}`,
        args: ['--log_output_level=info'],
        ports: [{ name: 'metrics', containerPort: 15014, protocol: 'TCP' }],
        resources: { requests: { cpu: '100m', memory: '100Mi' } },
      };
  const pods: PodModel[] = alloc.nodes.map((node) => {
    const podName = `${name}-${k8sSuffix(`${name}/${node.name}`, 5)}`;
    return {
      namespace: ns,
      name: podName,
      uid: uid(`pod/${ns}/${podName}`),
      ip: allocIp(alloc, node),
      node: node.name,
      role: isZ ? 'ztunnel' : 'cni',
      mode: 'none',
      labels: { ...templateLabels, 'controller-revision-hash': revHash, 'pod-template-generation': '1' },
      annotations: { ...templateAnnotations },
      serviceAccount: name,
      containers: [container],
      initContainers: [],
      owner: { kind: 'DaemonSet', name },
      workload: name,
      ...(isZ ? { proxy: 'ztunnel' as const, proxyVersion: version } : {}),
    };
  });
  return {
    namespace: ns,
    name,
    kind: 'DaemonSet',
    role: isZ ? 'ztunnel' : 'cni',
    serviceAccount: name,
    canonicalService: isZ ? 'ztunnel' : 'istio-cni-node',
    canonicalRevision: 'latest',
    app: isZ ? 'ztunnel' : undefined,
    labels: isZ
      ? { 'app.kubernetes.io/name': 'ztunnel' }
      : { 'k8s-app': 'istio-cni-node', 'app.kubernetes.io/name': 'istio-cni', 'operator.istio.io/component': 'Cni' },
    selector: isZ ? { app: 'ztunnel' } : { 'k8s-app': 'istio-cni-node' },
    templateLabels,
    templateAnnotations,
    appContainer: container,
    replicas: alloc.nodes.length,
    replicaSets: [],
    pods,
  };
}

function singleDeployment(
  alloc: NodeAlloc,
  ns: string,
  name: string,
  role: PodRole,
  sa: string,
  templateLabels: Record<string, string>,
  podExtraLabels: Record<string, string>,
  templateAnnotations: Record<string, string>,
  podAnnotations: Record<string, string>,
  containers: ContainerModel[],
  canonical: { service: string; revision: string; app?: string },
  proxy?: { version: string },
  node?: NodeModel,
): WorkloadModel {
  const hash = templateHash(`${ns}/${name}/rev1`);
  const rsName = `${name}-${hash}`;
  const podName = `${rsName}-${k8sSuffix(`${rsName}/0`, 5)}`;
  const n = node ?? pickNode(alloc);
  const pod: PodModel = {
    namespace: ns,
    name: podName,
    uid: uid(`pod/${ns}/${podName}`),
    ip: allocIp(alloc, n),
    node: n.name,
    role,
    mode: 'none',
    labels: { ...templateLabels, ...podExtraLabels, 'pod-template-hash': hash },
    annotations: { ...templateAnnotations, ...podAnnotations },
    serviceAccount: sa,
    containers,
    initContainers: [],
    owner: { kind: 'ReplicaSet', name: rsName },
    workload: name,
    ...(proxy ? { proxy: 'envoy' as const, proxyVersion: proxy.version } : {}),
  };
  return {
    namespace: ns,
    name,
    kind: 'Deployment',
    role,
    serviceAccount: sa,
    canonicalService: canonical.service,
    canonicalRevision: canonical.revision,
    app: canonical.app,
    labels: { ...templateLabels },
    selector: Object.fromEntries(
      Object.entries(templateLabels).filter(([k]) => k === 'app' || k === 'istio' || k === 'gateway.networking.k8s.io/gateway-name'),
    ),
    templateLabels,
    templateAnnotations,
    appContainer: containers[0],
    replicas: 1,
    replicaSets: [{ name: rsName, hash, replicas: 1, templateLabels, templateAnnotations, revision: 1 }],
    pods: [pod],
  };
}

function ingressGateway(alloc: NodeAlloc, ns: string, version: string): WorkloadModel {
  const name = 'istio-ingressgateway';
  return singleDeployment(
    alloc,
    ns,
    name,
    'gateway',
    name,
    { app: name, istio: 'ingressgateway', 'sidecar.istio.io/inject': 'true', 'istio.io/dataplane-mode': 'none' },
    { 'service.istio.io/canonical-name': name, 'service.istio.io/canonical-revision': 'latest' },
    { 'inject.istio.io/templates': 'gateway' },
    {
      'istio.io/rev': alloc.rev ?? 'default',
      'prometheus.io/path': '/stats/prometheus',
      'prometheus.io/port': '15020',
      'prometheus.io/scrape': 'true',
      'sidecar.istio.io/status': JSON.stringify({
        initContainers: null,
        containers: ['istio-proxy'],
        volumes: SIDECAR_VOLUMES.slice(0, 8),
        imagePullSecrets: null,
        revision: alloc.rev ?? 'default',
      }),
    },
    [istioProxyContainer('router', version, false)],
    { service: name, revision: 'latest', app: name },
    { version },
  );
}

function waypointDeployment(alloc: NodeAlloc, ns: string, gw: string, version: string): WorkloadModel {
  const tl = {
    'gateway.istio.io/managed': 'istio.io-mesh-controller',
    'gateway.networking.k8s.io/gateway-class-name': 'istio-waypoint',
    'gateway.networking.k8s.io/gateway-name': gw,
  };
  return singleDeployment(
    alloc,
    ns,
    gw,
    'waypoint',
    gw,
    tl,
    {
      'istio.io/dataplane-mode': 'none',
      'service.istio.io/canonical-name': gw,
      'service.istio.io/canonical-revision': 'latest',
      'sidecar.istio.io/inject': 'false',
    },
    {},
    {
      'istio.io/rev': alloc.rev ?? 'default',
      'prometheus.io/path': '/stats/prometheus',
      'prometheus.io/port': '15020',
      'prometheus.io/scrape': 'true',
    },
    [istioProxyContainer('waypoint', version, false, gw)],
    { service: gw, revision: 'latest' },
    { version },
  );
}

function istiod(alloc: NodeAlloc, ns: string, version: string, cluster = 'Kubernetes'): WorkloadModel {
  const rev = alloc.rev ?? 'default';
  // the istiod chart names a revisioned control plane istiod-<rev> (service account too)
  const name = alloc.rev ? `istiod-${alloc.rev}` : 'istiod';
  return singleDeployment(
    alloc,
    ns,
    name,
    'istiod',
    name,
    { app: 'istiod', istio: 'pilot', 'istio.io/rev': rev, 'sidecar.istio.io/inject': 'false' },
    {},
    {},
    { 'prometheus.io/port': '15014', 'prometheus.io/scrape': 'true' },
    [
      {
        name: 'discovery',
        image: `docker.io/istio/pilot:${version}`,
        args: [
          'discovery',
          '--monitoringAddr=:15014',
          '--log_output_level=default:info',
          '--domain',
          'cluster.local',
          '--keepaliveMaxServerConnectionAge',
          '30m',
        ],
        ports: [
          { containerPort: 8080, protocol: 'TCP' },
          { containerPort: 15010, protocol: 'TCP' },
          { containerPort: 15017, protocol: 'TCP' },
        ],
        resources: { requests: { cpu: '500m', memory: '2Gi' } },
        // the istiod chart sets CLUSTER_ID from global.multiCluster.clusterName (default "Kubernetes")
        env: [
          { name: 'REVISION', value: rev },
          { name: 'CLUSTER_ID', value: cluster },
        ],
      },
    ],
    { service: 'istiod', revision: 'latest', app: 'istiod' },
  );
}

function ipOf(n: number): string {
  return `10.96.${(n >> 8) & 255}.${n & 255}`;
}

function httpService(ns: string, name: string, ip: string, port = 8080, portName = 'http', appProtocol: string | undefined = 'http'): ServiceModel {
  return {
    namespace: ns,
    name,
    labels: { app: name },
    selector: { app: name },
    clusterIP: ip,
    type: 'ClusterIP',
    ports: [{ name: portName, port, targetPort: port, protocol: 'TCP', ...(appProtocol ? { appProtocol } : {}) }],
  };
}

/** The Service of one version of an app (selector app + version), as a canary's backendRefs name them. */
function versionService(ns: string, app: string, version: string, ip: string): ServiceModel {
  const s = httpService(ns, `${app}-${version}`, ip);
  return { ...s, labels: { app, version }, selector: { app, version } };
}

// ---------------------------------------------------------------------------
// The demo mesh
// ---------------------------------------------------------------------------

const H = 3600;
const M = 60;

/** A traffic entry with the demo's defaults; `client` is "namespace/name" of a workload of the topology's cluster. */
export function edge(id: string, client: string, server: EdgeServer, protocol: EdgeSpec['protocol'], rate: number, extra: Partial<EdgeSpec> = {}): EdgeSpec {
  const [ns, name] = client.split('/') as [string, string];
  return {
    id,
    client: { kind: 'workload', namespace: ns, name },
    server,
    protocol,
    rate,
    latency: { medianMs: 12, sigma: 0.6 },
    requestBytes: protocol !== 'tcp' ? 420 : 2_000,
    responseBytes: protocol !== 'tcp' ? 2_800 : 40_000,
    requestsPerConnection: protocol !== 'tcp' ? 25 : 1,
    errors: {},
    incidents: [],
    ...extra,
  };
}

const svc = (ref: string, port = 8080): EdgeServer => {
  const [namespace, name] = ref.split('/') as [string, string];
  return { kind: 'service', namespace, name, port };
};

/** The demo mesh of docs/demo-mesh.md. `install` varies how Istio is installed (cluster name, ztunnel namespace,
 *  revision) without changing the mesh: same workloads, IPs and traffic. */
export function buildDemoTopology(install: DemoInstallOptions = {}): Topology {
  const cluster = install.clusterName ?? 'Kubernetes';
  const ztunnelNs = install.ztunnelNamespace ?? 'istio-system';
  const rev = install.revision;
  const nodes: NodeModel[] = ['a', 'b', 'c'].map((s, i) => ({
    name: `node-${s}`,
    ip: `172.18.0.${i + 2}`,
    podCIDR: `10.244.${i + 1}.0/24`,
    region: 'demo-region',
    zone: `demo-region-${s}`,
  }));
  const alloc: NodeAlloc = { nodes, next: new Map(), rr: 0, rev };
  const V = ISTIO_VERSION;
  const img = (n: string, v = '1.4.2') => `registry.example.com/shop/${n}:${v}`;
  // a revisioned control plane injects namespaces labelled istio.io/rev=<rev>, not istio-injection=enabled
  const injection: Record<string, string> = rev ? { 'istio.io/rev': rev } : { 'istio-injection': 'enabled' };

  const nsDefs: { name: string; labels: Record<string, string> }[] = [
    { name: 'istio-system', labels: {} },
    { name: 'payments', labels: injection },
    { name: 'shop', labels: { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'shop-waypoint' } },
    { name: 'inventory', labels: { 'istio.io/dataplane-mode': 'ambient' } },
    { name: 'orders', labels: { 'istio.io/dataplane-mode': 'ambient' } },
    { name: 'legacy', labels: {} },
    { name: 'external', labels: {} },
    // migration in progress: injection removed, ambient label set; the Deployment's rollout is paused half way
    { name: 'checkout', labels: { 'istio.io/dataplane-mode': 'ambient' } },
    { name: 'fraud', labels: injection },
  ];
  if (!nsDefs.some((n) => n.name === ztunnelNs)) nsDefs.push({ name: ztunnelNs, labels: {} });
  const namespaces: NamespaceModel[] = nsDefs.map((n) => ({ name: n.name, labels: { 'kubernetes.io/metadata.name': n.name, ...n.labels } }));

  const workloads: WorkloadModel[] = [
    istiod(alloc, 'istio-system', V, cluster),
    infraDaemonSet(alloc, ztunnelNs, 'ztunnel', V, cluster),
    infraDaemonSet(alloc, ztunnelNs, 'istio-cni-node', V),
    ingressGateway(alloc, 'istio-system', V),
    appWorkload(alloc, {
      namespace: 'payments',
      name: 'payments-api',
      replicas: 2,
      version: 'v1',
      port: 8080,
      image: img('payments-api', '3.2.0'),
      mode: 'sidecar',
      nativeSidecar: true,
    }),
    appWorkload(alloc, {
      namespace: 'payments',
      name: 'ledger',
      replicas: 2,
      version: 'v1',
      port: 8080,
      image: img('ledger', '2.0.7'),
      mode: 'sidecar',
      nativeSidecar: false,
      proxyVersion: '1.26.3',
    }),
    appWorkload(alloc, {
      namespace: 'payments',
      name: 'batch-export',
      replicas: 1,
      version: 'v1',
      port: 8080,
      image: img('batch-export', '0.9.1'),
      mode: 'none',
      extraTemplateLabels: { 'sidecar.istio.io/inject': 'false' },
    }),
    waypointDeployment(alloc, 'shop', 'shop-waypoint', V),
    appWorkload(alloc, { namespace: 'shop', name: 'web', replicas: 2, version: 'v1', port: 8080, image: img('web'), mode: 'ambient' }),
    appWorkload(alloc, { namespace: 'shop', name: 'cart', replicas: 2, version: 'v1', port: 8080, image: img('cart'), mode: 'ambient' }),
    appWorkload(alloc, {
      namespace: 'shop',
      name: 'catalog',
      replicas: 2,
      version: 'v2',
      port: 8080,
      image: img('catalog', '2.0.0'),
      mode: 'ambient',
      startOffset: -3 * H,
      history: [{ replicas: 2, mode: 'sidecar', version: 'v1', nativeSidecar: true, endOffset: -3 * H }],
    }),
    appWorkload(alloc, { namespace: 'inventory', name: 'inventory-api', replicas: 2, version: 'v1', port: 8080, image: img('inventory-api'), mode: 'ambient' }),
    appWorkload(alloc, {
      namespace: 'inventory',
      name: 'postgres',
      kind: 'StatefulSet',
      replicas: 1,
      port: 5432,
      image: 'docker.io/library/postgres:16.4',
      mode: 'ambient',
    }),
    appWorkload(alloc, { namespace: 'inventory', name: 'redis', replicas: 1, port: 6379, image: 'docker.io/library/redis:7.4', mode: 'ambient' }),
    appWorkload(alloc, {
      namespace: 'orders',
      name: 'orders-api',
      replicas: 1,
      version: 'v1',
      port: 8080,
      image: img('orders-api', '5.1.0'),
      mode: 'ambient',
      startOffset: -20 * M,
      history: [{ replicas: 3, running: 2, mode: 'sidecar', version: 'v1', nativeSidecar: true }],
    }),
    appWorkload(alloc, {
      namespace: 'orders',
      name: 'orders-worker',
      replicas: 1,
      version: 'v1',
      port: 8080,
      image: img('orders-worker', '5.1.0'),
      mode: 'ambient',
      redirection: 'pending',
      extraTemplateLabels: { 'istio.io/dataplane-mode': 'ambient' },
    }),
    appWorkload(alloc, {
      namespace: 'legacy',
      name: 'legacy-reporting',
      replicas: 1,
      version: 'v1',
      port: 8080,
      image: img('legacy-reporting', '0.3.0'),
      mode: 'none',
    }),
    // Added after the original mesh (appended so that every earlier pod keeps its node and IP).
    // checkout: a Deployment mid-migration, rollout paused: 2 pods of the old ReplicaSet still injected
    // (sidecar), 3 pods of the new one captured by ztunnel (ambient).
    appWorkload(alloc, {
      namespace: 'checkout',
      name: 'checkout',
      replicas: 3,
      version: 'v1',
      port: 8080,
      image: img('checkout', '4.0.0'),
      mode: 'ambient',
      history: [{ replicas: 2, running: 2, mode: 'sidecar', version: 'v1', nativeSidecar: true }],
    }),
    // pricing: ambient behind shop-waypoint (namespace binding); only checkout calls it, so its waypoint legs are
    // not shared with another client (the server ztunnel cannot tell which client a waypoint relays)
    appWorkload(alloc, { namespace: 'shop', name: 'pricing', replicas: 2, version: 'v1', port: 8080, image: img('pricing', '1.2.0'), mode: 'ambient' }),
    // fraud: sidecar namespace; fraud-check serves gRPC, risk-model HTTP (slow: every request 50–100 ms)
    appWorkload(alloc, {
      namespace: 'fraud',
      name: 'fraud-check',
      replicas: 2,
      version: 'v1',
      port: 9090,
      image: img('fraud-check', '1.8.0'),
      mode: 'sidecar',
      nativeSidecar: true,
    }),
    appWorkload(alloc, {
      namespace: 'fraud',
      name: 'risk-model',
      replicas: 1,
      version: 'v3',
      port: 8080,
      image: img('risk-model', '3.1.0'),
      mode: 'sidecar',
      nativeSidecar: false,
    }),
    // recommendations: a canary — two Deployments of one app (app=recommendations, version v1 / v2), ambient
    // behind shop-waypoint; HTTPRoute recommendations-canary asks for 90/10, the clients see 70/30
    appWorkload(alloc, {
      namespace: 'shop',
      name: 'recommendations-v1',
      app: 'recommendations',
      replicas: 2,
      version: 'v1',
      port: 8080,
      image: img('recommendations', '1.0.0'),
      mode: 'ambient',
    }),
    appWorkload(alloc, {
      namespace: 'shop',
      name: 'recommendations-v2',
      app: 'recommendations',
      replicas: 1,
      version: 'v2',
      port: 8080,
      image: img('recommendations', '2.0.0'),
      mode: 'ambient',
    }),
  ];

  let ipN = 10;
  const services: ServiceModel[] = [
    {
      namespace: 'istio-system',
      name: rev ? `istiod-${rev}` : 'istiod',
      labels: { app: 'istiod', istio: 'pilot', 'istio.io/rev': rev ?? 'default' },
      selector: { app: 'istiod', 'istio.io/rev': rev ?? 'default' },
      clusterIP: ipOf(ipN++),
      type: 'ClusterIP',
      ports: [
        { name: 'grpc-xds', port: 15010, targetPort: 15010, protocol: 'TCP' },
        { name: 'https-dns', port: 15012, targetPort: 15012, protocol: 'TCP' },
        { name: 'https-webhook', port: 443, targetPort: 15017, protocol: 'TCP' },
        { name: 'http-monitoring', port: 15014, targetPort: 15014, protocol: 'TCP' },
      ],
    },
    {
      namespace: 'istio-system',
      name: 'istio-ingressgateway',
      labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
      selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
      clusterIP: ipOf(ipN++),
      type: 'LoadBalancer',
      ports: [
        { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP' },
        { name: 'http2', port: 80, targetPort: 80, protocol: 'TCP' },
        { name: 'https', port: 443, targetPort: 443, protocol: 'TCP' },
      ],
    },
    httpService('payments', 'payments-api', ipOf(ipN++)),
    httpService('payments', 'ledger', ipOf(ipN++)),
    {
      namespace: 'shop',
      name: 'shop-waypoint',
      labels: {
        'gateway.istio.io/managed': 'istio.io-mesh-controller',
        'gateway.networking.k8s.io/gateway-class-name': 'istio-waypoint',
        'gateway.networking.k8s.io/gateway-name': 'shop-waypoint',
      },
      selector: { 'gateway.networking.k8s.io/gateway-name': 'shop-waypoint' },
      clusterIP: ipOf(ipN++),
      type: 'ClusterIP',
      ports: [
        { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP' },
        { name: 'mesh', port: 15008, targetPort: 15008, protocol: 'TCP', appProtocol: 'all' },
      ],
    },
    { ...httpService('shop', 'web', ipOf(ipN++)), waypoint: { name: 'shop-waypoint' } },
    { ...httpService('shop', 'cart', ipOf(ipN++)), waypoint: { name: 'shop-waypoint' } },
    // catalog's Service was bound to the waypoint together with the migration (before: use-waypoint none)
    { ...httpService('shop', 'catalog', ipOf(ipN++)), waypoint: { name: 'shop-waypoint', sinceOffset: -3 * H } },
    httpService('inventory', 'inventory-api', ipOf(ipN++), 8080, 'http', undefined),
    {
      namespace: 'inventory',
      name: 'postgres',
      labels: { app: 'postgres' },
      selector: { app: 'postgres' },
      clusterIP: ipOf(ipN++),
      type: 'ClusterIP',
      ports: [{ name: 'tcp-postgres', port: 5432, targetPort: 5432, protocol: 'TCP' }],
    },
    {
      namespace: 'inventory',
      name: 'redis',
      labels: { app: 'redis' },
      selector: { app: 'redis' },
      clusterIP: ipOf(ipN++),
      type: 'ClusterIP',
      ports: [{ name: 'tcp-redis', port: 6379, targetPort: 6379, protocol: 'TCP' }],
    },
    httpService('orders', 'orders-api', ipOf(ipN++)),
    httpService('checkout', 'checkout', ipOf(ipN++)),
    { ...httpService('shop', 'pricing', ipOf(ipN++)), waypoint: { name: 'shop-waypoint' } },
    // gRPC: port name grpc-… and appProtocol grpc
    httpService('fraud', 'fraud-check', ipOf(ipN++), 9090, 'grpc-fraud', 'grpc'),
    httpService('fraud', 'risk-model', ipOf(ipN++)),
    // the canary's Services: the app's (HTTPRoute parent) and one per version (the backendRefs)
    { ...httpService('shop', 'recommendations', ipOf(ipN++)), waypoint: { name: 'shop-waypoint' } },
    { ...versionService('shop', 'recommendations', 'v1', ipOf(ipN++)), waypoint: { name: 'shop-waypoint' } },
    { ...versionService('shop', 'recommendations', 'v2', ipOf(ipN++)), waypoint: { name: 'shop-waypoint' } },
  ];

  const waypointSvc = services.find((s) => s.name === 'shop-waypoint')!;
  const gateways: GatewayModel[] = [
    {
      namespace: 'shop',
      name: 'shop-waypoint',
      className: 'istio-waypoint',
      labels: { 'istio.io/waypoint-for': 'service' },
      listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
      addresses: [waypointSvc.clusterIP],
      workload: 'shop-waypoint',
    },
  ];

  const authorizationPolicies: AuthorizationPolicyModel[] = [
    {
      namespace: 'inventory',
      name: 'inventory-api-http-rules',
      spec: {
        action: 'ALLOW',
        selector: { matchLabels: { app: 'inventory-api' } },
        rules: [
          {
            from: [{ source: { principals: ['cluster.local/ns/shop/sa/cart'] } }],
            to: [{ operation: { methods: ['GET'], paths: ['/api/*'] } }],
          },
        ],
      },
      conditions: [
        {
          type: 'ZtunnelAccepted',
          status: 'False',
          reason: 'UnsupportedValue',
          message:
            'ztunnel does not support HTTP attributes (found: methods, paths). In ambient mode you must use a waypoint proxy to enforce HTTP rules. Within an ALLOW policy, rules matching HTTP attributes are omitted. This will be more restrictive than requested.',
        },
      ],
    },
  ];

  // ztunnel enforces this one at L4 (namespaces only): shop/pricing's connections to redis are refused (row 23).
  authorizationPolicies.push({
    namespace: 'inventory',
    name: 'redis-deny-shop',
    spec: { action: 'DENY', selector: { matchLabels: { app: 'redis' } }, rules: [{ from: [{ source: { namespaces: ['shop'] } }] }] },
    conditions: [{ type: 'ZtunnelAccepted', status: 'True', reason: 'Accepted', message: 'attached to ztunnel' }],
  });
  // Only inventory-api may reach postgres: on 5432, and on ztunnel's HBONE port 15008, where in-mesh traffic to an
  // ambient pod arrives. shop/cart's connections are dropped by the CNI (row 22).
  const networkPolicies = [
    {
      namespace: 'inventory',
      name: 'postgres-from-inventory-api',
      spec: {
        podSelector: { matchLabels: { app: 'postgres' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { app: 'inventory-api' } } }],
            ports: [
              { protocol: 'TCP', port: 5432 },
              { protocol: 'TCP', port: 15008 },
            ],
          },
        ],
      },
    },
  ];

  const peerAuthentications: PeerAuthenticationModel[] = [
    { namespace: 'payments', name: 'default', spec: { mtls: { mode: 'STRICT' } } },
    {
      namespace: 'payments',
      name: 'ledger-batch-export',
      spec: { selector: { matchLabels: { app: 'ledger' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { '8080': { mode: 'PERMISSIVE' } } },
    },
  ];

  const incident = { fromOffset: -2 * H, toOffset: -2 * H + 10 * M };
  const edges: EdgeSpec[] = [
    edge('e01-ingress-web', 'istio-system/istio-ingressgateway', svc('shop/web'), 'http', 40, {
      latency: { medianMs: 35, sigma: 0.5 },
      responseBytes: 18_000,
      errors: { '503': 0.001 },
    }),
    edge('e02-web-cart', 'shop/web', svc('shop/cart'), 'http', 25, { latency: { medianMs: 9, sigma: 0.5 }, errors: { '503': 0.003 } }),
    edge('e03-web-catalog', 'shop/web', svc('shop/catalog'), 'http', 30, {
      latency: { medianMs: 14, sigma: 0.55 },
      responseBytes: 9_500,
      errors: { '0': 0.0008 },
    }),
    edge('e04-cart-payments', 'shop/cart', svc('payments/payments-api'), 'http', 8, { latency: { medianMs: 60, sigma: 0.5 }, errors: { '500': 0.002 } }),
    edge('e05-payments-ledger', 'payments/payments-api', svc('payments/ledger'), 'http', 10, {
      latency: { medianMs: 22, sigma: 0.45 },
      errors: { '503': 0.002, '500': 0.001 },
      incidents: [{ kind: 'errors', ...incident, share: 0.3, latencyFactor: 4 }],
    }),
    edge('e06-payments-cart', 'payments/payments-api', svc('shop/cart'), 'http', 5, { latency: { medianMs: 8, sigma: 0.5 } }),
    edge('e07-cart-inventory', 'shop/cart', svc('inventory/inventory-api'), 'http', 15, { latency: { medianMs: 11, sigma: 0.5 } }),
    edge('e08-inventory-postgres', 'inventory/inventory-api', svc('inventory/postgres', 5432), 'tcp', 3, {
      requestBytes: 6_000,
      responseBytes: 120_000,
      incidents: [{ kind: 'connect-failures', ...incident, share: 0.6 }],
    }),
    edge('e09-inventory-redis', 'inventory/inventory-api', svc('inventory/redis', 6379), 'tcp', 6, { requestBytes: 1_500, responseBytes: 9_000 }),
    edge('e10-legacy-inventory', 'legacy/legacy-reporting', svc('inventory/inventory-api'), 'http', 2, { latency: { medianMs: 15, sigma: 0.5 } }),
    edge('e11-legacy-catalog', 'legacy/legacy-reporting', svc('shop/catalog'), 'http', 1.5, { latency: { medianMs: 20, sigma: 0.5 } }),
    edge('e12-legacy-orders', 'legacy/legacy-reporting', svc('orders/orders-api'), 'http', 3, {
      latency: { medianMs: 30, sigma: 0.5 },
      errors: { '500': 0.004 },
    }),
    edge('e13-web-orders', 'shop/web', svc('orders/orders-api'), 'http', 6, { latency: { medianMs: 28, sigma: 0.5 }, errors: { '500': 0.002 } }),
    edge('e14-payments-stripe', 'payments/payments-api', { kind: 'external', host: 'api.stripe.com', namespace: 'external', port: 443 }, 'tcp', 1, {
      requestBytes: 3_000,
      responseBytes: 6_000,
    }),
    edge('e15-inventory-unknown', 'inventory/inventory-api', { kind: 'ip', ip: '203.0.113.10', port: 443 }, 'tcp', 0.5, {
      requestBytes: 800,
      responseBytes: 1_200,
    }),
    edge('e16-batch-ledger', 'payments/batch-export', svc('payments/ledger'), 'http', 0.5, { latency: { medianMs: 40, sigma: 0.5 } }),
    // half-migrated client → Service bound to a waypoint: the 2 sidecar pods bypass the waypoint, the 3 ambient
    // pods go through it (traffic splits evenly over client pods: 40 % direct, 60 % via the waypoint)
    edge('e17-checkout-pricing', 'checkout/checkout', svc('shop/pricing'), 'http', 10, { latency: { medianMs: 9, sigma: 0.5 }, errors: { '503': 0.004 } }),
    // gRPC: failures answer HTTP 200 with grpc-status 14 UNAVAILABLE or 4 DEADLINE_EXCEEDED
    edge('e18-payments-fraud', 'payments/payments-api', svc('fraud/fraud-check', 9090), 'grpc', 12, {
      latency: { medianMs: 18, sigma: 0.5 },
      requestBytes: 350,
      responseBytes: 180,
      requestsPerConnection: 500,
      errors: { '14': 0.06, '4': 0.02 },
    }),
    // every request between 50 and 100 ms: the buckets le ≤ 50 stay empty (zero), the quantiles lie in (50, 100]
    edge('e19-fraud-risk', 'fraud/fraud-check', svc('fraud/risk-model'), 'http', 6, {
      latency: { medianMs: 75, sigma: 0, uniform: { minMs: 50, maxMs: 100 } },
    }),
    // named egress: ALLOW_ANY → PassthroughCluster; REGISTRY_ONLY (Sidecar resource on risk-model) → BlackHoleCluster
    edge('e20-fraud-passthrough', 'fraud/fraud-check', { kind: 'ip', ip: '198.51.100.20', port: 443 }, 'tcp', 0.4, {
      requestBytes: 2_500,
      responseBytes: 7_000,
    }),
    edge('e21-risk-blackhole', 'fraud/risk-model', { kind: 'blackhole', ip: '192.0.2.55', port: 443, host: 'telemetry.vendor.example' }, 'tcp', 0.2),
    // policy: refused for the whole history (docs/demo-mesh.md "Policy")
    edge('e22-cart-postgres', 'shop/cart', svc('inventory/postgres', 5432), 'tcp', 0.3, { refusedBy: 'network-policy' }),
    edge('e23-pricing-redis', 'shop/pricing', svc('inventory/redis', 6379), 'tcp', 0.5, { refusedBy: 'authorization-policy' }),
    // the canary: the waypoint sends 70 % to v1 and 30 % to v2 (one wave, so the ratio holds at every instant)
    // while HTTPRoute recommendations-canary says 90/10; v2 is slower and fails more often
    edge('e24-web-recommendations-v1', 'shop/web', svc('shop/recommendations-v1'), 'http', 7, {
      latency: { medianMs: 16, sigma: 0.5 },
      errors: { '503': 0.002 },
      wave: 'recommendations',
    }),
    edge('e25-web-recommendations-v2', 'shop/web', svc('shop/recommendations-v2'), 'http', 3, {
      latency: { medianMs: 24, sigma: 0.5 },
      errors: { '503': 0.02 },
      wave: 'recommendations',
    }),
  ];

  const sidecars = [
    {
      namespace: 'fraud',
      name: 'risk-model-registry-only',
      spec: { workloadSelector: { labels: { app: 'risk-model' } }, outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
    },
  ];

  return {
    cluster,
    trustDomain: 'cluster.local',
    istioNamespace: 'istio-system',
    istioVersion: ISTIO_VERSION,
    nodes,
    namespaces,
    workloads,
    services,
    gateways,
    authorizationPolicies,
    peerAuthentications,
    networkPolicies,
    edges,
    incidentWindow: incident,
    migration: { workload: 'shop/catalog', atOffset: -3 * H },
    sidecars,
    // left over from inventory's sidecar days: a 90/10 split by subset that ztunnel cannot apply (its clients reach
    // inventory-api without a waypoint), and a v2 subset no pod matches
    istioNetworking: [
      {
        kind: 'VirtualService',
        namespace: 'inventory',
        name: 'inventory-api',
        spec: {
          hosts: ['inventory-api'],
          http: [
            {
              route: [
                { destination: { host: 'inventory-api', subset: 'v1' }, weight: 90 },
                { destination: { host: 'inventory-api', subset: 'v2' }, weight: 10 },
              ],
            },
          ],
        },
      },
      {
        kind: 'DestinationRule',
        namespace: 'inventory',
        name: 'inventory-api',
        spec: {
          host: 'inventory-api.inventory.svc.cluster.local',
          subsets: [
            { name: 'v1', labels: { version: 'v1' } },
            { name: 'v2', labels: { version: 'v2' } },
          ],
        },
      },
    ],
    httpRoutes: [
      {
        namespace: 'shop',
        name: 'recommendations-canary',
        spec: {
          parentRefs: [{ group: '', kind: 'Service', name: 'recommendations', port: 8080 }],
          rules: [
            {
              backendRefs: [
                { name: 'recommendations-v1', port: 8080, weight: 90 },
                { name: 'recommendations-v2', port: 8080, weight: 10 },
              ],
            },
          ],
        },
      },
    ],
    ...(rev ? { revision: rev } : {}),
  };
}

// ---------------------------------------------------------------------------
// Synthetic topologies (scale benchmark)
// ---------------------------------------------------------------------------

interface SyntheticOptions {
  namespaces: number;
  workloadsPerNamespace: number;
  seed: number;
  /** Outgoing edges per workload (default 5 → 200×10 workloads ≈ 10k edges). */
  edgesPerWorkload?: number;
  /** Pods per workload (default 2). */
  replicas?: number;
  /** Node count (default 20). */
  nodes?: number;
}

type NsFlavor = 'sidecar' | 'ambient' | 'waypoint' | 'mixed' | 'none';

/**
 * A large mesh with every path kind: sidecar, ambient, ambient+waypoint, mixed-rollout and
 * out-of-mesh namespaces in rotation, an ingress gateway, external hosts and unknown IPs.
 */
export function generateSyntheticTopology(opts: SyntheticOptions): Topology {
  const rand = rng(opts.seed);
  const nodeCount = opts.nodes ?? 20;
  const replicas = opts.replicas ?? 2;
  const nodes: NodeModel[] = Array.from({ length: nodeCount }, (_, k) => ({
    name: `node-${String(k).padStart(3, '0')}`,
    ip: `172.20.${k >> 8}.${(k & 255) + 1}`,
    podCIDR: `10.${64 + (k >> 4)}.${(k % 16) * 16}.0/20`,
    region: 'synthetic',
    zone: `synthetic-${String.fromCharCode(97 + (k % 3))}`,
  }));
  const alloc: NodeAlloc = { nodes, next: new Map(), rr: 0 };
  const V = ISTIO_VERSION;
  const flavors: NsFlavor[] = ['sidecar', 'ambient', 'waypoint', 'mixed', 'none'];
  const namespaces: NamespaceModel[] = [{ name: 'istio-system', labels: { 'kubernetes.io/metadata.name': 'istio-system' } }];
  const workloads: WorkloadModel[] = [
    istiod(alloc, 'istio-system', V),
    infraDaemonSet(alloc, 'istio-system', 'ztunnel', V),
    ingressGateway(alloc, 'istio-system', V),
  ];
  const services: ServiceModel[] = [];
  const gateways: GatewayModel[] = [];
  const apps: { ns: string; name: string; tcp: boolean }[] = [];
  let ipN = 10;
  for (let i = 0; i < opts.namespaces; i++) {
    const ns = `ns-${String(i).padStart(3, '0')}`;
    const flavor = flavors[i % flavors.length]!;
    const labels: Record<string, string> = { 'kubernetes.io/metadata.name': ns };
    if (flavor === 'sidecar') labels['istio-injection'] = 'enabled';
    if (flavor === 'ambient' || flavor === 'waypoint' || flavor === 'mixed') labels['istio.io/dataplane-mode'] = 'ambient';
    if (flavor === 'waypoint') labels['istio.io/use-waypoint'] = `${ns}-waypoint`;
    namespaces.push({ name: ns, labels });
    if (flavor === 'waypoint') {
      workloads.push(waypointDeployment(alloc, ns, `${ns}-waypoint`, V));
      const ip = ipOf(ipN++);
      services.push({
        namespace: ns,
        name: `${ns}-waypoint`,
        labels: { 'gateway.networking.k8s.io/gateway-name': `${ns}-waypoint` },
        selector: { 'gateway.networking.k8s.io/gateway-name': `${ns}-waypoint` },
        clusterIP: ip,
        type: 'ClusterIP',
        ports: [{ name: 'mesh', port: 15008, targetPort: 15008, protocol: 'TCP', appProtocol: 'all' }],
      });
      gateways.push({
        namespace: ns,
        name: `${ns}-waypoint`,
        className: 'istio-waypoint',
        labels: {},
        listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
        addresses: [ip],
        workload: `${ns}-waypoint`,
      });
    }
    for (let j = 0; j < opts.workloadsPerNamespace; j++) {
      const name = `svc-${String(j).padStart(2, '0')}`;
      const tcp = rand() < 0.2;
      const port = tcp ? 5432 : 8080;
      const mode: PodMode = flavor === 'sidecar' ? 'sidecar' : flavor === 'none' ? 'none' : 'ambient';
      const o: AppWorkloadOptions = {
        namespace: ns,
        name,
        replicas,
        version: 'v1',
        port,
        image: `registry.example.com/synthetic/${name}:1.0.0`,
        mode,
        nativeSidecar: j % 2 === 0,
      };
      if (flavor === 'mixed' && j % 3 === 0) {
        o.replicas = 1;
        o.history = [{ replicas: replicas, running: 1, mode: 'sidecar', version: 'v1', nativeSidecar: true }];
      }
      workloads.push(appWorkload(alloc, o));
      const ip = ipOf(ipN++);
      services.push({
        ...(tcp ? { ...httpService(ns, name, ip, port, 'tcp-db', undefined) } : httpService(ns, name, ip, port)),
        ...(flavor === 'waypoint' ? { waypoint: { name: `${ns}-waypoint` } } : {}),
      });
      apps.push({ ns, name, tcp });
    }
  }
  const edges: EdgeSpec[] = [];
  const perWorkload = opts.edgesPerWorkload ?? 5;
  const seen = new Set<string>();
  for (const a of apps) {
    for (let k = 0; k < perWorkload; k++) {
      const r = rand();
      let server: EdgeServer;
      let protocol: 'http' | 'tcp';
      if (r < 0.02) {
        server = { kind: 'external', host: `api-${Math.floor(rand() * 20)}.example.com`, namespace: 'external', port: 443 };
        protocol = 'tcp';
      } else if (r < 0.03) {
        server = { kind: 'ip', ip: `203.0.113.${1 + Math.floor(rand() * 250)}`, port: 443 };
        protocol = 'tcp';
      } else {
        // mostly same or nearby namespace, some random
        const b = apps[Math.floor(rand() * apps.length)]!;
        if (b.ns === a.ns && b.name === a.name) continue;
        server = { kind: 'service', namespace: b.ns, name: b.name, port: b.tcp ? 5432 : 8080 };
        protocol = b.tcp ? 'tcp' : 'http';
      }
      const key = `${a.ns}/${a.name}->${JSON.stringify(server)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push(
        edge(`s${edges.length}`, `${a.ns}/${a.name}`, server, protocol, Math.round((0.2 + rand() * 20) * 10) / 10, {
          errors: rand() < 0.2 ? { '503': 0.01 } : {},
        }),
      );
    }
  }
  // ingress → a web-ish service in each waypoint/ambient namespace
  for (const a of apps.filter((_, i) => i % opts.workloadsPerNamespace === 0).slice(0, 50)) {
    if (a.tcp) continue;
    edges.push(edge(`s${edges.length}`, 'istio-system/istio-ingressgateway', { kind: 'service', namespace: a.ns, name: a.name, port: 8080 }, 'http', 10));
  }
  const incident = { fromOffset: -2 * H, toOffset: -2 * H + 10 * M };
  return {
    cluster: 'Kubernetes',
    trustDomain: 'cluster.local',
    istioNamespace: 'istio-system',
    istioVersion: V,
    nodes,
    namespaces,
    workloads,
    services,
    gateways,
    authorizationPolicies: [],
    peerAuthentications: [],
    edges,
    incidentWindow: incident,
  };
}

// ---------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------

export function allPods(t: Topology): PodModel[] {
  return t.workloads.flatMap((w) => w.pods);
}

/** Cluster of a pod/workload/Service/node (its own field, else the topology's cluster). */
export function clusterOf(t: Topology, o: { cluster?: string }): string {
  return o.cluster ?? t.cluster;
}

export function spiffe(t: Topology, ns: string, sa: string): string {
  return `spiffe://${t.trustDomain}/ns/${ns}/sa/${sa}`;
}

// Domain types of Meshglass. Pure: no I/O. Every other layer speaks these types.
// Vocabulary and values are the contract of docs/classification.md §1 and §4.

export type WorkloadMode = 'sidecar' | 'ambient' | 'none' | 'mixed';
export type PodMode = 'sidecar' | 'ambient' | 'none';
export type NodeKind = 'workload' | 'waypoint' | 'gateway' | 'service' | 'unknown';
export type EdgePath = 'waypoint' | 'mixed' | 'sidecar' | 'ambient';
export type Telemetry = 'l7' | 'l4';
export type Protocol = 'http' | 'grpc' | 'tcp' | 'unknown';
export type Mtls = 'mutual' | 'plaintext' | 'unknown';
export type Reporter = 'source' | 'destination' | 'waypoint';
/** Which kind of proxy emitted a series. */
export type ProxyKind = 'envoy' | 'ztunnel' | 'waypoint' | 'unknown';
/**
 * Which rule of docs/classification.md §3.1 decided the proxy kind:
 * waypoint = reporter="waypoint"; scrape-labels = target labels (app/pod);
 * instance-ip = `instance` matched a pod IP from the Kubernetes API;
 * series-labels = the series' own labels name something only one proxy kind reports (Envoy's PassthroughCluster);
 * current-mode = guessed from today's mode of the reporting workload (a guess for past windows).
 */
export type AttributionRule = 'waypoint' | 'scrape-labels' | 'instance-ip' | 'series-labels' | 'current-mode' | 'none';

export interface Warning {
  source: 'prometheus' | 'kubernetes' | 'config' | 'model';
  message: string;
}

// ---------------------------------------------------------------------------
// Kubernetes snapshot: what lib/kube reshapes the API objects into.
// ---------------------------------------------------------------------------

export type Labels = Record<string, string>;

export interface Condition {
  type: string;
  status: string; // "True" | "False" | "Unknown"
  reason?: string;
  message?: string;
}

export interface NamespaceInfo {
  name: string;
  labels: Labels;
  annotations: Labels;
}

export interface ContainerInfo {
  name: string;
  image: string;
  args: string[];
  /** "Always" on a native sidecar init container. */
  restartPolicy?: string;
  /** Kubernetes quantities as written in the spec, e.g. "100m", "128Mi". */
  cpuRequest?: string;
  memoryRequest?: string;
  /** Literal values of the variables in CONTAINER_ENV_READ only (never the whole environment). */
  env?: Record<string, string>;
  /** spec.containers[].ports: NetworkPolicy named ports resolve against these. */
  ports?: { name?: string; containerPort: number; protocol: string }[];
}

/**
 * Container environment variables the model reads: istiod's and ztunnel's CLUSTER_ID is the cluster name
 * Istio writes into source_cluster/destination_cluster (docs/istio-telemetry.md §7).
 */
export const CONTAINER_ENV_READ: readonly string[] = ['CLUSTER_ID'];

export interface PodInfo {
  namespace: string;
  name: string;
  labels: Labels;
  annotations: Labels;
  ip?: string;
  nodeName?: string;
  phase: string;
  hostNetwork: boolean;
  serviceAccount: string;
  /** Workload the way Istio names it: Deployment via ReplicaSet owner, StatefulSet, DaemonSet, Job; bare pod → pod name. */
  workload: { kind: string; name: string };
  containers: ContainerInfo[];
  initContainers: ContainerInfo[];
  creationTimestamp?: string;
}

export interface ServicePortInfo {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string; // TCP | UDP | SCTP
  appProtocol?: string;
}

export interface ServiceInfo {
  namespace: string;
  name: string;
  labels: Labels;
  annotations: Labels;
  selector: Labels;
  clusterIP?: string;
  type?: string;
  ports: ServicePortInfo[];
}

export interface GatewayInfo {
  namespace: string;
  name: string;
  labels: Labels;
  annotations: Labels;
  className: string;
  listeners: GatewayListenerInfo[];
  /** status.addresses[].value — a waypoint is only effective once this is non-empty. */
  addresses: string[];
  conditions: Condition[];
}

/** A Kubernetes LabelSelector (matchLabels AND every matchExpression). */
export interface LabelSelectorInfo {
  matchLabels: Labels;
  matchExpressions: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values: string[] }[];
}

/**
 * spec.listeners[].allowedRoutes.namespaces of a Gateway: which namespaces may attach to it. For a waypoint,
 * istiod reads it from the HBONE listener (port 15008) to admit istio.io/use-waypoint-namespace bindings
 * (docs/istio-telemetry.md §1.5). `from` defaults to Same; from=Selector without a valid selector admits nothing.
 */
export interface AllowedRoutesInfo {
  from: 'Same' | 'All' | 'Selector';
  selector?: LabelSelectorInfo;
}

export interface GatewayListenerInfo {
  name: string;
  port: number;
  protocol: string;
  /** Absent when the listener sets no allowedRoutes.namespaces (same as from: Same). */
  allowedRoutes?: AllowedRoutesInfo;
}

export interface GatewayClassInfo {
  name: string;
  labels: Labels;
  controllerName: string;
}

export interface AuthorizationPolicyInfo {
  namespace: string;
  name: string;
  labels: Labels;
  action: 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
  /** spec.selector.matchLabels; undefined = namespace-wide (or root-namespace mesh-wide). */
  selector?: Labels;
  targetRefs: { group?: string; kind: string; name: string; namespace?: string }[];
  /** L7-only attributes used by the rules, as field paths, e.g. "to.operation.methods", "to.operation.paths", "when.request.headers". Empty = L4-only policy. */
  httpAttributes: string[];
  /**
   * L4 attributes used by the rules, as field paths ("from.source.principals", "to.operation.ports",
   * "when.source.ip"…): what ztunnel can evaluate. Absent on objects built before this field existed.
   */
  l4Attributes?: string[];
  /** Number of rules (spec.rules); 0 with ALLOW = allow nothing, with DENY = deny nothing. Absent = unknown. */
  ruleCount?: number;
  /**
   * Per rule, the identity conditions of its `from` sources (ORed; a rule without `from` has none = any client);
   * `other`: the source also uses conditions these do not capture (IP blocks, service accounts, JWTs).
   * Absent = unknown. Used only to tell when no rule can match a client (docs/classification.md §8.1).
   */
  ruleSources?: { principals: string[]; notPrincipals: string[]; namespaces: string[]; notNamespaces: string[]; other: boolean }[][];
  conditions: Condition[];
}

/** A Kubernetes NetworkPolicy peer (networking.k8s.io/v1): pods, namespaces, both, or an IP block. */
export interface NetworkPolicyPeerInfo {
  /** Undefined = not set (with namespaceSelector: every pod of the selected namespaces). */
  podSelector?: LabelSelectorInfo;
  namespaceSelector?: LabelSelectorInfo;
  ipBlock?: { cidr: string; except: string[] };
}

export interface NetworkPolicyPortInfo {
  protocol: string; // TCP (default) | UDP | SCTP
  /** Number or named container port; undefined = every port of the protocol. */
  port?: number | string;
  endPort?: number;
}

/** One ingress or egress rule: `peers` empty = every peer, `ports` empty = every port. */
export interface NetworkPolicyRuleInfo {
  peers: NetworkPolicyPeerInfo[];
  ports: NetworkPolicyPortInfo[];
}

export interface NetworkPolicyInfo {
  namespace: string;
  name: string;
  podSelector: LabelSelectorInfo;
  /** Effective policyTypes (Ingress always unless stated; Egress when stated or egress rules exist). */
  policyTypes: ('Ingress' | 'Egress')[];
  ingress: NetworkPolicyRuleInfo[];
  egress: NetworkPolicyRuleInfo[];
}

/** Source or destination of a Calico rule (projectcalico.org/v3 EntityRule). */
export interface CalicoEntityInfo {
  /** Calico selector expression (lib/mesh/policy/calico-selector.ts); undefined = not set. */
  selector?: string;
  notSelector?: string;
  namespaceSelector?: string;
  nets: string[];
  notNets: string[];
  /** Numbers, "from:to" ranges or named ports. */
  ports: (number | string)[];
  notPorts: (number | string)[];
  serviceAccountNames: string[];
  serviceAccountSelector?: string;
}

export interface CalicoRuleInfo {
  action: 'Allow' | 'Deny' | 'Log' | 'Pass';
  protocol?: string;
  notProtocol?: string;
  source: CalicoEntityInfo;
  destination: CalicoEntityInfo;
}

/** Calico NetworkPolicy (namespaced) or GlobalNetworkPolicy, from projectcalico.org/v3 or crd.projectcalico.org/v1. */
export interface CalicoPolicyInfo {
  kind: 'NetworkPolicy' | 'GlobalNetworkPolicy';
  /** Empty for GlobalNetworkPolicy. */
  namespace: string;
  name: string;
  /** Lower first; undefined = after every ordered policy. */
  order?: number;
  /** Tier name; undefined = default. */
  tier?: string;
  selector: string;
  /** GlobalNetworkPolicy only: restricts the selected endpoints to these namespaces. */
  namespaceSelector?: string;
  types: ('Ingress' | 'Egress')[];
  ingress: CalicoRuleInfo[];
  egress: CalicoRuleInfo[];
}

export interface PeerAuthenticationInfo {
  namespace: string;
  name: string;
  selector?: Labels;
  mode: 'STRICT' | 'PERMISSIVE' | 'DISABLE' | 'UNSET';
  portLevelMtls: Record<string, 'STRICT' | 'PERMISSIVE' | 'DISABLE' | 'UNSET'>;
}

/**
 * Where a snapshot's cluster name came from: `config` (MESH_CLUSTER_NAME / KUBE_CONTEXTS context=name, an
 * override), `cluster-id` (istiod's / ztunnel's CLUSTER_ID), `telemetry` (the one cluster the series name,
 * with one cluster configured), `default` (nothing said: "Kubernetes" or the context name).
 */
export type ClusterNameSource = 'config' | 'cluster-id' | 'telemetry' | 'default';

export interface KubeSnapshot {
  /** Cluster name used in Istio labels (source_cluster); see lib/mesh/cluster-name.ts. */
  cluster: string;
  /** Where `cluster` came from; absent = `config` (tests and callers that set it deliberately). */
  clusterSource?: ClusterNameSource;
  /** Namespace Istio runs in (istiod), usually istio-system: a hint; infrastructure is recognised in any namespace. */
  istioNamespace: string;
  namespaces: NamespaceInfo[];
  pods: PodInfo[];
  services: ServiceInfo[];
  gateways: GatewayInfo[];
  gatewayClasses: GatewayClassInfo[];
  authorizationPolicies: AuthorizationPolicyInfo[];
  peerAuthentications: PeerAuthenticationInfo[];
  /** Traffic-split configuration (lib/mesh/split.ts); absent = not read (older callers, tests). */
  httpRoutes?: HttpRouteInfo[];
  virtualServices?: VirtualServiceInfo[];
  destinationRules?: DestinationRuleInfo[];
  /** networking.k8s.io/v1 NetworkPolicies; absent = not read (older callers, tests). */
  networkPolicies?: NetworkPolicyInfo[];
  /** Calico NetworkPolicy / GlobalNetworkPolicy; absent or empty when Calico is not installed. */
  calicoPolicies?: CalicoPolicyInfo[];
  /** Kinds that could not be read (missing CRD, 403, API down) are empty and explained here. */
  warnings: Warning[];
  /** False when nothing could be read from the API (every kind failed). */
  available: boolean;
}

// ---------------------------------------------------------------------------
// Telemetry: what lib/prometheus reshapes query results into.
// Values are increases over the whole window (counts, bytes, connections), never rates:
// lib/mesh divides by the window length (docs/classification.md §3.5).
// ---------------------------------------------------------------------------

export type TelemetryMetric =
  | 'requests' // istio_requests_total; labels include request_protocol, response_code, grpc_response_status
  | 'requestDurationBucket' // istio_request_duration_milliseconds_bucket; labels include le; zero buckets kept
  | 'requestDurationSum' // istio_request_duration_milliseconds_sum (the mean's numerator; its count is the +Inf bucket)
  | 'tcpOpened' // istio_tcp_connections_opened_total
  | 'tcpClosed' // istio_tcp_connections_closed_total; labels include response_flags
  | 'tcpFailed' // istio_tcp_connections_failed_total (ztunnel ≥ 1.30): connections that never opened; labels include response_flags
  | 'tcpSentBytes' // istio_tcp_sent_bytes_total (response direction, server → client)
  | 'tcpReceivedBytes'; // istio_tcp_received_bytes_total (request direction, client → server)

export interface TelemetrySample {
  metric: TelemetryMetric;
  /** Only the grouped labels (see EDGE_LABELS). Missing label = absent in Prometheus. */
  labels: Labels;
  /** increase() over the window. */
  value: number;
}

/** One (edge labels + reporter) × scrape target that reported traffic in the window. */
export interface ReporterTarget {
  /** EDGE_LABELS plus the target labels instance, job, and when the scrape config provides them pod, namespace, app. */
  labels: Labels;
}

export interface TelemetryInput {
  window: Window;
  samples: TelemetrySample[];
  reporterTargets: ReporterTarget[];
  warnings: Warning[];
  /** False when Prometheus could not be queried at all. */
  available: boolean;
  /**
   * Requests and latency buckets by destination version (VERSION_LABELS), queried only for the versioned
   * view and the split comparison (lib/prometheus/queries.ts buildVersionQueries); absent otherwise.
   */
  versionSamples?: TelemetrySample[];
}

/**
 * The labels every traffic query groups by: the smallest set that identifies an edge, its
 * reporter and its mTLS outcome. Order is irrelevant.
 */
export const EDGE_LABELS = [
  'reporter',
  'source_cluster',
  'source_workload',
  'source_workload_namespace',
  'source_canonical_service',
  'source_principal',
  'destination_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_canonical_service',
  'destination_principal',
  'destination_service',
  'destination_service_name',
  'destination_service_namespace',
  'connection_security_policy',
] as const;

/**
 * The labels of the version queries (versioned view and split comparison only): the destination and its
 * canonical revision, no source labels — adding `destination_canonical_revision` to EDGE_LABELS instead
 * would split every edge series of every graph query by version (docs/classification.md §9.1).
 */
export const VERSION_LABELS = [
  'reporter',
  'destination_cluster',
  'destination_workload_namespace',
  'destination_workload',
  'destination_canonical_service',
  'destination_canonical_revision',
] as const;

/** Scrape-target labels used for reporter attribution (docs/classification.md §3.1 a/b). */
export const TARGET_LABELS = ['instance', 'job', 'pod', 'namespace', 'app'] as const;

// ---------------------------------------------------------------------------
// Output: the graph (docs/api.md §4 /api/graph).
// ---------------------------------------------------------------------------

export interface Window {
  /** RFC 3339, UTC. */
  start: string;
  end: string;
}

export interface PodCounts {
  total: number;
  sidecar: number;
  ambient: number;
  none: number;
}

export interface ModeIntent {
  /** Namespace or pod label values that express intent; undefined when absent. */
  istioInjection?: string;
  istioRev?: string;
  dataplaneMode?: string;
  /** sidecar.istio.io/inject label or annotation on the pods */
  sidecarInject?: string;
}

export interface GraphNode {
  /** Stable id, see lib/mesh/ids.ts. */
  id: string;
  kind: NodeKind;
  namespace: string;
  name: string;
  cluster: string;
  /** Current mode from the Kubernetes API (workloads, gateways: their proxy mode). */
  mode?: WorkloadMode;
  /** Mode proved by telemetry in the window (docs/classification.md §3.6); undefined when telemetry proves nothing. */
  modeInWindow?: WorkloadMode;
  /** True when modeInWindow differs from mode: "mode changed since". */
  modeChanged?: boolean;
  /** Waypoint serving this workload or its services, "ns/name". */
  waypoint?: string;
  pods?: PodCounts;
  /** Services selecting this workload, "ns/name". */
  services?: string[];
  /** Present only for kind=service: the host (destination_service). */
  host?: string;
  /**
   * kind=service only: Envoy's named egress cluster the traffic went to — `passthrough` (PassthroughCluster,
   * ALLOW_ANY: a host outside the mesh registry) or `blackhole` (BlackHoleCluster, REGISTRY_ONLY: blocked).
   */
  egress?: 'passthrough' | 'blackhole';
  /** Intent vs state mismatches, human readable (e.g. "label istio.io/dataplane-mode=ambient but ambient.istio.io/redirection=pending"). */
  issues?: string[];
  /** Proxy versions seen on this workload's pods (sidecar image tags / revisions). */
  proxyVersions?: string[];
  /** True when the node only exists in telemetry (no Kubernetes object found). */
  telemetryOnly?: boolean;
  /** Versioned view only (group=version): the app (canonical service) of the workload and its versions (lib/mesh/versions.ts). */
  app?: string;
  versions?: string[];
}

export interface EdgeRates {
  rps?: number;
  /**
   * Share of failed requests, 0..1: HTTP 5xx or no response ("0"); for request_protocol="grpc",
   * grpc_response_status other than "0" (OK), falling back to the HTTP rule when the status is absent
   * (docs/istio-telemetry.md §7 "gRPC status").
   */
  errorRate?: number;
  /** Percentiles exactly as Prometheus' histogram_quantile over the window's bucket increases (zero buckets kept). */
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  /** Mean latency: increase of _sum / increase of _count (the +Inf bucket) over the window. */
  meanMs?: number;
  /** Client → server bytes/s. */
  requestBytesPerSec?: number;
  /** Server → client bytes/s. */
  responseBytesPerSec?: number;
  connectionsPerSec?: number;
  /** Connections closed with response_flags other than "-" per second (ztunnel L4 health). */
  failedConnectionsPerSec?: number;
}

export interface EdgeReporter {
  reporter: Reporter;
  proxy: ProxyKind;
  rule: AttributionRule;
  /** Scrape targets (pod names or instance addresses) that reported. */
  targets: string[];
}

/**
 * Request outcomes per second. `http`: by response_code ("200", "503", "0" = no response) for HTTP
 * requests and for gRPC requests without a grpc_response_status; `grpc`: by canonical gRPC code name
 * ("OK", "UNAVAILABLE", …; a code outside 0..16 keeps its number) for gRPC requests.
 */
export interface EdgeStatuses {
  http?: Record<string, number>;
  grpc?: Record<string, number>;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  path: EdgePath;
  telemetry: Telemetry;
  protocol: Protocol;
  l7Gap: boolean;
  mtls: Mtls;
  /** "ns/name" of the waypoint that carried it (path=waypoint). */
  waypoint?: string;
  rates: EdgeRates;
  /** Which reporter each number came from. Absent (with `reporters`, `principals`) in an answer that omits `detail` (lib/api/detail.ts). */
  rateSources?: { l7?: Reporter; l4?: Reporter };
  /** The reporters whose series make the edge; always built, absent only from an answer that omits `detail`. */
  reporters?: EdgeReporter[];
  /** True when at least one reporter's proxy kind was guessed from the current mode (rule c). */
  attributionGuessed?: boolean;
  /** Destination services, "ns/name" or host. */
  services: string[];
  principals?: { source?: string; destination?: string };
  /** Failed connection counts per response flag (CONNECT, DENY…), per second. */
  failuresByFlag?: Record<string, number>;
  /** Requests per second by outcome, from the reporter(s) the L7 rates came from (EdgeStatuses). */
  statuses?: EdgeStatuses;
  /**
   * Where the protocol came from: the edge's own series, the destination Service's ports, or `peer-telemetry`
   * (other reporters saw this destination answer HTTP/gRPC requests in the window).
   */
  protocolSource?: 'telemetry' | 'service-port' | 'peer-telemetry' | 'none';
  /** L7 exists for part of the traffic only (e.g. a mixed workload's sidecar pods). */
  partialL7?: boolean;
  /** Expanded waypoint view: this edge is one leg through the waypoint. */
  leg?: 'to-waypoint' | 'from-waypoint';
  /** The two ends are in different clusters (source_cluster ≠ destination_cluster). */
  crossCluster?: boolean;
  /**
   * Present when part of the traffic went through a waypoint and part directly (path `mixed`): one entry per
   * slice, waypoint first. The edge's rates are the sum of the slices' (docs/classification.md §4).
   */
  slices?: EdgeSlice[];
  /** Policies that select this edge's traffic and where each is enforced (docs/classification.md §8). */
  policies?: EdgePolicy[];
  /** Connections refused by ztunnel's authorization (response_flags="DENY") per second. */
  deniedPerSec?: number;
  /** HTTP 403 responses per second: RBAC or the application itself (Istio's metrics cannot tell them apart). */
  forbiddenPerSec?: number;
  /** Connection failures (response_flags="CONNECT") attributed to a NetworkPolicy that does not admit the source. */
  droppedBy?: EdgeDrop;
  /** Summary for the Policy overlay: denied > not-enforced > allowed > none. */
  policyVerdict?: PolicyVerdict;
}

export type PolicyVerdict = 'allowed' | 'denied' | 'not-enforced' | 'none';
export type PolicyEnforcer = 'ztunnel' | 'waypoint' | 'sidecar' | 'cni' | 'none';
/** Why a policy is (not) enforced on a path (docs/classification.md §8.1). */
export type EnforcementReason =
  | 'enforced'
  /** HTTP attributes on a path only ztunnel enforces. */
  | 'http-attributes'
  /** CUSTOM/AUDIT on ztunnel. */
  | 'unsupported-action'
  /** The traffic (or part of it) does not go through the waypoint the policy is bound to. */
  | 'bypasses-waypoint'
  /** Bound with targetRefs to a Service/host no waypoint serves. */
  | 'no-waypoint'
  /** The destination pods run no Istio proxy. */
  | 'no-proxy'
  /** Istio's status says it is not accepted there (WaypointAccepted / ZtunnelAccepted False). */
  | 'rejected-by-istio';

export interface EdgePolicy {
  kind: 'AuthorizationPolicy' | 'NetworkPolicy' | 'CalicoNetworkPolicy' | 'GlobalNetworkPolicy';
  /** Empty for cluster-scoped kinds (GlobalNetworkPolicy). */
  namespace: string;
  name: string;
  /**
   * AuthorizationPolicy: its action. NetworkPolicy / Calico: what it does to this edge's source — ALLOW (admits it)
   * or DENY (selects the destination or source and does not admit the other end).
   */
  action: 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
  /** Where it is enforced on this edge's path; `none`: nothing on the path can enforce it (out-of-mesh destination). */
  enforcedBy: PolicyEnforcer;
  /** False when the rule cannot take effect on this path (the note says why). */
  enforced: boolean;
  /** AuthorizationPolicy only: the machine-readable why behind `enforced`. */
  reason?: EnforcementReason;
  /** Why not enforced, or how it is enforced (e.g. "ztunnel sees the waypoint's identity as the source"). */
  note: string;
}

export interface EdgeDrop {
  /** "NetworkPolicy ns/name" (or Calico kind + ref) of the policies that do not admit the source. */
  policies: string[];
  /** CONNECT failures per second on the edge. */
  perSec: number;
  /** e.g. "likely dropped by NetworkPolicy data/pg-only-billing". */
  note: string;
}

export interface EdgeSlice {
  via: 'waypoint' | 'direct';
  path: EdgePath;
  telemetry: Telemetry;
  mtls: Mtls;
  /** Share of the edge's traffic (requests, else connections, else bytes), 0..1; absent when no measure is common to all slices. */
  share?: number;
  rates: EdgeRates;
  /** Absent only from an answer that omits `detail`. */
  rateSources?: { l7?: Reporter; l4?: Reporter };
  partialL7?: boolean;
  waypoint?: string;
}

export interface MeshGraph {
  window: Window;
  nodes: GraphNode[];
  edges: GraphEdge[];
  warnings: Warning[];
  /** group=version (and the whole-mesh reads): apps with their versions side by side (lib/mesh/versions.ts). */
  apps?: VersionedApp[];
  /** Configured traffic splits beside the observed shares (lib/mesh/split.ts); present with `apps`. */
  splits?: TrafficSplit[];
  /**
   * Parts the caller asked to leave out (`omit=latency`, `omit=detail`; sorted): their fields are absent because
   * they were not read or not sent, not because the mesh has no such data. Absent = the whole graph.
   */
  omitted?: ('detail' | 'latency')[];
  /**
   * Present when a rolling window's answer is the previous computation, served while the next one runs
   * (stale-while-revalidate, docs/api.md §4.2): when it was computed, how old it was when sent, and in how
   * many seconds the next answer is expected (when to ask again).
   */
  stale?: { computedAt: string; ageSeconds: number; retryAfterSeconds: number };
}

export interface BuildOptions {
  /** Restrict to edges touching these namespaces (and their peers). Empty/undefined = all. */
  namespaces?: string[];
  /** Return client→waypoint→server legs instead of folded client→server edges. */
  expandWaypoints?: boolean;
  /** Restrict to edges touching these clusters (and their peers) and these clusters' idle workloads. Empty/undefined = all. */
  clusters?: string[];
}

// ---------------------------------------------------------------------------
// /api/namespaces
// ---------------------------------------------------------------------------

export interface NamespaceSummary {
  name: string;
  mode: WorkloadMode;
  intent: ModeIntent;
  workloads: { total: number; sidecar: number; ambient: number; none: number; mixed: number };
  waypoints: string[];
  edges: { total: number; l7: number; l7Gaps: number; plaintext: number };
  issues: string[];
}

// ---------------------------------------------------------------------------
// /api/findings
// ---------------------------------------------------------------------------

/** Every finding kind, in the order reports list them. */
export const FINDING_KINDS = [
  'l7-gap',
  'l7-policy-not-enforced',
  'policy-not-enforced',
  'policy-denials',
  'waypoint-bypass',
  'plaintext',
  'mode-mismatch',
  'mixed-workload',
  'version-drift',
  'split-drift',
  'split-not-applied',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];
export type Severity = 'critical' | 'warning' | 'info';

export interface Finding {
  id: string;
  kind: FindingKind;
  severity: Severity;
  namespace: string;
  /** "ns/name" of the affected objects. */
  objects: string[];
  /** Edge ids and/or "Kind ns/name" object references that prove it. */
  evidence: string[];
  message: string;
  fix: string;
}

// ---------------------------------------------------------------------------
// Versions and traffic splits (docs/classification.md §9).
// ---------------------------------------------------------------------------

/** A Gateway API HTTPRoute (gateway.networking.k8s.io/v1), reduced to what a split needs. */
export interface HttpRouteInfo {
  namespace: string;
  name: string;
  /** parentRefs: a Service (GAMMA mesh route: waypoint or client sidecars) or a Gateway (ingress). */
  parentRefs: { group: string; kind: string; namespace: string; name: string; port?: number }[];
  /** One entry per rule: its backendRefs (Services) with their weights (default 1). */
  rules: { backendRefs: { kind: string; namespace: string; name: string; port?: number; weight: number }[] }[];
}

/** An Istio VirtualService (networking.istio.io), reduced to its HTTP route destinations. */
export interface VirtualServiceInfo {
  namespace: string;
  name: string;
  hosts: string[];
  /** `gateways`; empty = ["mesh"] (sidecars and waypoints). */
  gateways: string[];
  /** One entry per http[] route: destinations with weights (absent weight: 100 for a single destination). */
  http: { route: { host: string; subset?: string; weight?: number }[] }[];
}

/** An Istio DestinationRule: its subsets (name → pod labels). */
export interface DestinationRuleInfo {
  namespace: string;
  name: string;
  host: string;
  subsets: { name: string; labels: Labels }[];
}

/** One version of an app: its traffic over the window (inbound requests, reporter rule in lib/mesh/versions.ts). */
export interface AppVersion {
  version: string;
  /** Workload node ids running this version. */
  workloads: string[];
  /** Pods running it now (Kubernetes API). */
  pods?: number;
  rps?: number;
  /** Share of the app's requests, 0..1. */
  share?: number;
  errorRate?: number;
  p95Ms?: number;
  /** Requests counted in the window (rps × window). */
  requests?: number;
  /** The reporters whose series were counted. */
  reporters?: Reporter[];
}

/** An app (canonical service) in a namespace with its versions side by side. */
export interface VersionedApp {
  /** `app:<cluster>/<namespace>/<app>` — the compound node of the versioned view. */
  id: string;
  cluster: string;
  namespace: string;
  app: string;
  versions: AppVersion[];
}

export interface SplitBackend {
  /** "ns/service" (HTTPRoute backendRef) or "host subset name" (VirtualService destination). */
  ref: string;
  /** Versions of the pods the backend selects. */
  versions: string[];
  weight: number;
  /** weight / Σ weights of the rule. */
  configuredShare: number;
  /** Requests into the backend's versions over all backends' requests in the window. */
  observedShare?: number;
}

/** Why a split could not apply to an edge. */
export interface SplitPathProblem {
  edge: string;
  source: string;
  reason: string;
}

/** A configured split beside the observed one (lib/mesh/split.ts). */
export interface TrafficSplit {
  /** `<Kind>:<namespace>/<name>#<rule index>` */
  id: string;
  kind: 'HTTPRoute' | 'VirtualService';
  namespace: string;
  name: string;
  /** Who applies it: a waypoint or the clients' sidecars (mesh route), or an ingress gateway. */
  appliedBy: 'mesh' | 'gateway';
  /** "ns/name" of the Service (or host) the split is for, or of the Gateway for an ingress route. */
  parent: string;
  /** The app (VersionedApp.id) whose versions the backends select, when one app does. */
  app?: string;
  backends: SplitBackend[];
  /** Requests into the backends in the window. */
  requests: number;
  /** Enough requests to judge the split (SPLIT_MIN_REQUESTS). */
  judged: boolean;
  /** Largest |observed − configured| over the backends, when judged. */
  maxDelta?: number;
  /** maxDelta above `driftThreshold`. */
  drift: boolean;
  /** The rule that judged it (lib/mesh/split.ts SPLIT_DRIFT_THRESHOLD, SPLIT_MIN_REQUESTS). */
  driftThreshold: number;
  minRequests: number;
  /** Edges into the backends whose path cannot apply the split. */
  notApplied: SplitPathProblem[];
}

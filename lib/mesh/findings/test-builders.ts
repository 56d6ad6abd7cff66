// Factories for inline test fixtures (used only by *.test.ts). Each test states the objects it needs;
// these only fill in the boring defaults.
import { edgeId, nodeId } from '../ids';
import type {
  AuthorizationPolicyInfo,
  GatewayInfo,
  GraphEdge,
  GraphNode,
  MeshGraph,
  NamespaceInfo,
  PeerAuthenticationInfo,
  PodInfo,
  ServiceInfo,
} from '../types';

// The same snapshot builder as the model's tests.
export { kube } from '../testing/fixtures';

export function ns(name: string, labels: Record<string, string> = {}): NamespaceInfo {
  return { name, labels, annotations: {} };
}

let podSeq = 0;
type PodOpts = Partial<PodInfo> & { mode?: 'sidecar' | 'native-sidecar' | 'ambient' | 'pending' | 'none'; version?: string };

/** A pod of workload `workload` (Deployment) in `namespace`, in the given data-plane state. */
export function pod(namespace: string, workload: string, opts: PodOpts = {}): PodInfo {
  const { mode = 'none', version = '1.27.1', ...rest } = opts;
  podSeq += 1;
  const annotations: Record<string, string> = {};
  const containers: PodInfo['containers'] = [{ name: 'app', image: `example/${workload}:1`, args: [] }];
  const initContainers: PodInfo['initContainers'] = [];
  const proxy = {
    name: 'istio-proxy',
    image: `docker.io/istio/proxyv2:${version}`,
    args: ['proxy', 'sidecar'],
    cpuRequest: '100m',
    memoryRequest: '128Mi',
  };
  if (mode === 'sidecar') {
    annotations['sidecar.istio.io/status'] = JSON.stringify({ containers: ['istio-proxy'], revision: 'default' });
    containers.push(proxy);
  } else if (mode === 'native-sidecar') {
    annotations['sidecar.istio.io/status'] = JSON.stringify({
      initContainers: ['istio-init', 'istio-proxy'],
      containers: null,
      revision: 'default',
    });
    initContainers.push({ name: 'istio-init', image: proxy.image, args: [] }, { ...proxy, restartPolicy: 'Always' });
  } else if (mode === 'ambient') {
    annotations['ambient.istio.io/redirection'] = 'enabled';
  } else if (mode === 'pending') {
    annotations['ambient.istio.io/redirection'] = 'pending';
  }
  return {
    namespace,
    name: `${workload}-${podSeq}`,
    labels: { app: workload },
    annotations,
    phase: 'Running',
    hostNetwork: false,
    serviceAccount: workload,
    workload: { kind: 'Deployment', name: workload },
    containers,
    initContainers,
    ip: `10.244.1.${podSeq % 250}`,
    nodeName: 'node-a',
    ...rest,
    ...(rest.labels ? { labels: { app: workload, ...rest.labels } } : {}),
    ...(rest.annotations ? { annotations: { ...annotations, ...rest.annotations } } : {}),
  };
}

export function svc(namespace: string, name: string, opts: Partial<ServiceInfo> = {}): ServiceInfo {
  return {
    namespace,
    name,
    labels: {},
    annotations: {},
    selector: { app: name },
    ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }],
    ...opts,
  };
}

export function waypoint(namespace: string, name: string, opts: Partial<GatewayInfo> = {}): GatewayInfo {
  return {
    namespace,
    name,
    labels: {},
    annotations: {},
    className: 'istio-waypoint',
    listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
    addresses: ['10.96.0.10'],
    conditions: [],
    ...opts,
  };
}

export function authz(namespace: string, name: string, opts: Partial<AuthorizationPolicyInfo> = {}): AuthorizationPolicyInfo {
  return {
    namespace,
    name,
    labels: {},
    action: 'ALLOW',
    targetRefs: [],
    httpAttributes: [],
    conditions: [],
    ...opts,
  };
}

export function peerAuth(namespace: string, name: string, opts: Partial<PeerAuthenticationInfo> = {}): PeerAuthenticationInfo {
  return { namespace, name, mode: 'STRICT', portLevelMtls: {}, ...opts };
}

export function wl(namespace: string, name: string, opts: Partial<GraphNode> = {}): GraphNode {
  const kind = opts.kind ?? 'workload';
  return { id: nodeId(kind, 'Kubernetes', namespace, name), kind, namespace, name, cluster: 'Kubernetes', ...opts };
}

export function edge(source: GraphNode, target: GraphNode, opts: Partial<GraphEdge> = {}): GraphEdge {
  return {
    id: edgeId(source.id, target.id),
    source: source.id,
    target: target.id,
    path: 'sidecar',
    telemetry: 'l7',
    protocol: 'http',
    l7Gap: false,
    mtls: 'mutual',
    rates: {},
    reporters: [],
    services: [],
    ...opts,
  };
}

export function graph(nodes: GraphNode[], edges: GraphEdge[]): MeshGraph {
  return {
    window: { start: '2026-11-21T21:00:00Z', end: '2026-11-21T21:15:00Z' },
    nodes,
    edges,
    warnings: [],
  };
}

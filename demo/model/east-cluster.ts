// A second, small cluster for multi-cluster runs (`demo/cli.ts serve --second-cluster`, the multi-cluster
// integration test and e2e spec). EAST_OBJECTS is what east's Kubernetes API simulator serves; the same
// objects become the east part of the emitter's topology (`withEastCluster`), so every east pod that
// telemetry names or that is scraped (east's ztunnel) is a pod the east simulator knows.
//
// Cross-cluster traffic (EAST_EDGES, only with --second-cluster): shop/cart (cluster "Kubernetes", ambient)
// calls inventory/inventory-api in cluster "east" (ambient) over HBONE, as in a multi-primary, single-network
// ambient mesh (docs/istio-telemetry.md §2.4: ztunnel-only L4 series; the client's ztunnel reports
// reporter="source", east's ztunnel reports reporter="destination", both mutual_tls; source_cluster=
// "Kubernetes", destination_cluster="east"). billing/ledger stays idle (out of the mesh).
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { uid } from './hash';
import {
  edge,
  ZTUNNEL_IMAGE,
  ISTIO_VERSION,
  type EdgeSpec,
  type NodeModel,
  type PodMode,
  type PodModel,
  type ServiceModel,
  type Topology,
  type WorkloadModel,
} from './topology';

export const EAST_CLUSTER = 'east';

const EAST_NODE = { name: 'east-1', ip: '172.19.0.2', podCIDR: '10.99.0.0/24', region: 'east-region', zone: 'east-region-a' };
const ZTUNNEL_LABELS = {
  app: 'ztunnel',
  'app.kubernetes.io/name': 'ztunnel',
  'sidecar.istio.io/inject': 'false',
  'istio.io/dataplane-mode': 'none',
  'controller-revision-hash': '6c9b5d7f48',
  'pod-template-generation': '1',
};
const ZTUNNEL_ANNOTATIONS = { 'prometheus.io/port': '15020', 'prometheus.io/scrape': 'true', 'sidecar.istio.io/inject': 'false' };
const ZTUNNEL_CONTAINER = {
  name: 'istio-proxy',
  image: ZTUNNEL_IMAGE(ISTIO_VERSION),
  args: ['proxy', 'ztunnel'],
  ports: [{ name: 'ztunnel-stats', containerPort: 15020, protocol: 'TCP' }],
};

/** Cluster "east": an ambient inventory/inventory-api (same namespace and name as in the demo cluster), a
 *  bare sidecar-less pod billing/ledger, and the ztunnel of its node (it reports east's inbound traffic). */
export const EAST_OBJECTS = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system', labels: { 'kubernetes.io/metadata.name': 'istio-system' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'inventory', labels: { 'istio.io/dataplane-mode': 'ambient' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'billing' } },
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: EAST_NODE.name,
      labels: {
        'kubernetes.io/hostname': EAST_NODE.name,
        'kubernetes.io/os': 'linux',
        'topology.kubernetes.io/region': EAST_NODE.region,
        'topology.kubernetes.io/zone': EAST_NODE.zone,
      },
    },
    spec: { podCIDR: EAST_NODE.podCIDR, podCIDRs: [EAST_NODE.podCIDR] },
    status: { addresses: [{ type: 'InternalIP', address: EAST_NODE.ip }], conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'ztunnel', namespace: 'istio-system', labels: { 'app.kubernetes.io/name': 'ztunnel' } },
    spec: {
      selector: { matchLabels: { app: 'ztunnel' } },
      template: { metadata: { labels: ZTUNNEL_LABELS, annotations: ZTUNNEL_ANNOTATIONS }, spec: { containers: [ZTUNNEL_CONTAINER] } },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      // unique across both clusters: the simulated proxies serve /proxies/<namespace>/<pod>/metrics
      name: 'ztunnel-e4x7k',
      namespace: 'istio-system',
      labels: ZTUNNEL_LABELS,
      annotations: ZTUNNEL_ANNOTATIONS,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ztunnel', uid: 'e3', controller: true }],
    },
    spec: { containers: [ZTUNNEL_CONTAINER], nodeName: EAST_NODE.name, serviceAccountName: 'ztunnel' },
    status: { phase: 'Running', podIP: '10.99.0.2', podIPs: [{ ip: '10.99.0.2' }] },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'inventory-api-5f7c9',
      namespace: 'inventory',
      labels: { app: 'inventory-api', 'pod-template-hash': '5f7c9' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'inventory-api', uid: 'e1', controller: true }],
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'inventory-api' } },
      template: { metadata: { labels: { app: 'inventory-api' } }, spec: { containers: [{ name: 'a', image: 'x' }] } },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'inventory-api-5f7c9-abcde',
      namespace: 'inventory',
      labels: { app: 'inventory-api', 'pod-template-hash': '5f7c9' },
      annotations: { 'ambient.istio.io/redirection': 'enabled' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'inventory-api-5f7c9', uid: 'e2', controller: true }],
    },
    spec: {
      containers: [{ name: 'inventory-api', image: 'registry.example.com/inventory-api:2.0.0' }],
      nodeName: EAST_NODE.name,
      serviceAccountName: 'inventory-api',
    },
    status: { phase: 'Running', podIP: '10.99.0.7', podIPs: [{ ip: '10.99.0.7' }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'ledger', namespace: 'billing', labels: { app: 'ledger' } },
    spec: { containers: [{ name: 'ledger', image: 'registry.example.com/ledger:1.0.0' }], nodeName: EAST_NODE.name, serviceAccountName: 'ledger' },
    status: { phase: 'Running', podIP: '10.99.0.8', podIPs: [{ ip: '10.99.0.8' }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'inventory-api', namespace: 'inventory' },
    spec: { selector: { app: 'inventory-api' }, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], clusterIP: '10.96.9.9' },
  },
];

/** Traffic that crosses into cluster east (a topology entry with the server's cluster), added by `withEastCluster`. */
export const EAST_EDGES: EdgeSpec[] = [
  edge(
    'e17-cart-inventory-east',
    'shop/cart',
    { kind: 'service', namespace: 'inventory', name: 'inventory-api', port: 8080, cluster: EAST_CLUSTER },
    'http',
    4,
    {
      latency: { medianMs: 18, sigma: 0.5 },
    },
  ),
];

// ---------------------------------------------------------------------------
// Kubernetes objects → topology models of cluster east (what the emitter needs: pods, nodes, Services)
// ---------------------------------------------------------------------------

interface Obj {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string }[];
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

function podMode(annotations: Record<string, string>): PodMode {
  if (annotations['sidecar.istio.io/status']) return 'sidecar';
  if (annotations['ambient.istio.io/redirection'] === 'enabled') return 'ambient';
  return 'none';
}

/** Topology models of a cluster's objects (pods, their workloads, nodes, Services), every one marked with `cluster`. */
export function topologyPart(
  objects: readonly object[],
  cluster: string,
  istioNamespace = 'istio-system',
): { nodes: NodeModel[]; workloads: WorkloadModel[]; services: ServiceModel[] } {
  const objs = objects as Obj[];
  const find = (kind: string, ns: string | undefined, name: string) =>
    objs.find((o) => o.kind === kind && o.metadata.namespace === ns && o.metadata.name === name);
  const nodes: NodeModel[] = objs
    .filter((o) => o.kind === 'Node')
    .map((o) => {
      const labels = o.metadata.labels ?? {};
      const spec = (o.spec ?? {}) as { podCIDR?: string };
      const addresses = ((o.status ?? {}) as { addresses?: { type: string; address: string }[] }).addresses ?? [];
      return {
        name: o.metadata.name,
        ip: addresses.find((a) => a.type === 'InternalIP')?.address ?? 'unknown',
        podCIDR: spec.podCIDR ?? 'unknown',
        region: labels['topology.kubernetes.io/region'] ?? 'unknown',
        zone: labels['topology.kubernetes.io/zone'] ?? 'unknown',
        cluster,
      };
    });
  const workloads = new Map<string, WorkloadModel>();
  for (const o of objs.filter((x) => x.kind === 'Pod')) {
    const ns = o.metadata.namespace ?? 'default';
    const labels = o.metadata.labels ?? {};
    const annotations = o.metadata.annotations ?? {};
    const spec = (o.spec ?? {}) as { nodeName?: string; serviceAccountName?: string; containers?: { name: string; image: string }[] };
    const status = (o.status ?? {}) as { podIP?: string };
    const owner = o.metadata.ownerReferences?.[0];
    const rsOwner = owner?.kind === 'ReplicaSet' ? find('ReplicaSet', ns, owner.name)?.metadata.ownerReferences?.[0] : undefined;
    const workload = rsOwner?.name ?? owner?.name ?? o.metadata.name;
    const ztunnel = ns === istioNamespace && labels.app === 'ztunnel';
    const containers = (spec.containers ?? []).map((c) => ({ name: c.name, image: c.image }));
    const pod: PodModel = {
      namespace: ns,
      name: o.metadata.name,
      uid: uid(`${cluster}/pod/${ns}/${o.metadata.name}`),
      ip: status.podIP ?? 'unknown',
      node: spec.nodeName ?? 'unknown',
      role: ztunnel ? 'ztunnel' : 'app',
      mode: ztunnel ? 'none' : podMode(annotations),
      labels,
      annotations,
      serviceAccount: spec.serviceAccountName ?? 'default',
      containers,
      initContainers: [],
      owner: {
        kind: owner?.kind === 'DaemonSet' ? 'DaemonSet' : owner?.kind === 'StatefulSet' ? 'StatefulSet' : 'ReplicaSet',
        name: owner?.name ?? o.metadata.name,
      },
      workload,
      ...(ztunnel ? { proxy: 'ztunnel' as const, proxyVersion: containers[0]?.image.split(':')[1] ?? ISTIO_VERSION } : {}),
      cluster,
    };
    const key = `${ns}/${workload}`;
    let w = workloads.get(key);
    if (!w) {
      w = {
        namespace: ns,
        name: workload,
        kind: owner?.kind === 'DaemonSet' ? 'DaemonSet' : owner?.kind === 'StatefulSet' ? 'StatefulSet' : 'Deployment',
        role: pod.role,
        serviceAccount: pod.serviceAccount,
        canonicalService: labels['service.istio.io/canonical-name'] ?? labels.app ?? workload,
        canonicalRevision: labels['service.istio.io/canonical-revision'] ?? labels.version ?? 'latest',
        ...(labels.app ? { app: labels.app } : {}),
        ...(labels.version ? { version: labels.version } : {}),
        labels: {},
        selector: {},
        templateLabels: {},
        templateAnnotations: {},
        replicas: 0,
        replicaSets: [],
        pods: [],
        cluster,
      };
      workloads.set(key, w);
    }
    w.pods.push(pod);
    w.replicas = w.pods.length;
  }
  const services: ServiceModel[] = objs
    .filter((o) => o.kind === 'Service')
    .map((o) => {
      const spec = (o.spec ?? {}) as {
        selector?: Record<string, string>;
        clusterIP?: string;
        type?: string;
        ports?: { name?: string; port: number; targetPort?: number; appProtocol?: string }[];
      };
      return {
        namespace: o.metadata.namespace ?? 'default',
        name: o.metadata.name,
        labels: o.metadata.labels ?? {},
        selector: spec.selector ?? {},
        clusterIP: spec.clusterIP ?? 'None',
        type: spec.type === 'LoadBalancer' ? 'LoadBalancer' : 'ClusterIP',
        ports: (spec.ports ?? []).map((p) => ({
          name: p.name ?? '',
          port: p.port,
          targetPort: p.targetPort ?? p.port,
          protocol: 'TCP' as const,
          ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
        })),
        cluster,
      };
    });
  return { nodes, workloads: [...workloads.values()], services };
}

/** The demo topology plus cluster east's objects and the traffic into east (EAST_EDGES): the emitter's
 *  input with --second-cluster. The demo cluster's own entries are unchanged. */
export function withEastCluster(t: Topology, objects: readonly object[] = EAST_OBJECTS, edges: EdgeSpec[] = EAST_EDGES): Topology {
  const east = topologyPart(objects, EAST_CLUSTER, t.istioNamespace);
  return {
    ...t,
    nodes: [...t.nodes, ...east.nodes],
    workloads: [...t.workloads, ...east.workloads],
    services: [...t.services, ...east.services],
    edges: [...t.edges, ...edges],
  };
}

type KubeconfigDoc = { clusters: object[]; users: object[]; contexts: object[] };

/** One kubeconfig holding every context of the given files (each simulator writes its own); current context = the first file's. */
export function mergeKubeconfigs(paths: string[], out: string): void {
  const docs = paths.map((p) => parse(readFileSync(p, 'utf8')) as KubeconfigDoc & { 'current-context'?: string });
  const merged = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: docs.flatMap((d) => d.clusters),
    users: docs.flatMap((d) => d.users),
    contexts: docs.flatMap((d) => d.contexts),
    'current-context': docs[0]?.['current-context'],
    preferences: {},
  };
  writeFileSync(out, stringify(merged), { mode: 0o600 });
}

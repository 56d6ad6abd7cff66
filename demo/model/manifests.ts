// Kubernetes objects of a Topology (plain YAML-able objects), as the API server would return them.
// `buildManifests` is used by write-manifests.ts (committed demo/cluster/*.yaml) and by benchmarks that
// serve synthetic topologies from memory.
import { uid } from './hash';
import { clusterOf, type ContainerModel, type PodModel, type Topology, type WorkloadModel } from './topology';

export type KubeObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata: Record<string, unknown> };

interface ManifestOptions {
  /** Anchor (unix seconds). Creation timestamps are derived from it; default: a fixed reference date. */
  anchor?: number;
}

/** Fixed reference "now" for the committed YAML (2026-01-15T12:00:00Z). */
const REFERENCE_ANCHOR = Date.UTC(2026, 0, 15, 12, 0, 0) / 1000;

const iso = (s: number) => new Date(Math.floor(s) * 1000).toISOString().replace('.000Z', 'Z');

function container(c: ContainerModel, extraEnv = true): Record<string, unknown> {
  const o: Record<string, unknown> = { name: c.name, image: c.image };
  if (c.args?.length) o.args = c.args;
  if (c.ports?.length) o.ports = c.ports;
  if (c.env?.length) o.env = c.env.map((e) => ({ name: e.name, value: e.value }));
  if (c.name === 'istio-proxy' && extraEnv && c.image.includes('proxyv2')) {
    o.env = [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'ISTIO_META_ENABLE_HBONE', value: 'true' },
    ];
    o.readinessProbe = { httpGet: { path: '/healthz/ready', port: 15021 }, periodSeconds: 15 };
  }
  if (c.restartPolicy) o.restartPolicy = c.restartPolicy;
  if (c.resources) o.resources = c.resources;
  return o;
}

function containerStatus(c: ContainerModel, started: string, pod: PodModel): Record<string, unknown> {
  return {
    name: c.name,
    image: c.image,
    imageID: `${c.image.split(':')[0]}@sha256:${uid(c.image).replace(/-/g, '').padEnd(64, '0').slice(0, 64)}`,
    containerID: `containerd://${uid(`${pod.namespace}/${pod.name}/${c.name}`).replace(/-/g, '')}`,
    ready: true,
    started: true,
    restartCount: 0,
    state: { running: { startedAt: started } },
  };
}

function podObject(t: Topology, p: PodModel, w: WorkloadModel, anchor: number): KubeObject {
  const created = iso(anchor + (p.startOffset ?? -3 * 86400));
  const ownerUid = uid(`${p.owner.kind}/${p.namespace}/${p.owner.name}`);
  const initStatuses = p.initContainers.map((c) =>
    c.restartPolicy === 'Always'
      ? containerStatus(c, created, p)
      : {
          ...containerStatus(c, created, p),
          ready: true,
          started: false,
          state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: created, finishedAt: created } },
        },
  );
  const node = t.nodes.find((n) => n.name === p.node)!;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      uid: p.uid,
      creationTimestamp: created,
      labels: p.labels,
      ...(Object.keys(p.annotations).length ? { annotations: p.annotations } : {}),
      ownerReferences: [
        {
          apiVersion: p.owner.kind === 'ReplicaSet' ? 'apps/v1' : 'apps/v1',
          kind: p.owner.kind,
          name: p.owner.name,
          uid: ownerUid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      ...(p.owner.kind === 'ReplicaSet' ? { generateName: `${p.owner.name}-` } : p.owner.kind === 'DaemonSet' ? { generateName: `${w.name}-` } : {}),
    },
    spec: {
      ...(p.initContainers.length ? { initContainers: p.initContainers.map((c) => container(c)) } : {}),
      containers: p.containers.map((c) => container(c)),
      nodeName: p.node,
      serviceAccountName: p.serviceAccount,
      serviceAccount: p.serviceAccount,
      restartPolicy: 'Always',
      hostNetwork: false,
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
    },
    status: {
      phase: 'Running',
      hostIP: node.ip,
      hostIPs: [{ ip: node.ip }],
      podIP: p.ip,
      podIPs: [{ ip: p.ip }],
      startTime: created,
      qosClass: 'Burstable',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: 'True',
        lastTransitionTime: created,
      })),
      ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
      containerStatuses: p.containers.map((c) => containerStatus(c, created, p)),
    },
  };
}

function templateSpec(w: WorkloadModel, labels: Record<string, string>, annotations: Record<string, string>): Record<string, unknown> {
  // Pod template as stored in the controller: before injection (no istio-proxy for sidecars),
  // infrastructure templates carry their containers.
  const containers = w.role === 'app' ? [w.appContainer!] : [w.appContainer!];
  return {
    metadata: { labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec: { serviceAccountName: w.serviceAccount, containers: containers.map((c) => container(c, false)) },
  };
}

export function buildManifests(t: Topology, opts: ManifestOptions = {}): KubeObject[] {
  const anchor = opts.anchor ?? REFERENCE_ANCHOR;
  const longAgo = iso(anchor - 30 * 86400);
  const objs: KubeObject[] = [];
  // Objects of other clusters (multi-cluster runs) are served by their own cluster's API, not this one.
  const local = (o: { cluster?: string }) => clusterOf(t, o) === t.cluster;
  for (const ns of t.namespaces) {
    objs.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns.name, uid: uid(`ns/${ns.name}`), creationTimestamp: longAgo, labels: ns.labels },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  for (const n of t.nodes.filter(local)) {
    objs.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: n.name,
        uid: uid(`node/${n.name}`),
        creationTimestamp: longAgo,
        labels: {
          'kubernetes.io/hostname': n.name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'topology.kubernetes.io/region': n.region,
          'topology.kubernetes.io/zone': n.zone,
        },
      },
      spec: { podCIDR: n.podCIDR, podCIDRs: [n.podCIDR] },
      status: {
        addresses: [
          { type: 'InternalIP', address: n.ip },
          { type: 'Hostname', address: n.name },
        ],
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
        nodeInfo: { kubeletVersion: 'v1.33.1', containerRuntimeVersion: 'containerd://2.0.5', operatingSystem: 'linux', architecture: 'amd64' },
      },
    });
  }
  for (const [name, controller] of [
    ['istio', 'istio.io/gateway-controller'],
    ['istio-waypoint', 'istio.io/mesh-controller'],
  ] as const) {
    objs.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name, uid: uid(`gwc/${name}`), creationTimestamp: longAgo },
      spec: { controllerName: controller, description: name === 'istio' ? 'The default Istio GatewayClass' : 'The default Istio waypoint GatewayClass' },
      status: { conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Handled by Istio controller', lastTransitionTime: longAgo }] },
    });
  }
  for (const w of t.workloads.filter(local)) {
    const wUid = uid(`${w.kind}/${w.namespace}/${w.name}`);
    const running = w.pods.filter((p) => p.endOffset === undefined);
    const created = iso(anchor - 14 * 86400);
    const common = { name: w.name, namespace: w.namespace, uid: wUid, creationTimestamp: created, labels: w.labels, generation: w.replicaSets.length || 1 };
    if (w.kind === 'Deployment') {
      const current = w.replicaSets[w.replicaSets.length - 1]!;
      objs.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { ...common, annotations: { 'deployment.kubernetes.io/revision': String(current.revision) } },
        spec: {
          replicas: w.replicas,
          selector: { matchLabels: w.selector },
          template: templateSpec(w, w.templateLabels, w.templateAnnotations),
          strategy: { type: 'RollingUpdate' },
        },
        status: {
          observedGeneration: common.generation,
          replicas: running.length,
          readyReplicas: running.length,
          availableReplicas: running.length,
          updatedReplicas: w.pods.filter((p) => p.owner.name === `${w.name}-${current.hash}` && p.endOffset === undefined).length,
        },
      });
      for (const rs of w.replicaSets) {
        const rsName = `${w.name}-${rs.hash}`;
        const rsPods = running.filter((p) => p.owner.name === rsName);
        objs.push({
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name: rsName,
            namespace: w.namespace,
            uid: uid(`ReplicaSet/${w.namespace}/${rsName}`),
            creationTimestamp: created,
            labels: { ...rs.templateLabels, 'pod-template-hash': rs.hash },
            annotations: { 'deployment.kubernetes.io/revision': String(rs.revision), 'deployment.kubernetes.io/desired-replicas': String(w.replicas) },
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: w.name, uid: wUid, controller: true, blockOwnerDeletion: true }],
          },
          spec: {
            replicas: rsPods.length,
            selector: { matchLabels: { ...w.selector, 'pod-template-hash': rs.hash } },
            template: templateSpec(w, { ...rs.templateLabels, 'pod-template-hash': rs.hash }, rs.templateAnnotations),
          },
          status: { replicas: rsPods.length, readyReplicas: rsPods.length, availableReplicas: rsPods.length, fullyLabeledReplicas: rsPods.length },
        });
      }
    } else if (w.kind === 'StatefulSet') {
      objs.push({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: common,
        spec: {
          replicas: w.replicas,
          serviceName: w.name,
          selector: { matchLabels: w.selector },
          template: templateSpec(w, w.templateLabels, w.templateAnnotations),
        },
        status: { replicas: running.length, readyReplicas: running.length, availableReplicas: running.length, currentReplicas: running.length },
      });
    } else {
      objs.push({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: common,
        spec: { selector: { matchLabels: w.selector }, template: templateSpec(w, w.templateLabels, w.templateAnnotations) },
        status: {
          currentNumberScheduled: running.length,
          desiredNumberScheduled: running.length,
          numberReady: running.length,
          numberAvailable: running.length,
          updatedNumberScheduled: running.length,
        },
      });
    }
    for (const p of running) objs.push(podObject(t, p, w, anchor));
  }
  for (const s of t.services.filter(local)) {
    objs.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: s.name,
        namespace: s.namespace,
        uid: uid(`svc/${s.namespace}/${s.name}`),
        creationTimestamp: iso(anchor - 14 * 86400),
        labels: s.labels,
        ...(s.waypoint?.sinceOffset !== undefined
          ? { annotations: { 'meshglass.dev/demo-note': 'bound to the namespace waypoint since the ambient migration' } }
          : {}),
      },
      spec: { type: s.type, selector: s.selector, clusterIP: s.clusterIP, clusterIPs: [s.clusterIP], ipFamilies: ['IPv4'], ports: s.ports },
      status: { loadBalancer: s.type === 'LoadBalancer' ? { ingress: [{ ip: '172.18.255.200' }] } : {} },
    });
  }
  for (const g of t.gateways) {
    const ts = iso(anchor - 7 * 86400);
    objs.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: g.name, namespace: g.namespace, uid: uid(`gw/${g.namespace}/${g.name}`), creationTimestamp: ts, generation: 1, labels: g.labels },
      spec: { gatewayClassName: g.className, listeners: g.listeners.map((l) => ({ ...l, allowedRoutes: { namespaces: { from: 'Same' } } })) },
      status: {
        addresses: g.addresses.map((value) => ({ type: 'IPAddress', value })),
        conditions: [
          { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Resource accepted', observedGeneration: 1, lastTransitionTime: ts },
          {
            type: 'Programmed',
            status: 'True',
            reason: 'Programmed',
            message: 'Resource programmed, assigned to service(s) ' + `${g.name}.${g.namespace}.svc.${t.trustDomain}:15008`,
            observedGeneration: 1,
            lastTransitionTime: ts,
          },
        ],
        listeners: g.listeners.map((l) => ({
          name: l.name,
          attachedRoutes: 0,
          supportedKinds: [],
          conditions: [
            { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'No errors found', observedGeneration: 1, lastTransitionTime: ts },
            { type: 'Programmed', status: 'True', reason: 'Programmed', message: 'No errors found', observedGeneration: 1, lastTransitionTime: ts },
          ],
        })),
      },
    });
  }
  for (const ap of t.authorizationPolicies) {
    const ts = iso(anchor - 2 * 86400);
    objs.push({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: ap.name, namespace: ap.namespace, uid: uid(`ap/${ap.namespace}/${ap.name}`), creationTimestamp: ts, generation: 1 },
      spec: ap.spec,
      status: { conditions: ap.conditions.map((c) => ({ ...c, lastTransitionTime: ts, observedGeneration: '1' })) },
    });
  }
  // Spec-only objects created two days before the anchor: NetworkPolicies and Istio Sidecars.
  const specObject = (apiVersion: string, kind: string, uidPrefix: string, o: { namespace: string; name: string; spec: Record<string, unknown> }) => ({
    apiVersion,
    kind,
    metadata: {
      name: o.name,
      namespace: o.namespace,
      uid: uid(`${uidPrefix}/${o.namespace}/${o.name}`),
      creationTimestamp: iso(anchor - 2 * 86400),
      generation: 1,
    },
    spec: o.spec,
  });
  for (const np of t.networkPolicies ?? []) objs.push(specObject('networking.k8s.io/v1', 'NetworkPolicy', 'np', np));
  for (const sc of t.sidecars ?? []) objs.push(specObject('networking.istio.io/v1', 'Sidecar', 'sidecar', sc));
  for (const r of t.httpRoutes ?? []) {
    const ts = iso(anchor - 2 * 86400);
    objs.push({
      ...specObject('gateway.networking.k8s.io/v1', 'HTTPRoute', 'httproute', r),
      status: {
        parents: ((r.spec.parentRefs as Record<string, unknown>[] | undefined) ?? []).map((parentRef) => ({
          parentRef,
          controllerName: 'istio.io/gateway-controller',
          conditions: [
            { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Route was valid', observedGeneration: 1, lastTransitionTime: ts },
            { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'All references resolved', observedGeneration: 1, lastTransitionTime: ts },
          ],
        })),
      },
    });
  }
  for (const o of t.istioNetworking ?? []) objs.push(specObject('networking.istio.io/v1', o.kind, o.kind, o));
  for (const pa of t.peerAuthentications) {
    objs.push({
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: pa.name, namespace: pa.namespace, uid: uid(`pa/${pa.namespace}/${pa.name}`), creationTimestamp: longAgo, generation: 1 },
      spec: pa.spec,
    });
  }
  return objs;
}

/** Groups objects into files: cluster-scoped in `cluster.yaml`, the rest per namespace. */
export function manifestFiles(objs: KubeObject[]): Map<string, KubeObject[]> {
  const files = new Map<string, KubeObject[]>();
  for (const o of objs) {
    const ns = o.metadata.namespace as string | undefined;
    const file = ns ? `ns-${ns}.yaml` : '00-cluster.yaml';
    files.set(file, [...(files.get(file) ?? []), o]);
  }
  return files;
}

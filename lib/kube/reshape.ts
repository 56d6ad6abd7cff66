// Pure: Kubernetes API objects → the KubeSnapshot types of lib/mesh. Objects are untrusted: from typed
// client-node lists (class instances, Date timestamps) or from watch events / custom objects (raw JSON).
import { z } from 'zod';
import type {
  AllowedRoutesInfo,
  AuthorizationPolicyInfo,
  CalicoEntityInfo,
  CalicoPolicyInfo,
  CalicoRuleInfo,
  Condition,
  ContainerInfo,
  DestinationRuleInfo,
  GatewayClassInfo,
  GatewayInfo,
  HttpRouteInfo,
  LabelSelectorInfo,
  Labels,
  NamespaceInfo,
  NetworkPolicyInfo,
  NetworkPolicyPeerInfo,
  NetworkPolicyPortInfo,
  NetworkPolicyRuleInfo,
  PeerAuthenticationInfo,
  PodInfo,
  ServiceInfo,
  ServicePortInfo,
  VirtualServiceInfo,
} from '@/lib/mesh/types';
import { CONTAINER_ENV_READ } from '@/lib/mesh/types';

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function obj(x: unknown): Obj {
  return isObj(x) ? x : {};
}
function arr(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}
function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}
function strings(x: unknown): string[] {
  return arr(x).filter((v): v is string => typeof v === 'string');
}
/** String-valued entries only. */
function labelsOf(x: unknown): Labels {
  const out: Labels = {};
  for (const [k, v] of Object.entries(obj(x))) if (typeof v === 'string') out[k] = v;
  return out;
}
function timestamp(x: unknown): string | undefined {
  if (x instanceof Date) return Number.isNaN(x.getTime()) ? undefined : x.toISOString();
  return str(x);
}
function meta(o: unknown): { name: string; namespace: string; labels: Labels; annotations: Labels; creationTimestamp?: string; ownerReferences: unknown[] } {
  const m = obj(obj(o).metadata);
  const ts = timestamp(m.creationTimestamp);
  return {
    name: str(m.name) ?? '',
    namespace: str(m.namespace) ?? '',
    labels: labelsOf(m.labels),
    annotations: labelsOf(m.annotations),
    ...(ts ? { creationTimestamp: ts } : {}),
    ownerReferences: arr(m.ownerReferences),
  };
}

function conditions(x: unknown): Condition[] {
  const out: Condition[] = [];
  for (const c of arr(x)) {
    const o = obj(c);
    const type = str(o.type);
    const status = str(o.status);
    if (!type || !status) continue;
    const reason = str(o.reason);
    const message = str(o.message);
    out.push({ type, status, ...(reason ? { reason } : {}), ...(message ? { message } : {}) });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Pods and the workload name Istio uses.
// ---------------------------------------------------------------------------

/** Minimal owner view of a ReplicaSet, enough to resolve its Deployment. */
export interface OwnerLookup {
  replicaSet(namespace: string, name: string): { ownerReferences: unknown[] } | undefined;
}

const NO_OWNERS: OwnerLookup = { replicaSet: () => undefined };

function controllerRef(refs: unknown[]): { kind: string; name: string } | undefined {
  const parsed = refs.map(obj).map((r) => ({ kind: str(r.kind), name: str(r.name), controller: r.controller === true }));
  const ref = parsed.find((r) => r.controller) ?? (parsed.length === 1 ? parsed[0] : undefined);
  return ref?.kind && ref.name ? { kind: ref.kind, name: ref.name } : undefined;
}

// Istio recognises CronJob-created Jobs by their name: <cronjob>-<scheduled time in minutes> (istio/istio
// pkg/kube/util.go, GetDeployMetaFromPod).
const CRONJOB_JOB_NAME = /^(.+)-\d{8,10}$/;

/**
 * The workload a pod belongs to, named the way Istio names it (source_workload / destination_workload):
 * ReplicaSet owned by a Deployment → the Deployment (from the ReplicaSet cache, else by stripping the
 * pod-template-hash suffix); StatefulSet/DaemonSet/Job → its name; a CronJob's Job → the CronJob;
 * no controller → the pod itself.
 */
export function workloadOf(pod: unknown, owners: OwnerLookup = NO_OWNERS): { kind: string; name: string } {
  const m = meta(pod);
  const ref = controllerRef(m.ownerReferences);
  if (!ref) return { kind: 'Pod', name: m.name };
  switch (ref.kind) {
    case 'ReplicaSet': {
      const rs = owners.replicaSet(m.namespace, ref.name);
      if (rs) {
        const rsOwner = controllerRef(rs.ownerReferences);
        if (rsOwner) return rsOwner;
        return { kind: 'ReplicaSet', name: ref.name };
      }
      const hash = m.labels['pod-template-hash'];
      if (hash && ref.name.endsWith(`-${hash}`) && ref.name.length > hash.length + 1) {
        return { kind: 'Deployment', name: ref.name.slice(0, -(hash.length + 1)) };
      }
      return { kind: 'ReplicaSet', name: ref.name };
    }
    case 'Job': {
      const cron = CRONJOB_JOB_NAME.exec(ref.name);
      return cron?.[1] ? { kind: 'CronJob', name: cron[1] } : { kind: 'Job', name: ref.name };
    }
    default:
      return ref;
  }
}

/**
 * Literal values of the few environment variables the model reads (CONTAINER_ENV_READ). Everything else
 * is dropped here: a container's environment can hold secrets, and `valueFrom` references are not values.
 */
function containerEnv(x: unknown): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const e of arr(x)) {
    const name = str(obj(e).name);
    const value = str(obj(e).value);
    if (!name || value === undefined || !CONTAINER_ENV_READ.includes(name)) continue;
    (out ??= {})[name] = value;
  }
  return out;
}

function container(x: unknown): ContainerInfo | undefined {
  const c = obj(x);
  const name = str(c.name);
  if (!name) return undefined;
  const requests = obj(obj(c.resources).requests);
  const cpu = str(requests.cpu);
  const memory = str(requests.memory);
  const restartPolicy = str(c.restartPolicy);
  const env = containerEnv(c.env);
  const ports = arr(c.ports).flatMap((x) => {
    const p = obj(x);
    const n = typeof p.containerPort === 'number' && Number.isInteger(p.containerPort) ? p.containerPort : undefined;
    if (n === undefined) return [];
    const portName = str(p.name);
    return [{ ...(portName ? { name: portName } : {}), containerPort: n, protocol: str(p.protocol) ?? 'TCP' }];
  });
  return {
    name,
    image: str(c.image) ?? '',
    args: strings(c.args),
    ...(restartPolicy ? { restartPolicy } : {}),
    ...(env ? { env } : {}),
    ...(cpu ? { cpuRequest: cpu } : {}),
    ...(memory ? { memoryRequest: memory } : {}),
    ...(ports.length > 0 ? { ports } : {}),
  };
}

export function reshapePod(pod: unknown, owners: OwnerLookup = NO_OWNERS): PodInfo {
  const m = meta(pod);
  const spec = obj(obj(pod).spec);
  const status = obj(obj(pod).status);
  const ip = str(status.podIP);
  const nodeName = str(spec.nodeName);
  return {
    namespace: m.namespace,
    name: m.name,
    labels: m.labels,
    annotations: m.annotations,
    ...(ip ? { ip } : {}),
    ...(nodeName ? { nodeName } : {}),
    phase: str(status.phase) ?? 'Unknown',
    hostNetwork: spec.hostNetwork === true,
    serviceAccount: str(spec.serviceAccountName) ?? str(spec.serviceAccount) ?? 'default',
    workload: workloadOf(pod, owners),
    containers: arr(spec.containers)
      .map(container)
      .filter((c): c is ContainerInfo => c !== undefined),
    initContainers: arr(spec.initContainers)
      .map(container)
      .filter((c): c is ContainerInfo => c !== undefined),
    ...(m.creationTimestamp ? { creationTimestamp: m.creationTimestamp } : {}),
  };
}

// ---------------------------------------------------------------------------
// Core objects.
// ---------------------------------------------------------------------------

export function reshapeNamespace(ns: unknown): NamespaceInfo {
  const m = meta(ns);
  return { name: m.name, labels: m.labels, annotations: m.annotations };
}

export function reshapeService(svc: unknown): ServiceInfo {
  const m = meta(svc);
  const spec = obj(obj(svc).spec);
  const clusterIP = str(spec.clusterIP);
  const type = str(spec.type);
  const ports: ServicePortInfo[] = [];
  for (const p of arr(spec.ports)) {
    const o = obj(p);
    if (typeof o.port !== 'number') continue;
    const name = str(o.name);
    const protocol = str(o.protocol);
    const appProtocol = str(o.appProtocol);
    const targetPort = typeof o.targetPort === 'number' || typeof o.targetPort === 'string' ? o.targetPort : undefined;
    ports.push({
      ...(name ? { name } : {}),
      port: o.port,
      ...(targetPort !== undefined ? { targetPort } : {}),
      ...(protocol ? { protocol } : {}),
      ...(appProtocol ? { appProtocol } : {}),
    });
  }
  return {
    namespace: m.namespace,
    name: m.name,
    labels: m.labels,
    annotations: m.annotations,
    selector: labelsOf(spec.selector),
    ...(clusterIP ? { clusterIP } : {}),
    ...(type ? { type } : {}),
    ports,
  };
}

// ---------------------------------------------------------------------------
// Gateway API.
// ---------------------------------------------------------------------------

const selectorValueList = z
  .array(z.unknown())
  .catch([])
  .transform((xs) => xs.filter((x): x is string => typeof x === 'string'));
/** A LabelSelector as Kubernetes validates it; anything malformed → undefined (an invalid selector selects nothing). */
const labelSelectorSchema = z
  .object({
    matchLabels: z.record(z.string(), z.string()).optional(),
    matchExpressions: z
      .array(z.object({ key: z.string().min(1), operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: selectorValueList.optional() }))
      .optional(),
  })
  .transform((x): LabelSelectorInfo => ({
    matchLabels: x.matchLabels ?? {},
    matchExpressions: (x.matchExpressions ?? []).map((e) => ({ key: e.key, operator: e.operator, values: e.values ?? [] })),
  }));

/** listeners[].allowedRoutes.namespaces (Gateway API): from Same (default) | All | Selector. */
export function reshapeAllowedRoutes(x: unknown): AllowedRoutesInfo | undefined {
  const ns = obj(obj(x).namespaces);
  if (!isObj(obj(x).namespaces)) return undefined;
  const from = ns.from === 'All' || ns.from === 'Selector' ? ns.from : 'Same'; // unknown values: istiod treats them as Same
  if (from !== 'Selector') return { from };
  const sel = labelSelectorSchema.safeParse(ns.selector);
  return sel.success ? { from, selector: sel.data } : { from };
}

export function reshapeGateway(gw: unknown): GatewayInfo {
  const m = meta(gw);
  const spec = obj(obj(gw).spec);
  const status = obj(obj(gw).status);
  const listeners: GatewayInfo['listeners'] = [];
  for (const l of arr(spec.listeners)) {
    const o = obj(l);
    if (typeof o.port !== 'number') continue;
    const allowedRoutes = reshapeAllowedRoutes(o.allowedRoutes);
    listeners.push({ name: str(o.name) ?? '', port: o.port, protocol: str(o.protocol) ?? '', ...(allowedRoutes ? { allowedRoutes } : {}) });
  }
  return {
    namespace: m.namespace,
    name: m.name,
    labels: m.labels,
    annotations: m.annotations,
    className: str(spec.gatewayClassName) ?? '',
    listeners,
    addresses: arr(status.addresses)
      .map((a) => str(obj(a).value))
      .filter((v): v is string => !!v),
    conditions: conditions(status.conditions),
  };
}

export function reshapeGatewayClass(gc: unknown): GatewayClassInfo {
  const m = meta(gc);
  return { name: m.name, labels: m.labels, controllerName: str(obj(obj(gc).spec).controllerName) ?? '' };
}

// ---------------------------------------------------------------------------
// Istio security CRDs (validated with zod: schemas are lenient, unknown fields ignored).
// ---------------------------------------------------------------------------

const stringList = z
  .array(z.unknown())
  .catch([])
  .transform((xs) => xs.filter((x): x is string => typeof x === 'string'));
const ruleSchema = z
  .object({
    from: z
      .array(z.object({ source: z.record(z.string(), z.unknown()).catch({}).optional() }).catch({}))
      .catch([])
      .optional(),
    to: z
      .array(z.object({ operation: z.record(z.string(), z.unknown()).catch({}).optional() }).catch({}))
      .catch([])
      .optional(),
    when: z
      .array(z.object({ key: z.string().catch('') }).catch({ key: '' }))
      .catch([])
      .optional(),
  })
  .catch({});
const selectorSchema = z
  .object({ matchLabels: z.record(z.string(), z.unknown()).optional() })
  .catch({})
  .optional();
const targetRefSchema = z.object({
  group: z.string().optional().catch(undefined),
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional().catch(undefined),
});
const authzSpecSchema = z
  .object({
    action: z.string().optional().catch(undefined),
    selector: selectorSchema,
    targetRef: targetRefSchema.optional().catch(undefined),
    targetRefs: z.array(z.unknown()).catch([]).optional(),
    rules: z.array(ruleSchema).catch([]).optional(),
  })
  .catch({});

/** Operation fields only an L7 proxy (sidecar, waypoint) can evaluate; ports are L4. */
const L7_OPERATION_FIELDS = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'] as const;
/** Source fields that need request authentication (JWT) — L7. */
const L7_SOURCE_FIELDS = ['requestPrincipals', 'notRequestPrincipals'] as const;
/** Condition keys ztunnel understands (Istio docs "Authorization policy conditions", L4 subset). */
const L4_WHEN_KEYS = new Set(['source.ip', 'remote.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port', 'connection.sni']);

/** `request.headers[x-user]` → `request.headers`; `request.auth.claims[groups]` → `request.auth.claims`. */
function whenKeyName(key: string): string {
  const i = key.indexOf('[');
  return i >= 0 ? key.slice(0, i) : key;
}

/** Source fields ztunnel evaluates (L4). */
const L4_SOURCE_FIELDS = [
  'principals',
  'notPrincipals',
  'namespaces',
  'notNamespaces',
  'ipBlocks',
  'notIpBlocks',
  'serviceAccounts',
  'notServiceAccounts',
] as const;
const L4_OPERATION_FIELDS = ['ports', 'notPorts'] as const;

/** Rule attributes of one kind, as sorted field paths: the source and operation fields listed, and `when` keys (L4 or not). */
function attributesOf(rules: z.infer<typeof ruleSchema>[], sourceFields: readonly string[], operationFields: readonly string[], l4When: boolean): string[] {
  const found = new Set<string>();
  for (const rule of rules) {
    for (const f of rule.from ?? []) {
      for (const field of sourceFields) if (stringList.parse(f.source?.[field]).length > 0) found.add(`from.source.${field}`);
    }
    for (const t of rule.to ?? []) {
      for (const field of operationFields) if (stringList.parse(t.operation?.[field]).length > 0) found.add(`to.operation.${field}`);
    }
    for (const w of rule.when ?? []) {
      const name = whenKeyName(w.key.trim());
      if (name && L4_WHEN_KEYS.has(name) === l4When) found.add(`when.${name}`);
    }
  }
  return [...found].sort();
}

/** L4 attributes used by a policy's rules (what ztunnel can evaluate), as sorted field paths. */
export function l4AttributesOf(rules: z.infer<typeof ruleSchema>[]): string[] {
  return attributesOf(rules, L4_SOURCE_FIELDS, L4_OPERATION_FIELDS, true);
}

/** L7-only attributes used by a policy's rules, as sorted field paths. */
export function httpAttributesOf(rules: z.infer<typeof ruleSchema>[]): string[] {
  return attributesOf(rules, L7_SOURCE_FIELDS, L7_OPERATION_FIELDS, false);
}

function matchLabels(sel: z.infer<typeof selectorSchema>): Labels | undefined {
  if (!sel?.matchLabels) return undefined;
  return labelsOf(sel.matchLabels);
}

const ACTIONS = ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'] as const;

export function reshapeAuthorizationPolicy(ap: unknown): AuthorizationPolicyInfo {
  const m = meta(ap);
  const spec = authzSpecSchema.parse(obj(ap).spec ?? {});
  const action = (ACTIONS as readonly string[]).includes(spec.action ?? '') ? (spec.action as AuthorizationPolicyInfo['action']) : 'ALLOW';
  const refs = [
    ...(spec.targetRef ? [spec.targetRef] : []),
    ...(spec.targetRefs ?? []).flatMap((r) => {
      const p = targetRefSchema.safeParse(r);
      return p.success ? [p.data] : [];
    }),
  ].map((r) => ({
    ...(r.group !== undefined ? { group: r.group } : {}),
    kind: r.kind,
    name: r.name,
    ...(r.namespace ? { namespace: r.namespace } : {}),
  }));
  const selector = matchLabels(spec.selector);
  return {
    namespace: m.namespace,
    name: m.name,
    labels: m.labels,
    action,
    ...(selector ? { selector } : {}),
    targetRefs: refs,
    httpAttributes: httpAttributesOf(spec.rules ?? []),
    l4Attributes: l4AttributesOf(spec.rules ?? []),
    ruleSources: (spec.rules ?? []).map((r) =>
      (r.from ?? []).map((f) => {
        const src = f.source ?? {};
        const list = (k: string) => stringList.parse(src[k]);
        const other = [
          'ipBlocks',
          'notIpBlocks',
          'remoteIpBlocks',
          'notRemoteIpBlocks',
          'serviceAccounts',
          'notServiceAccounts',
          'requestPrincipals',
          'notRequestPrincipals',
        ].some((k) => list(k).length > 0);
        return {
          principals: list('principals'),
          notPrincipals: list('notPrincipals'),
          namespaces: list('namespaces'),
          notNamespaces: list('notNamespaces'),
          other,
        };
      }),
    ),
    ruleCount: (spec.rules ?? []).length,
    conditions: conditions(obj(obj(ap).status).conditions),
  };
}

const MTLS_MODES = ['STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET'] as const;
type MtlsMode = (typeof MTLS_MODES)[number];
function mtlsMode(x: unknown): MtlsMode {
  const mode = str(obj(x).mode);
  return (MTLS_MODES as readonly string[]).includes(mode ?? '') ? (mode as MtlsMode) : 'UNSET';
}

export function reshapePeerAuthentication(pa: unknown): PeerAuthenticationInfo {
  const m = meta(pa);
  const spec = obj(obj(pa).spec);
  const selector = matchLabels(selectorSchema.parse(spec.selector));
  const portLevelMtls: Record<string, MtlsMode> = {};
  for (const [port, v] of Object.entries(obj(spec.portLevelMtls))) portLevelMtls[port] = mtlsMode(v);
  return {
    namespace: m.namespace,
    name: m.name,
    ...(selector ? { selector } : {}),
    mode: mtlsMode(spec.mtls),
    portLevelMtls,
  };
}

// ---------------------------------------------------------------------------
// Traffic-split configuration (lib/mesh/split.ts): HTTPRoute, VirtualService, DestinationRule.
// ---------------------------------------------------------------------------

function port(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isInteger(x) && x > 0 && x < 65536 ? x : undefined;
}

/** A weight as the APIs define it: a non-negative integer (Gateway API: 0..1,000,000; Istio: 0..100). */
function weight(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : undefined;
}

/**
 * gateway.networking.k8s.io HTTPRoute: parentRefs (group defaults to gateway.networking.k8s.io, kind to
 * Gateway, namespace to the route's) and per rule its backendRefs (group "" / kind Service by default,
 * weight 1 by default) — Gateway API v1 `HTTPRoute` spec.
 */
export function reshapeHttpRoute(r: unknown): HttpRouteInfo {
  const m = meta(r);
  const spec = obj(obj(r).spec);
  const parentRefs = arr(spec.parentRefs).flatMap((x) => {
    const p = obj(x);
    const name = str(p.name);
    if (!name) return [];
    const pp = port(p.port);
    return [
      {
        group: str(p.group) ?? 'gateway.networking.k8s.io',
        kind: str(p.kind) ?? 'Gateway',
        namespace: str(p.namespace) ?? m.namespace,
        name,
        ...(pp ? { port: pp } : {}),
      },
    ];
  });
  const rules = arr(spec.rules).map((x) => ({
    backendRefs: arr(obj(x).backendRefs).flatMap((y) => {
      const b = obj(y);
      const name = str(b.name);
      if (!name) return [];
      const group = str(b.group) ?? '';
      const kind = str(b.kind) ?? 'Service';
      const pp = port(b.port);
      return [
        {
          kind: group === '' || group === 'core' ? kind : `${kind}.${group}`,
          namespace: str(b.namespace) ?? m.namespace,
          name,
          ...(pp ? { port: pp } : {}),
          weight: weight(b.weight) ?? 1,
        },
      ];
    }),
  }));
  return { namespace: m.namespace, name: m.name, parentRefs, rules };
}

/** networking.istio.io VirtualService: hosts, gateways and each http route's destinations with weights. */
export function reshapeVirtualService(v: unknown): VirtualServiceInfo {
  const m = meta(v);
  const spec = obj(obj(v).spec);
  const http = arr(spec.http).map((x) => ({
    route: arr(obj(x).route).flatMap((y) => {
      const d = obj(obj(y).destination);
      const host = str(d.host);
      if (!host) return [];
      const subset = str(d.subset);
      const w = weight(obj(y).weight);
      return [{ host, ...(subset ? { subset } : {}), ...(w !== undefined ? { weight: w } : {}) }];
    }),
  }));
  return { namespace: m.namespace, name: m.name, hosts: strings(spec.hosts), gateways: strings(spec.gateways), http };
}

/** networking.istio.io DestinationRule: host and subsets (name + labels). */
export function reshapeDestinationRule(d: unknown): DestinationRuleInfo {
  const m = meta(d);
  const spec = obj(obj(d).spec);
  const subsets = arr(spec.subsets).flatMap((x) => {
    const s = obj(x);
    const name = str(s.name);
    return name ? [{ name, labels: labelsOf(s.labels) }] : [];
  });
  return { namespace: m.namespace, name: m.name, host: str(spec.host) ?? '', subsets };
}

// ---------------------------------------------------------------------------
// networking.k8s.io/v1 NetworkPolicy
// ---------------------------------------------------------------------------

const npPortSchema = z
  .object({
    protocol: z.string().catch('TCP').optional(),
    port: z
      .union([z.number().int(), z.string().min(1)])
      .optional()
      .catch(undefined),
    endPort: z.number().int().optional().catch(undefined),
  })
  .transform((x): NetworkPolicyPortInfo => ({
    protocol: x.protocol ?? 'TCP',
    ...(x.port !== undefined ? { port: typeof x.port === 'string' && /^\d+$/.test(x.port) ? Number(x.port) : x.port } : {}),
    ...(x.endPort !== undefined ? { endPort: x.endPort } : {}),
  }));

function npPeer(x: unknown): NetworkPolicyPeerInfo | undefined {
  const o = obj(x);
  const peer: NetworkPolicyPeerInfo = {};
  if (isObj(o.ipBlock)) {
    const cidr = str(o.ipBlock.cidr);
    if (!cidr) return undefined;
    peer.ipBlock = { cidr, except: strings(o.ipBlock.except) };
    return peer;
  }
  for (const key of ['podSelector', 'namespaceSelector'] as const) {
    if (o[key] === undefined || o[key] === null) continue;
    const sel = labelSelectorSchema.safeParse(o[key]);
    if (!sel.success) return undefined; // a malformed selector admits nothing
    peer[key] = sel.data;
  }
  return peer.podSelector || peer.namespaceSelector ? peer : undefined;
}

function npRules(x: unknown, peersKey: 'from' | 'to'): NetworkPolicyRuleInfo[] {
  return arr(x).map((r) => {
    const o = obj(r);
    // client-node's typed list calls `from` `_from` (a reserved word in its generator); watch events keep `from`.
    const rawPeers = arr(o[peersKey] ?? o[`_${peersKey}`]);
    const peers = rawPeers.map(npPeer).filter((p): p is NetworkPolicyPeerInfo => p !== undefined);
    const ports = arr(o.ports).flatMap((p) => {
      const parsed = npPortSchema.safeParse(p);
      return parsed.success ? [parsed.data] : [];
    });
    // Peers were given but none is valid: the rule admits nothing (not everything).
    return { peers: rawPeers.length > 0 && peers.length === 0 ? [{ ipBlock: { cidr: '0.0.0.0/32', except: ['0.0.0.0/32'] } }] : peers, ports };
  });
}

export function reshapeNetworkPolicy(np: unknown): NetworkPolicyInfo {
  const m = meta(np);
  const spec = obj(obj(np).spec);
  const sel = labelSelectorSchema.safeParse(spec.podSelector ?? {});
  const ingress = npRules(spec.ingress, 'from');
  const egress = npRules(spec.egress, 'to');
  const stated = strings(spec.policyTypes).filter((t): t is 'Ingress' | 'Egress' => t === 'Ingress' || t === 'Egress');
  // Kubernetes: without policyTypes, Ingress always, Egress when the policy has egress rules.
  const policyTypes = stated.length > 0 ? [...new Set(stated)] : ['Ingress' as const, ...(Array.isArray(spec.egress) ? ['Egress' as const] : [])];
  return {
    namespace: m.namespace,
    name: m.name,
    // A malformed podSelector selects nothing.
    podSelector: sel.success ? sel.data : { matchLabels: {}, matchExpressions: [{ key: 'meshglass.invalid/selector', operator: 'Exists', values: [] }] },
    policyTypes,
    ingress,
    egress,
  };
}

// ---------------------------------------------------------------------------
// Calico NetworkPolicy / GlobalNetworkPolicy (projectcalico.org/v3 and crd.projectcalico.org/v1 share the spec)
// ---------------------------------------------------------------------------

function calicoPorts(x: unknown): (number | string)[] {
  return arr(x).flatMap((p): (number | string)[] => (typeof p === 'number' && Number.isInteger(p) ? [p] : typeof p === 'string' && p !== '' ? [p] : []));
}

function calicoEntity(x: unknown): CalicoEntityInfo {
  const o = obj(x);
  const sa = obj(o.serviceAccounts);
  const selector = str(o.selector);
  const notSelector = str(o.notSelector);
  const namespaceSelector = str(o.namespaceSelector);
  const saSelector = str(sa.selector);
  return {
    ...(selector !== undefined ? { selector } : {}),
    ...(notSelector !== undefined ? { notSelector } : {}),
    ...(namespaceSelector !== undefined ? { namespaceSelector } : {}),
    nets: [...strings(o.nets), ...(str(o.net) ? [str(o.net)!] : [])],
    notNets: [...strings(o.notNets), ...(str(o.notNet) ? [str(o.notNet)!] : [])],
    ports: calicoPorts(o.ports),
    notPorts: calicoPorts(o.notPorts),
    serviceAccountNames: strings(sa.names),
    ...(saSelector !== undefined ? { serviceAccountSelector: saSelector } : {}),
  };
}

const CALICO_ACTIONS = ['Allow', 'Deny', 'Log', 'Pass'] as const;

function calicoRules(x: unknown): CalicoRuleInfo[] {
  return arr(x).flatMap((r) => {
    const o = obj(r);
    const action = CALICO_ACTIONS.find((a) => a.toLowerCase() === str(o.action)?.toLowerCase());
    if (!action) return []; // an invalid rule is rejected by Calico's validation
    const protocol = typeof o.protocol === 'number' ? String(o.protocol) : str(o.protocol);
    const notProtocol = typeof o.notProtocol === 'number' ? String(o.notProtocol) : str(o.notProtocol);
    return [
      {
        action,
        ...(protocol !== undefined ? { protocol } : {}),
        ...(notProtocol !== undefined ? { notProtocol } : {}),
        source: calicoEntity(o.source),
        destination: calicoEntity(o.destination),
      },
    ];
  });
}

export function reshapeCalicoPolicy(p: unknown, kind: CalicoPolicyInfo['kind']): CalicoPolicyInfo {
  const m = meta(p);
  const spec = obj(obj(p).spec);
  const order = typeof spec.order === 'number' && Number.isFinite(spec.order) ? spec.order : undefined;
  const tier = str(spec.tier);
  const namespaceSelector = kind === 'GlobalNetworkPolicy' ? str(spec.namespaceSelector) : undefined;
  const ingress = calicoRules(spec.ingress);
  const egress = calicoRules(spec.egress);
  const stated = strings(spec.types).filter((t): t is 'Ingress' | 'Egress' => t === 'Ingress' || t === 'Egress');
  // Calico: without types, Ingress, plus Egress when egress rules exist (Egress alone when only egress rules).
  const types =
    stated.length > 0
      ? [...new Set(stated)]
      : egress.length > 0 && ingress.length === 0
        ? ['Egress' as const]
        : egress.length > 0
          ? ['Ingress' as const, 'Egress' as const]
          : ['Ingress' as const];
  // crd.projectcalico.org/v1 objects created by the Calico API server carry a "default." tier prefix.
  const name = m.name.startsWith('default.') && (tier === undefined || tier === 'default') ? m.name.slice('default.'.length) : m.name;
  return {
    kind,
    namespace: kind === 'GlobalNetworkPolicy' ? '' : m.namespace,
    name,
    ...(order !== undefined ? { order } : {}),
    ...(tier !== undefined ? { tier } : {}),
    selector: str(spec.selector) ?? '',
    ...(namespaceSelector !== undefined ? { namespaceSelector } : {}),
    types,
    ingress,
    egress,
  };
}

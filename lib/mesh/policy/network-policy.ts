// Kubernetes NetworkPolicy and Calico policy semantics (docs/classification.md §8.2): does the CNI let one
// endpoint reach another? Pure; evaluated per direction, as the CNI does: the destination's ingress policies and
// the source's egress policies must both admit the connection.
//
// Kubernetes (networking.k8s.io/v1): a pod is isolated for a direction once any policy with that policyType
// selects it; an isolated pod admits a connection when at least one rule of at least one selecting policy
// matches it (policies are a union, there is no deny rule). A rule's peers are ORed (podSelector alone = pods of
// the policy's namespace; namespaceSelector alone = every pod of the selected namespaces; both = the selected
// pods of the selected namespaces; ipBlock = addresses in the CIDR outside `except`), an empty peer list matches
// every peer, an empty port list every port; named ports resolve against the destination pod's container ports.
//
// Calico (projectcalico.org/v3): policies are evaluated per tier, lower `order` first (Kubernetes policies sit
// in the default tier at order 1000); the first rule that matches decides (Allow / Deny; Pass leaves the tier;
// Log goes on). A tier that selected the endpoint without deciding denies (end-of-tier drop); an endpoint no
// policy selects is admitted.
import { labelSelectorMatches } from '../waypoints';
import type { CalicoEntityInfo, CalicoPolicyInfo, CalicoRuleInfo, Labels, NetworkPolicyInfo, NetworkPolicyPeerInfo, NetworkPolicyPortInfo } from '../types';
import { calicoSelectorMatches } from './calico-selector';

/** One side of a connection as the CNI sees it (a pod). */
export interface PolicyEndpoint {
  namespace: string;
  labels: Labels;
  namespaceLabels: Labels;
  ip?: string;
  serviceAccount?: string;
  /** Container ports, to resolve named ports. */
  ports?: { name?: string; containerPort: number; protocol: string }[];
}

/** The connection's destination port: its number, and the protocol (TCP for everything Istio carries). */
export interface PolicyPort {
  port: number;
  protocol: string;
}

export type NetworkPolicyKind = 'NetworkPolicy' | 'CalicoNetworkPolicy' | 'GlobalNetworkPolicy';
export interface NetworkPolicyRef {
  kind: NetworkPolicyKind;
  namespace: string;
  name: string;
}

export interface NetworkPolicySet {
  kubernetes: readonly NetworkPolicyInfo[];
  calico: readonly CalicoPolicyInfo[];
}

export type Direction = 'ingress' | 'egress';

export interface NetworkDecision {
  /** Policies selecting the subject for this direction (the subject is isolated when non-empty). */
  selecting: NetworkPolicyRef[];
  /** true: admitted; false: dropped; undefined: cannot tell (the peer is unknown). */
  admitted: boolean | undefined;
  /** Policies whose rule admitted the connection. */
  admittedBy: NetworkPolicyRef[];
  /** When dropped: the Calico policy whose Deny rule matched, else every selecting policy of the deciding tier. */
  droppedBy: NetworkPolicyRef[];
}

export function policyRefText(r: NetworkPolicyRef): string {
  return r.kind === 'GlobalNetworkPolicy' ? `GlobalNetworkPolicy ${r.name}` : `${r.kind} ${r.namespace}/${r.name}`;
}

// ---------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------

function parseIp(s: string): { v: 4 | 6; n: bigint } | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(s)) {
    const parts = s.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { v: 4, n: parts.reduce((a, p) => (a << 8n) | BigInt(p), 0n) };
  }
  if (!s.includes(':')) return undefined;
  const [head, tail] = s.split('::') as [string, string | undefined];
  if (s.split('::').length > 2) return undefined;
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  if ((tail === undefined && missing !== 0) || missing < 0) return undefined;
  const groups = [...h, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { v: 6, n: groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

/** Is `ip` inside `cidr` ("10.0.0.0/8", "fd00::/8", or a bare address)? Unparsable → false. */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/') as [string, string | undefined];
  const a = parseIp(ip);
  const b = parseIp(base);
  if (!a || !b || a.v !== b.v) return false;
  const width = a.v === 4 ? 32 : 128;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return false;
  const shift = BigInt(width - bits);
  return a.n >> shift === b.n >> shift;
}

// ---------------------------------------------------------------------------
// Kubernetes NetworkPolicy
// ---------------------------------------------------------------------------

/** Namespace labels as the API server sets them: kubernetes.io/metadata.name is always present (1.21+). */
function nsLabels(ep: PolicyEndpoint): Labels {
  return { 'kubernetes.io/metadata.name': ep.namespace, ...ep.namespaceLabels };
}

function k8sPeerMatches(peer: NetworkPolicyPeerInfo, policyNamespace: string, other: PolicyEndpoint): boolean {
  if (peer.ipBlock) {
    if (!other.ip || !ipInCidr(other.ip, peer.ipBlock.cidr)) return false;
    return !peer.ipBlock.except.some((c) => ipInCidr(other.ip!, c));
  }
  if (!peer.podSelector && !peer.namespaceSelector) return false; // an empty peer is invalid
  const nsOk = peer.namespaceSelector ? labelSelectorMatches(peer.namespaceSelector, nsLabels(other)) : other.namespace === policyNamespace;
  return nsOk && (!peer.podSelector || labelSelectorMatches(peer.podSelector, other.labels));
}

function namedPort(ports: PolicyEndpoint['ports'], name: string, protocol: string): number | undefined {
  return ports?.find((p) => p.name === name && p.protocol.toUpperCase() === protocol.toUpperCase())?.containerPort;
}

function k8sPortMatches(spec: NetworkPolicyPortInfo, port: PolicyPort | undefined, destination: PolicyEndpoint): boolean {
  if (!port) return true; // port unknown: judged on peers alone
  if (spec.protocol.toUpperCase() !== port.protocol.toUpperCase()) return false;
  if (spec.port === undefined) return true;
  const n = typeof spec.port === 'number' ? spec.port : namedPort(destination.ports, spec.port, spec.protocol);
  if (n === undefined) return false;
  return spec.endPort !== undefined && typeof spec.port === 'number' ? port.port >= n && port.port <= spec.endPort : port.port === n;
}

function k8sSelects(p: NetworkPolicyInfo, direction: Direction, subject: PolicyEndpoint): boolean {
  return (
    p.namespace === subject.namespace &&
    p.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress') &&
    labelSelectorMatches(p.podSelector, subject.labels)
  );
}

/** Does this Kubernetes policy admit `peer` to/from `subject`? undefined = peer unknown and the answer depends on it. */
function k8sAdmits(
  p: NetworkPolicyInfo,
  direction: Direction,
  subject: PolicyEndpoint,
  peer: PolicyEndpoint | undefined,
  port?: PolicyPort,
): boolean | undefined {
  const destination = direction === 'ingress' ? subject : peer;
  let unknown = false;
  for (const rule of direction === 'ingress' ? p.ingress : p.egress) {
    const portOk = rule.ports.length === 0 || (destination ? rule.ports.some((s) => k8sPortMatches(s, port, destination)) : port === undefined);
    if (!portOk) continue;
    if (rule.peers.length === 0) return true;
    if (!peer) {
      unknown = true;
      continue;
    }
    if (rule.peers.some((x) => k8sPeerMatches(x, p.namespace, peer))) return true;
  }
  return unknown ? undefined : false;
}

// ---------------------------------------------------------------------------
// Calico
// ---------------------------------------------------------------------------

/** The labels Calico gives a pod endpoint: its own plus namespace and service account. */
function calicoLabels(ep: PolicyEndpoint): Labels {
  return {
    ...ep.labels,
    'projectcalico.org/namespace': ep.namespace,
    'projectcalico.org/orchestrator': 'k8s',
    ...(ep.serviceAccount ? { 'projectcalico.org/serviceaccount': ep.serviceAccount } : {}),
  };
}

function calicoNsLabels(ep: PolicyEndpoint): Labels {
  return { ...nsLabels(ep), 'projectcalico.org/name': ep.namespace };
}

function calicoSelects(p: CalicoPolicyInfo, direction: Direction, subject: PolicyEndpoint): boolean {
  if (!p.types.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) return false;
  if (p.kind === 'NetworkPolicy' && p.namespace !== subject.namespace) return false;
  if (p.kind === 'GlobalNetworkPolicy' && p.namespaceSelector !== undefined && !calicoSelectorMatches(p.namespaceSelector, calicoNsLabels(subject)))
    return false;
  return calicoSelectorMatches(p.selector, calicoLabels(subject));
}

function portInList(list: (number | string)[], port: PolicyPort, ep: PolicyEndpoint | undefined): boolean {
  return list.some((x) => {
    if (typeof x === 'number') return x === port.port;
    const range = /^(\d+):(\d+)$/.exec(x);
    if (range) return port.port >= Number(range[1]) && port.port <= Number(range[2]);
    if (/^\d+$/.test(x)) return Number(x) === port.port;
    return namedPort(ep?.ports, x, port.protocol) === port.port;
  });
}

/**
 * Does a Calico entity (the rule's source or destination) match an endpoint? `undefined` = the endpoint is
 * unknown and the entity constrains it. `portSide`: the destination entity carries the connection's port.
 */
function entityMatches(
  e: CalicoEntityInfo,
  p: CalicoPolicyInfo,
  ep: PolicyEndpoint | undefined,
  port: PolicyPort | undefined,
  portSide: boolean,
): boolean | undefined {
  if (portSide && port) {
    if (e.ports.length > 0 && !portInList(e.ports, port, ep)) return false;
    if (e.notPorts.length > 0 && portInList(e.notPorts, port, ep)) return false;
  }
  const constrains =
    e.selector !== undefined ||
    e.notSelector !== undefined ||
    e.namespaceSelector !== undefined ||
    e.nets.length > 0 ||
    e.notNets.length > 0 ||
    e.serviceAccountNames.length > 0 ||
    e.serviceAccountSelector !== undefined;
  if (!constrains) return true;
  if (!ep) return undefined;
  const labels = calicoLabels(ep);
  if (e.namespaceSelector !== undefined) {
    if (!calicoSelectorMatches(e.namespaceSelector, calicoNsLabels(ep))) return false;
  } else if ((e.selector !== undefined || e.notSelector !== undefined) && p.kind === 'NetworkPolicy' && ep.namespace !== p.namespace) {
    return false; // a namespaced policy's selectors stay in its namespace
  }
  if (e.selector !== undefined && !calicoSelectorMatches(e.selector, labels)) return false;
  if (e.notSelector !== undefined && calicoSelectorMatches(e.notSelector, labels)) return false;
  if (e.nets.length > 0 && !(ep.ip && e.nets.some((c) => ipInCidr(ep.ip!, c)))) return false;
  if (e.notNets.length > 0 && ep.ip && e.notNets.some((c) => ipInCidr(ep.ip!, c))) return false;
  if (e.serviceAccountNames.length > 0 && !(ep.serviceAccount && e.serviceAccountNames.includes(ep.serviceAccount))) return false;
  // ServiceAccount labels are not read: a serviceAccounts.selector leaves the answer open.
  return e.serviceAccountSelector === undefined ? true : undefined;
}

function calicoRuleMatches(
  r: CalicoRuleInfo,
  p: CalicoPolicyInfo,
  direction: Direction,
  subject: PolicyEndpoint,
  peer: PolicyEndpoint | undefined,
  port: PolicyPort | undefined,
): boolean | undefined {
  const protocol = (port?.protocol ?? 'TCP').toUpperCase();
  if (r.protocol !== undefined && r.protocol.toUpperCase() !== protocol) return false;
  if (r.notProtocol !== undefined && r.notProtocol.toUpperCase() === protocol) return false;
  const [src, dst] = direction === 'ingress' ? [peer, subject] : [subject, peer];
  const a = entityMatches(r.source, p, src, port, false);
  const b = entityMatches(r.destination, p, dst, port, true);
  if (a === false || b === false) return false;
  return a === undefined || b === undefined ? undefined : true;
}

// ---------------------------------------------------------------------------
// The verdict
// ---------------------------------------------------------------------------

type Entry = { tier: string; order: number; name: string; ref: NetworkPolicyRef } & (
  { k8s: NetworkPolicyInfo; calico?: undefined } | { calico: CalicoPolicyInfo; k8s?: undefined }
);

/** Kubernetes NetworkPolicies are rendered into Calico's default tier at this order. */
const K8S_ORDER = 1000;

function entries(set: NetworkPolicySet): Entry[] {
  const list: Entry[] = [
    ...set.kubernetes.map((k8s): Entry => ({
      tier: 'default',
      order: K8S_ORDER,
      name: k8s.name,
      ref: { kind: 'NetworkPolicy', namespace: k8s.namespace, name: k8s.name },
      k8s,
    })),
    ...set.calico.map((calico): Entry => ({
      tier: calico.tier ?? 'default',
      order: calico.order ?? Infinity,
      name: calico.name,
      ref: { kind: calico.kind === 'NetworkPolicy' ? 'CalicoNetworkPolicy' : 'GlobalNetworkPolicy', namespace: calico.namespace, name: calico.name },
      calico,
    })),
  ];
  // Tiers: named tiers first (alphabetically: their order is not read), default last; then order, then name.
  const tierKey = (t: string) => (t === 'default' ? '\uffff' : t);
  return list.sort((a, b) => tierKey(a.tier).localeCompare(tierKey(b.tier)) || a.order - b.order || a.name.localeCompare(b.name));
}

/**
 * The CNI's verdict for one direction: `ingress` = may `peer` connect to `subject` (on `port`)? `egress` = may
 * `subject` connect to `peer`? `peer` undefined = an endpoint the Kubernetes API does not know.
 */
export function networkDecision(
  set: NetworkPolicySet,
  direction: Direction,
  subject: PolicyEndpoint,
  peer: PolicyEndpoint | undefined,
  port?: PolicyPort,
): NetworkDecision {
  const selecting: NetworkPolicyRef[] = [];
  const all = entries(set);
  const tiers = [...new Set(all.map((e) => e.tier))];
  let unknown = false;
  for (const tier of tiers) {
    const inTier = all.filter((e) => e.tier === tier);
    const selectedHere: NetworkPolicyRef[] = [];
    let passed = false;
    for (const e of inTier) {
      if (e.k8s) {
        // A Kubernetes policy is a Calico policy of allow rules: the first that admits decides.
        if (!k8sSelects(e.k8s, direction, subject)) continue;
        selectedHere.push(e.ref);
        const ok = k8sAdmits(e.k8s, direction, subject, peer, port);
        if (ok === true) return { selecting: [...selecting, ...selectedHere], admitted: true, admittedBy: [e.ref], droppedBy: [] };
        if (ok === undefined) unknown = true;
        continue;
      }
      const p = e.calico;
      if (!calicoSelects(p, direction, subject)) continue;
      selectedHere.push(e.ref);
      for (const r of direction === 'ingress' ? p.ingress : p.egress) {
        const m = calicoRuleMatches(r, p, direction, subject, peer, port);
        if (m === undefined) {
          unknown = true;
          continue;
        }
        if (!m || r.action === 'Log') continue;
        if (r.action === 'Allow') return { selecting: [...selecting, ...selectedHere], admitted: true, admittedBy: [e.ref], droppedBy: [] };
        if (r.action === 'Deny')
          return { selecting: [...selecting, ...selectedHere], admitted: unknown ? undefined : false, admittedBy: [], droppedBy: [e.ref] };
        passed = true; // Pass: the rest of this tier is skipped
        break;
      }
      if (passed) break;
    }
    selecting.push(...selectedHere);
    if (passed || selectedHere.length === 0) continue;
    // End of tier: selected, nothing admitted.
    return { selecting, admitted: unknown ? undefined : false, admittedBy: [], droppedBy: selectedHere };
  }
  return { selecting, admitted: true, admittedBy: [], droppedBy: [] };
}

/** Both directions: the destination's ingress and the source's egress (when the source is a known pod). */
export function connectionDecision(
  set: NetworkPolicySet,
  source: PolicyEndpoint | undefined,
  destination: PolicyEndpoint,
  port?: PolicyPort,
): { ingress: NetworkDecision; egress?: NetworkDecision } {
  const ingress = networkDecision(set, 'ingress', destination, source, port);
  return source ? { ingress, egress: networkDecision(set, 'egress', source, destination, port) } : { ingress };
}

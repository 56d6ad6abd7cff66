// The single rule "is this AuthorizationPolicy enforced on this traffic's path" (docs/classification.md §8.1).
// Everything else that asks whether an AuthorizationPolicy takes effect (the edge decorator, the
// l7-policy-not-enforced and policy-not-enforced findings, the L7 gap finding) reads it from here.
//
// Istio's semantics, in short:
// - Scope: a policy in the root namespace applies mesh-wide, any other policy only in its namespace;
//   `spec.selector` narrows it to the pods it matches; `spec.targetRefs` binds it to a waypoint instead
//   (Service → that Service's waypoint; Gateway → that waypoint; GatewayClass istio-waypoint in the root
//   namespace → every waypoint; ServiceEntry → the waypoint of that host). istiod never sends targetRefs
//   policies to ztunnel.
// - Who enforces a selector/namespace policy: a sidecar (every attribute) or, for an ambient pod, the
//   destination's ztunnel (L4 only). ztunnel ignores CUSTOM and AUDIT policies; in an ALLOW policy it drops
//   every rule with an HTTP attribute (the rule allows nothing: more restrictive than written); in a DENY
//   policy it keeps such a rule without its HTTP attributes (whole connections matching what is left are
//   refused). A pod without a proxy enforces nothing.
// - A targetRefs policy is enforced only on traffic that goes through its waypoint; sidecar clients,
//   out-of-mesh clients and pod-IP traffic to a Service waypoint bypass it.
import type { ClusterInventory } from '../inventory';
import type { AuthorizationPolicyInfo, Condition, EnforcementReason, PolicyEnforcer } from '../types';
import { listText } from '../findings/common';
import { ref, uniqSorted } from '../util';
import type { ClassifiedPod } from '../workloads';

/** Root namespace AuthorizationPolicy targetRef that binds a policy to every waypoint. */
const WAYPOINT_CLASS = 'istio-waypoint';

export interface Enforcement {
  policy: AuthorizationPolicyInfo;
  enforcedBy: PolicyEnforcer;
  enforced: boolean;
  reason: EnforcementReason;
  note: string;
}

/** Istio's string match: exact, "prefix*", "*suffix", or "*" (present). */
function istioMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return value !== '';
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

/**
 * Can no rule of the policy match this client? Only the rules' `from` identity conditions are read (principals,
 * namespaces and their negations): true when every rule has a `from` and each of its sources excludes the
 * client; false when some rule may match; undefined when the policy's rules are not known.
 */
export function excludesClient(p: AuthorizationPolicyInfo, client: { principal: string; namespace: string }): boolean | undefined {
  if (!p.ruleSources) return undefined;
  const principal = client.principal.replace(/^spiffe:\/\//, '');
  const sourceMatches = (s: NonNullable<AuthorizationPolicyInfo['ruleSources']>[number][number]): boolean => {
    if (s.other) return true; // cannot tell: assume it may match
    if (s.principals.length > 0 && !s.principals.some((x) => istioMatch(x, principal))) return false;
    if (s.notPrincipals.some((x) => istioMatch(x, principal))) return false;
    if (s.namespaces.length > 0 && !s.namespaces.some((x) => istioMatch(x, client.namespace))) return false;
    if (s.notNamespaces.some((x) => istioMatch(x, client.namespace))) return false;
    return true;
  };
  return p.ruleSources.length > 0 && p.ruleSources.every((sources) => sources.length > 0 && !sources.some(sourceMatches));
}

/** The traffic of one edge as the rule needs it. */
export interface AuthzTraffic {
  /** Namespace of the destination (its pods', or the Service's). */
  namespace: string;
  /** Destination pods; empty when the destination is not a known workload. */
  pods: ClassifiedPod[];
  /** Services the traffic addressed, "ns/name" (or bare hosts). */
  services: string[];
  /** Waypoints ("ns/name") that carried (part of) the traffic. */
  waypoints: string[];
  /** Part (or all) of the traffic went straight to the destination, not through a waypoint. */
  direct: boolean;
  /** The client's SPIFFE identity and namespace, when known (telemetry's source_principal). */
  client?: { principal: string; namespace: string };
}

function cond(p: AuthorizationPolicyInfo, type: string): Condition | undefined {
  return p.conditions.find((c) => c.type === type);
}

function enforcerOf(pod: ClassifiedPod): PolicyEnforcer {
  const c = pod.classification;
  if (c.class === 'gateway' || c.class === 'ambient-east-west-gateway') return 'sidecar';
  return c.mode === 'sidecar' ? 'sidecar' : c.mode === 'ambient' ? 'ztunnel' : 'none';
}

/**
 * How one enforcer treats a policy that selects the traffic (selector or namespace scope). `viaWaypoint`:
 * the traffic reaches the destination's ztunnel from a waypoint, which is then the source identity.
 */
export function enforcementBy(p: AuthorizationPolicyInfo, enforcedBy: PolicyEnforcer, viaWaypoint = false): Omit<Enforcement, 'policy'> {
  if (enforcedBy === 'none') {
    return { enforcedBy, enforced: false, reason: 'no-proxy', note: 'the destination runs no Istio proxy (out of mesh): nothing enforces it' };
  }
  if (enforcedBy === 'sidecar') return { enforcedBy, enforced: true, reason: 'enforced', note: "the destination's Envoy evaluates every attribute" };
  if (enforcedBy === 'waypoint')
    return { enforcedBy, enforced: true, reason: 'enforced', note: 'the waypoint evaluates L4 and HTTP attributes with the client as source' };
  // ztunnel
  if (p.action === 'CUSTOM' || p.action === 'AUDIT') {
    return { enforcedBy, enforced: false, reason: 'unsupported-action', note: `ztunnel does not support the ${p.action} action: it ignores the policy` };
  }
  if (p.httpAttributes.length > 0) {
    const attrs = p.httpAttributes.join(', ');
    const l4 = p.l4Attributes ?? [];
    const note =
      p.action === 'ALLOW'
        ? `ztunnel is L4 only: the ALLOW rules using HTTP attributes (${attrs}) are dropped and allow nothing, so the policy refuses more than written`
        : `ztunnel is L4 only: the DENY rules are applied without their HTTP attributes (${attrs})` +
          (l4.length > 0
            ? `, refusing every connection that matches ${listText(l4)}, whatever the request`
            : '; a rule left with no L4 condition does not deny what it says');
    return { enforcedBy, enforced: false, reason: 'http-attributes', note };
  }
  const zt = cond(p, 'ZtunnelAccepted');
  if (zt?.status === 'False') {
    return {
      enforcedBy,
      enforced: false,
      reason: 'rejected-by-istio',
      note: `Istio reports ZtunnelAccepted=False${zt.reason ? ` (${zt.reason})` : ''}${zt.message ? `: ${zt.message}` : ''}`,
    };
  }
  return {
    enforcedBy,
    enforced: true,
    reason: 'enforced',
    note: viaWaypoint
      ? "the destination's ztunnel enforces it at L4 and sees the waypoint's identity as the source, not the client's"
      : "the destination's ztunnel enforces it at L4",
  };
}

/**
 * Does the policy's scope (namespace, root namespace, selector) select this pod? Never a waypoint's pod: a
 * waypoint takes its policies from targetRefs only (Istio's "Use Layer 7 security policy").
 */
export function selectsPod(inv: ClusterInventory, p: AuthorizationPolicyInfo, pod: ClassifiedPod): boolean {
  return p.targetRefs.length === 0 && pod.classification.class !== 'waypoint' && inv.policySelects(p, pod.pod);
}

/** The waypoint a targetRef binds the policy to ("ns/name"), `null` when the target has none, undefined when it is not a waypoint binding. */
function targetWaypoint(inv: ClusterInventory, p: AuthorizationPolicyInfo, t: AuthorizationPolicyInfo['targetRefs'][number]): string | null | undefined {
  const ns = t.namespace ?? p.namespace;
  if (t.kind === 'Gateway') return inv.waypoints.waypoints.get(ref(ns, t.name))?.effective ? ref(ns, t.name) : null;
  if (t.kind === 'Service') {
    const svc = inv.workloads.services.get(ref(ns, t.name));
    return (svc && inv.waypoints.serviceWaypoint(svc)) ?? null;
  }
  return undefined;
}

/** Which of the policy's targetRefs select this traffic, with the waypoint each binds to (null = none serves it). */
function selectedTargets(inv: ClusterInventory, p: AuthorizationPolicyInfo, t: AuthzTraffic): { target: string; waypoint: string | null }[] {
  const candidates = new Set(t.waypoints);
  for (const s of t.services) {
    const svc = inv.workloads.services.get(s);
    const wp = svc ? inv.waypoints.serviceWaypoint(svc) : undefined;
    if (wp) candidates.add(wp);
  }
  const out: { target: string; waypoint: string | null }[] = [];
  for (const tr of p.targetRefs) {
    const ns = tr.namespace ?? p.namespace;
    const name = ref(ns, tr.name);
    if (tr.kind === 'Service' || tr.kind === 'ServiceEntry') {
      if (!t.services.includes(name)) continue;
      out.push({ target: `${tr.kind} ${name}`, waypoint: tr.kind === 'Service' ? (targetWaypoint(inv, p, tr) ?? null) : (t.waypoints[0] ?? null) });
    } else if (tr.kind === 'Gateway') {
      if (candidates.has(name)) out.push({ target: `Gateway ${name}`, waypoint: targetWaypoint(inv, p, tr) ?? null });
    } else if (tr.kind === 'GatewayClass' && tr.name === WAYPOINT_CLASS && p.namespace === inv.istioNamespace) {
      for (const wp of candidates) out.push({ target: `GatewayClass ${tr.name}`, waypoint: wp });
    }
  }
  return out;
}

/** Every AuthorizationPolicy that selects this traffic, and whether it takes effect on its path. */
export function authorizationOnTraffic(inv: ClusterInventory, t: AuthzTraffic): Enforcement[] {
  const out: Enforcement[] = [];
  const viaWaypoint = t.waypoints.length > 0;
  for (const p of inv.authorizationPolicies) {
    if (p.targetRefs.length > 0) {
      for (const { target, waypoint } of selectedTargets(inv, p, t)) {
        const wa = cond(p, 'WaypointAccepted');
        if (wa?.status === 'False') {
          out.push({
            policy: p,
            enforcedBy: 'waypoint',
            enforced: false,
            reason: 'rejected-by-istio',
            note: `Istio reports WaypointAccepted=False${wa.reason ? ` (${wa.reason})` : ''}`,
          });
        } else if (!waypoint) {
          out.push({
            policy: p,
            enforcedBy: 'waypoint',
            enforced: false,
            reason: 'no-waypoint',
            note: `bound to ${target} with targetRefs, but no waypoint serves it: nothing enforces it`,
          });
        } else if (!t.waypoints.includes(waypoint)) {
          out.push({
            policy: p,
            enforcedBy: 'waypoint',
            enforced: false,
            reason: 'bypasses-waypoint',
            note: `bound to waypoint ${waypoint} (${target}), but this traffic does not go through it (sidecar or out-of-mesh client, or pod-IP addressing)`,
          });
        } else if (t.direct) {
          out.push({
            policy: p,
            enforcedBy: 'waypoint',
            enforced: false,
            reason: 'bypasses-waypoint',
            note: `enforced by waypoint ${waypoint} only for the part of the traffic that goes through it; the direct part bypasses it`,
          });
        } else {
          out.push({
            policy: p,
            ...enforcementBy(p, 'waypoint'),
            note: `waypoint ${waypoint} (${target}) evaluates L4 and HTTP attributes with the client as source`,
          });
        }
      }
      continue;
    }
    // Selector / namespace / mesh-wide: one entry per kind of enforcer among the selected destination pods.
    const selected = t.pods.filter((pod) => selectsPod(inv, p, pod));
    for (const enforcer of uniqSorted(selected.map(enforcerOf))) {
      const e = enforcementBy(p, enforcer, enforcer === 'ztunnel' && viaWaypoint);
      // The client's identity is what the enforcer sees only on direct traffic (through a waypoint, ztunnel sees the waypoint's).
      const excluded = t.client && !viaWaypoint && e.enforced && (p.action === 'ALLOW' || p.action === 'DENY') ? excludesClient(p, t.client) : undefined;
      const clientNote =
        excluded === true
          ? p.action === 'DENY'
            ? `; its rules do not match this client (${t.client!.principal}): it does not refuse this traffic`
            : `; no rule allows this client (${t.client!.principal}): refused unless another ALLOW policy allows it`
          : '';
      out.push({ policy: p, ...e, note: e.note + clientNote });
    }
  }
  return out.sort(
    (a, b) => ref(a.policy.namespace, a.policy.name).localeCompare(ref(b.policy.namespace, b.policy.name)) || a.enforcedBy.localeCompare(b.enforcedBy),
  );
}

/**
 * Where a policy is enforced regardless of traffic (the configuration view of the same rule): the pods it
 * selects grouped by enforcer, or for targetRefs the waypoints its targets bind to.
 */
export function policyEnforcement(
  inv: ClusterInventory,
  p: AuthorizationPolicyInfo,
  pods: { workload: string; pod: ClassifiedPod }[],
): { target: string; workloads: string[]; enforcement: Omit<Enforcement, 'policy'> }[] {
  if (p.targetRefs.length > 0) {
    return p.targetRefs.flatMap((tr) => {
      const wp = targetWaypoint(inv, p, tr);
      if (wp === undefined) return [];
      const target = `${tr.kind} ${ref(tr.namespace ?? p.namespace, tr.name)}`;
      const wa = cond(p, 'WaypointAccepted');
      const enforcement: Omit<Enforcement, 'policy'> =
        wa?.status === 'False'
          ? {
              enforcedBy: 'waypoint',
              enforced: false,
              reason: 'rejected-by-istio',
              note: `Istio reports WaypointAccepted=False${wa.message ? `: ${wa.message}` : ''}`,
            }
          : wp === null
            ? {
                enforcedBy: 'waypoint',
                enforced: false,
                reason: 'no-waypoint',
                note: `bound to ${target} with targetRefs, but no waypoint serves it: nothing enforces it`,
              }
            : enforcementBy(p, 'waypoint');
      return [{ target, workloads: [], enforcement }];
    });
  }
  const selected = pods.filter((x) => selectsPod(inv, p, x.pod));
  return uniqSorted(selected.map((x) => enforcerOf(x.pod))).map((enforcer) => ({
    target: enforcer,
    workloads: uniqSorted(selected.filter((x) => enforcerOf(x.pod) === enforcer).map((x) => x.workload)),
    enforcement: enforcementBy(p, enforcer),
  }));
}

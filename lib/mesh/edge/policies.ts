// Policy on the edge (docs/classification.md §8): the AuthorizationPolicies and NetworkPolicies that select its
// traffic and whether each takes effect on its path (lib/mesh/policy), the denials the telemetry shows
// (ztunnel's response_flags="DENY", HTTP 403), CONNECT failures attributed to a NetworkPolicy that does not
// admit the source, and the verdict the Policy overlay colours the edge by.
import type { Endpoint } from '../model';
import { authorizationOnTraffic } from '../policy/authorization';
import { connectionDecision, policyRefText, type NetworkDecision, type NetworkPolicyRef, type PolicyEndpoint, type PolicyPort } from '../policy/network-policy';
import type { ClusterInventory } from '../inventory';
import type { EdgeDrop, EdgePolicy, GraphEdge, PolicyVerdict } from '../types';
import { uniqSorted } from '../util';
import type { ClassifiedPod } from '../workloads';
import type { EdgeDecorator } from './facts';

/** ztunnel's HBONE port: in-mesh traffic reaches an ambient pod there, not on the application port (IT §1.2). */
export const HBONE_PORT = 15008;

function endpointOf(inv: ClusterInventory, p: ClassifiedPod): PolicyEndpoint {
  const ports = [...p.pod.containers, ...p.pod.initContainers].flatMap((c) => c.ports ?? []);
  return {
    namespace: p.pod.namespace,
    labels: p.pod.labels,
    namespaceLabels: inv.namespace(p.pod.namespace)?.labels ?? {},
    ...(p.pod.ip ? { ip: p.pod.ip } : {}),
    ...(p.pod.serviceAccount ? { serviceAccount: p.pod.serviceAccount } : {}),
    ...(ports.length > 0 ? { ports } : {}),
  };
}

/** The one port the addressed Services send to on the destination pod; undefined when unknown or several. */
function destinationPort(inv: ClusterInventory, services: readonly string[], dst: PolicyEndpoint): PolicyPort | undefined {
  const found = new Set<string>();
  for (const s of services) {
    const info = inv.workloads.services.get(s);
    for (const p of info?.ports ?? []) {
      const target = p.targetPort ?? p.port;
      const protocol = p.protocol ?? 'TCP';
      const n = typeof target === 'number' ? target : dst.ports?.find((c) => c.name === target)?.containerPort;
      if (n === undefined) return undefined;
      found.add(`${n}/${protocol}`);
    }
  }
  if (found.size !== 1) return undefined;
  const [n, protocol] = [...found][0]!.split('/') as [string, string];
  return { port: Number(n), protocol };
}

function livePod(ep: Endpoint | undefined): ClassifiedPod | undefined {
  return ep?.workload?.pods.find((p) => p.pod.phase === 'Running') ?? ep?.workload?.pods[0];
}

function networkPolicies(decision: NetworkDecision, direction: 'ingress' | 'egress', port: PolicyPort | undefined, hbone: boolean): EdgePolicy[] {
  const admittedBy = new Set(decision.admittedBy.map(policyRefText));
  const side = direction === 'ingress' ? "the destination's ingress" : "the source's egress";
  const portNote = hbone
    ? ` on port ${HBONE_PORT} (HBONE: ztunnel carries in-mesh traffic to ambient pods there)`
    : port
      ? ` on port ${port.port}/${port.protocol}`
      : '';
  return decision.selecting.map((r: NetworkPolicyRef): EdgePolicy => {
    const action = decision.admitted === false ? 'DENY' : 'ALLOW';
    const note =
      decision.admitted === undefined
        ? `selects ${side}; whether it admits the other end cannot be told (not a pod the Kubernetes API knows)`
        : decision.admitted
          ? `selects ${side}${admittedBy.has(policyRefText(r)) ? ' and admits the connection' : `; admitted by ${[...admittedBy].join(', ') || 'no policy'}`}${portNote}`
          : `selects ${side} and does not admit the connection${portNote}: the CNI drops it`;
    return { kind: r.kind, namespace: r.namespace, name: r.name, action, enforcedBy: 'cni', enforced: true, note };
  });
}

/** Denied > not enforced > allowed > none (docs/classification.md §8.4). */
export function policyVerdictOf(e: Pick<GraphEdge, 'policies' | 'deniedPerSec' | 'droppedBy'>): PolicyVerdict {
  if ((e.deniedPerSec ?? 0) > 0 || e.droppedBy) return 'denied';
  const ps = e.policies ?? [];
  if (ps.some((p) => !p.enforced)) return 'not-enforced';
  return ps.length > 0 ? 'allowed' : 'none';
}

export const policies: EdgeDecorator = (f, edge) => {
  const inv = f.ctx.inventory;
  const { acc } = f;
  const dstPods = acc.dst.workload?.pods ?? [];
  const waypoints = uniqSorted(acc.waypoints);
  const viaWaypoint = f.slices.some((s) => s.via === 'waypoint');
  const direct = f.slices.some((s) => s.via === 'direct') || !viaWaypoint;

  const list: EdgePolicy[] = authorizationOnTraffic(inv, {
    namespace: acc.dst.namespace,
    pods: dstPods,
    services: edge.services,
    waypoints: viaWaypoint ? waypoints : [],
    direct,
    ...(edge.principals?.source ? { client: { principal: edge.principals.source, namespace: acc.src.namespace } } : {}),
  }).map((x) => ({
    kind: 'AuthorizationPolicy',
    namespace: x.policy.namespace,
    name: x.policy.name,
    action: x.policy.action,
    enforcedBy: x.enforcedBy,
    enforced: x.enforced,
    reason: x.reason,
    note: x.note,
  }));

  // NetworkPolicies: the CNI sees the hop into the destination pod. Through a waypoint that hop comes from the
  // waypoint's pod; from another cluster it comes from a gateway (the source's labels mean nothing here).
  let drop: EdgeDrop | undefined;
  const set = { kubernetes: inv.snapshot.networkPolicies ?? [], calico: inv.snapshot.calicoPolicies ?? [] };
  const dstPod = livePod(acc.dst);
  if (dstPod && (set.kubernetes.length > 0 || set.calico.length > 0)) {
    const dst = endpointOf(inv, dstPod);
    const hopSource =
      !direct && waypoints[0]
        ? inv.waypoints.waypoints.get(waypoints[0])?.workloads[0]?.pods[0]
        : acc.src.cluster === acc.dst.cluster
          ? livePod(acc.src)
          : undefined;
    const src = hopSource ? endpointOf(inv, hopSource) : undefined;
    const hbone = dstPod.classification.mode === 'ambient' && edge.mtls === 'mutual';
    const port = hbone ? { port: HBONE_PORT, protocol: 'TCP' } : destinationPort(inv, edge.services, dst);
    const d = connectionDecision(set, src, dst, port);
    list.push(...networkPolicies(d.ingress, 'ingress', port, hbone), ...(d.egress ? networkPolicies(d.egress, 'egress', port, hbone) : []));
    const connectFailures = edge.failuresByFlag?.CONNECT ?? 0;
    const blockers = [...(d.ingress.admitted === false ? d.ingress.droppedBy : []), ...(d.egress?.admitted === false ? d.egress.droppedBy : [])].map(
      policyRefText,
    );
    if (connectFailures > 0 && blockers.length > 0) {
      drop = { policies: uniqSorted(blockers), perSec: connectFailures, note: `likely dropped by ${uniqSorted(blockers).join(', ')}` };
    }
  }

  const denied = edge.failuresByFlag?.DENY;
  const forbidden = edge.statuses?.http?.['403'];
  const out: Partial<GraphEdge> = {
    ...(list.length > 0 ? { policies: list } : {}),
    ...(denied !== undefined && denied > 0 ? { deniedPerSec: denied } : {}),
    ...(forbidden !== undefined && forbidden > 0 ? { forbiddenPerSec: forbidden } : {}),
    ...(drop ? { droppedBy: drop } : {}),
  };
  const verdict = policyVerdictOf(out);
  return verdict === 'none' ? out : { ...out, policyVerdict: verdict };
};

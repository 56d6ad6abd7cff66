// l7-gap: HTTP/gRPC traffic seen only at L4 (docs/classification.md §1 "L7 gap"). One finding per destination.
// Destinations already served by a waypoint are left to the waypoint-bypass rule (adding a waypoint
// would not help there); TCP services are never reported.
import type { AuthorizationPolicyInfo, Finding, GraphEdge, GraphNode, KubeSnapshot, MeshGraph } from '../types';
import type { WaypointBinding } from '../waypoints';
import { bypassedWaypoint, edgeWaypoints, indexGraph, isL7Gap, listText, nodeRef, plural, workloadOf, workloadPods, type EdgeWaypoints } from './common';
import { inventoryOf } from '../inventory';
import { selectsPod } from '../policy/authorization';
import { ref, uniqSorted } from '../util';

/** AuthorizationPolicies with HTTP attributes that apply to a destination (selector or targetRefs). */
export function httpPoliciesFor(kube: KubeSnapshot, namespace: string, workload: string | undefined, services: string[]): AuthorizationPolicyInfo[] {
  const inv = inventoryOf(kube);
  const pods = workload ? workloadPods(kube, namespace, workload) : [];
  return inv.authorizationPolicies
    .filter((p) => p.httpAttributes.length > 0)
    .filter((p) => {
      if (p.targetRefs.length > 0) {
        return p.targetRefs.some((t) => t.kind === 'Service' && services.includes(ref(t.namespace ?? p.namespace, t.name)));
      }
      return pods.some((pod) => selectsPod(inv, p, pod));
    })
    .sort((a, b) => ref(a.namespace, a.name).localeCompare(ref(b.namespace, b.name)));
}

export function l7GapFindings(kube: KubeSnapshot, graph: MeshGraph): Finding[] {
  const { nodes, edges } = indexGraph(graph);
  const byTarget = new Map<string, GraphEdge[]>();
  const waypointsOf = new Map<GraphEdge, EdgeWaypoints>();
  for (const e of edges) {
    if (!isL7Gap(e)) continue;
    const target = nodes.get(e.target);
    if (target?.kind === 'waypoint') continue;
    const ew = edgeWaypoints(kube, e, target);
    if (bypassedWaypoint(ew, nodes.get(e.source))) continue; // waypoint-bypass's subject, not a missing waypoint
    waypointsOf.set(e, ew);
    const list = byTarget.get(e.target) ?? [];
    list.push(e);
    byTarget.set(e.target, list);
  }

  const findings: Finding[] = [];
  for (const [targetId, gapEdges] of [...byTarget.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const target = nodes.get(targetId);
    const dest = nodeRef(target, targetId);
    const ns = target?.namespace ?? '';
    const ews = gapEdges.map((e) => waypointsOf.get(e)!);
    const svcs = uniqSorted(ews.flatMap((ew) => ew.services.map((s) => ref(s.namespace, s.name))));
    const policies = httpPoliciesFor(kube, ns, target?.kind === 'workload' ? target.name : undefined, svcs);
    const sources = gapEdges.map((e) => nodes.get(e.source));
    const outOfMesh = uniqSorted(
      gapEdges
        .filter((e) => {
          const s = nodes.get(e.source);
          return s?.kind === 'unknown' || (s?.kind === 'workload' && s.mode === 'none');
        })
        .map((e) => nodeRef(nodes.get(e.source), e.source)),
    );
    const clients = uniqSorted(sources.map((s, i) => nodeRef(s, gapEdges[i]!.source)));
    const protocols = uniqSorted(gapEdges.map((e) => (e.protocol.toUpperCase() === 'GRPC' ? 'gRPC' : 'HTTP')));
    const sidecarDest =
      target?.kind === 'workload' &&
      (target.mode === 'sidecar' || workloadPods(kube, target.namespace, target.name).some((p) => p.classification.mode === 'sidecar'));

    let message =
      `${protocols.join('/')} traffic into ${dest} from ${listText(clients)} has only L4 (TCP) telemetry: ` +
      `no request rate, errors or latency for ${plural(gapEdges.length, 'edge')}.`;
    let fix = '';
    if (sidecarDest) {
      message += ' The destination has a sidecar, so the protocol was probably not detected.';
      fix =
        svcs.length > 0
          ? `Declare the protocol on the Service port: name it "http-…" (or "grpc-…") or set appProtocol: http, e.g.\n` +
            svcs.map((s) => `kubectl -n ${ns} edit service ${s.split('/')[1]}   # ports[].appProtocol: http`).join('\n')
          : `Declare the protocol on the destination Service port (appProtocol: http or a port name "http-…").`;
    } else {
      message += ` Only ztunnel carries it; ztunnel is L4-only.`;
      const rejected = ews.flatMap((ew) => ew.rejected).filter((b, i, all) => all.findIndex((x) => x.reason === b.reason) === i);
      if (rejected.length > 0) {
        // A binding exists but istiod rejects it: fix that binding, do not add another waypoint.
        message += ` A waypoint binding exists but istiod does not apply it: ${rejected.map((b) => `${b.subject}: ${b.reason}`).join('; ')}.`;
        fix = rejected.map((b) => rejectedBindingFix(b, ns)).join('\n');
      } else {
        message += ` Add a waypoint to get request metrics${policies.length > 0 ? ' and to enforce the HTTP rules of its AuthorizationPolicies' : ''}.`;
        fix = addWaypointFix(
          kube,
          ns,
          target,
          svcs,
          gapEdges.map((e, i) => ({ source: nodes.get(e.source), ew: ews[i]! })),
        );
      }
    }
    if (outOfMesh.length > 0) {
      message += ` Out-of-mesh clients (${listText(outOfMesh)}) bypass waypoints: enrol them in the mesh as well.`;
    }
    if (policies.length > 0) {
      message += ` AuthorizationPolicy ${policies.map((p) => ref(p.namespace, p.name)).join(', ')} uses HTTP attributes.`;
    }
    findings.push({
      id: `l7-gap:${dest}`,
      kind: 'l7-gap',
      severity: policies.length > 0 ? 'critical' : 'warning',
      namespace: ns,
      objects: uniqSorted([dest, ...svcs]),
      evidence: [...gapEdges.map((e) => e.id), ...policies.map((p) => `AuthorizationPolicy ${ref(p.namespace, p.name)}`)],
      message,
      fix,
    });
  }
  return findings;
}

/**
 * A waypoint for a destination, for the addressing its ambient clients use (docs/istio-telemetry.md §1.5):
 * Service-addressed traffic needs a Service waypoint; pod-IP traffic a workload waypoint (waypoint-for
 * workload or all) bound to the pods. Sidecar and out-of-mesh clients bypass waypoints either way.
 */
function addWaypointFix(
  kube: KubeSnapshot,
  ns: string,
  target: GraphNode | undefined,
  svcs: string[],
  clients: { source: GraphNode | undefined; ew: EdgeWaypoints }[],
): string {
  const ambient = clients.filter((c) => c.source?.kind === 'workload' && c.source.mode === 'ambient');
  const podAddressed = ambient.some((c) => c.ew.addressing === 'pod');
  const onlyPod = ambient.length > 0 && ambient.every((c) => c.ew.addressing === 'pod');
  const svcName = svcs[0]?.split('/')[1];
  const w = workloadOf(kube, target);
  if (onlyPod) {
    const labels = JSON.stringify({ spec: { template: { metadata: { labels: { 'istio.io/use-waypoint': `${w?.name ?? 'workload'}-waypoint` } } } } });
    return (
      `# its ambient clients address the pods by IP: only a workload waypoint (waypoint-for workload or all) sees that traffic\n` +
      `istioctl waypoint apply -n ${ns} --enroll-namespace --for all --wait` +
      (w && w.kind !== 'Pod'
        ? `\n# or only for this workload:\nistioctl waypoint apply -n ${ns} --name ${w.name}-waypoint --for workload --wait\n` +
          `kubectl -n ${ns} patch ${w.kind.toLowerCase()} ${w.name} --type merge -p '${labels}'   # pod template label; restarts the pods`
        : '')
    );
  }
  return (
    `istioctl waypoint apply -n ${ns} --enroll-namespace${podAddressed ? ' --for all' : ''} --wait` +
    (podAddressed ? '   # --for all: some ambient clients address the pods by IP' : '') +
    (svcName
      ? `\n# or only for this service:\nistioctl waypoint apply -n ${ns} --name ${svcName}-waypoint --wait\n` +
        `kubectl label service ${svcName} -n ${ns} istio.io/use-waypoint=${svcName}-waypoint`
      : '')
  );
}

/** The fix for a binding istiod rejects, naming the object, label and namespace involved. */
function rejectedBindingFix(b: WaypointBinding & { subject: string }, clientNs: string): string {
  const [wpNs, wpName] = (b.waypoint ?? '/').split('/') as [string, string];
  switch (b.rejected) {
    case 'namespace-not-allowed':
      return (
        `# let waypoint ${b.waypoint} admit namespace ${clientNs}: on its HBONE listener (port 15008) set\n` +
        `#   allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {kubernetes.io/metadata.name: ${clientNs}}}}}   (or from: All)\n` +
        `kubectl -n ${wpNs} edit gateway ${wpName}`
      );
    case 'traffic-type':
      return `kubectl label gateway ${wpName} -n ${wpNs} istio.io/waypoint-for=all --overwrite   # ${b.subject} needs it to serve ${b.via === 'pod' ? 'workloads' : 'services'}`;
    case 'not-ready':
      return (
        `kubectl get gateway ${wpName} -n ${wpNs} -o yaml   # status: an address, Accepted and Programmed True\n` +
        `kubectl get pods -n ${wpNs} -l gateway.networking.k8s.io/gateway-name=${wpName}`
      );
    case 'missing':
      return `istioctl waypoint apply -n ${wpNs} --name ${wpName} --wait   # ${b.subject} is bound to it (${b.via === 'namespace' ? 'Namespace' : b.via} label istio.io/use-waypoint)`;
    default:
      return `# ${b.subject}: ${b.reason}`;
  }
}

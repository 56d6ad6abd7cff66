// l7-gap: HTTP/gRPC traffic seen only at L4 (product.md §1 "L7 gap"). One finding per destination.
// Destinations already served by a waypoint are left to the waypoint-bypass rule (adding a waypoint
// would not help there); TCP services are never reported.
import type { AuthorizationPolicyInfo, Finding, GraphEdge, KubeSnapshot, MeshGraph } from '../types';
import {
  destinationServices,
  destinationWaypoint,
  indexGraph,
  isL7Gap,
  listText,
  nodeRef,
  plural,
  workloadPods,
} from './common';
import { inventoryOf } from '../inventory';
import { ref, uniqSorted } from '../util';

/** AuthorizationPolicies with HTTP attributes that apply to a destination (selector or targetRefs). */
export function httpPoliciesFor(
  kube: KubeSnapshot,
  namespace: string,
  workload: string | undefined,
  services: string[],
): AuthorizationPolicyInfo[] {
  const inv = inventoryOf(kube);
  const pods = workload ? workloadPods(kube, namespace, workload) : [];
  return inv.authorizationPolicies
    .filter((p) => p.httpAttributes.length > 0)
    .filter((p) => {
      if (p.targetRefs.length > 0) {
        return p.targetRefs.some(
          (t) => t.kind === 'Service' && services.includes(ref(t.namespace ?? p.namespace, t.name)),
        );
      }
      return pods.some((pod) => inv.policySelects(p, pod.pod));
    })
    .sort((a, b) => ref(a.namespace, a.name).localeCompare(ref(b.namespace, b.name)));
}

export function l7GapFindings(kube: KubeSnapshot, graph: MeshGraph): Finding[] {
  const { nodes, edges } = indexGraph(graph);
  const byTarget = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    if (!isL7Gap(e)) continue;
    const target = nodes.get(e.target);
    if (target?.kind === 'waypoint') continue;
    if (destinationWaypoint(kube, e, target)) continue; // bypass, not a missing waypoint
    const list = byTarget.get(e.target) ?? [];
    list.push(e);
    byTarget.set(e.target, list);
  }

  const findings: Finding[] = [];
  for (const [targetId, gapEdges] of [...byTarget.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const target = nodes.get(targetId);
    const dest = nodeRef(target, targetId);
    const ns = target?.namespace ?? '';
    const svcs = uniqSorted(gapEdges.flatMap((e) => destinationServices(kube, e, target).map((s) => ref(s.namespace, s.name))));
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
    const protocols = uniqSorted(gapEdges.map((e) => e.protocol.toUpperCase() === 'GRPC' ? 'gRPC' : 'HTTP'));
    const sidecarDest =
      target?.kind === 'workload' &&
      (target.mode === 'sidecar' ||
        workloadPods(kube, target.namespace, target.name).some((p) => p.classification.mode === 'sidecar'));

    let message =
      `${protocols.join('/')} traffic into ${dest} from ${listText(clients)} has only L4 (TCP) telemetry: ` +
      `no request rate, errors or latency for ${plural(gapEdges.length, 'edge')}.`;
    let fix: string;
    if (sidecarDest) {
      message += ' The destination has a sidecar, so the protocol was probably not detected.';
      fix =
        svcs.length > 0
          ? `Declare the protocol on the Service port: name it "http-…" (or "grpc-…") or set appProtocol: http, e.g.\n` +
            svcs.map((s) => `kubectl -n ${ns} edit service ${s.split('/')[1]}   # ports[].appProtocol: http`).join('\n')
          : `Declare the protocol on the destination Service port (appProtocol: http or a port name "http-…").`;
    } else {
      message += ` Only ztunnel carries it; ztunnel is L4-only. Add a waypoint to get request metrics${
        policies.length > 0 ? ' and to enforce the HTTP rules of its AuthorizationPolicies' : ''
      }.`;
      const svcName = svcs[0]?.split('/')[1];
      fix =
        `istioctl waypoint apply -n ${ns} --enroll-namespace --wait\n` +
        (svcName
          ? `# or only for this service:\nistioctl waypoint apply -n ${ns} --name ${svcName}-waypoint --wait\n` +
            `kubectl label service ${svcName} -n ${ns} istio.io/use-waypoint=${svcName}-waypoint`
          : '');
      fix = fix.trimEnd();
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
      evidence: [
        ...gapEdges.map((e) => e.id),
        ...policies.map((p) => `AuthorizationPolicy ${ref(p.namespace, p.name)}`),
      ],
      message,
      fix,
    });
  }
  return findings;
}

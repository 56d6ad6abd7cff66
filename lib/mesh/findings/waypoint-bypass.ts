// waypoint-bypass: traffic into a waypoint-bound Service/workload that did not go through the
// waypoint, so the waypoint's L7 policy and telemetry do not apply to it (istio-telemetry.md §4:
// sidecars never use waypoints, istio/istio#51445; out-of-mesh clients bypass them; ingress
// gateways use them only with istio.io/ingress-use-waypoint=true). One finding per edge.
import type { Finding, GraphNode, KubeSnapshot, MeshGraph } from '../types';
import { destinationServices, destinationWaypoint, indexGraph, nodeRef } from './common';
import { inventoryOf } from '../inventory';
import { ref, uniqSorted } from '../util';

const L_INGRESS_USE_WAYPOINT = 'istio.io/ingress-use-waypoint';

function splitRef(r: string): { namespace: string; name: string } {
  const i = r.indexOf('/');
  return { namespace: r.slice(0, i), name: r.slice(i + 1) };
}

type ClientKind = 'ingress' | 'sidecar' | 'out-of-mesh' | 'ambient' | 'other';

function clientKind(n: GraphNode | undefined): ClientKind {
  if (!n) return 'other';
  if (n.kind === 'gateway') return 'ingress';
  if (n.kind === 'unknown') return 'out-of-mesh';
  if (n.mode === 'sidecar') return 'sidecar';
  if (n.mode === 'none') return 'out-of-mesh';
  if (n.mode === 'ambient') return 'ambient';
  return 'other';
}

export function waypointBypassFindings(kube: KubeSnapshot, graph: MeshGraph): Finding[] {
  const { nodes, edges } = indexGraph(graph);
  const findings: Finding[] = [];
  for (const e of edges) {
    if (e.path === 'waypoint') continue;
    const target = nodes.get(e.target);
    const source = nodes.get(e.source);
    if (!target || target.kind === 'waypoint' || source?.kind === 'waypoint') continue;
    const wp = destinationWaypoint(kube, e, target);
    if (!wp) continue;
    const svcs = destinationServices(kube, e, target);
    const kind = clientKind(source);
    const src = nodeRef(source, e.source);
    const dst = nodeRef(target, e.target);
    const wpName = splitRef(wp).name;

    // Ingress gateways honour istio.io/ingress-use-waypoint on the Service, else the Namespace.
    const nsIngressLabel = inventoryOf(kube).namespace(target.namespace)?.labels[L_INGRESS_USE_WAYPOINT];
    const ingressLabelled = svcs.some((s) => (s.labels[L_INGRESS_USE_WAYPOINT] ?? nsIngressLabel) === 'true');

    const svcName = svcs[0]?.name ?? target.name;
    let why: string;
    let fix: string;
    switch (kind) {
      case 'ingress':
        why = ingressLabelled
          ? `ingress gateway ${src} still sends straight to the pods although istio.io/ingress-use-waypoint=true is set (needs Istio 1.24+ and the gateway must have picked up the label).`
          : `ingress gateway ${src} sends straight to the pods: the Service is not labelled istio.io/ingress-use-waypoint=true.`;
        fix =
          `kubectl label service ${svcName} -n ${target.namespace} istio.io/ingress-use-waypoint=true\n` +
          `# or for every service of the namespace:\nkubectl label namespace ${target.namespace} istio.io/ingress-use-waypoint=true`;
        break;
      case 'sidecar':
        why = `${src} has a sidecar, and sidecars do not use waypoints (istio/istio#51445): the sidecar reports L7 itself, but the waypoint's policies are skipped.`;
        fix =
          `Move the client to ambient so its traffic goes through the waypoint:\n` +
          `kubectl label namespace ${source!.namespace} istio-injection- istio.io/dataplane-mode=ambient\n` +
          `kubectl rollout restart deployment -n ${source!.namespace}\n` +
          `# until then, also enforce the policy on the destination (AuthorizationPolicy with spec.selector) or on the client sidecar.`;
        break;
      case 'out-of-mesh':
        why = `${src} is out of the mesh: plain-TCP clients bypass waypoints, so there is no L7 processing (only the destination ztunnel sees it).`;
        fix =
          source?.kind === 'workload'
            ? `Enrol the client in ambient mode:\nkubectl label namespace ${source.namespace} istio.io/dataplane-mode=ambient`
            : `Identify the client (${src}) and bring it into the mesh, or deny non-mesh traffic to ${dst} with a STRICT PeerAuthentication:\n` +
              `kubectl apply -n ${target.namespace} -f - <<EOF\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\nspec:\n  mtls:\n    mode: STRICT\nEOF`;
        break;
      case 'ambient':
        why = `${src} is ambient but its traffic did not go through the waypoint: pod-IP addressed traffic skips service waypoints, or the waypoint does not accept this kind of target (istio.io/waypoint-for).`;
        fix =
          `Address ${svcName}.${target.namespace}.svc by its Service name, or bind the workload too:\n` +
          `kubectl label gateway ${wpName} -n ${splitRef(wp).namespace} istio.io/waypoint-for=all`;
        break;
      default:
        why = `${src} reached ${dst} without the waypoint (path ${e.path}).`;
        fix = `Check how ${src} addresses ${dst} and that it is in ambient mode.`;
    }

    const svcRefs = svcs.map((s) => ref(s.namespace, s.name));
    const policyBypassed = l7PolicyOnWaypoint(kube, wp, svcRefs);
    // Bindings are today's Kubernetes state; when an end changed mode since the window, the bypass
    // may only reflect the earlier setup (e.g. the destination still had a sidecar then).
    const changed = [source, target].filter((n) => n?.modeChanged && n.modeInWindow);
    const message =
      `Traffic ${src} → ${dst} bypasses waypoint ${wp}: its L7 policy and telemetry do not apply to this edge. ${why}` +
      (policyBypassed ? ' L7 AuthorizationPolicies bound to the waypoint are not enforced for this traffic.' : '') +
      (changed.length > 0
        ? ` Note: ${changed.map((n) => `${nodeRef(n, '')} was ${n!.modeInWindow} in this window (${n!.mode} now)`).join(', ')}; the bypass may only reflect that earlier setup.`
        : '');
    findings.push({
      id: `waypoint-bypass:${e.id}`,
      kind: 'waypoint-bypass',
      // Escalate when L7 authorization rules attached to the waypoint/service are being skipped.
      severity: policyBypassed ? 'critical' : changed.length > 0 ? 'info' : 'warning',
      namespace: target.namespace,
      objects: uniqSorted([dst, src, ...svcRefs]),
      evidence: [e.id, `Gateway ${wp}`],
      message,
      fix,
    });
  }
  return findings;
}

/** AuthorizationPolicies with HTTP attributes bound (targetRefs) to the waypoint or to the services. */
function l7PolicyOnWaypoint(kube: KubeSnapshot, wp: string, services: string[]): boolean {
  return inventoryOf(kube).authorizationPolicies.some(
    (p) =>
      p.httpAttributes.length > 0 &&
      p.targetRefs.some((t) => {
        const r = ref(t.namespace ?? p.namespace, t.name);
        return (t.kind === 'Gateway' && r === wp) || (t.kind === 'Service' && services.includes(r));
      }),
  );
}

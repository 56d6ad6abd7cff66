// waypoint-bypass: traffic into a waypoint-bound Service/workload that did not go through the
// waypoint, so the waypoint's L7 policy and telemetry do not apply to it (docs/istio-telemetry.md §4:
// sidecars never use waypoints, istio/istio#51445; out-of-mesh clients bypass them; ingress
// gateways use them only with istio.io/ingress-use-waypoint=true). Ambient clients follow the bindings as
// Istio applies them (§1.5, common.ts edgeWaypoints): Service-addressed traffic uses the Service's waypoint,
// pod-IP traffic only a workload waypoint. One finding per edge.
import type { Finding, GraphNode, KubeSnapshot, MeshGraph } from '../types';
import { restartCommand } from '../kubectl';
import { bypassedWaypoint, edgeWaypoints, indexGraph, nodeRef, workloadOf, type EdgeWaypoints } from './common';
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
    const ew = edgeWaypoints(kube, e, target);
    const wp = bypassedWaypoint(ew, source);
    if (!wp) continue;
    const svcs = ew.services;
    const kind = clientKind(source);
    const src = nodeRef(source, e.source);
    const dst = nodeRef(target, e.target);

    // Ingress gateways honour istio.io/ingress-use-waypoint on the Service, else the Namespace.
    const nsIngressLabel = inventoryOf(kube).namespace(target.namespace)?.labels[L_INGRESS_USE_WAYPOINT];
    const ingressLabelled = svcs.some((s) => (s.labels[L_INGRESS_USE_WAYPOINT] ?? nsIngressLabel) === 'true');

    const svcName = svcs[0]?.name ?? target.name;
    let why: string;
    let fix: string;
    switch (kind) {
      case 'ingress':
        if (!ew.serviceWaypoint) {
          // Gateways honour only Service waypoints: a workload waypoint alone never sees ingress traffic.
          const wpRef = splitRef(wp);
          const nsLabel = wpRef.namespace !== target.namespace ? ` istio.io/use-waypoint-namespace=${wpRef.namespace}` : '';
          why = `ingress gateway ${src} sends straight to the pods: ${wp} is a workload waypoint, and gateways only go through a Service's waypoint (istio.io/ingress-use-waypoint).`;
          fix =
            `kubectl label gateway ${wpRef.name} -n ${wpRef.namespace} istio.io/waypoint-for=all --overwrite\n` +
            `kubectl label service ${svcName} -n ${target.namespace} istio.io/use-waypoint=${wpRef.name}${nsLabel} istio.io/ingress-use-waypoint=true`;
          break;
        }
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
        ({ why, fix } = ambientBypass(kube, ew, wp, src, dst, target));
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

/** Why an ambient client's traffic skipped the waypoint, and the fix that matches how it addresses the destination. */
function ambientBypass(kube: KubeSnapshot, ew: EdgeWaypoints, wp: string, src: string, dst: string, target: GraphNode): { why: string; fix: string } {
  const inv = inventoryOf(kube);
  const { namespace: wpNs, name: wpName } = splitRef(wp);
  const svc = ew.services[0];
  const svcRef = svc ? ref(svc.namespace, svc.name) : undefined;
  if (ew.addressing === 'pod' && ew.applies === undefined) {
    // Pod-IP traffic and only a Service waypoint: the one case where addressing by Service name is the fix.
    const info = inv.waypoints.waypoints.get(wp);
    const lines = [
      `# address ${svc ? `${svc.name}.${svc.namespace}.svc.cluster.local (Service ${svcRef})` : `${dst} through its Service`} instead of pod IPs, so ztunnel sends it through ${wp}; or give the pods the waypoint too:`,
    ];
    if (info && info.waypointFor === 'service') lines.push(`kubectl label gateway ${wpName} -n ${wpNs} istio.io/waypoint-for=all --overwrite`);
    const viaNamespace = svc !== undefined && inv.waypoints.serviceBinding(svc)?.via === 'namespace';
    const w = workloadOf(kube, target);
    if (viaNamespace) {
      lines.push(`# the pods inherit namespace ${target.namespace}'s istio.io/use-waypoint=${wpName} label once the waypoint serves workloads`);
    } else {
      const podLabels = { 'istio.io/use-waypoint': wpName, ...(wpNs !== target.namespace ? { 'istio.io/use-waypoint-namespace': wpNs } : {}) };
      const patch = JSON.stringify({ spec: { template: { metadata: { labels: podLabels } } } });
      lines.push(
        w && w.kind !== 'Pod'
          ? `kubectl -n ${w.namespace} patch ${w.kind.toLowerCase()} ${w.name} --type merge -p '${patch}'   # pod template label`
          : `# label the pods of ${dst}: ${Object.entries(podLabels)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ')}`,
      );
    }
    return {
      why: `${src} is ambient and reaches ${dst} by pod IP (its telemetry names no Service): ztunnel sends pod-IP traffic only to a workload waypoint, and ${wp} is bound to ${svcRef ? `Service ${svcRef}` : 'the Service'}, which covers Service-addressed traffic only.`,
      fix: lines.join('\n'),
    };
  }
  // The traffic was addressed the way the binding covers, yet skipped the waypoint.
  const what =
    ew.addressing === 'service'
      ? `addresses Service ${svcRef ?? dst}, which is bound to ${wp}`
      : `reaches ${dst}'s pods by IP, and they are bound to workload waypoint ${wp}`;
  const client = inv.workloads.workloads.get(src);
  return {
    why: `${src} is ambient and ${what}, yet its traffic went straight to the pods: the binding or the waypoint is newer than the window, or ztunnel had not received it (long-lived connections keep the path they were opened with).`,
    fix:
      `kubectl get gateway ${wpName} -n ${wpNs}   # PROGRAMMED True, with an ADDRESS\n` +
      `istioctl ztunnel-config ${ew.addressing === 'service' ? 'service' : 'workload'} | grep ${ew.addressing === 'service' && svc ? svc.name : target.name}   # the WAYPOINT column must name ${wpName}` +
      (client ? `\n${restartCommand(client.kind, client.name, client.namespace)}   # reopen long-lived connections from the client` : ''),
  };
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

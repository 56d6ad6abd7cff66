// l7-policy-not-enforced: an AuthorizationPolicy with HTTP attributes that no proxy able to read
// HTTP enforces, whatever the traffic (the configuration view; policy-not-enforced is the traffic view).
// Where a policy is enforced is decided once, by lib/mesh/policy/authorization.ts; Istio's own status
// (ZtunnelAccepted / WaypointAccepted) is trusted when present.
import type { AuthorizationPolicyInfo, Condition, Finding, KubeSnapshot, MeshGraph } from '../types';
import { applicationWorkloads } from '../workloads';
import { listText } from './common';
import { policyEnforcement } from '../policy/authorization';
import { inventoryOf } from '../inventory';
import { ref, uniqSorted } from '../util';

function cond(p: AuthorizationPolicyInfo, type: string): Condition | undefined {
  return p.conditions.find((c) => c.type === type);
}

function effect(p: AuthorizationPolicyInfo): { severity: Finding['severity']; text: string } {
  const attrs = p.httpAttributes.join(', ');
  switch (p.action) {
    case 'ALLOW':
      return {
        severity: 'warning',
        text:
          `ztunnel cannot read HTTP, so it drops the ALLOW rules that use HTTP attributes (${attrs}): ` +
          `the policy is more restrictive than written and requests it means to allow are refused.`,
      };
    case 'DENY':
      return {
        severity: 'critical',
        text:
          `ztunnel cannot read HTTP, so the DENY rules that use HTTP attributes (${attrs}) may not apply: ` +
          `requests the policy means to deny can get through.`,
      };
    default:
      return {
        severity: 'warning',
        text: `${p.action} rules with HTTP attributes (${attrs}) are not evaluated by ztunnel.`,
      };
  }
}

// Same signature as every rule (FindingRule); this one needs only the Kubernetes objects.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function l7PolicyNotEnforcedFindings(kube: KubeSnapshot, _graph: MeshGraph): Finding[] {
  const inv = inventoryOf(kube);
  const { waypoints, workloads } = inv;
  const serviceWaypoint = (namespace: string, name: string) => {
    const s = workloads.services.get(ref(namespace, name));
    return s ? waypoints.serviceWaypoint(s) : undefined;
  };
  const findings: Finding[] = [];
  const policies = inv.authorizationPolicies
    .filter((p) => p.httpAttributes.length > 0)
    .sort((a, b) => ref(a.namespace, a.name).localeCompare(ref(b.namespace, b.name)));

  const podsOf = applicationWorkloads(workloads).flatMap((w) => w.pods.map((pod) => ({ workload: w.ref, pod })));
  for (const p of policies) {
    const pRef = ref(p.namespace, p.name);
    const zt = cond(p, 'ZtunnelAccepted');
    const wp = cond(p, 'WaypointAccepted');
    const evidence = [`AuthorizationPolicy ${pRef}`];
    let objects: string[] = [];
    let services: string[] = [];
    let why: string;
    // Where the policy takes effect: the one rule of lib/mesh/policy/authorization.ts.
    const where = policyEnforcement(inv, p, podsOf);

    if (p.targetRefs.length > 0) {
      const missing = where.filter((x) => !x.enforcement.enforced);
      if (missing.length === 0 || wp?.status === 'True') continue;
      const statusSaysNo = missing.some((x) => x.enforcement.reason === 'rejected-by-istio');
      objects = p.targetRefs.map((t) => ref(t.namespace ?? p.namespace, t.name));
      services = p.targetRefs.filter((t) => t.kind === 'Service').map((t) => t.name);
      if (wp) evidence.push(`condition WaypointAccepted=${wp.status}${wp.reason ? ` (${wp.reason})` : ''}`);
      why = statusSaysNo
        ? `Istio reports WaypointAccepted=False${wp?.message ? `: ${wp.message}` : ''}.`
        : `its targetRefs (${listText(missing.map((x) => x.target))}) are not served by a waypoint, so nothing enforces it.`;
    } else {
      const onZtunnel = where.find((x) => x.enforcement.enforcedBy === 'ztunnel' && x.enforcement.reason === 'http-attributes');
      const statusSaysNo = zt?.status === 'False';
      if (!onZtunnel && !statusSaysNo) continue; // sidecars enforce HTTP rules themselves
      objects = onZtunnel ? onZtunnel.workloads : uniqSorted(where.flatMap((x) => x.workloads));
      services = uniqSorted(
        objects.flatMap((r) => {
          const w = workloads.workloads.get(r);
          return w ? workloads.servicesOf(w).map((s) => s.name) : [];
        }),
      );
      if (zt) evidence.push(`condition ZtunnelAccepted=${zt.status}${zt.reason ? ` (${zt.reason})` : ''}`);
      why = statusSaysNo
        ? `Istio reports ZtunnelAccepted=False${zt?.reason ? ` (${zt.reason})` : ''}: the policy selects ambient workloads (${listText(objects)}), which ztunnel enforces at L4 only.`
        : `It selects ambient workloads (${listText(objects)}) with spec.selector, so ztunnel enforces it and ztunnel is L4 only.`;
    }

    const servedBy = uniqSorted(services.map((s) => serviceWaypoint(p.namespace, s)).filter((w): w is string => w !== undefined));
    const { severity, text } = effect(p);
    const message =
      `AuthorizationPolicy ${pRef} (${p.action}) uses HTTP attributes but is not enforced at L7. ${why} ${text}` +
      (servedBy.length > 0
        ? ` A waypoint (${servedBy.join(', ')}) already serves these services, but selector-bound policies are not applied by waypoints.`
        : '');
    const targetRefs = (services.length > 0 ? services : ['<service>']).map((s) => `  - kind: Service\n    group: ""\n    name: ${s}`).join('\n');
    const fix =
      (servedBy.length > 0 ? '' : `istioctl waypoint apply -n ${p.namespace} --enroll-namespace --wait\n`) +
      `# then bind the policy to the waypoint'd Service instead of the pods (remove spec.selector):\n` +
      `kubectl -n ${p.namespace} edit authorizationpolicy ${p.name}\n` +
      `spec:\n  targetRefs:\n${targetRefs}`;
    findings.push({
      id: `l7-policy-not-enforced:${pRef}`,
      kind: 'l7-policy-not-enforced',
      severity,
      namespace: p.namespace,
      objects: uniqSorted([pRef, ...objects]),
      evidence,
      message,
      fix,
    });
  }
  return findings;
}

// l7-policy-not-enforced: an AuthorizationPolicy with HTTP attributes that no proxy able to read
// HTTP enforces. In ambient, selector-bound policies are enforced by ztunnel (L4 only); HTTP rules
// need a waypoint and a targetRefs binding. Istio reports this in the policy status
// (ZtunnelAccepted / WaypointAccepted); without status we derive it from the selected pods.
import type { AuthorizationPolicyInfo, Condition, Finding, KubeSnapshot, MeshGraph } from '../types';
import { applicationWorkloads } from '../workloads';
import { listText } from './common';
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

  for (const p of policies) {
    const pRef = ref(p.namespace, p.name);
    const zt = cond(p, 'ZtunnelAccepted');
    const wp = cond(p, 'WaypointAccepted');
    const evidence = [`AuthorizationPolicy ${pRef}`];
    let objects: string[] = [];
    let services: string[] = [];
    let why: string;

    if (p.targetRefs.length > 0) {
      // Bound to a waypoint/Service: enforced when that target is (served by) a waypoint.
      const missing = p.targetRefs.filter((t) => {
        const tns = t.namespace ?? p.namespace;
        if (t.kind === 'Gateway') return !waypoints.waypoints.get(ref(tns, t.name))?.effective;
        if (t.kind === 'Service') return !serviceWaypoint(tns, t.name);
        return false;
      });
      const statusSaysNo = wp?.status === 'False';
      if (missing.length === 0 && !statusSaysNo) continue;
      if (wp?.status === 'True') continue;
      objects = p.targetRefs.map((t) => ref(t.namespace ?? p.namespace, t.name));
      services = p.targetRefs.filter((t) => t.kind === 'Service').map((t) => t.name);
      if (wp) evidence.push(`condition WaypointAccepted=${wp.status}${wp.reason ? ` (${wp.reason})` : ''}`);
      why = statusSaysNo
        ? `Istio reports WaypointAccepted=False${wp?.message ? `: ${wp.message}` : ''}.`
        : `its targetRefs (${listText(missing.map((t) => `${t.kind} ${t.name}`))}) are not served by a waypoint, so nothing enforces it.`;
    } else {
      const selected = applicationWorkloads(workloads).flatMap((w) =>
        w.pods.filter((f) => inv.policySelects(p, f.pod)).map((f) => ({ ...f, workload: w.ref })),
      );
      const ambient = selected.filter((f) => f.classification.mode === 'ambient');
      const statusSaysNo = zt?.status === 'False';
      if (!statusSaysNo && ambient.length === 0) continue; // sidecars enforce HTTP rules themselves
      if (zt?.status === 'True' && ambient.length === 0) continue;
      objects = uniqSorted((ambient.length > 0 ? ambient : selected).map((f) => f.workload));
      const selectedWorkloads = uniqSorted((ambient.length > 0 ? ambient : selected).map((f) => f.workload));
      services = uniqSorted(
        selectedWorkloads.flatMap((r) => {
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

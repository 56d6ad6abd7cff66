// policy-not-enforced: an AuthorizationPolicy that selects traffic of the window but does not take effect on
// that traffic's path (docs/classification.md §8.5), read from the edges' `policies` (lib/mesh/edge/policies.ts,
// which asks lib/mesh/policy/authorization.ts). One finding per policy. HTTP attributes on ztunnel are
// l7-policy-not-enforced's subject (reported from the configuration alone) and are left to it.
import type { EdgePolicy, Finding, GraphEdge, KubeSnapshot, MeshGraph } from '../types';
import { indexGraph, listText, nodeRef, plural } from './common';
import { ref, uniqSorted } from '../util';

function fixFor(p: EdgePolicy, dstNs: string, services: string[]): string {
  const svc = services[0]?.split('/')[1];
  switch (p.reason) {
    case 'bypasses-waypoint':
      return (
        `# clients that bypass the waypoint (sidecar or out-of-mesh clients, pod-IP traffic to a Service waypoint) are not\n` +
        `# checked by it: move them to ambient, or make the destination's ztunnel admit only the waypoint, e.g.\n` +
        `kubectl -n ${dstNs} apply -f - <<'EOF'\n` +
        `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: only-via-waypoint\nspec:\n  selector:\n    matchLabels: {}   # the destination's pods\n` +
        `  action: ALLOW\n  rules:\n  - from:\n    - source:\n        principals: ["cluster.local/ns/<waypoint-namespace>/sa/<waypoint>"]\nEOF`
      );
    case 'no-waypoint':
      return (
        `istioctl waypoint apply -n ${p.namespace} --wait\n` +
        (svc ? `kubectl label service ${svc} -n ${dstNs} istio.io/use-waypoint=waypoint` : `kubectl label namespace ${dstNs} istio.io/use-waypoint=waypoint`)
      );
    case 'unsupported-action':
      return (
        `# ztunnel ignores ${p.action}; a waypoint enforces it. Add one and bind the policy to it (spec.targetRefs instead of spec.selector):\n` +
        `istioctl waypoint apply -n ${dstNs} --enroll-namespace --wait\nkubectl -n ${p.namespace} edit authorizationpolicy ${p.name}`
      );
    case 'no-proxy':
      return `# the destination runs no proxy: enrol its namespace in the mesh (ambient shown)\nkubectl label namespace ${dstNs} istio.io/dataplane-mode=ambient`;
    case 'rejected-by-istio':
      return `kubectl -n ${p.namespace} get authorizationpolicy ${p.name} -o yaml   # status.conditions say why Istio does not apply it`;
    default:
      return `kubectl -n ${p.namespace} get authorizationpolicy ${p.name} -o yaml`;
  }
}

// Same signature as every rule (FindingRule); this one reads only the graph's edges.
export function policyNotEnforcedFindings(_kube: KubeSnapshot, graph: MeshGraph): Finding[] {
  const { nodes, edges } = indexGraph(graph);
  const byPolicy = new Map<string, { policy: EdgePolicy; edges: GraphEdge[] }>();
  for (const e of edges) {
    for (const p of e.policies ?? []) {
      if (p.kind !== 'AuthorizationPolicy' || p.enforced || p.reason === 'http-attributes') continue;
      const key = `${ref(p.namespace, p.name)}|${p.reason ?? ''}`;
      const entry = byPolicy.get(key) ?? { policy: p, edges: [] };
      entry.edges.push(e);
      byPolicy.set(key, entry);
    }
  }
  const findings: Finding[] = [];
  for (const [key, { policy: p, edges: pe }] of [...byPolicy.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const pRef = ref(p.namespace, p.name);
    const targets = uniqSorted(pe.map((e) => nodeRef(nodes.get(e.target), e.target)));
    const clients = uniqSorted(pe.map((e) => nodeRef(nodes.get(e.source), e.source)));
    const dstNs = nodes.get(pe[0]!.target)?.namespace ?? p.namespace;
    const services = uniqSorted(pe.flatMap((e) => e.services));
    findings.push({
      id: `policy-not-enforced:${key.replace('|', ':')}`,
      kind: 'policy-not-enforced',
      severity: p.action === 'DENY' || p.reason === 'no-proxy' || p.reason === 'bypasses-waypoint' ? 'critical' : 'warning',
      namespace: p.namespace || dstNs,
      objects: uniqSorted([pRef, ...targets]),
      evidence: [`AuthorizationPolicy ${pRef}`, ...pe.map((e) => e.id)],
      message:
        `AuthorizationPolicy ${pRef} (${p.action}) selects traffic from ${listText(clients)} to ${listText(targets)} ` +
        `(${plural(pe.length, 'edge')}) but is not enforced on it: ${p.note}.`,
      fix: fixFor(p, dstNs, services),
    });
  }
  return findings;
}

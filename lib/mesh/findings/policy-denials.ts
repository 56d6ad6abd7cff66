// policy-denials: connections a policy refused in the window (docs/classification.md §8.5): ztunnel's
// authorization denials (response_flags="DENY", `deniedPerSec`) and connection failures attributed to a
// NetworkPolicy that does not admit the source (`droppedBy`). One finding per edge. HTTP 403s are not
// counted: Istio's metrics cannot tell an RBAC denial from the application's own 403.
import type { Finding, GraphNode, KubeSnapshot, MeshGraph } from '../types';
import { indexGraph, nodeRef } from './common';
import { ref, uniqSorted } from '../util';

function rate(n: number): string {
  return n >= 1 ? n.toFixed(1) : n.toPrecision(2);
}

/** A NetworkPolicy ingress peer naming this client (its namespace and app label, when known). */
function peerFor(source: GraphNode | undefined): string {
  if (!source || source.kind === 'unknown') return '- ipBlock: {cidr: <client address>/32}';
  return `- namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${source.namespace}}}\n      podSelector: {matchLabels: {app: ${source.name}}}`;
}

// Same signature as every rule (FindingRule); this one reads only the graph's edges.
export function policyDenialsFindings(_kube: KubeSnapshot, graph: MeshGraph): Finding[] {
  const { nodes, edges } = indexGraph(graph);
  const findings: Finding[] = [];
  for (const e of edges) {
    if (!(e.deniedPerSec && e.deniedPerSec > 0) && !e.droppedBy) continue;
    const source = nodes.get(e.source);
    const target = nodes.get(e.target);
    const src = nodeRef(source, e.source);
    const dst = nodeRef(target, e.target);
    const ns = target?.namespace ?? '';
    const parts: string[] = [];
    const fixes: string[] = [];
    const evidence = [e.id];
    if (e.deniedPerSec && e.deniedPerSec > 0) {
      const zt = (e.policies ?? []).filter((p) => p.kind === 'AuthorizationPolicy' && p.enforcedBy === 'ztunnel');
      const refs = zt.map((p) => `${ref(p.namespace, p.name)} (${p.action}${p.enforced ? '' : ', HTTP rules not enforced'})`);
      parts.push(
        `ztunnel refused ${rate(e.deniedPerSec)} connections/s (response_flags="DENY")` +
          (refs.length > 0 ? `; AuthorizationPolicies ztunnel enforces on this edge: ${refs.join(', ')}` : ''),
      );
      evidence.push(...zt.map((p) => `AuthorizationPolicy ${ref(p.namespace, p.name)}`));
      fixes.push(
        `# if ${src} should reach ${dst}: admit its identity${e.principals?.source ? ` (${e.principals.source})` : ''} in an ALLOW rule, or take it out of the DENY rule\n` +
          (zt.length > 0 ? zt.map((p) => `kubectl -n ${p.namespace} edit authorizationpolicy ${p.name}`).join('\n') : `kubectl get authorizationpolicies -A`),
      );
    }
    if (e.droppedBy) {
      parts.push(`${rate(e.droppedBy.perSec)} connection failures/s (CONNECT) are ${e.droppedBy.note}, which does not admit ${src}`);
      evidence.push(...e.droppedBy.policies);
      const k8s = e.droppedBy.policies.filter((p) => p.startsWith('NetworkPolicy '));
      fixes.push(
        `# if ${src} should reach ${dst}, admit it (an ingress peer of the policy; both selectors in one peer = AND):\n` +
          (k8s.length > 0
            ? k8s
                .map((p) => {
                  const [pns, pname] = p.slice('NetworkPolicy '.length).split('/') as [string, string];
                  return `kubectl -n ${pns} edit networkpolicy ${pname}   # spec.ingress[].from:\n    ${peerFor(source)}`;
                })
                .join('\n')
            : `# ${e.droppedBy.policies.join(', ')}: add an Allow rule for the source before the rule or tier end that drops it`),
      );
    }
    findings.push({
      id: `policy-denials:${e.id}`,
      kind: 'policy-denials',
      severity: 'warning',
      namespace: ns,
      objects: uniqSorted([src, dst]),
      evidence,
      message: `Connections from ${src} to ${dst} are refused by policy: ${parts.join('; ')}. Intended denials need no action; anything else is an outage for this client.`,
      fix: fixes.join('\n'),
    });
  }
  return findings;
}

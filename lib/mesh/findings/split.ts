// split-drift and split-not-applied (docs/classification.md §9.2): a configured traffic split whose observed
// shares differ from its weights by more than SPLIT_DRIFT_THRESHOLD (with SPLIT_MIN_REQUESTS requests to
// judge), and a split configured for traffic whose path cannot apply it (ztunnel without a waypoint,
// out-of-mesh clients). Reads graph.splits (lib/mesh/split.ts); nothing when the graph carries none.
import type { Finding, KubeSnapshot, MeshGraph, TrafficSplit } from '../types';
import { indexGraph, listText, nodeRef } from './common';
import { uniqSorted } from '../util';

const pct = (x: number) => `${Math.round(x * 100)}%`;

function objectRef(s: TrafficSplit): string {
  return `${s.kind} ${s.namespace}/${s.name}`;
}

export function splitFindings(_kube: KubeSnapshot, graph: MeshGraph): Finding[] {
  const { nodes } = indexGraph(graph);
  const findings: Finding[] = [];
  for (const s of graph.splits ?? []) {
    if (s.drift && s.maxDelta !== undefined) {
      const worst = [...s.backends].sort(
        (a, b) => Math.abs((b.observedShare ?? 0) - b.configuredShare) - Math.abs((a.observedShare ?? 0) - a.configuredShare),
      )[0]!;
      const lines = s.backends.map(
        (b) => `${b.ref} (${b.versions.join(', ') || 'no pods'}) configured ${pct(b.configuredShare)}, observed ${pct(b.observedShare ?? 0)}`,
      );
      findings.push({
        id: `split-drift:${s.id}`,
        kind: 'split-drift',
        severity: 'warning',
        namespace: s.namespace,
        objects: uniqSorted([`${s.namespace}/${s.name}`, s.parent]),
        evidence: [objectRef(s)],
        message:
          `${objectRef(s)} splits ${s.parent}: ${lines.join('; ')}. ${worst.ref} is off by ${Math.round(Math.abs((worst.observedShare ?? 0) - worst.configuredShare) * 100)} points ` +
          `(threshold ${Math.round(s.driftThreshold * 100)}; ${Math.round(s.requests).toLocaleString('en-US')} requests in the window).`,
        fix:
          s.notApplied.length > 0
            ? `Part of the traffic does not pass a proxy that applies the split (see split-not-applied for ${objectRef(s)}); route it through a waypoint or sidecar, then compare again.`
            : `Check that ${objectRef(s)} is accepted (kubectl get ${s.kind === 'HTTPRoute' ? 'httproute' : 'virtualservice'} -n ${s.namespace} ${s.name} -o yaml: status), that clients call ${s.parent} and not the version Services directly, and that no session affinity pins clients to one version.`,
      });
    }
    if (s.notApplied.length > 0) {
      const clients = uniqSorted(s.notApplied.map((p) => nodeRef(nodes.get(p.source), p.source)));
      const reasons = uniqSorted(s.notApplied.map((p) => p.reason));
      const ambient = s.notApplied.some((p) => graph.edges.find((e) => e.id === p.edge)?.path === 'ambient');
      const [ns, name] = s.parent.split('/') as [string, string];
      findings.push({
        id: `split-not-applied:${s.id}`,
        kind: 'split-not-applied',
        severity: 'warning',
        namespace: s.namespace,
        objects: uniqSorted([`${s.namespace}/${s.name}`, s.parent]),
        evidence: [objectRef(s), ...s.notApplied.map((p) => p.edge)],
        message: `${objectRef(s)} splits ${s.parent}, but traffic from ${listText(clients)} cannot be split on its path: ${reasons.join('; ')}.`,
        fix: ambient
          ? `istioctl waypoint apply -n ${ns} --wait && kubectl label service -n ${ns} ${name} istio.io/use-waypoint=waypoint   # a waypoint routes the ambient clients' requests` +
            (s.kind === 'VirtualService' ? `\n# waypoints implement Gateway API routes: express the split as an HTTPRoute with parentRef Service ${name}` : '')
          : `Bring the clients into the mesh (a sidecar, or ambient with a waypoint) so a proxy routes their requests.`,
      });
    }
  }
  return findings;
}

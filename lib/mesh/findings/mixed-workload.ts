// mixed-workload: a workload whose pods run in different modes — a migration rollout in progress
// (docs/classification.md §1 mode "mixed"). info while it is only a rollout; warning when part of its traffic
// already lost L7 telemetry (edges into it marked partialL7, or ambient pods without a waypoint).
import type { Finding, KubeSnapshot, MeshGraph } from '../types';
import { cmp, indexGraph } from './common';
import { inventoryOf } from '../inventory';
import { restartCommand } from '../kubectl';
import { ambientRequested, podIntent, sidecarRequested } from '../pods';
import { ref } from '../util';
import { applicationWorkloads } from '../workloads';

export function mixedWorkloadFindings(kube: KubeSnapshot, graph: MeshGraph): Finding[] {
  const { nodes, edges } = indexGraph(graph);
  const inv = inventoryOf(kube);
  const findings: Finding[] = [];
  for (const w of applicationWorkloads(inv.workloads)) {
    if (w.mode !== 'mixed') continue;
    const counts = w.counts;
    const parts = (['sidecar', 'ambient', 'none'] as const).filter((m) => counts[m] > 0).map((m) => `${counts[m]} ${m}`);
    const node = [...nodes.values()].find((n) => n.kind === 'workload' && n.namespace === w.namespace && n.name === w.name);
    const intoIt = node ? edges.filter((e) => e.target === node.id) : [];
    const partial = intoIt.filter((e) => e.partialL7);
    const ambientPods = w.pods.filter((p) => p.classification.mode === 'ambient');
    const waypointed = ambientPods.length > 0 && inv.waypoints.workloadWaypoint(w) !== undefined;
    const l7Loss = partial.length > 0 || (ambientPods.length > 0 && counts.sidecar > 0 && !waypointed);

    // The namespace's intent, by the same webhook/istio-cni rules as the pods' (pods.ts).
    const ns = inv.namespace(w.namespace);
    const probe = w.pods[0]!.pod;
    const nsOnly = { ...probe, labels: {}, annotations: {} };
    const wantsSidecar = sidecarRequested(podIntent(nsOnly, ns));
    const target = ambientRequested(nsOnly, ns) && !wantsSidecar ? 'ambient' : wantsSidecar ? 'sidecar' : undefined;
    let message = `${w.ref} runs pods in different modes (${parts.join(', ')} of ${w.pods.length}): a migration rollout in progress${
      target ? ` towards ${target} (the namespace's intent)` : ''
    }.`;
    if (l7Loss) {
      message += ` Requests served by its ambient pods have no L7 telemetry${waypointed ? '' : ' (no waypoint serves it)'}, so its request rate and error rate only cover the sidecar pods${
        partial.length > 0 ? ` on ${partial.length} edge${partial.length > 1 ? 's' : ''}` : ''
      }.`;
    }
    const fix =
      `${restartCommand(w.kind, w.name, w.namespace)}   # finish the rollout so every pod runs in the namespace's mode` +
      (target === 'ambient' && !waypointed ? `\nistioctl waypoint apply -n ${w.namespace} --enroll-namespace --wait   # keep L7 telemetry after the move` : '');
    findings.push({
      id: `mixed-workload:${w.ref}`,
      kind: 'mixed-workload',
      severity: l7Loss ? 'warning' : 'info',
      namespace: w.namespace,
      objects: [w.ref, ...w.pods.map((p) => ref(p.pod.namespace, p.pod.name)).sort(cmp)],
      evidence: [
        ...w.pods
          .map((p) => `Pod ${ref(p.pod.namespace, p.pod.name)}: ${p.classification.mode}${p.classification.ambientPending ? ' (redirection pending)' : ''}`)
          .sort(cmp),
        ...partial.map((e) => e.id),
      ],
      message,
      fix,
    });
  }
  return findings;
}

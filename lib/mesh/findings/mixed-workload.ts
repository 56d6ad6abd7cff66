// mixed-workload: a workload whose pods run in different modes — a migration rollout in progress
// (product.md §1 mode "mixed"). info while it is only a rollout; warning when part of its traffic
// already lost L7 telemetry (edges into it marked partialL7, or ambient pods without a waypoint).
import type { Finding, KubeSnapshot, MeshGraph } from '../types';
import { cmp, indexGraph } from './common';
import { L_DATAPLANE, L_INJECTION, L_REV, allPodFacts, appWorkloads, podWaypoint, ref, restartCommand, servicesSelecting, serviceWaypoint } from './kube-facts';

export function mixedWorkloadFindings(kube: KubeSnapshot, graph: MeshGraph): Finding[] {
  const { nodes, edges } = indexGraph(graph);
  const findings: Finding[] = [];
  for (const w of appWorkloads(allPodFacts(kube))) {
    if (w.mode !== 'mixed') continue;
    const counts = { sidecar: 0, ambient: 0, none: 0 };
    for (const p of w.pods) counts[p.mode] += 1;
    const parts = (['sidecar', 'ambient', 'none'] as const).filter((m) => counts[m] > 0).map((m) => `${counts[m]} ${m}`);
    const node = [...nodes.values()].find((n) => n.kind === 'workload' && n.namespace === w.namespace && n.name === w.name);
    const intoIt = node ? edges.filter((e) => e.target === node.id) : [];
    const partial = intoIt.filter((e) => e.partialL7);
    const ambientPods = w.pods.filter((p) => p.mode === 'ambient');
    const waypointed = ambientPods.some(
      (p) => podWaypoint(kube, p.pod) || servicesSelecting(kube, p.pod).some((s) => serviceWaypoint(kube, s)),
    );
    const l7Loss = partial.length > 0 || (ambientPods.length > 0 && counts.sidecar > 0 && !waypointed);

    const nsLabels = kube.namespaces.find((n) => n.name === w.namespace)?.labels ?? {};
    const target =
      nsLabels[L_DATAPLANE] === 'ambient' && nsLabels[L_INJECTION] !== 'enabled'
        ? 'ambient'
        : nsLabels[L_INJECTION] === 'enabled' || nsLabels[L_REV]
          ? 'sidecar'
          : undefined;
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
          .map((p) => `Pod ${ref(p.pod.namespace, p.pod.name)}: ${p.mode}`)
          .sort(cmp),
        ...partial.map((e) => e.id),
      ],
      message,
      fix,
    });
  }
  return findings;
}

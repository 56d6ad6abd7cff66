// The check that /api/graph and /api/namespaces cannot disagree on a pod's mode (docs/classification.md §1, §4):
// both read the inventory's classification, so every application workload node's mode and pod counts must
// fit the namespace row of its namespace, and each row must be consistent with its own counts. Used by the
// unit test over lib/mesh/testing fixtures and by the integration test over the demo mesh.
import type { GraphNode, NamespaceSummary, PodCounts, WorkloadMode } from '../types';

type Row = NamespaceSummary & { pods?: PodCounts; telemetryOnly?: boolean };

const POD_MODES = ['sidecar', 'ambient', 'none'] as const;
const WORKLOAD_MODES = [...POD_MODES, 'mixed'] as const;

/** Mode of a set of counts: one mode with pods → it; none → "none"; several → "mixed" (workloads.ts combineModes). */
function modeOfCounts(counts: Partial<Record<WorkloadMode, number>>): WorkloadMode {
  const present = WORKLOAD_MODES.filter((m) => (counts[m] ?? 0) > 0);
  if (present.length === 0) return 'none';
  return present.length === 1 ? present[0]! : 'mixed';
}

/**
 * Every disagreement between the graph's workload nodes and the namespace rows, as readable lines ([] when
 * they agree). Nodes without Kubernetes facts (telemetry-only, no pod counts) and infrastructure kinds
 * (waypoints, gateways, services, unknown peers) are not application workloads and are skipped.
 */
export function modeDisagreements(nodes: readonly GraphNode[], rows: readonly Row[]): string[] {
  const out: string[] = [];
  const byName = new Map(rows.map((r) => [r.name, r]));

  for (const r of rows) {
    const w = r.workloads;
    const sum = w.sidecar + w.ambient + w.none + w.mixed;
    if (w.total !== sum) out.push(`namespace ${r.name}: workloads.total ${w.total} ≠ ${sum}`);
    const expected = modeOfCounts(w);
    if (r.mode !== expected) out.push(`namespace ${r.name}: mode ${r.mode} but its workloads say ${expected} (${JSON.stringify(w)})`);
    if (r.pods) {
      const podSum = r.pods.sidecar + r.pods.ambient + r.pods.none;
      if (r.pods.total !== podSum) out.push(`namespace ${r.name}: pods.total ${r.pods.total} ≠ ${podSum}`);
      // A namespace of only "mixed" workloads has pods in several modes; otherwise pod modes ⊆ workload modes.
      for (const m of POD_MODES) {
        if (r.pods[m] > 0 && w[m] === 0 && w.mixed === 0) out.push(`namespace ${r.name}: ${r.pods[m]} ${m} pods but no ${m} or mixed workload`);
      }
    }
  }

  const podsPerNamespace = new Map<string, PodCounts>();
  const modesPerNamespace = new Map<string, Partial<Record<WorkloadMode, number>>>();
  for (const n of nodes) {
    if (n.kind !== 'workload' || n.telemetryOnly || n.mode === undefined || n.pods === undefined) continue;
    const where = `${n.id} (${n.mode})`;
    const own = modeOfCounts(n.pods);
    if (own !== n.mode) out.push(`${where}: its pods say ${own} (${JSON.stringify(n.pods)})`);
    const r = byName.get(n.namespace);
    if (!r) {
      out.push(`${where}: no /api/namespaces row for ${n.namespace}`);
      continue;
    }
    if (r.telemetryOnly) continue;
    if (r.workloads[n.mode] < 1) out.push(`${where}: namespace ${n.namespace} counts no ${n.mode} workload (${JSON.stringify(r.workloads)})`);
    if (r.mode !== 'mixed' && r.mode !== n.mode) out.push(`${where}: namespace ${n.namespace} is ${r.mode}`);
    const acc = podsPerNamespace.get(n.namespace) ?? { total: 0, sidecar: 0, ambient: 0, none: 0 };
    for (const m of POD_MODES) acc[m] += n.pods[m];
    acc.total += n.pods.total;
    podsPerNamespace.set(n.namespace, acc);
    const modes = modesPerNamespace.get(n.namespace) ?? {};
    modes[n.mode] = (modes[n.mode] ?? 0) + 1;
    modesPerNamespace.set(n.namespace, modes);
  }
  // The graph shows the workloads with traffic: a subset of the namespace's, never more pods of a mode.
  for (const [ns, acc] of podsPerNamespace) {
    const r = byName.get(ns)!;
    for (const m of POD_MODES) {
      if (r.pods && acc[m] > r.pods[m]) out.push(`namespace ${ns}: the graph's workloads have ${acc[m]} ${m} pods, /api/namespaces ${r.pods[m]}`);
    }
    for (const [m, k] of Object.entries(modesPerNamespace.get(ns)!) as [WorkloadMode, number][]) {
      if (k > r.workloads[m]) out.push(`namespace ${ns}: the graph has ${k} ${m} workloads, /api/namespaces ${r.workloads[m]}`);
    }
  }
  return out;
}

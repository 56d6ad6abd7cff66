// Findings engine: every rule is a pure function (kube, graph) → Finding[] in its own module.
import type { Finding, KubeSnapshot, MeshGraph } from '../types';
import { compareFindings } from './common';
import { l7GapFindings } from './l7-gap';
import { l7PolicyNotEnforcedFindings } from './l7-policy-not-enforced';
import { mixedWorkloadFindings } from './mixed-workload';
import { modeMismatchFindings } from './mode-mismatch';
import { plaintextFindings } from './plaintext';
import { splitFindings } from './split';
import { policyDenialsFindings } from './policy-denials';
import { policyNotEnforcedFindings } from './policy-not-enforced';
import { versionDriftFindings } from './version-drift';
import { waypointBypassFindings } from './waypoint-bypass';

export type FindingRule = (kube: KubeSnapshot, graph: MeshGraph) => Finding[];

export const FINDING_RULES: readonly FindingRule[] = [
  l7GapFindings,
  l7PolicyNotEnforcedFindings,
  policyNotEnforcedFindings,
  policyDenialsFindings,
  waypointBypassFindings,
  plaintextFindings,
  modeMismatchFindings,
  mixedWorkloadFindings,
  versionDriftFindings,
  splitFindings,
];

/**
 * Run every findings rule over a Kubernetes snapshot and the (folded) mesh graph of a window.
 *
 * Pure and deterministic: the result is sorted by severity (critical, warning, info), then
 * namespace, kind and id; ids are stable across polls (derived from object refs / edge ids).
 * Rules that need Kubernetes objects (mode-mismatch, mixed-workload, version-drift,
 * l7-policy-not-enforced) return nothing when `kube.available` is false; graph-based rules
 * return nothing for an empty graph.
 *
 * @param kube  the Kubernetes snapshot (lib/kube)
 * @param graph the MeshGraph of the window, folded waypoint view (expanded legs are ignored)
 */
export function runFindings(kube: KubeSnapshot, graph: MeshGraph): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const rule of FINDING_RULES) {
    for (const f of rule(kube, graph)) {
      if (seen.has(f.id)) continue;
      seen.add(f.id);
      out.push(f);
    }
  }
  return out.sort(compareFindings);
}

/** Counts per severity, e.g. for a namespace row. */
export function countBySeverity(findings: Finding[]): Record<Finding['severity'], number> {
  const c = { critical: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity] += 1;
  return c;
}

export { compareFindings } from './common';

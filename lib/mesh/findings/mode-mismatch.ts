// mode-mismatch: intent (labels) and actual data-plane state (annotations) disagree
// (product.md §1: flagged, never silently classified by the label; facts: istio-telemetry.md §1.1–1.3).
// The same issues feed NamespaceSummary.issues.
import type { Finding, KubeSnapshot, MeshGraph, Severity } from '../types';
import {
  A_REDIRECTION,
  L_DATAPLANE,
  L_INJECTION,
  L_REV,
  allPodFacts,
  appWorkloads,
  restartCommand,
  ref,
  type PodFacts,
} from './kube-facts';

export type ModeIssueCode =
  | 'both-requested-namespace'
  | 'redirection-pending'
  | 'ambient-not-captured'
  | 'ambient-label-on-sidecar-pod'
  | 'sidecar-in-ambient-namespace'
  | 'injection-missing';

export interface ModeIssue {
  code: ModeIssueCode;
  severity: Severity;
  namespace: string;
  /** "ns/workload" or "ns" for namespace-level issues. */
  subject: string;
  pods: string[];
  /** One line, human readable, for NamespaceSummary.issues. */
  text: string;
  evidence: string[];
  fix: string;
}

function podEvidence(f: PodFacts, what: string): string {
  return `Pod ${ref(f.pod.namespace, f.pod.name)}: ${what}`;
}

/** Every intent/state mismatch of the snapshot, in a deterministic order. */
export function modeIssues(kube: KubeSnapshot): ModeIssue[] {
  const issues: ModeIssue[] = [];
  const facts = allPodFacts(kube);

  for (const ns of [...kube.namespaces].sort((a, b) => a.name.localeCompare(b.name))) {
    const l = ns.labels;
    const injection = l[L_INJECTION] === 'enabled' || (l[L_INJECTION] === undefined && l[L_REV] !== undefined);
    if (injection && l[L_DATAPLANE] === 'ambient') {
      const label = l[L_INJECTION] === 'enabled' ? L_INJECTION : L_REV;
      issues.push({
        code: 'both-requested-namespace',
        severity: 'warning',
        namespace: ns.name,
        subject: ns.name,
        pods: [],
        text: `namespace requests both sidecar injection (${label}=${l[label]}) and ambient (${L_DATAPLANE}=ambient): pods get sidecars and istio-cni never captures them`,
        evidence: [`Namespace ${ns.name}: ${label}=${l[label]}, ${L_DATAPLANE}=ambient`],
        fix: `# pick one mode; for ambient:\nkubectl label namespace ${ns.name} ${label}-\nkubectl rollout restart deployment -n ${ns.name}`,
      });
    }
  }

  for (const w of appWorkloads(facts)) {
    const groups: Partial<Record<ModeIssueCode, PodFacts[]>> = {};
    const add = (code: ModeIssueCode, f: PodFacts) => (groups[code] ??= []).push(f);
    const nsLabels = kube.namespaces.find((n) => n.name === w.namespace)?.labels ?? {};
    const nsBoth = nsLabels[L_DATAPLANE] === 'ambient' && (nsLabels[L_INJECTION] === 'enabled' || (nsLabels[L_INJECTION] === undefined && nsLabels[L_REV] !== undefined));
    for (const f of w.pods) {
      if (f.redirection === 'pending') add('redirection-pending', f);
      else if (f.mode === 'sidecar' && f.pod.labels[L_DATAPLANE] === 'ambient') add('ambient-label-on-sidecar-pod', f);
      else if (f.mode === 'none' && f.ambientRequested && f.redirection === undefined) add('ambient-not-captured', f);
      else if (f.mode === 'sidecar' && f.ambientRequested && !f.injectionRequested && w.mode !== 'mixed' && !nsBoth) add('sidecar-in-ambient-namespace', f);
      else if (f.mode === 'none' && f.injectionRequested && !f.ambientRequested && !f.pod.hostNetwork) add('injection-missing', f);
    }
    const restart = restartCommand(w.kind, w.name, w.namespace);
    const nodes = (ps: PodFacts[]) => [...new Set(ps.map((p) => p.pod.nodeName).filter((n): n is string => !!n))].sort();
    for (const code of Object.keys(groups).sort() as ModeIssueCode[]) {
      const ps = groups[code]!;
      const podRefs = ps.map((p) => ref(p.pod.namespace, p.pod.name)).sort();
      const n = `${ps.length}/${w.pods.length} pod${w.pods.length > 1 ? 's' : ''}`;
      const base = { code, namespace: w.namespace, subject: w.ref, pods: podRefs };
      switch (code) {
        case 'redirection-pending': {
          const nodeSel = nodes(ps);
          issues.push({
            ...base,
            severity: 'critical',
            text: `${w.ref}: ${n} labelled ambient but ${A_REDIRECTION}=pending — no ztunnel has accepted them, so they pass no traffic`,
            evidence: ps.map((p) => podEvidence(p, `${A_REDIRECTION}=pending`)),
            fix:
              `# check the ztunnel on ${nodeSel.join(', ') || 'the pod\'s node'} is running and ready:\n` +
              (nodeSel.length > 0
                ? nodeSel.map((nd) => `kubectl get pods -n ${kube.istioNamespace} -l app=ztunnel --field-selector spec.nodeName=${nd}`).join('\n')
                : `kubectl get pods -n ${kube.istioNamespace} -l app=ztunnel -o wide`) +
              `\n# once it is ready, recreate the pods:\n${restart}`,
          });
          break;
        }
        case 'ambient-label-on-sidecar-pod':
          issues.push({
            ...base,
            severity: 'warning',
            text: `${w.ref}: ${n} labelled ${L_DATAPLANE}=ambient but run a sidecar — istio-cni never captures sidecar pods, so they stay in sidecar mode`,
            evidence: ps.map((p) => podEvidence(p, `label ${L_DATAPLANE}=ambient and annotation sidecar.istio.io/status`)),
            fix: `# for ambient: stop injection for this workload (pod template label sidecar.istio.io/inject: "false", or remove the namespace injection label), then\n${restart}`,
          });
          break;
        case 'ambient-not-captured': {
          const nodeSel = nodes(ps);
          issues.push({
            ...base,
            severity: 'warning',
            text: `${w.ref}: ${n} should be ambient (${L_DATAPLANE}=ambient) but are not captured by ztunnel (no ${A_REDIRECTION} annotation)`,
            evidence: ps.map((p) => podEvidence(p, `no ${A_REDIRECTION} annotation`)),
            fix:
              `# check istio-cni on ${nodeSel.join(', ') || 'the node'}:\n` +
              `kubectl get pods -n ${kube.istioNamespace} -l k8s-app=istio-cni-node -o wide\n${restart}`,
          });
          break;
        }
        case 'sidecar-in-ambient-namespace':
          issues.push({
            ...base,
            severity: 'warning',
            text: `${w.ref}: namespace is labelled ambient and no longer injects, but ${n} still run sidecars (created before the change)`,
            evidence: ps.map((p) => podEvidence(p, 'annotation sidecar.istio.io/status')),
            fix: `${restart}   # new pods start without a sidecar and are captured by ztunnel`,
          });
          break;
        case 'injection-missing':
          issues.push({
            ...base,
            severity: 'warning',
            text: `${w.ref}: sidecar injection is enabled but ${n} have no sidecar (created before injection was enabled, or injection failed)`,
            evidence: ps.map((p) => podEvidence(p, 'no sidecar.istio.io/status annotation')),
            fix: restart,
          });
          break;
      }
    }
  }
  return issues;
}

// Same signature as every rule (FindingRule); this one needs only the Kubernetes objects.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function modeMismatchFindings(kube: KubeSnapshot, _graph: MeshGraph): Finding[] {
  return modeIssues(kube).map((i) => ({
    id: `mode-mismatch:${i.subject}:${i.code}`,
    kind: 'mode-mismatch',
    severity: i.severity,
    namespace: i.namespace,
    objects: i.subject.includes('/') ? [i.subject, ...i.pods] : [i.subject],
    evidence: i.evidence,
    message: `${i.text}.`,
    fix: i.fix,
  }));
}

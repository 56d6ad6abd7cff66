// mode-mismatch: intent (labels) and actual data-plane state (annotations) disagree
// (docs/classification.md §1: flagged, never silently classified by the label; facts: docs/istio-telemetry.md §1.1–1.3).
// Which pod is mismatched, and how, is decided once by lib/mesh/pods.ts podMismatches (reached through the
// inventory's ClassifiedPod.issues, the same list the graph's node issues come from); this module only groups
// those per workload and namespace and writes the fix. The same issues feed NamespaceSummary.issues.
import { inventoryOf } from '../inventory';
import { restartCommand } from '../kubectl';
import {
  ambientRequested,
  podIntent,
  sidecarRequested,
  ANNOTATION_REDIRECTION,
  LABEL_DATAPLANE_MODE,
  LABEL_INJECTION,
  LABEL_REV,
  type PodIssueCode,
} from '../pods';
import type { Finding, KubeSnapshot, MeshGraph, NamespaceInfo, PodInfo, Severity } from '../types';
import { ref, uniqSorted } from '../util';
import { applicationWorkloads, type ClassifiedPod } from '../workloads';

export type ModeIssueCode =
  Exclude<PodIssueCode, 'sidecar-not-migrated'> | 'both-requested-namespace' | 'ambient-label-on-sidecar-pod' | 'sidecar-in-ambient-namespace';

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

const SEVERITY: Record<ModeIssueCode, Severity> = {
  'both-requested-namespace': 'warning',
  'both-requested': 'warning',
  'redirection-pending': 'critical',
  'ambient-not-captured': 'warning',
  'ambient-host-network': 'info',
  'injection-missing': 'warning',
  'ambient-label-on-sidecar-pod': 'warning',
  'sidecar-in-ambient-namespace': 'warning',
  'sidecar-not-requested': 'info',
  'ambient-not-requested': 'info',
};

/** Does the Namespace itself ask for both a sidecar and ambient (the pods.ts rule, with no pod labels)? */
function namespaceRequestsBoth(ns: NamespaceInfo): boolean {
  const bare: PodInfo = {
    namespace: ns.name,
    name: '',
    labels: {},
    annotations: {},
    phase: 'Running',
    hostNetwork: false,
    serviceAccount: '',
    workload: { kind: 'Pod', name: '' },
    containers: [],
    initContainers: [],
  };
  return ambientRequested(bare, ns) && sidecarRequested(podIntent(bare, ns));
}

/** Finding code of one pod issue; undefined when a namespace-level issue already says it. */
function codeOf(code: PodIssueCode, labelOn: 'pod' | 'namespace', p: ClassifiedPod, nsBoth: boolean): ModeIssueCode | undefined {
  if (code === 'both-requested') {
    if (labelOn === 'namespace' && nsBoth) return undefined;
    return p.classification.class === 'sidecar' ? 'ambient-label-on-sidecar-pod' : 'both-requested';
  }
  if (code === 'sidecar-not-migrated') return labelOn === 'pod' ? 'ambient-label-on-sidecar-pod' : 'sidecar-in-ambient-namespace';
  return code;
}

function podEvidence(p: ClassifiedPod, what: string): string {
  return `Pod ${ref(p.pod.namespace, p.pod.name)}: ${what}`;
}

/** Every intent/state mismatch of the snapshot, in a deterministic order. */
export function modeIssues(kube: KubeSnapshot): ModeIssue[] {
  const inv = inventoryOf(kube);
  const issues: ModeIssue[] = [];
  const bothNs = new Set<string>();

  for (const ns of [...inv.workloads.namespaces.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!namespaceRequestsBoth(ns)) continue;
    bothNs.add(ns.name);
    const l = ns.labels;
    const label = l[LABEL_INJECTION] === 'enabled' ? LABEL_INJECTION : LABEL_REV;
    issues.push({
      code: 'both-requested-namespace',
      severity: SEVERITY['both-requested-namespace'],
      namespace: ns.name,
      subject: ns.name,
      pods: [],
      text: `namespace requests both sidecar injection (${label}=${l[label]}) and ambient (${LABEL_DATAPLANE_MODE}=ambient): pods get sidecars and istio-cni never captures them`,
      evidence: [`Namespace ${ns.name}: ${label}=${l[label]}, ${LABEL_DATAPLANE_MODE}=ambient`],
      fix: `# pick one mode; for ambient:\nkubectl label namespace ${ns.name} ${label}-\nkubectl rollout restart deployment -n ${ns.name}`,
    });
  }

  const ztNamespaces = inv.controlPlane.ztunnelNamespaces.length > 0 ? inv.controlPlane.ztunnelNamespaces : [inv.istioNamespace];
  for (const w of applicationWorkloads(inv.workloads)) {
    const groups = new Map<ModeIssueCode, ClassifiedPod[]>();
    for (const p of w.pods) {
      for (const i of p.issues) {
        const code = codeOf(i.code, i.labelOn, p, bothNs.has(w.namespace));
        // A rollout in progress (some pods already ambient) is the mixed-workload finding's subject.
        if (!code || (code === 'sidecar-in-ambient-namespace' && w.mode === 'mixed')) continue;
        const list = groups.get(code) ?? [];
        if (!list.includes(p)) list.push(p);
        groups.set(code, list);
      }
    }
    const restart = restartCommand(w.kind, w.name, w.namespace);
    const nodes = (ps: ClassifiedPod[]) => uniqSorted(ps.flatMap((p) => (p.pod.nodeName ? [p.pod.nodeName] : [])));
    for (const code of [...groups.keys()].sort()) {
      const ps = groups.get(code)!;
      const podRefs = ps.map((p) => ref(p.pod.namespace, p.pod.name)).sort();
      const n = `${ps.length}/${w.pods.length} pod${w.pods.length > 1 ? 's' : ''}`;
      const base = { code, severity: SEVERITY[code], namespace: w.namespace, subject: w.ref, pods: podRefs };
      const podText = (p: ClassifiedPod) => p.issues.find((i) => codeOf(i.code, i.labelOn, p, bothNs.has(w.namespace)) === code)?.text ?? code;
      switch (code) {
        case 'redirection-pending': {
          const nodeSel = nodes(ps);
          const get = (extra: string) => ztNamespaces.map((zns) => `kubectl get pods -n ${zns} -l app=ztunnel ${extra}`);
          issues.push({
            ...base,
            text: `${w.ref}: ${n} enrolled in ambient but ${ANNOTATION_REDIRECTION}=pending — no ztunnel has accepted them, so they pass no traffic`,
            evidence: ps.map((p) => podEvidence(p, `${ANNOTATION_REDIRECTION}=pending`)),
            fix:
              `# check the ztunnel on ${nodeSel.join(', ') || "the pod's node"} is running and ready:\n` +
              (nodeSel.length > 0 ? nodeSel.flatMap((nd) => get(`--field-selector spec.nodeName=${nd}`)) : get('-o wide')).join('\n') +
              `\n# once it is ready, recreate the pods:\n${restart}`,
          });
          break;
        }
        case 'ambient-label-on-sidecar-pod':
          issues.push({
            ...base,
            text: `${w.ref}: ${n} labelled ${LABEL_DATAPLANE_MODE}=ambient but run a sidecar — istio-cni never captures sidecar pods, so they stay in sidecar mode`,
            evidence: ps.map((p) => podEvidence(p, `label ${LABEL_DATAPLANE_MODE}=ambient and annotation sidecar.istio.io/status`)),
            fix: `# for ambient: stop injection for this workload (pod template label sidecar.istio.io/inject: "false", or remove the namespace injection label), then\n${restart}`,
          });
          break;
        case 'ambient-not-captured': {
          const nodeSel = nodes(ps);
          issues.push({
            ...base,
            text: `${w.ref}: ${n} should be ambient (${LABEL_DATAPLANE_MODE}=ambient) but are not captured by ztunnel (no ${ANNOTATION_REDIRECTION} annotation)`,
            evidence: ps.map((p) => podEvidence(p, `no ${ANNOTATION_REDIRECTION} annotation`)),
            fix: `# check istio-cni on ${nodeSel.join(', ') || 'the node'}:\n` + `kubectl get pods -A -l k8s-app=istio-cni-node -o wide\n${restart}`,
          });
          break;
        }
        case 'sidecar-in-ambient-namespace':
          issues.push({
            ...base,
            text: `${w.ref}: namespace is labelled ambient and no longer injects, but ${n} still run sidecars (created before the change)`,
            evidence: ps.map((p) => podEvidence(p, 'annotation sidecar.istio.io/status')),
            fix: `${restart}   # new pods start without a sidecar and are captured by ztunnel`,
          });
          break;
        case 'injection-missing':
          issues.push({
            ...base,
            text: `${w.ref}: sidecar injection is enabled but ${n} have no sidecar (created before injection was enabled, or injection failed)`,
            evidence: ps.map((p) => podEvidence(p, 'no sidecar.istio.io/status annotation')),
            fix: restart,
          });
          break;
        default:
          issues.push({
            ...base,
            text: `${w.ref}: ${n}: ${podText(ps[0]!)}`,
            evidence: ps.map((p) => podEvidence(p, podText(p))),
            fix:
              code === 'ambient-host-network'
                ? `# hostNetwork pods stay out of the mesh; drop the label (or hostNetwork) to make the intent match:\nkubectl -n ${w.namespace} label pods -l app=${w.name} ${LABEL_DATAPLANE_MODE}-`
                : code === 'both-requested'
                  ? `# pick one mode: remove the injection label (or ${LABEL_DATAPLANE_MODE}=ambient) from the pod template, then\n${restart}`
                  : `# make the labels say what the pods run (or ${restart} to apply the labels)`,
          });
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

// version-drift: Istio proxies (sidecars incl. native sidecars, gateways, waypoints, ztunnel) that
// run a different version or revision than the rest of the mesh. Baseline = istiod's image tag
// when istiod is visible, else the most common proxy version. One finding per namespace with
// outliers; it lists every version in use and where.
import type { Finding, KubeSnapshot, MeshGraph } from '../types';
import { cmp, listText, plural } from './common';
import { inventoryOf } from '../inventory';
import { restartCommand } from '../kubectl';
import type { PodClass } from '../pods';
import { ref } from '../util';
import type { ClassifiedPod } from '../workloads';

/** A running Istio proxy of the inventory (sidecar, gateway, waypoint, ztunnel) with its version. */
export interface ProxyPod {
  pod: ClassifiedPod;
  class: PodClass;
  /** "ns/workload" */
  workload: string;
  version: string;
}

/** Every pod of the inventory that runs an Istio proxy with a readable version (istiod and istio-cni are not proxies). */
export function proxyPods(pods: readonly ClassifiedPod[]): ProxyPod[] {
  return pods.flatMap((p) => {
    const c = p.classification;
    if (!c.proxyVersion || c.class === 'istiod' || c.class === 'istio-cni' || c.class === 'ambient' || c.class === 'none') return [];
    return [{ pod: p, class: c.class, workload: ref(p.pod.namespace, p.pod.workload.name), version: c.proxyVersion }];
  });
}

const ROLE_LABEL: Partial<Record<PodClass, string>> = {
  sidecar: 'sidecar',
  gateway: 'gateway',
  waypoint: 'waypoint',
  ztunnel: 'ztunnel',
  'ambient-east-west-gateway': 'east-west gateway',
};

const VERSION_RE = /^v?\d+\.\d+(\.\d+)?([-+.].*)?$/;

function minor(v: string): string {
  const m = /^v?(\d+)\.(\d+)/.exec(v);
  return m ? `${m[1]}.${m[2]}` : v;
}

function compareVersions(a: string, b: string): number {
  const pa = a
    .replace(/^v/, '')
    .split(/[.-]/)
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  const pb = b
    .replace(/^v/, '')
    .split(/[.-]/)
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return cmp(String(x), String(y));
  }
  return 0;
}

function mostCommon(xs: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || compareVersions(b[0], a[0]))[0]?.[0];
}

/** Every proxy version in use: "1.27.1" → ["sidecar payments/payments-api ×2", "ztunnel istio-system/ztunnel ×3"]. */
export function proxyVersionsInUse(proxies: ProxyPod[]): Map<string, string[]> {
  const byVersion = new Map<string, Map<string, number>>();
  for (const f of proxies) {
    const where = `${ROLE_LABEL[f.class] ?? f.class} ${f.workload}`;
    const m = byVersion.get(f.version) ?? new Map<string, number>();
    m.set(where, (m.get(where) ?? 0) + 1);
    byVersion.set(f.version, m);
  }
  return new Map(
    [...byVersion.entries()]
      .sort(([a], [b]) => compareVersions(b, a))
      .map(([v, m]) => [v, [...m.entries()].sort(([a], [b]) => cmp(a, b)).map(([w, n]) => `${w} ×${n}`)]),
  );
}

// Same signature as every rule (FindingRule); this one needs only the Kubernetes objects.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function versionDriftFindings(kube: KubeSnapshot, _graph: MeshGraph): Finding[] {
  const pods = inventoryOf(kube).pods;
  const proxies = proxyPods(pods);
  if (proxies.length === 0) return [];
  // Only a version-like istiod tag is a baseline (a digest or "latest" says nothing).
  const istiod = mostCommon(
    pods.flatMap((p) =>
      p.classification.class === 'istiod' && p.classification.proxyVersion && VERSION_RE.test(p.classification.proxyVersion)
        ? [p.classification.proxyVersion]
        : [],
    ),
  );
  const baseline = istiod ?? mostCommon(proxies.map((f) => f.version))!;
  const revisionOf = (f: ProxyPod) => (f.class === 'sidecar' ? f.pod.classification.revision : undefined);
  const baseRev = mostCommon(proxies.flatMap((f) => revisionOf(f) ?? []));
  const inUse = proxyVersionsInUse(proxies);
  const inUseText = [...inUse.entries()].map(([v, where]) => `${v}: ${listText(where, 8)}`).join('; ');

  // Outliers grouped by workload.
  const outliers = new Map<string, ProxyPod[]>();
  for (const f of proxies) {
    const rev = revisionOf(f);
    const revDrift = baseRev !== undefined && rev !== undefined && rev !== baseRev;
    if (f.version === baseline && !revDrift) continue;
    const list = outliers.get(f.workload) ?? [];
    list.push(f);
    outliers.set(f.workload, list);
  }
  if (outliers.size === 0) return [];

  const byNs = new Map<string, [string, ProxyPod[]][]>();
  for (const [w, ps] of [...outliers.entries()].sort(([a], [b]) => cmp(a, b))) {
    const ns = ps[0]!.pod.pod.namespace;
    const list = byNs.get(ns) ?? [];
    list.push([w, ps]);
    byNs.set(ns, list);
  }

  const findings: Finding[] = [];
  for (const [ns, workloads] of [...byNs.entries()].sort(([a], [b]) => cmp(a, b))) {
    const lines: string[] = [];
    const fixes: string[] = [];
    let severity: Finding['severity'] = 'info';
    for (const [w, ps] of workloads) {
      const first = ps[0]!;
      const role = ROLE_LABEL[first.class] ?? first.class;
      const versions = [...new Set(ps.map((p) => p.version))].sort(compareVersions);
      const revs = [...new Set(ps.flatMap((p) => revisionOf(p) ?? []))].sort();
      lines.push(`${role} ${w} (${plural(ps.length, 'pod')}) runs ${versions.join(', ')}${revs.length > 0 ? ` (revision ${revs.join(', ')})` : ''}`);
      if (versions.some((v) => minor(v) !== minor(baseline) || compareVersions(v, baseline) > 0)) severity = 'warning';
      const { kind, name } = first.pod.pod.workload;
      if (first.class === 'ztunnel') {
        fixes.push(`helm upgrade ztunnel istio/ztunnel -n ${ns} --version ${baseline} --reuse-values`);
      } else if (first.class === 'gateway' && first.pod.pod.annotations['inject.istio.io/templates'] === 'gateway') {
        fixes.push(`${restartCommand(kind, name, ns)}   # re-injects the gateway proxy of its revision`);
      } else {
        fixes.push(
          `${restartCommand(kind, name, ns)}   # re-injects the current proxy (${baseline}); if it stays old, remove a sidecar.istio.io/proxyImage annotation or an old istio.io/rev label`,
        );
      }
    }
    const objects = workloads.flatMap(([w, ps]) => [w, ...ps.map((p) => ref(p.pod.pod.namespace, p.pod.pod.name))]);
    findings.push({
      id: `version-drift:${ns}`,
      kind: 'version-drift',
      severity,
      namespace: ns,
      objects: [...new Set(objects)].sort(cmp),
      evidence: workloads
        .flatMap(([, ps]) =>
          ps.map(
            (p) =>
              `Pod ${ref(p.pod.pod.namespace, p.pod.pod.name)}: ${p.pod.classification.proxyImage ?? p.version}${revisionOf(p) ? ` revision ${revisionOf(p)}` : ''}`,
          ),
        )
        .sort(cmp),
      message:
        `Proxy version drift: ${lines.join('; ')}, while the mesh baseline is ${baseline}${istiod ? ' (istiod)' : ' (most common)'}` +
        `${baseRev ? `, revision ${baseRev}` : ''}. Versions in use — ${inUseText}.`,
      fix: fixes.join('\n'),
    });
  }
  return findings;
}

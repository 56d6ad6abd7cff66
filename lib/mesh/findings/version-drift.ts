// version-drift: Istio proxies (sidecars incl. native sidecars, gateways, waypoints, ztunnel) that
// run a different version or revision than the rest of the mesh. Baseline = istiod's image tag
// when istiod is visible, else the most common proxy version. One finding per namespace with
// outliers; it lists every version in use and where.
import type { Finding, KubeSnapshot, MeshGraph } from '../types';
import { cmp, listText, plural } from './common';
import { allPodFacts, ref, restartCommand, type PodFacts } from './kube-facts';

const ROLE_LABEL: Record<string, string> = {
  app: 'sidecar',
  gateway: 'gateway',
  waypoint: 'waypoint',
  ztunnel: 'ztunnel',
  eastwest: 'east-west gateway',
};

const VERSION_RE = /^v?\d+\.\d+(\.\d+)?([-+.].*)?$/;

function minor(v: string): string {
  const m = /^v?(\d+)\.(\d+)/.exec(v);
  return m ? `${m[1]}.${m[2]}` : v;
}

function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split(/[.-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  const pb = b.replace(/^v/, '').split(/[.-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
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
export function proxyVersionsInUse(facts: PodFacts[]): Map<string, string[]> {
  const byVersion = new Map<string, Map<string, number>>();
  for (const f of facts) {
    if (!f.proxyVersion || f.role === 'istiod' || f.role === 'cni') continue;
    if (f.role === 'app' && f.mode !== 'sidecar') continue;
    const where = `${ROLE_LABEL[f.role] ?? f.role} ${f.workload}`;
    const m = byVersion.get(f.proxyVersion) ?? new Map<string, number>();
    m.set(where, (m.get(where) ?? 0) + 1);
    byVersion.set(f.proxyVersion, m);
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
  const facts = allPodFacts(kube);
  const proxies = facts.filter(
    (f) => f.proxyVersion && f.role !== 'istiod' && f.role !== 'cni' && (f.role !== 'app' || f.mode === 'sidecar'),
  );
  if (proxies.length === 0) return [];
  // Only a version-like istiod tag is a baseline (a digest or "latest" says nothing).
  const istiod = mostCommon(
    facts.filter((f) => f.role === 'istiod' && f.proxyVersion && VERSION_RE.test(f.proxyVersion)).map((f) => f.proxyVersion!),
  );
  const baseline = istiod ?? mostCommon(proxies.map((f) => f.proxyVersion!))!;
  const sidecarRevs = proxies.filter((f) => f.role === 'app' && f.revision).map((f) => f.revision!);
  const baseRev = mostCommon(sidecarRevs);
  const inUse = proxyVersionsInUse(facts);
  const inUseText = [...inUse.entries()].map(([v, where]) => `${v}: ${listText(where, 8)}`).join('; ');

  // Outliers grouped by workload.
  const outliers = new Map<string, PodFacts[]>();
  for (const f of proxies) {
    const revDrift = f.role === 'app' && baseRev !== undefined && f.revision !== undefined && f.revision !== baseRev;
    if (f.proxyVersion === baseline && !revDrift) continue;
    const list = outliers.get(f.workload) ?? [];
    list.push(f);
    outliers.set(f.workload, list);
  }
  if (outliers.size === 0) return [];

  const byNs = new Map<string, [string, PodFacts[]][]>();
  for (const [w, ps] of [...outliers.entries()].sort(([a], [b]) => cmp(a, b))) {
    const ns = ps[0]!.pod.namespace;
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
      const role = ROLE_LABEL[first.role] ?? first.role;
      const versions = [...new Set(ps.map((p) => p.proxyVersion!))].sort(compareVersions);
      const revs = [...new Set(ps.map((p) => p.revision).filter((r): r is string => !!r))].sort();
      lines.push(
        `${role} ${w} (${plural(ps.length, 'pod')}) runs ${versions.join(', ')}${revs.length > 0 ? ` (revision ${revs.join(', ')})` : ''}`,
      );
      if (versions.some((v) => minor(v) !== minor(baseline) || compareVersions(v, baseline) > 0)) severity = 'warning';
      const kind = first.pod.workload.kind;
      const name = first.pod.workload.name;
      if (first.role === 'ztunnel') {
        fixes.push(`helm upgrade ztunnel istio/ztunnel -n ${ns} --version ${baseline} --reuse-values`);
      } else if (first.role === 'gateway' && first.pod.annotations['inject.istio.io/templates'] === 'gateway') {
        fixes.push(`${restartCommand(kind, name, ns)}   # re-injects the gateway proxy of its revision`);
      } else {
        fixes.push(
          `${restartCommand(kind, name, ns)}   # re-injects the current proxy (${baseline}); if it stays old, remove a sidecar.istio.io/proxyImage annotation or an old istio.io/rev label`,
        );
      }
    }
    const objects = workloads.flatMap(([w, ps]) => [w, ...ps.map((p) => ref(p.pod.namespace, p.pod.name))]);
    findings.push({
      id: `version-drift:${ns}`,
      kind: 'version-drift',
      severity,
      namespace: ns,
      objects: [...new Set(objects)].sort(cmp),
      evidence: workloads.flatMap(([, ps]) =>
        ps.map((p) => `Pod ${ref(p.pod.namespace, p.pod.name)}: ${p.proxy?.image ?? p.proxyVersion}${p.revision ? ` revision ${p.revision}` : ''}`),
      ).sort(cmp),
      message:
        `Proxy version drift: ${lines.join('; ')}, while the mesh baseline is ${baseline}${istiod ? ' (istiod)' : ' (most common)'}` +
        `${baseRev ? `, revision ${baseRev}` : ''}. Versions in use — ${inUseText}.`,
      fix: fixes.join('\n'),
    });
  }
  return findings;
}

// The versioned view (docs/classification.md §9.1): an app's versions side by side — traffic, error rate
// and p95 per version — so a canary is judged at a glance. Pure: Kubernetes snapshot + the version
// telemetry (lib/prometheus/queries.ts buildVersionQueries) + the graph → VersionedApp[] and node decorations.
import { inventoryOf } from './inventory';
import { nodeId } from './ids';
import { l7Rates } from './rates';
import type { AppVersion, GraphNode, KubeSnapshot, Labels, MeshGraph, Reporter, TelemetrySample, VersionedApp } from './types';
import { isKnown, known } from './util';

/**
 * Pod labels istiod reads for the canonical revision, first present wins, else `latest`
 * (docs/istio-telemetry.md §1.3 and §7: `destination_version` / `destination_canonical_revision` carry it).
 */
export const CANONICAL_REVISION_LABELS = ['service.istio.io/canonical-revision', 'app.kubernetes.io/version', 'version'] as const;
/** Pod labels istiod reads for the canonical service, first present wins, else the workload name. */
export const CANONICAL_NAME_LABELS = ['service.istio.io/canonical-name', 'app.kubernetes.io/name', 'app'] as const;
/** What Istio reports when no revision label is set. */
export const DEFAULT_REVISION = 'latest';

function firstLabel(labels: Labels, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = labels[n];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/** The version (canonical revision) of a pod, as istiod derives it. */
export function podVersion(labels: Labels): string {
  return firstLabel(labels, CANONICAL_REVISION_LABELS) ?? DEFAULT_REVISION;
}

/** The app (canonical service) of a pod, as istiod derives it. */
export function podApp(labels: Labels, workloadName: string): string {
  return firstLabel(labels, CANONICAL_NAME_LABELS) ?? workloadName;
}

export function appId(cluster: string, namespace: string, app: string): string {
  return `app:${cluster}/${namespace}/${app}`;
}

/** Natural order: v2 before v10. */
export function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

interface Acc {
  cluster: string;
  namespace: string;
  app: string;
  /** version → workload node ids and pods now */
  versions: Map<string, { workloads: Set<string>; pods: number; samples: TelemetrySample[] }>;
}

/**
 * Which reporters count for one version's inbound requests, each request once: a server sidecar
 * (`destination`) sees every request whatever the client, so when it reported, only it counts; otherwise
 * (ambient or out-of-mesh server) the waypoint and client-side Envoys (`source`: sidecars, gateways) each saw
 * a disjoint part (docs/classification.md §9.1).
 */
export function countedReporters(reporters: ReadonlySet<string>): Reporter[] {
  if (reporters.has('destination')) return ['destination'];
  return (['waypoint', 'source'] as const).filter((r) => reporters.has(r));
}

export interface VersionedView {
  apps: VersionedApp[];
  /** The graph's nodes, workloads decorated with `app` and `versions`. */
  nodes: GraphNode[];
}

/**
 * Apps of the graph's workloads with their versions: versions from the pods now (Kubernetes API) and from
 * the window's telemetry (a version gone since still shows its traffic). Only apps with a workload node in
 * the graph (so the namespace filter applies); infrastructure (waypoints, gateways) is not an app.
 */
export function buildVersionedView(snapshots: readonly KubeSnapshot[], graph: MeshGraph, samples: readonly TelemetrySample[], seconds: number): VersionedView {
  const accs = new Map<string, Acc>();
  const workloadApp = new Map<string, { app: string; versions: Set<string> }>();
  const graphNodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const defaultCluster = snapshots[0]?.cluster ?? 'Kubernetes';
  const version = (acc: Acc, v: string) => {
    let e = acc.versions.get(v);
    if (!e) acc.versions.set(v, (e = { workloads: new Set(), pods: 0, samples: [] }));
    return e;
  };
  const accOf = (cluster: string, namespace: string, app: string) => {
    const id = appId(cluster, namespace, app);
    let acc = accs.get(id);
    if (!acc) accs.set(id, (acc = { cluster, namespace, app, versions: new Map() }));
    return acc;
  };
  const noteWorkload = (wid: string, app: string, v: string) => {
    const w = workloadApp.get(wid) ?? { app, versions: new Set<string>() };
    w.versions.add(v);
    workloadApp.set(wid, w);
  };

  for (const kube of snapshots) {
    for (const w of inventoryOf(kube).workloads.workloads.values()) {
      if (w.infrastructure) continue;
      const wid = nodeId('workload', kube.cluster, w.namespace, w.name);
      if (!graphNodes.has(wid)) continue;
      for (const { pod } of w.pods) {
        const app = podApp(pod.labels, w.name);
        const v = podVersion(pod.labels);
        const e = version(accOf(kube.cluster, w.namespace, app), v);
        e.workloads.add(wid);
        e.pods += 1;
        noteWorkload(wid, app, v);
      }
    }
  }

  for (const s of samples) {
    if (s.metric !== 'requests' && s.metric !== 'requestDurationBucket') continue;
    const l = s.labels;
    const ns = known(l.destination_workload_namespace);
    const workload = known(l.destination_workload);
    if (!ns || !workload) continue;
    const cluster = known(l.destination_cluster) ?? defaultCluster;
    const wid = nodeId('workload', cluster, ns, workload);
    // A client-side Envoy reports a waypoint or gateway as its destination: not an app.
    if (!graphNodes.has(wid) || graphNodes.get(wid)!.kind !== 'workload') continue;
    const app = known(l.destination_canonical_service) ?? workloadApp.get(wid)?.app ?? workload;
    const v = isKnown(l.destination_canonical_revision) ? l.destination_canonical_revision : DEFAULT_REVISION;
    const e = version(accOf(cluster, ns, app), v);
    e.workloads.add(wid);
    e.samples.push(s);
    noteWorkload(wid, app, v);
  }

  const apps: VersionedApp[] = [];
  for (const [id, acc] of accs) {
    const versions: AppVersion[] = [];
    for (const [v, e] of acc.versions) {
      const counted = countedReporters(new Set(e.samples.filter((s) => s.metric === 'requests').map((s) => s.labels.reporter ?? '')));
      const pick = (metric: TelemetrySample['metric']) => e.samples.filter((s) => s.metric === metric && counted.includes(s.labels.reporter as Reporter));
      const requests = pick('requests');
      const rates = l7Rates(requests, pick('requestDurationBucket'), seconds);
      const total = requests.reduce((a, s) => a + s.value, 0);
      versions.push({
        version: v,
        workloads: [...e.workloads].sort(),
        ...(e.pods > 0 ? { pods: e.pods } : {}),
        ...(rates.rps !== undefined ? { rps: rates.rps, requests: total } : {}),
        ...(rates.errorRate !== undefined ? { errorRate: rates.errorRate } : {}),
        ...(rates.p95Ms !== undefined ? { p95Ms: rates.p95Ms } : {}),
        ...(counted.length > 0 ? { reporters: counted } : {}),
      });
    }
    const sum = versions.reduce((a, v) => a + (v.rps ?? 0), 0);
    if (sum > 0) for (const v of versions) v.share = (v.rps ?? 0) / sum;
    versions.sort((a, b) => compareVersions(a.version, b.version));
    apps.push({ id, cluster: acc.cluster, namespace: acc.namespace, app: acc.app, versions });
  }
  apps.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const nodes = graph.nodes.map((n) => {
    const w = workloadApp.get(n.id);
    return w && n.kind === 'workload' ? { ...n, app: w.app, versions: [...w.versions].sort(compareVersions) } : n;
  });
  return { apps, nodes };
}

/**
 * Every view: a workload node whose app (canonical service) is not its own name gets `app` — the trace
 * links name spans `<app>.<namespace>` (docs/classification.md §9.3). The versioned view sets it on every
 * workload (buildVersionedView).
 */
export function withAppNames(snapshots: readonly KubeSnapshot[], nodes: readonly GraphNode[]): GraphNode[] {
  const maps = snapshots.map(appNamesOf);
  return nodes.map((n) => {
    if (n.kind !== 'workload') return n;
    let app: string | undefined;
    for (const m of maps) if ((app = m.get(n.id)) !== undefined) break;
    return app ? { ...n, app } : n;
  });
}

/**
 * Workload node id → app name where it differs from the workload's name, per inventory (memoised on it: the
 * inventory lives while the cluster's objects are unchanged). A one-namespace graph of a 2,000-workload
 * cluster then looks up its few nodes instead of walking every workload of the cluster per request.
 */
const APP_NAMES = new WeakMap<object, { cluster: string; map: Map<string, string> }>();

function appNamesOf(kube: KubeSnapshot): Map<string, string> {
  const inv = inventoryOf(kube);
  const memo = APP_NAMES.get(inv.workloads);
  if (memo && memo.cluster === kube.cluster) return memo.map;
  const map = new Map<string, string>();
  for (const w of inv.workloads.workloads.values()) {
    const pod = w.pods[0]?.pod;
    if (w.infrastructure || !pod) continue;
    const app = podApp(pod.labels, w.name);
    if (app !== w.name) map.set(nodeId('workload', kube.cluster, w.namespace, w.name), app);
  }
  APP_NAMES.set(inv.workloads, { cluster: kube.cluster, map });
  return map;
}

/** Apps worth a box of their own in the versioned view: more than one version. */
export function isMultiVersion(app: VersionedApp): boolean {
  return app.versions.length > 1;
}

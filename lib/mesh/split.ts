// Configured traffic splits beside the observed ones (docs/classification.md §9.2): HTTPRoute backendRefs
// weights and VirtualService destinations (DestinationRule subsets), each backend mapped to the versions of
// the pods it selects, compared with the measured share of requests per version (lib/mesh/versions.ts), and
// checked against the paths the traffic takes (a split needs a client-side L7 proxy). Pure.
import type {
  DestinationRuleInfo,
  GraphEdge,
  GraphNode,
  HttpRouteInfo,
  KubeSnapshot,
  MeshGraph,
  PodInfo,
  ServiceInfo,
  SplitBackend,
  SplitPathProblem,
  TrafficSplit,
  VersionedApp,
  VirtualServiceInfo,
} from './types';
import { appId, compareVersions, podApp, podVersion } from './versions';
import { ref, selectorMatches } from './util';

/**
 * Observed and configured shares may differ by this much (10 percentage points) before a split is flagged:
 * weighted round-robin over a few Envoys never lands exactly on the weights, and the diurnal mix of clients
 * moves the share by a few points; a route that is not applied (or applied to part of the traffic) moves it
 * by far more.
 */
export const SPLIT_DRIFT_THRESHOLD = 0.1;
/**
 * Requests needed in the window before a split is judged: with n requests sent with probability p the
 * observed share has a standard deviation of √(p(1−p)/n) ≤ 0.5/√n; at 200 requests that is ≤ 3.5 points,
 * so a 10-point difference is unlikely to be chance (≈ 3σ at p = 0.1 or 0.9, ≈ 2.8σ at p = 0.5).
 */
export const SPLIT_MIN_REQUESTS = 200;

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** A Service named by a route host: "reviews" (relative to `namespace`), "reviews.ns", "reviews.ns.svc[.domain]". */
export function serviceForHost(services: readonly ServiceInfo[], host: string, namespace: string): ServiceInfo | undefined {
  const parts = host.split('.');
  const name = parts[0];
  const ns = parts.length === 1 ? namespace : parts[1];
  if (parts.length > 2 && parts[2] !== 'svc') return undefined;
  return services.find((s) => s.name === name && s.namespace === ns);
}

function podsOf(kube: KubeSnapshot, svc: ServiceInfo, extra: Record<string, string> = {}): PodInfo[] {
  return kube.pods.filter(
    (p) => p.namespace === svc.namespace && selectorMatches(svc.selector, p.labels) && Object.entries(extra).every(([k, v]) => p.labels[k] === v),
  );
}

interface Backend {
  ref: string;
  weight: number;
  pods: PodInfo[];
}

interface RawSplit {
  kind: TrafficSplit['kind'];
  namespace: string;
  name: string;
  rule: number;
  appliedBy: TrafficSplit['appliedBy'];
  parent: string;
  backends: Backend[];
}

function routeSplits(kube: KubeSnapshot, r: HttpRouteInfo): RawSplit[] {
  const out: RawSplit[] = [];
  r.rules.forEach((rule, i) => {
    const refs = rule.backendRefs.filter((b) => b.kind === 'Service');
    if (refs.length < 2) return;
    const backends = refs.map((b) => {
      const svc = kube.services.find((s) => s.namespace === b.namespace && s.name === b.name);
      return { ref: ref(b.namespace, b.name), weight: b.weight, pods: svc ? podsOf(kube, svc) : [] };
    });
    for (const p of r.parentRefs) {
      const isService = p.kind === 'Service' && (p.group === '' || p.group === 'core');
      const isGateway = p.kind === 'Gateway' && p.group === GATEWAY_GROUP;
      if (!isService && !isGateway) continue;
      out.push({
        kind: 'HTTPRoute',
        namespace: r.namespace,
        name: r.name,
        rule: i,
        appliedBy: isService ? 'mesh' : 'gateway',
        parent: ref(p.namespace, p.name),
        backends,
      });
    }
  });
  return out;
}

function subsetLabels(rules: readonly DestinationRuleInfo[], services: readonly ServiceInfo[], svc: ServiceInfo, subset: string, vsNamespace: string) {
  const dr = rules.find(
    (d) =>
      serviceForHost(services, d.host, d.namespace) === svc &&
      d.subsets.some((s) => s.name === subset) &&
      (d.namespace === vsNamespace || d.namespace === svc.namespace),
  );
  return dr?.subsets.find((s) => s.name === subset)?.labels;
}

function virtualServiceSplits(kube: KubeSnapshot, vs: VirtualServiceInfo): RawSplit[] {
  const out: RawSplit[] = [];
  const gateways = vs.gateways.length === 0 ? ['mesh'] : vs.gateways;
  const mesh = gateways.includes('mesh');
  const parentHost = vs.hosts.map((h) => serviceForHost(kube.services, h, vs.namespace)).find((s) => s !== undefined);
  vs.http.forEach((route, i) => {
    if (route.route.length < 2) return;
    const backends: Backend[] = route.route.map((d) => {
      const svc = serviceForHost(kube.services, d.host, vs.namespace);
      const labels = svc && d.subset ? subsetLabels(kube.destinationRules ?? [], kube.services, svc, d.subset, vs.namespace) : {};
      const name = svc ? ref(svc.namespace, svc.name) : d.host;
      // weight: omitted means 0 when there are several destinations (istio/api networking/v1 RouteDestination)
      return { ref: d.subset ? `${name} subset ${d.subset}` : name, weight: d.weight ?? 0, pods: svc && labels ? podsOf(kube, svc, labels) : [] };
    });
    const parent = parentHost ? ref(parentHost.namespace, parentHost.name) : (vs.hosts[0] ?? '');
    out.push({ kind: 'VirtualService', namespace: vs.namespace, name: vs.name, rule: i, appliedBy: mesh ? 'mesh' : 'gateway', parent, backends });
  });
  return out;
}

/**
 * Why an edge's path cannot apply an HTTP split, or undefined when it can: the route is applied where the
 * request is routed — by a waypoint, or by the client's own Envoy (sidecar or gateway). ztunnel moves
 * connections at L4 and routes no requests (docs/classification.md §9.2).
 */
export function splitPathProblem(e: GraphEdge, source: GraphNode | undefined): string | undefined {
  const l7Router = (e.reporters ?? []).some((r) => r.proxy === 'waypoint' || (r.reporter === 'source' && r.proxy === 'envoy'));
  if (l7Router) return undefined;
  if (!source || source.kind === 'unknown' || source.mode === 'none') {
    return 'the client is outside the mesh: no proxy on its side routes its requests, and no waypoint is on the path';
  }
  if (e.path === 'ambient') {
    return 'reaches it through ztunnel without a waypoint: ztunnel works at L4 and cannot apply an HTTP split; bind a waypoint (istio.io/use-waypoint) to the Service';
  }
  return `no proxy on the client side routes these requests (path ${e.path}); only the server's proxy saw them`;
}

function appOfPods(pods: readonly PodInfo[], cluster: string): string | undefined {
  const ids = new Set(pods.map((p) => appId(cluster, p.namespace, podApp(p.labels, p.workload.name))));
  return ids.size === 1 ? [...ids][0] : undefined;
}

/**
 * Every configured split (a route rule with two or more backends) with its observed shares and flags.
 * Observed share of a backend = requests into its versions over the requests into all backends' versions
 * (whoever the client); unknown when two backends share a version or the backends span several apps.
 */
export function buildSplits(kube: KubeSnapshot, graph: MeshGraph, apps: readonly VersionedApp[]): TrafficSplit[] {
  const raw = [...(kube.httpRoutes ?? []).flatMap((r) => routeSplits(kube, r)), ...(kube.virtualServices ?? []).flatMap((v) => virtualServiceSplits(kube, v))];
  if (raw.length === 0) return [];
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const appById = new Map(apps.map((a) => [a.id, a]));
  const out: TrafficSplit[] = [];
  for (const r of raw) {
    const app = appOfPods(
      r.backends.flatMap((b) => b.pods),
      kube.cluster,
    );
    const total = r.backends.reduce((a, b) => a + b.weight, 0);
    const versionsOf = r.backends.map((b) => [...new Set(b.pods.map((p) => podVersion(p.labels)))].sort(compareVersions));
    const seen = versionsOf.flat();
    const disjoint = new Set(seen).size === seen.length && versionsOf.every((v) => v.length > 0);
    const observed = app && disjoint ? appById.get(app) : undefined;
    const requestsOf = (vs: string[]) => (observed?.versions ?? []).filter((v) => vs.includes(v.version)).reduce((a, v) => a + (v.requests ?? 0), 0);
    const perBackend = versionsOf.map(requestsOf);
    const requests = perBackend.reduce((a, n) => a + n, 0);
    const backends: SplitBackend[] = r.backends.map((b, i) => ({
      ref: b.ref,
      versions: versionsOf[i]!,
      weight: b.weight,
      configuredShare: total > 0 ? b.weight / total : 0,
      ...(observed && requests > 0 ? { observedShare: perBackend[i]! / requests } : {}),
    }));
    const judged = observed !== undefined && requests >= SPLIT_MIN_REQUESTS;
    const deltas = judged ? backends.map((b) => Math.abs((b.observedShare ?? 0) - b.configuredShare)) : [];
    const maxDelta = deltas.length > 0 ? Math.max(...deltas) : undefined;

    const notApplied: SplitPathProblem[] = [];
    if (r.appliedBy === 'mesh') {
      const targets = new Set(r.backends.flatMap((b) => b.pods.map((p) => `workload:${kube.cluster}/${p.namespace}/${p.workload.name}`)));
      for (const e of graph.edges) {
        if (e.leg !== undefined || !targets.has(e.target)) continue;
        const source = nodes.get(e.source);
        if (source?.kind === 'waypoint') continue;
        const reason = splitPathProblem(e, source);
        if (reason) notApplied.push({ edge: e.id, source: e.source, reason });
      }
    }
    out.push({
      id: `${r.kind}:${r.namespace}/${r.name}#${r.rule}`,
      kind: r.kind,
      namespace: r.namespace,
      name: r.name,
      appliedBy: r.appliedBy,
      parent: r.parent,
      ...(app ? { app } : {}),
      backends,
      requests,
      judged,
      ...(maxDelta !== undefined ? { maxDelta } : {}),
      drift: maxDelta !== undefined && maxDelta > SPLIT_DRIFT_THRESHOLD,
      driftThreshold: SPLIT_DRIFT_THRESHOLD,
      minRequests: SPLIT_MIN_REQUESTS,
      notApplied: notApplied.sort((a, b) => (a.edge < b.edge ? -1 : a.edge > b.edge ? 1 : 0)),
    });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

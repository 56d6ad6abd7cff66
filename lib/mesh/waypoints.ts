// Waypoints (docs/istio-telemetry.md §1.4, §1.5): which Gateways are waypoints, their waypoint-for,
// and which Services / workloads bind to them through istio.io/use-waypoint — as istiod applies it
// (pilot/pkg/serviceregistry/ambient/waypoints.go):
// - a waypoint exists for istiod once Gateway.status.addresses is non-empty; a Programmed or Accepted
//   condition False means it is not serving either;
// - a binding is the object's own istio.io/use-waypoint(-namespace) label, else its Namespace's; an own
//   label that istiod rejects is not replaced by the Namespace's (no fallback), "none" opts out;
// - the waypoint must admit the bound object's namespace: allowedRoutes.namespaces of its HBONE listener
//   (port 15008): Same (default, also without such a listener), All, or Selector against the Namespace labels;
// - waypoint-for decides what it serves: Services (service|all) or pods (workload|all);
// - at run time ztunnel uses the Service's waypoint for Service-addressed traffic and the workload waypoint
//   only for pod-IP traffic (istio/ztunnel outbound.rs): two paths, not an override chain.
import type { AllowedRoutesInfo, GatewayInfo, KubeSnapshot, LabelSelectorInfo, Labels, NamespaceInfo, PodInfo, ServiceInfo } from './types';
import type { WorkloadIndex, WorkloadInfo } from './workloads';
import { ref, uniqSorted } from './util';

export const WAYPOINT_CLASS = 'istio-waypoint';
/** Controller of Istio's waypoint GatewayClass (a custom class may point at it). */
export const MESH_CONTROLLER = 'istio.io/mesh-controller';
export const HBONE_PORT = 15008;
export const LABEL_WAYPOINT_FOR = 'istio.io/waypoint-for';
export const LABEL_USE_WAYPOINT = 'istio.io/use-waypoint';
export const LABEL_USE_WAYPOINT_NAMESPACE = 'istio.io/use-waypoint-namespace';

export type WaypointFor = 'service' | 'workload' | 'all' | 'none';

export interface WaypointInfo {
  /** "ns/name" of the Gateway. */
  ref: string;
  namespace: string;
  name: string;
  gateway: GatewayInfo;
  waypointFor: WaypointFor;
  /** istiod uses it: status.addresses non-empty and no Programmed/Accepted condition False. */
  effective: boolean;
  /** Why it is not effective. */
  notEffective?: string;
  /** Which namespaces may bind to it (allowedRoutes.namespaces of the HBONE listener; Same by default). */
  allowedRoutes: AllowedRoutesInfo;
  /** Workload(s) running it (pods labelled gateway-name=<name>). */
  workloads: WorkloadInfo[];
}

export interface WaypointBinding {
  /** "ns/name" of the requested waypoint; undefined for an explicit opt-out. */
  waypoint?: string;
  /** Where the binding came from. */
  via: 'service' | 'pod' | 'namespace';
  /** istio.io/use-waypoint=none. */
  optOut: boolean;
  /** True when istiod would use it (waypoint exists, is effective, admits the namespace and serves this kind of target). */
  accepted: boolean;
  /** Why istiod rejects it, one of the causes below. */
  rejected?: 'missing' | 'not-ready' | 'namespace-not-allowed' | 'traffic-type';
  /** Why it is not accepted, human readable. */
  reason?: string;
  /** The labels that made the binding (the object's or its Namespace's). */
  labels?: Labels;
}

function parseWaypointFor(v: string | undefined): WaypointFor | undefined {
  return v === 'service' || v === 'workload' || v === 'all' || v === 'none' ? v : undefined;
}

export interface WaypointIndex {
  waypoints: Map<string, WaypointInfo>;
  /** Waypoint run by a workload "ns/name" (for telemetry that names the waypoint's Deployment). */
  byWorkload: Map<string, WaypointInfo>;
  /** Binding of a Service (Service label → Namespace label). */
  serviceBinding(svc: ServiceInfo): WaypointBinding | undefined;
  /** Binding of a pod (Pod label → Namespace label). */
  podBinding(pod: PodInfo): WaypointBinding | undefined;
  /** Accepted service waypoint of a Service, "ns/name": what Service-addressed traffic to it goes through. */
  serviceWaypoint(svc: ServiceInfo): string | undefined;
  /** Accepted workload waypoint of a workload's pods: the only waypoint pod-IP addressed traffic goes through. */
  podWaypoint(w: WorkloadInfo): string | undefined;
  /**
   * Any waypoint serving a workload (the graph node's `waypoint`): its workload waypoint, else its Services'.
   * Which one a given flow uses depends on how it is addressed (serviceWaypoint / podWaypoint).
   */
  workloadWaypoint(w: WorkloadInfo): string | undefined;
  /** Services ("ns/name") served by each waypoint. */
  servedServices: Map<string, string[]>;
  /** Workloads ("ns/name") served by each waypoint (directly or through their Services). */
  servedWorkloads: Map<string, string[]>;
  /** Is this a waypoint by name (Gateway of class istio-waypoint, or a workload running one)? */
  lookup(namespace: string, name: string): WaypointInfo | undefined;
}

export function buildWaypointIndex(kube: KubeSnapshot, workloads: WorkloadIndex): WaypointIndex {
  const classLabels = new Map(kube.gatewayClasses.map((c) => [c.name, c.labels]));
  const waypoints = new Map<string, WaypointInfo>();
  const byWorkload = new Map<string, WaypointInfo>();
  const classController = new Map(kube.gatewayClasses.map((c) => [c.name, c.controllerName]));
  for (const gw of kube.gateways) {
    // class istio-waypoint, or a class of Istio's mesh controller; never istio-east-west, never ingress classes
    if (gw.className !== WAYPOINT_CLASS && classController.get(gw.className) !== MESH_CONTROLLER) continue;
    const fromLabel = parseWaypointFor(gw.labels[LABEL_WAYPOINT_FOR]);
    const fromClass = parseWaypointFor(classLabels.get(gw.className)?.[LABEL_WAYPOINT_FOR]);
    const runners = [...workloads.workloads.values()].filter(
      (w) => w.namespace === gw.namespace && (w.gatewayName === gw.name || (w.role === 'waypoint' && w.name === gw.name)),
    );
    const info: WaypointInfo = {
      ref: ref(gw.namespace, gw.name),
      namespace: gw.namespace,
      name: gw.name,
      gateway: gw,
      waypointFor: fromLabel ?? fromClass ?? 'service',
      ...effectiveness(gw),
      allowedRoutes: allowedRoutesOf(gw),
      workloads: runners,
    };
    waypoints.set(info.ref, info);
    for (const r of runners) byWorkload.set(r.ref, info);
  }

  const resolve = (
    own: Labels,
    ownNamespace: string,
    ns: NamespaceInfo | undefined,
    via: 'service' | 'pod',
    accepts: (f: WaypointFor) => boolean,
  ): WaypointBinding | undefined => {
    let labels: Labels | undefined;
    let from: 'service' | 'pod' | 'namespace' = via;
    if (own[LABEL_USE_WAYPOINT] !== undefined) labels = own;
    else if (ns?.labels[LABEL_USE_WAYPOINT] !== undefined) {
      labels = ns.labels;
      from = 'namespace';
    }
    if (!labels) return undefined;
    const name = labels[LABEL_USE_WAYPOINT]!;
    if (name === 'none') return { via: from, optOut: true, accepted: false, reason: 'istio.io/use-waypoint=none (opt-out)', labels };
    const wpNs = labels[LABEL_USE_WAYPOINT_NAMESPACE] ?? ownNamespace;
    const wpRef = ref(wpNs, name);
    const wp = waypoints.get(wpRef);
    const binding = { waypoint: wpRef, via: from, optOut: false, labels };
    const reject = (rejected: NonNullable<WaypointBinding['rejected']>, reason: string): WaypointBinding => ({ ...binding, accepted: false, rejected, reason });
    if (!wp) return reject('missing', `no Gateway ${wpRef} of class ${WAYPOINT_CLASS}`);
    if (!wp.effective) return reject('not-ready', `Gateway ${wpRef} ${wp.notEffective}`);
    // istiod checks the namespace of the bound object, also when the binding is its Namespace's label.
    if (!admits(wp, ownNamespace, ns)) {
      return reject('namespace-not-allowed', `waypoint ${wpRef} does not admit namespace ${ownNamespace} (${describeAllowed(wp)})`);
    }
    if (!accepts(wp.waypointFor)) {
      return reject('traffic-type', `waypoint ${wpRef} is for ${wp.waypointFor}, not ${via}s (istio.io/waypoint-for)`);
    }
    return { ...binding, accepted: true };
  };

  // Services of waypoints / E/W gateways never get a waypoint.
  const isInfraService = (svc: ServiceInfo): boolean =>
    svc.labels['gateway.networking.k8s.io/gateway-name'] !== undefined ||
    workloads.workloadsOf(svc).some((w) => w.role === 'waypoint' || w.role === 'east-west-gateway');

  const serviceBinding = (svc: ServiceInfo): WaypointBinding | undefined => {
    if (isInfraService(svc)) return undefined;
    return resolve(svc.labels, svc.namespace, workloads.namespaces.get(svc.namespace), 'service', (f) => f === 'service' || f === 'all');
  };
  const podBinding = (pod: PodInfo): WaypointBinding | undefined =>
    resolve(pod.labels, pod.namespace, workloads.namespaces.get(pod.namespace), 'pod', (f) => f === 'workload' || f === 'all');
  const serviceWaypoint = (svc: ServiceInfo): string | undefined => {
    const b = serviceBinding(svc);
    return b?.accepted ? b.waypoint : undefined;
  };
  const podWaypoint = (w: WorkloadInfo): string | undefined => {
    if (w.infrastructure) return undefined;
    const bound = uniqSorted(
      w.pods.flatMap((p) => {
        const b = podBinding(p.pod);
        return b?.accepted && b.waypoint ? [b.waypoint] : [];
      }),
    );
    return bound[0];
  };
  const workloadWaypoint = (w: WorkloadInfo): string | undefined => {
    if (w.infrastructure) return undefined;
    return podWaypoint(w) ?? uniqSorted(workloads.servicesOf(w).flatMap((s) => serviceWaypoint(s) ?? []))[0];
  };

  const servedServices = new Map<string, string[]>();
  const servedWorkloads = new Map<string, string[]>();
  for (const wp of waypoints.keys()) {
    servedServices.set(wp, []);
    servedWorkloads.set(wp, []);
  }
  for (const svc of kube.services) {
    const wp = serviceWaypoint(svc);
    if (wp) servedServices.get(wp)?.push(ref(svc.namespace, svc.name));
  }
  for (const w of workloads.workloads.values()) {
    if (w.infrastructure) continue;
    const wps = new Set<string>();
    const direct = podWaypoint(w);
    if (direct) wps.add(direct);
    for (const s of workloads.servicesOf(w)) {
      const wp = serviceWaypoint(s);
      if (wp) wps.add(wp);
    }
    for (const wp of wps) servedWorkloads.get(wp)?.push(w.ref);
  }
  for (const m of [servedServices, servedWorkloads]) for (const [k, v] of m) m.set(k, uniqSorted(v));

  return {
    waypoints,
    byWorkload,
    serviceBinding,
    podBinding,
    serviceWaypoint,
    podWaypoint,
    workloadWaypoint,
    servedServices,
    servedWorkloads,
    lookup(namespace, name) {
      return byWorkload.get(ref(namespace, name)) ?? waypoints.get(ref(namespace, name));
    },
  };
}

/** Does a Kubernetes LabelSelector select these labels (matchLabels and every matchExpression)? */
export function labelSelectorMatches(sel: LabelSelectorInfo, labels: Labels): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false;
  return sel.matchExpressions.every((e) => {
    const v = labels[e.key];
    switch (e.operator) {
      case 'In':
        return v !== undefined && e.values.includes(v);
      case 'NotIn':
        return v === undefined || !e.values.includes(v);
      case 'Exists':
        return v !== undefined;
      case 'DoesNotExist':
        return v === undefined;
    }
    return false;
  });
}

/** allowedRoutes of the HBONE listener (port 15008), istiod's makeAllowedRoutes; Same without one. */
function allowedRoutesOf(gw: GatewayInfo): AllowedRoutesInfo {
  const hbone = gw.listeners.find((l) => l.protocol === 'HBONE' && l.port === HBONE_PORT);
  return hbone?.allowedRoutes ?? { from: 'Same' };
}

/** Does the waypoint admit bindings from `namespace` (istiod's AllowsAttachmentFromNamespace)? */
function admits(wp: WaypointInfo, namespace: string, ns: NamespaceInfo | undefined): boolean {
  const a = wp.allowedRoutes;
  if (a.from === 'All') return true;
  if (a.from === 'Selector') return a.selector !== undefined && labelSelectorMatches(a.selector, ns?.labels ?? {});
  return wp.namespace === namespace;
}

function describeAllowed(wp: WaypointInfo): string {
  const a = wp.allowedRoutes;
  if (a.from !== 'Selector')
    return `its HBONE listener allows routes from ${a.from === 'Same' ? 'its own namespace only (allowedRoutes.namespaces.from: Same, the default)' : 'All'}`;
  if (!a.selector) return 'allowedRoutes.namespaces.from: Selector without a valid selector admits no namespace';
  const parts = [
    ...Object.entries(a.selector.matchLabels).map(([k, v]) => `${k}=${v}`),
    ...a.selector.matchExpressions.map((e) => `${e.key} ${e.operator}${e.values.length > 0 ? ` (${e.values.join(', ')})` : ''}`),
  ];
  return `allowedRoutes.namespaces.selector ${parts.join(', ') || '{}'} does not match the Namespace's labels`;
}

/** istiod ignores a Gateway without status.addresses; Programmed/Accepted False means it is not serving. */
function effectiveness(gw: GatewayInfo): { effective: boolean; notEffective?: string } {
  if (gw.addresses.length === 0) return { effective: false, notEffective: 'has no status address yet (not ready)' };
  const bad = gw.conditions.find((c) => (c.type === 'Programmed' || c.type === 'Accepted') && c.status === 'False');
  if (bad) return { effective: false, notEffective: `has condition ${bad.type}=False${bad.reason ? ` (${bad.reason})` : ''}` };
  return { effective: true };
}

// Waypoints (istio-telemetry.md §1.4, §1.5): which Gateways are waypoints, their waypoint-for,
// and which Services / workloads bind to them through istio.io/use-waypoint.
import type { GatewayInfo, KubeSnapshot, Labels, NamespaceInfo, PodInfo, ServiceInfo } from './types';
import type { WorkloadIndex, WorkloadInfo } from './workloads';
import { ref, uniqSorted } from './util';

export const WAYPOINT_CLASS = 'istio-waypoint';
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
  /** status.addresses non-empty: istiod only considers it then. */
  effective: boolean;
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
  /** True when istiod would use it (waypoint exists, is effective and serves this kind of target). */
  accepted: boolean;
  /** Why it is not accepted. */
  reason?: string;
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
  /** Accepted service waypoint of a Service, "ns/name". */
  serviceWaypoint(svc: ServiceInfo): string | undefined;
  /** Waypoint serving a workload: its workload waypoint, else its Services' waypoint. */
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
  for (const gw of kube.gateways) {
    if (gw.className !== WAYPOINT_CLASS) continue; // never istio-east-west, never ingress classes
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
      effective: gw.addresses.length > 0,
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
    if (name === 'none') return { via: from, optOut: true, accepted: false, reason: 'istio.io/use-waypoint=none (opt-out)' };
    const wpNs = labels[LABEL_USE_WAYPOINT_NAMESPACE] || ownNamespace;
    const wpRef = ref(wpNs, name);
    const wp = waypoints.get(wpRef);
    if (!wp) return { waypoint: wpRef, via: from, optOut: false, accepted: false, reason: `no Gateway ${wpRef} of class ${WAYPOINT_CLASS}` };
    if (!wp.effective) return { waypoint: wpRef, via: from, optOut: false, accepted: false, reason: `Gateway ${wpRef} has no status address yet` };
    if (!accepts(wp.waypointFor)) {
      return { waypoint: wpRef, via: from, optOut: false, accepted: false, reason: `waypoint ${wpRef} is for ${wp.waypointFor}, not ${via}s` };
    }
    return { waypoint: wpRef, via: from, optOut: false, accepted: true };
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
  const workloadOnly = (w: WorkloadInfo): string | undefined => {
    if (w.infrastructure) return undefined;
    const bound = uniqSorted(w.pods.flatMap((p) => {
      const b = podBinding(p.pod);
      return b?.accepted && b.waypoint ? [b.waypoint] : [];
    }));
    return bound[0];
  };
  const workloadWaypoint = (w: WorkloadInfo): string | undefined => {
    if (w.infrastructure) return undefined;
    return workloadOnly(w) ?? uniqSorted(workloads.servicesOf(w).flatMap((s) => serviceWaypoint(s) ?? []))[0];
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
    const direct = workloadOnly(w);
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
    workloadWaypoint,
    servedServices,
    servedWorkloads,
    lookup(namespace, name) {
      return byWorkload.get(ref(namespace, name)) ?? waypoints.get(ref(namespace, name));
    },
  };
}

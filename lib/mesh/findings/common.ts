// Shared plumbing of the findings rules: graph lookups and deterministic ordering.
import type { Finding, GraphEdge, GraphNode, KubeSnapshot, MeshGraph, ServiceInfo, Severity } from '../types';
import { inventoryOf } from '../inventory';
import { parseServiceHost, ref } from '../util';
import type { WaypointBinding } from '../waypoints';
import type { ClassifiedPod, WorkloadInfo } from '../workloads';

export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export function compareFindings(a: Finding, b: Finding): number {
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || cmp(a.namespace, b.namespace) || cmp(a.kind, b.kind) || cmp(a.id, b.id);
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface GraphIndex {
  nodes: Map<string, GraphNode>;
  /** Folded edges only: expanded legs (to/from a waypoint) are skipped by the rules. */
  edges: GraphEdge[];
}

export function indexGraph(graph: MeshGraph): GraphIndex {
  return {
    nodes: new Map(graph.nodes.map((n) => [n.id, n])),
    edges: graph.edges
      .filter((e) => e.leg === undefined)
      .slice()
      .sort((a, b) => cmp(a.id, b.id)),
  };
}

export function nodeRef(n: GraphNode | undefined, fallbackId: string): string {
  if (!n) return fallbackId;
  if (n.kind === 'service' && n.host && !n.namespace) return n.host;
  return n.namespace ? ref(n.namespace, n.name) : n.name;
}

export function isHttpLike(e: GraphEdge): boolean {
  return e.protocol === 'http' || e.protocol === 'grpc';
}

/** HTTP/gRPC edge with only L4 telemetry (recomputed, so a stale l7Gap flag cannot hide it). */
export function isL7Gap(e: GraphEdge): boolean {
  return e.l7Gap || (isHttpLike(e) && e.telemetry === 'l4');
}

/** Kubernetes Services behind an edge's destination: edge.services first, else the node's services. */
export function destinationServices(kube: KubeSnapshot, e: GraphEdge, target: GraphNode | undefined): ServiceInfo[] {
  const out = resolveServices(kube, e.services.length > 0 ? e.services : (target?.services ?? []));
  if (out.length > 0 || target?.kind !== 'workload') return out;
  // Fall back to Services whose selector matches the workload's pods.
  const { workloads } = inventoryOf(kube);
  const w = workloads.get(target.namespace, target.name);
  return w ? workloads.servicesOf(w) : [];
}

/** Services by "ns/name" or by host ("name.ns.svc.…"); unknown ones dropped, each once. */
function resolveServices(kube: KubeSnapshot, refs: string[]): ServiceInfo[] {
  const { workloads } = inventoryOf(kube);
  const out: ServiceInfo[] = [];
  for (const r of refs) {
    const host = r.includes('/') ? undefined : parseServiceHost(r);
    const svc = workloads.services.get(host ? ref(host.namespace, host.name) : r);
    if (svc && !out.includes(svc)) out.push(svc);
  }
  return out;
}

/** The inventory's workload behind a graph node, when the node is a known workload. */
export function workloadOf(kube: KubeSnapshot, n: GraphNode | undefined): WorkloadInfo | undefined {
  return n?.kind === 'workload' || n?.kind === 'gateway' ? inventoryOf(kube).workloads.get(n.namespace, n.name) : undefined;
}

/** Live (classified) pods of a workload; [] when the workload is unknown. */
export function workloadPods(kube: KubeSnapshot, namespace: string, name: string): ClassifiedPod[] {
  return inventoryOf(kube).workloads.get(namespace, name)?.pods ?? [];
}

/**
 * How Istio applies waypoints to one edge's traffic (docs/istio-telemetry.md §1.5): Service-addressed traffic
 * (the telemetry names a Kubernetes Service) uses the addressed Service's waypoint; pod-IP traffic only the
 * destination pods' workload waypoint. Rejected bindings are kept to say why there is none.
 */
export interface EdgeWaypoints {
  addressing: 'service' | 'pod';
  /** The Kubernetes Services the client addressed (service addressing), else the destination's Services. */
  services: ServiceInfo[];
  /** Accepted Service waypoint of those Services (graph node's waypoint when Kubernetes knows no Service). */
  serviceWaypoint?: string;
  /** Accepted workload waypoint of the destination's pods. */
  podWaypoint?: string;
  /** What this traffic goes through when it comes from an ambient client: the waypoint for its addressing. */
  applies?: string;
  /** Bindings istiod rejects (not opt-outs), with their reasons, for the Services and the pods. */
  rejected: (WaypointBinding & { subject: string })[];
}

export function edgeWaypoints(kube: KubeSnapshot, e: GraphEdge, target: GraphNode | undefined): EdgeWaypoints {
  const { waypoints } = inventoryOf(kube);
  const addressed = addressedServices(kube, e);
  const services = addressed.length > 0 ? addressed : destinationServices(kube, e, target);
  const w = workloadOf(kube, target);
  const rejected: EdgeWaypoints['rejected'] = [];
  let serviceWaypoint: string | undefined;
  for (const s of services) {
    const b = waypoints.serviceBinding(s);
    if (b?.accepted) serviceWaypoint ??= b.waypoint;
    else if (b?.rejected) rejected.push({ ...b, subject: `Service ${ref(s.namespace, s.name)}` });
  }
  if (services.length === 0 && target?.waypoint && !(w && waypoints.podWaypoint(w))) serviceWaypoint = target.waypoint;
  const podWaypoint = w && !w.infrastructure ? waypoints.podWaypoint(w) : undefined;
  for (const p of w && !w.infrastructure ? w.pods : []) {
    const b = waypoints.podBinding(p.pod);
    if (b?.rejected && !rejected.some((r) => r.reason === b.reason)) rejected.push({ ...b, subject: `Pod ${ref(p.pod.namespace, p.pod.name)}` });
  }
  const addressing = addressed.length > 0 ? 'service' : 'pod';
  const applies = addressing === 'service' ? serviceWaypoint : podWaypoint;
  return {
    addressing,
    services,
    ...(serviceWaypoint ? { serviceWaypoint } : {}),
    ...(podWaypoint ? { podWaypoint } : {}),
    ...(applies ? { applies } : {}),
    rejected,
  };
}

/** Kubernetes Services named by the edge's telemetry (destination_service): the client addressed them. */
export function addressedServices(kube: KubeSnapshot, e: GraphEdge): ServiceInfo[] {
  return resolveServices(kube, e.services);
}

/**
 * The waypoint an edge that did not go through one has bypassed, if any: for an ambient client, the waypoint
 * for its addressing, or the Service waypoint its pod-IP traffic skips; for every other client (sidecar,
 * ingress, out-of-mesh: they never use waypoints) any waypoint of the destination.
 */
export function bypassedWaypoint(ew: EdgeWaypoints, source: GraphNode | undefined): string | undefined {
  if (source?.kind === 'workload' && source.mode === 'ambient') return ew.applies ?? ew.serviceWaypoint;
  return ew.serviceWaypoint ?? ew.podWaypoint;
}

export function listText(xs: string[], max = 5): string {
  if (xs.length <= max) return xs.join(', ');
  return `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`;
}

export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

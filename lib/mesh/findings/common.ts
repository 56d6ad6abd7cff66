// Shared plumbing of the findings rules: graph lookups and deterministic ordering.
import type { Finding, GraphEdge, GraphNode, KubeSnapshot, MeshGraph, ServiceInfo, Severity } from '../types';
import { inventoryOf } from '../inventory';
import { parseServiceHost, ref, uniqSorted } from '../util';
import type { ClassifiedPod, WorkloadInfo } from '../workloads';

export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    cmp(a.namespace, b.namespace) ||
    cmp(a.kind, b.kind) ||
    cmp(a.id, b.id)
  );
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
    edges: graph.edges.filter((e) => e.leg === undefined).slice().sort((a, b) => cmp(a.id, b.id)),
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
  const { workloads } = inventoryOf(kube);
  const refs = e.services.length > 0 ? e.services : (target?.services ?? []);
  const out: ServiceInfo[] = [];
  for (const r of refs) {
    const host = r.includes('/') ? undefined : parseServiceHost(r);
    const svc = workloads.services.get(host ? ref(host.namespace, host.name) : r);
    if (svc && !out.includes(svc)) out.push(svc);
  }
  if (out.length === 0 && target?.kind === 'workload') {
    // Fall back to Services whose selector matches the workload's pods.
    const w = workloads.get(target.namespace, target.name);
    for (const s of w ? workloads.servicesOf(w) : []) if (!out.includes(s)) out.push(s);
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

/** The waypoint serving an edge's destination: the graph's answer, else the Service bindings. */
export function destinationWaypoint(
  kube: KubeSnapshot,
  e: GraphEdge,
  target: GraphNode | undefined,
): string | undefined {
  if (target?.waypoint) return target.waypoint;
  const { waypoints } = inventoryOf(kube);
  const wps = uniqSorted(
    destinationServices(kube, e, target)
      .map((s) => waypoints.serviceWaypoint(s))
      .filter((x): x is string => x !== undefined),
  );
  return wps[0];
}

export function listText(xs: string[], max = 5): string {
  if (xs.length <= max) return xs.join(', ');
  return `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`;
}

export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

import type { NodeKind } from './types';

// Stable ids derived from domain fields (Kiali style), so a poll updates data instead of
// re-creating elements, and an incident link's `selected=` keeps pointing at the same thing.

export function nodeId(kind: NodeKind, cluster: string, namespace: string, name: string): string {
  return `${kind}:${cluster}/${namespace}/${name}`;
}

export function edgeId(sourceId: string, targetId: string): string {
  return `${sourceId}->${targetId}`;
}

export function parseNodeId(id: string): { kind: NodeKind; cluster: string; namespace: string; name: string } | undefined {
  const m = /^(workload|waypoint|gateway|service|unknown):([^/]*)\/([^/]*)\/(.+)$/.exec(id);
  if (!m) return undefined;
  return { kind: m[1] as NodeKind, cluster: m[2]!, namespace: m[3]!, name: m[4]! };
}

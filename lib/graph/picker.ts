import { namespaceModeOf } from '@/lib/mesh/workloads';
import type { GraphNode, WorkloadMode } from '@/lib/mesh/types';

// The graph page's namespace picker (docs/api.md §4.3 `omit=traffic`). Pure.
//
// The picker shows each namespace's name and mode. Both come from the Kubernetes inventory
// (`/api/namespaces?omit=traffic`, no Prometheus call), except for namespaces the API does not know — seen only
// in the telemetry — whose mode, like /api/namespaces' telemetry-only rows (lib/mesh/namespaces.ts), is that
// of their workload nodes in the graph. Those come from the graph the page draws, once it arrives; with the
// Kubernetes API down the picker is the graph's namespaces alone.

export interface PickerNamespace {
  name: string;
  mode: WorkloadMode;
}

/**
 * The inventory's namespaces plus the drawn graph's other namespaces (nodes of `clusters` only, when some are
 * selected), sorted by name; undefined while neither has arrived.
 */
export function pickerNamespaces(
  inventory: readonly PickerNamespace[] | undefined,
  nodes: readonly Pick<GraphNode, 'kind' | 'namespace' | 'cluster' | 'mode'>[] | undefined,
  clusters: readonly string[] = [],
): PickerNamespace[] | undefined {
  if (!inventory && !nodes) return undefined;
  const known = new Set(inventory?.map((n) => n.name));
  const seen = new Map<string, WorkloadMode[]>();
  for (const n of nodes ?? []) {
    if (!n.namespace || n.namespace === 'unknown' || n.kind === 'unknown' || known.has(n.namespace)) continue;
    if (clusters.length > 0 && !clusters.includes(n.cluster)) continue;
    const modes = seen.get(n.namespace) ?? [];
    if (n.kind === 'workload' && n.mode) modes.push(n.mode);
    seen.set(n.namespace, modes);
  }
  const fromGraph = [...seen].map(([name, modes]) => ({ name, mode: namespaceModeOf(modes) }));
  return [...(inventory ?? []).map((n) => ({ name: n.name, mode: n.mode })), ...fromGraph].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

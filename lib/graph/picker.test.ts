import { describe, expect, it } from 'vitest';
import type { GraphNode, MeshGraph } from '@/lib/mesh/types';
import fixture from './testdata/demo-graph.json';
import { pickerNamespaces } from './picker';

const graph = fixture as MeshGraph;
const node = (p: Partial<GraphNode> & Pick<GraphNode, 'namespace'>): GraphNode =>
  ({ id: `workload:Kubernetes/${p.namespace}/${p.name ?? 'w'}`, kind: 'workload', name: 'w', cluster: 'Kubernetes', ...p }) as GraphNode;

describe('the namespace picker (Kubernetes inventory + the drawn graph)', () => {
  it('is undefined until either arrives; the inventory alone before the graph, sorted', () => {
    expect(pickerNamespaces(undefined, undefined)).toBeUndefined();
    expect(
      pickerNamespaces(
        [
          { name: 'shop', mode: 'ambient' },
          { name: 'legacy', mode: 'none' },
        ],
        undefined,
      ),
    ).toEqual([
      { name: 'legacy', mode: 'none' },
      { name: 'shop', mode: 'ambient' },
    ]);
  });
  it('adds the namespaces only the telemetry knows, with their workloads’ mode; the inventory’s mode wins', () => {
    const nodes = [
      node({ namespace: 'shop', mode: 'sidecar' }),
      node({ namespace: 'ghost', name: 'a', mode: 'sidecar' }),
      node({ namespace: 'ghost', name: 'b', mode: 'ambient' }),
      node({ namespace: 'peers', kind: 'service' }),
      node({ namespace: 'unknown', kind: 'service' }),
      node({ namespace: 'nowhere', kind: 'unknown' }),
    ];
    expect(pickerNamespaces([{ name: 'shop', mode: 'ambient' }], nodes)).toEqual([
      { name: 'ghost', mode: 'mixed' },
      { name: 'peers', mode: 'none' },
      { name: 'shop', mode: 'ambient' },
    ]);
  });
  it('with the Kubernetes API down: the demo graph’s namespaces, each once', () => {
    const rows = pickerNamespaces(undefined, graph.nodes)!;
    const expected = [...new Set(graph.nodes.filter((n) => n.kind !== 'unknown' && n.namespace && n.namespace !== 'unknown').map((n) => n.namespace))].sort();
    expect(rows.map((r) => r.name)).toEqual(expected);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.find((r) => r.name === 'legacy')?.mode).toBe('none');
  });
  it('with clusters selected, only those clusters’ nodes add namespaces', () => {
    const nodes = [node({ namespace: 'a', cluster: 'east', mode: 'ambient' }), node({ namespace: 'b', cluster: 'west', mode: 'sidecar' })];
    expect(pickerNamespaces([], nodes, ['east'])).toEqual([{ name: 'a', mode: 'ambient' }]);
    expect(pickerNamespaces([], nodes)?.map((r) => r.name)).toEqual(['a', 'b']);
  });
});

import { describe, expect, it } from 'vitest';
import fixture from '@/lib/graph/testdata/demo-graph.json';
import { collapseGraph, isAggregateEdge } from '@/lib/graph/collapse';
import type { MeshGraph } from '@/lib/mesh/types';
import { findSelection } from './use-selection-policy';

const graph = fixture as MeshGraph;
// threshold 0 collapses the demo graph as a large mesh would be
const collapsed = collapseGraph(graph, { threshold: 0 });

describe('findSelection', () => {
  it('a link between collapsed namespaces (reached by keyboard or a shared link) opens its own panel, not "missing"', () => {
    const link = collapsed.edges.find(isAggregateEdge)!;
    expect(link.id.startsWith('ns-agg-edge:')).toBe(true);
    const s = findSelection(graph, link.id, { collapsed });
    expect(s).toEqual({ kind: 'links', edge: link });
    // without the drawing it is unknown
    expect(findSelection(graph, link.id)).toEqual({ kind: 'missing', id: link.id });
  });
  it('nodes, edges and collapsed namespaces as before', () => {
    const e = graph.edges[0]!;
    expect(findSelection(graph, e.id, { collapsed })).toEqual({ kind: 'edge', edge: e });
    const n = graph.nodes[0]!;
    expect(findSelection(graph, n.id, { collapsed })).toEqual({ kind: 'node', node: n });
    expect(findSelection(graph, 'ns-agg:Kubernetes/payments', { collapsed })).toEqual({ kind: 'namespace', namespace: 'payments' });
    expect(findSelection(graph, 'nope', { collapsed })).toEqual({ kind: 'missing', id: 'nope' });
  });
});

import { describe, expect, it } from 'vitest';
import type { GraphNode } from '@/lib/mesh/types';
import { clusterChoices, edgeClusters, formatEdgeClusters, graphClusters, isMultiCluster } from './clusters';

const node = (id: string, cluster: string, kind: GraphNode['kind'] = 'workload') => ({ id, kind, cluster });

describe('cluster helpers', () => {
  const nodes = [node('a', 'Kubernetes'), node('b', 'east'), node('c', 'east'), node('u', 'west', 'unknown')];

  it('lists the clusters of placed nodes (not of unknown peers)', () => {
    expect(graphClusters(nodes)).toEqual(['Kubernetes', 'east'].sort());
    expect(isMultiCluster(nodes)).toBe(true);
    expect(isMultiCluster([node('a', 'Kubernetes'), node('u', 'west', 'unknown')])).toBe(false);
    expect(isMultiCluster([])).toBe(false);
  });

  it('offers configured ∪ seen ∪ selected clusters, once each', () => {
    expect(clusterChoices(['Kubernetes', 'east'], [node('a', 'Kubernetes')], [])).toEqual(['Kubernetes', 'east'].sort());
    expect(clusterChoices(undefined, nodes, ['north'])).toEqual(['Kubernetes', 'east', 'north'].sort());
    expect(clusterChoices(['Kubernetes'], [node('a', 'Kubernetes')], [])).toEqual(['Kubernetes']);
    // a hostile source_cluster label is not offered (the URL parameter would reject it)
    expect(clusterChoices(['Kubernetes'], [node('a', 'Kubernetes'), node('h', '"} or vector(1)'), node('s', '<script>')], [])).toEqual(['Kubernetes']);
  });

  it('describes an edge’s clusters and says cross-cluster when the ends differ', () => {
    const m = new Map(nodes.map((n) => [n.id, n]));
    expect(edgeClusters({ source: 'a', target: 'b' }, m)).toEqual({ source: 'Kubernetes', target: 'east', crossCluster: true });
    expect(formatEdgeClusters(edgeClusters({ source: 'a', target: 'b' }, m))).toBe('Kubernetes → east (cross-cluster)');
    expect(formatEdgeClusters(edgeClusters({ source: 'b', target: 'c' }, m))).toBe('east → east');
    // an unknown peer's cluster is the reporter's: only the API's flag makes such an edge cross-cluster
    expect(edgeClusters({ source: 'u', target: 'a' }, m).crossCluster).toBe(false);
    expect(edgeClusters({ source: 'u', target: 'a', crossCluster: true }, m).crossCluster).toBe(true);
    expect(formatEdgeClusters(edgeClusters({ source: 'gone', target: 'a' }, m))).toBe('unknown → Kubernetes');
  });
});

import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode, MeshGraph } from '@/lib/mesh/types';
import { diffGraphs, ERROR_RATE_DELTA, MIN_REQUESTS_FOR_RATES } from './diff';

const W10 = { start: '2026-11-21T21:00:00Z', end: '2026-11-21T21:10:00Z' }; // 600 s
const node = (id: string, extra: Partial<GraphNode> = {}): GraphNode => ({
  id,
  kind: 'workload',
  namespace: 'ns',
  name: id,
  cluster: 'c',
  mode: 'sidecar',
  ...extra,
});
const edge = (id: string, extra: Partial<GraphEdge> = {}): GraphEdge => ({
  id,
  source: 'a',
  target: 'b',
  path: 'sidecar',
  telemetry: 'l7',
  protocol: 'http',
  l7Gap: false,
  mtls: 'mutual',
  rates: { rps: 10, errorRate: 0.001, p95Ms: 40 },
  reporters: [],
  services: [],
  ...extra,
});
const g = (edges: GraphEdge[], nodes: GraphNode[] = [node('a'), node('b')]): MeshGraph => ({ window: W10, nodes, edges, warnings: [] });

describe('diffGraphs', () => {
  it('identical graphs: nothing changed', () => {
    expect(diffGraphs(g([edge('e')]), g([edge('e')]))).toMatchObject({ edges: [], nodes: [] });
  });

  it('noise is not a change: a 0.1 % blip, or any error rate on 3 requests', () => {
    const blip = diffGraphs(g([edge('e', { rates: { rps: 10, errorRate: 0.001 } })]), g([edge('e', { rates: { rps: 10, errorRate: 0.002 } })]));
    expect(blip.edges).toEqual([]);
    const few = 3 / 600;
    expect(3).toBeLessThan(MIN_REQUESTS_FOR_RATES);
    const tiny = diffGraphs(g([edge('e', { rates: { rps: few, errorRate: 0 } })]), g([edge('e', { rates: { rps: few, errorRate: 1 / 3 } })]));
    expect(tiny.edges).toEqual([]);
  });

  it('an error rate rising by more than the threshold is a change, in percentage points', () => {
    const d = diffGraphs(
      g([edge('e', { rates: { rps: 10, errorRate: 0.002 } })]),
      g([edge('e', { rates: { rps: 10, errorRate: 0.002 + ERROR_RATE_DELTA * 3 } })]),
    );
    expect(d.edges[0]!.changes).toEqual([expect.objectContaining({ field: 'errorRate', text: 'error rate 0.20 % → 3.20 % (+3.0 pp)' })]);
  });

  it('lost L7 and lost mTLS sort above path changes and latency; added and removed edges are listed', () => {
    const base = g([edge('l7', {}), edge('mtls', {}), edge('slow', { rates: { rps: 10, p95Ms: 40 } }), edge('gone')]);
    const cur = g([
      edge('l7', { telemetry: 'l4', path: 'ambient', l7Gap: true, rates: { connectionsPerSec: 1 } }),
      edge('mtls', { mtls: 'plaintext' }),
      edge('slow', { rates: { rps: 10, p95Ms: 200 } }),
      edge('new'),
    ]);
    const d = diffGraphs(base, cur);
    expect(d.edges.map((e) => [e.id, e.change])).toEqual([
      ['l7', 'changed'],
      ['mtls', 'changed'],
      ['gone', 'removed'],
      ['slow', 'changed'],
      ['new', 'added'],
    ]);
    expect(d.edges[0]!.changes.map((c) => c.field)).toEqual(['telemetry', 'path']);
  });

  it('failed connections: a handful in the window rising ×2 is a change; one stray failure is not', () => {
    const stray = diffGraphs(g([edge('e', { rates: { failedConnectionsPerSec: 0 } })]), g([edge('e', { rates: { failedConnectionsPerSec: 1 / 600 } })]));
    expect(stray.edges).toEqual([]);
    const real = diffGraphs(g([edge('e', { rates: { failedConnectionsPerSec: 0 } })]), g([edge('e', { rates: { failedConnectionsPerSec: 0.5 } })]));
    expect(real.edges[0]!.changes[0]!.text).toBe('failed connections 0 → 300 in the window');
  });

  it('workload mode (as proved in the window) and waypoint enrolment of nodes', () => {
    const d = diffGraphs(g([], [node('a', { modeInWindow: 'sidecar' })]), g([], [node('a', { modeInWindow: 'ambient', waypoint: 'ns/wp' })]));
    expect(d.nodes[0]!.changes.map((c) => c.text)).toEqual(['workload mode sidecar → ambient', 'enrolled in waypoint ns/wp']);
  });
});

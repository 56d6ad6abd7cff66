import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode, MeshGraph } from '@/lib/mesh/types';
import fixture from './testdata/demo-graph.json';
import { explainEdge, explainNode } from './explain';

const graph = fixture as MeshGraph;
const nodes = new Map<string, GraphNode>(graph.nodes.map((n) => [n.id, n]));
const edge = (src: string, dst: string): GraphEdge => {
  const e = graph.edges.find((x) => x.source.endsWith(`/${src}`) && x.target.endsWith(`/${dst}`));
  if (!e) throw new Error(`no edge ${src}->${dst}`);
  return e;
};

describe('explainEdge', () => {
  it('ambient L7 gap: says only ztunnel saw it and gives the waypoint command', () => {
    const x = explainEdge(edge('cart', 'inventory-api'), nodes);
    expect(x.path).toContain('only ztunnel');
    expect(x.telemetry).toContain('L7 gap');
    expect(x.fixes[0]?.command).toBe('istioctl waypoint apply -n inventory --enroll-namespace');
    expect(x.seenBy).toHaveLength(2);
    expect(x.seenBy![0]).toContain('ztunnel on the client side');
  });

  it('out-of-mesh client bypassing a waypoint: enrol the client, not another waypoint', () => {
    const x = explainEdge(edge('legacy-reporting', 'catalog'), nodes);
    expect(x.notes.join(' ')).toContain('bypasses the waypoint');
    expect(x.fixes[0]?.command).toBe('kubectl label namespace legacy istio.io/dataplane-mode=ambient');
    expect(x.mtls).toContain('Plaintext');
  });

  it('waypoint edge', () => {
    const x = explainEdge(edge('web', 'cart'), nodes);
    expect(x.path).toContain('shop/shop-waypoint');
    expect(x.mtls).toContain('HBONE');
    expect(x.fixes).toEqual([]);
  });

  it('gateway bypassing the waypoint', () => {
    const x = explainEdge(edge('istio-ingressgateway', 'web'), nodes);
    expect(x.notes.join(' ')).toContain('Waypoint bypass');
    expect(x.fixes[0]?.command).toBe('kubectl label service web -n shop istio.io/ingress-use-waypoint=true');
  });

  it('guessed attribution, unknown mTLS and partial L7 are spelled out', () => {
    expect(explainEdge(edge('cart', 'payments-api'), nodes).notes.join(' ')).toContain('guessed');
    expect(explainEdge(edge('payments-api', 'api.stripe.com'), nodes).mtls).toContain('only the client side');
    expect(explainEdge(edge('web', 'orders-api'), nodes).notes.join(' ')).toContain('Only part of this traffic');
    expect(explainEdge(edge('inventory-api', 'postgres'), nodes).telemetry).toContain('Plain TCP');
  });
});

describe('explainNode', () => {
  it('ambient without waypoint suggests one; mode change is noted', () => {
    const inv = graph.nodes.find((n) => n.name === 'inventory-api')!;
    expect(explainNode(inv).fixes[0]?.command).toBe('istioctl waypoint apply -n inventory --enroll-namespace');
    const catalog = graph.nodes.find((n) => n.name === 'catalog')!;
    expect(explainNode(catalog).notes[0]).toContain('was sidecar then and is ambient now');
  });
});

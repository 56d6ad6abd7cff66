import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode, MeshGraph } from '@/lib/mesh/types';
import fixture from './testdata/demo-graph.json';
import {
  aggregateEdgeId,
  aggregateEdges,
  aggregateNamespaces,
  collapses,
  aggregateNodeId,
  collapseGraph,
  COLLAPSE_NODE_THRESHOLD,
  isAggregateEdge,
  isAggregateNode,
  namespaceMode,
  namespacesToReveal,
  namespacesToExpand,
  type AggregateEdge,
  type AggregateNode,
} from './collapse';
import { toScaledElements, LARGE_GRAPH_ELEMENTS } from './scaled-elements';
import { DEFAULT_FILTERS } from './url-state';

const graph = fixture as MeshGraph;
const id = (k: string, ns: string, n: string) => `${k}:Kubernetes/${ns}/${n}`;
const agg = (ns: string) => aggregateNodeId('Kubernetes', ns);
// threshold 0 forces collapsing on the 16-node demo graph
const all = collapseGraph(graph, { threshold: 0 });
const node = (i: string) => all.nodes.find((n) => n.id === i);
const edge = (i: string) => all.edges.find((e) => e.id === i);

function wl(ns: string, name: string, extra: Partial<GraphNode> = {}): GraphNode {
  return { id: id('workload', ns, name), kind: 'workload', namespace: ns, name, cluster: 'Kubernetes', mode: 'sidecar', ...extra };
}
function ed(s: GraphNode, t: GraphNode, extra: Partial<GraphEdge> = {}): GraphEdge {
  return {
    id: `${s.id}->${t.id}`,
    source: s.id,
    target: t.id,
    path: 'sidecar',
    telemetry: 'l7',
    protocol: 'http',
    l7Gap: false,
    mtls: 'mutual',
    rates: {},
    reporters: [],
    services: [],
    ...extra,
  };
}

describe('collapseGraph', () => {
  it('leaves graphs at or below the threshold untouched (same objects)', () => {
    const r = collapseGraph(graph);
    expect(graph.nodes.length).toBeLessThanOrEqual(COLLAPSE_NODE_THRESHOLD);
    expect(r.collapsed).toBe(false);
    expect(r.nodes).toBe(graph.nodes);
    expect(r.edges).toBe(graph.edges);
    expect(collapseGraph(graph, { threshold: graph.nodes.length }).collapsed).toBe(false);
    expect(collapseGraph(graph, { threshold: graph.nodes.length - 1 }).collapsed).toBe(true);
  });

  it('turns every multi-node namespace into one aggregate with a stable id and a count label', () => {
    expect(all.collapsedNamespaces).toEqual(['inventory', 'orders', 'payments', 'shop']);
    const shop = node(agg('shop')) as AggregateNode;
    expect(isAggregateNode(shop)).toBe(true);
    expect(shop.kind).toBe('workload');
    expect(shop.label).toBe('shop (3 workloads)');
    expect(shop.aggregate).toMatchObject({ namespace: 'shop', cluster: 'Kubernetes', members: 4, workloads: 3, kinds: { workload: 3, waypoint: 1 } });
    expect(shop.aggregate.internalEdges).toBe(2); // web→cart, web→catalog
    // single-node namespaces and unknown peers stay as they are
    expect(node(id('workload', 'legacy', 'legacy-reporting'))).toBeDefined();
    expect(node(id('gateway', 'istio-system', 'istio-ingressgateway'))).toBeDefined();
    expect(node(id('unknown', 'unknown', '203.0.113.10'))).toBeDefined();
    expect(node(id('workload', 'shop', 'web'))).toBeUndefined();
    expect(all.memberOf.get(id('workload', 'shop', 'web'))).toBe(agg('shop'));
    // no node id appears twice, every edge end exists, no self loops
    const ids = all.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of all.edges) {
      expect(ids).toContain(e.source);
      expect(ids).toContain(e.target);
      expect(e.source).not.toBe(e.target);
    }
  });

  it('takes the namespace mode from its workloads (mixed when they differ)', () => {
    expect((node(agg('inventory')) as AggregateNode).mode).toBe('ambient');
    expect((node(agg('payments')) as AggregateNode).mode).toBe('mixed'); // batch-export is out of mesh
    expect((node(agg('shop')) as AggregateNode).mode).toBe('mixed');
    expect(namespaceMode([wl('a', 'x', { mode: 'ambient' }), wl('a', 'y', { mode: 'ambient', modeInWindow: 'ambient' })])).toBe('ambient');
    expect(namespaceMode([wl('a', 'x', { mode: 'ambient' }), wl('a', 'y', { mode: 'ambient', modeInWindow: 'sidecar' })])).toBe('mixed');
    expect(namespaceMode([{ ...wl('a', 'w'), kind: 'waypoint', mode: undefined }])).toBeUndefined();
  });

  it('sums edges between the same pair of ends, keeps edges between uncollapsed nodes', () => {
    const shopPay = edge(aggregateEdgeId(agg('shop'), agg('payments'))) as AggregateEdge;
    expect(isAggregateEdge(shopPay)).toBe(true);
    expect(shopPay.aggregate.count).toBe(1);
    expect(shopPay.rates.rps).toBe(3);
    // legacy-reporting is not collapsed (one node): its edges into collapsed namespaces are aggregated per target
    const legacyInv = edge(aggregateEdgeId(id('workload', 'legacy', 'legacy-reporting'), agg('inventory')))!;
    expect(legacyInv.mtls).toBe('plaintext');
    expect(legacyInv.l7Gap).toBe(true);
    // kept as is: nothing collapsed on either end
    expect(all.edges.filter((e) => !isAggregateEdge(e)).map((e) => e.id)).toEqual([]);
    // the ingress → shop edge keeps its ends' representatives
    const ingress = edge(aggregateEdgeId(id('gateway', 'istio-system', 'istio-ingressgateway'), agg('shop')))!;
    expect(ingress.rates.rps).toBe(20);
  });

  it('aggregates rates, error rate (rps-weighted), mTLS, gaps and the dominant path', () => {
    const a = wl('a', 'x');
    const b = wl('b', 'y');
    const c = wl('b', 'z');
    const e = aggregateEdges('A', 'B', [
      ed(a, b, { path: 'sidecar', rates: { rps: 90, errorRate: 0 }, services: ['b/y'] }),
      ed(a, c, { path: 'ambient', telemetry: 'l4', l7Gap: true, rates: { connectionsPerSec: 2, requestBytesPerSec: 100 }, services: ['b/z'] }),
      ed(b, c, { path: 'waypoint', mtls: 'plaintext', rates: { rps: 10, errorRate: 0.5, connectionsPerSec: 1 } }),
    ]);
    expect(e.id).toBe('ns-agg-edge:A->B');
    expect(e.rates.rps).toBe(100);
    expect(e.rates.connectionsPerSec).toBe(3);
    expect(e.rates.requestBytesPerSec).toBe(100);
    expect(e.rates.errorRate).toBeCloseTo(0.05); // (0·90 + 0.5·10) / 100
    expect(e.aggregate.maxErrorRate).toBe(0.5);
    expect(e.path).toBe('sidecar');
    expect(e.aggregate.paths).toEqual({ sidecar: { count: 1, traffic: 90 }, ambient: { count: 1, traffic: 2 }, waypoint: { count: 1, traffic: 10 } });
    expect(e.mtls).toBe('plaintext');
    expect(e.l7Gap).toBe(true);
    expect(e.telemetry).toBe('l7');
    expect(e.partialL7).toBe(true);
    expect(e.services).toEqual(['b/y', 'b/z']);
    expect(e.aggregate.memberIds).toHaveLength(3);
    // unknown beats mutual; all-mutual stays mutual; no gap without a gap member
    expect(aggregateEdges('A', 'B', [ed(a, b), ed(a, c, { mtls: 'unknown' })]).mtls).toBe('unknown');
    const clean = aggregateEdges('A', 'B', [ed(a, b), ed(a, c)]);
    expect(clean.mtls).toBe('mutual');
    expect(clean.l7Gap).toBe(false);
    expect(clean.rates.errorRate).toBeUndefined();
    // path by traffic, not by count
    expect(
      aggregateEdges('A', 'B', [
        ed(a, b, { path: 'ambient', rates: { connectionsPerSec: 1 } }),
        ed(a, c, { path: 'ambient', rates: { connectionsPerSec: 1 } }),
        ed(b, c, { path: 'mixed', rates: { rps: 5 } }),
      ]).path,
    ).toBe('mixed');
  });

  it('aggregates the mean latency (rps-weighted) and sums the status breakdown', () => {
    const a = wl('a', 'x');
    const b = wl('b', 'y');
    const c = wl('b', 'z');
    const e = aggregateEdges('A', 'B', [
      ed(a, b, { rates: { rps: 3, meanMs: 10 }, statuses: { http: { '200': 2, '503': 1 } } }),
      ed(a, c, { protocol: 'grpc', rates: { rps: 1, meanMs: 50 }, statuses: { grpc: { OK: 0.5, UNAVAILABLE: 0.5 } } }),
      ed(b, c, { rates: { rps: 2 }, statuses: { http: { '200': 2 } } }), // no histogram: not in the mean
    ]);
    expect(e.rates.meanMs).toBeCloseTo((3 * 10 + 1 * 50) / 4, 12);
    expect(e.statuses).toEqual({ http: { '200': 4, '503': 1 }, grpc: { OK: 0.5, UNAVAILABLE: 0.5 } });
    expect(aggregateEdges('A', 'B', [ed(a, b, { rates: { connectionsPerSec: 1 } })]).statuses).toBeUndefined();
  });

  it('is deterministic and independent of edge order', () => {
    const rev = collapseGraph({ nodes: graph.nodes, edges: [...graph.edges].reverse() }, { threshold: 0 });
    const norm = (g: typeof all) => JSON.stringify([...g.edges].sort((x, y) => (x.id < y.id ? -1 : 1)));
    expect(norm(rev)).toBe(norm(all));
  });

  it('draws expanded namespaces with their nodes, and keeps the edge totals', () => {
    const r = collapseGraph(graph, { threshold: 0, expanded: ['shop'] });
    expect(r.collapsedNamespaces).toEqual(['inventory', 'orders', 'payments']);
    expect(r.nodes.some((n) => n.id === id('workload', 'shop', 'web'))).toBe(true);
    expect(r.edges.some((e) => e.id === `${id('workload', 'shop', 'web')}->${id('workload', 'shop', 'cart')}`)).toBe(true);
    expect(r.edges.some((e) => e.id === aggregateEdgeId(id('workload', 'shop', 'cart'), agg('payments')))).toBe(true);
    const total = (g: typeof r) =>
      g.edges.reduce((s, e) => s + (isAggregateEdge(e) ? e.aggregate.count : 1), 0) +
      g.nodes.reduce((s, n) => s + (isAggregateNode(n) ? n.aggregate.internalEdges : 0), 0);
    expect(total(r)).toBe(graph.edges.length);
    expect(total(all)).toBe(graph.edges.length);
  });

  it('collapses the same namespace in two clusters into two aggregates', () => {
    const nodes = [
      wl('a', 'x'),
      wl('a', 'y'),
      { ...wl('a', 'x'), id: 'workload:east/a/x', cluster: 'east' },
      { ...wl('a', 'y'), id: 'workload:east/a/y', cluster: 'east' },
    ];
    const r = collapseGraph({ nodes, edges: [ed(nodes[0]!, nodes[2]!)] }, { threshold: 0 });
    expect(r.nodes.map((n) => n.id)).toEqual(['ns-agg:Kubernetes/a', 'ns-agg:east/a']);
    expect(r.edges.map((e) => e.id)).toEqual(['ns-agg-edge:ns-agg:Kubernetes/a->ns-agg:east/a']);
  });
});

describe('namespacesToReveal', () => {
  it('names the namespaces a selection needs expanded', () => {
    expect(namespacesToReveal(graph, id('workload', 'shop', 'cart'))).toEqual(['shop']);
    expect(namespacesToReveal(graph, `${id('workload', 'shop', 'cart')}->${id('workload', 'payments', 'payments-api')}`)).toEqual(['payments', 'shop']);
    expect(namespacesToReveal(graph, id('unknown', 'unknown', '203.0.113.10'))).toEqual([]);
    expect(namespacesToReveal(graph, agg('shop'))).toEqual([]);
    expect(namespacesToReveal(graph, 'nope')).toEqual([]);
    expect(namespacesToReveal(graph, undefined)).toEqual([]);
  });

  it('revealing them makes the selected element drawn', () => {
    const sel = `${id('workload', 'shop', 'cart')}->${id('workload', 'payments', 'payments-api')}`;
    expect(collapseGraph(graph, { threshold: 0 }).edges.some((e) => e.id === sel)).toBe(false);
    expect(collapseGraph(graph, { threshold: 0, expanded: namespacesToReveal(graph, sel) }).edges.some((e) => e.id === sel)).toBe(true);
  });
});

describe('namespacesToExpand', () => {
  it('maps an activated aggregate node or edge to the namespaces to expand', () => {
    expect(namespacesToExpand(all, agg('shop'))).toEqual(['shop']);
    expect(namespacesToExpand(all, aggregateEdgeId(agg('shop'), agg('payments')))).toEqual(['payments', 'shop']);
    expect(namespacesToExpand(all, aggregateEdgeId(id('workload', 'legacy', 'legacy-reporting'), agg('inventory')))).toEqual(['inventory']);
    expect(namespacesToExpand(all, id('workload', 'legacy', 'legacy-reporting'))).toEqual([]);
    expect(namespacesToExpand(all, agg('nope'))).toEqual([]);
  });
});

describe('toScaledElements', () => {
  const opts = { filters: DEFAULT_FILTERS, overlay: 'none' as const, expanded: [], collapse: true, threshold: 0 };

  it('emits aggregate nodes without a namespace box, and boxes only for drawn namespaces', () => {
    const { elements, collapsed, large } = toScaledElements(graph, opts);
    expect(collapsed.collapsed).toBe(true);
    expect(large).toBe(false);
    const shop = elements.find((e) => e.data.id === agg('shop'))!;
    expect(shop.data).toMatchObject({ aggregate: true, label: 'shop (3 workloads)', kind: 'workload', mode: 'mixed', parent: undefined });
    expect(shop.classes.split(' ')).toEqual(expect.arrayContaining(['aggregate', 'mesh-node', 'mode-mixed']));
    expect(elements.some((e) => e.data.id === 'ns:shop')).toBe(false);
    expect(elements.some((e) => e.data.id === 'ns:legacy')).toBe(true);
    expect(elements.find((e) => e.data.id === aggregateEdgeId(agg('shop'), agg('payments')))?.classes).toContain('aggregate');
  });

  it('applies filters before aggregating, and marks aggregates whose members match the search', () => {
    const plain = toScaledElements(graph, { ...opts, filters: { ...DEFAULT_FILTERS, mtls: ['plaintext'] } });
    const edges = plain.elements.filter((e) => e.group === 'edges');
    expect(edges.length).toBeGreaterThan(0);
    for (const e of edges) expect(e.data.mtls).toBe('plaintext');
    const s = toScaledElements(graph, { ...opts, filters: { ...DEFAULT_FILTERS, search: 'ledger' } });
    expect(s.elements.find((e) => e.data.id === agg('payments'))?.classes).toContain('search-match');
    expect(s.elements.find((e) => e.data.id === agg('shop'))?.classes).toContain('search-miss');
  });

  it('caps edges between collapsed namespaces, problem edges first', () => {
    const full = toScaledElements(graph, opts);
    const between = full.elements.filter(
      (e) => e.group === 'edges' && String(e.data.source).startsWith('ns-agg:') && String(e.data.target).startsWith('ns-agg:'),
    );
    expect(full.hiddenEdges).toBe(0);
    const capped = toScaledElements(graph, { ...opts, maxAggregateEdges: 0 });
    const left = capped.elements.filter(
      (e) => e.group === 'edges' && String(e.data.source).startsWith('ns-agg:') && String(e.data.target).startsWith('ns-agg:'),
    );
    expect(capped.hiddenEdges).toBe(between.length - left.length);
    expect(capped.hiddenEdges).toBeGreaterThan(0);
    expect(left).toHaveLength(0);
    const problem = (e: (typeof between)[number]) =>
      Boolean(e.data.l7Gap) || e.data.mtls === 'plaintext' || e.data.health === 'error' || e.data.health === 'warn';
    expect(capped.hiddenProblemEdges).toBe(between.filter(problem).length);
    // with room for one, the one kept has a problem if any has
    const one = toScaledElements(graph, { ...opts, maxAggregateEdges: 1 }).elements.filter(
      (e) => e.group === 'edges' && String(e.data.source).startsWith('ns-agg:') && String(e.data.target).startsWith('ns-agg:'),
    );
    expect(one).toHaveLength(1);
    expect(problem(one[0]!)).toBe(between.some(problem));
  });

  it('does not collapse when turned off, and flags large graphs for the low-detail style', () => {
    const off = toScaledElements(graph, { ...opts, collapse: false });
    expect(off.collapsed.collapsed).toBe(false);
    expect(off.elements.filter((e) => e.group === 'edges')).toHaveLength(graph.edges.length);
    const nodes: GraphNode[] = Array.from({ length: LARGE_GRAPH_ELEMENTS + 1 }, (_, i) => wl('ns', `w${i}`));
    const big = toScaledElements({ nodes, edges: [] }, { ...opts, collapse: false });
    expect(big.large).toBe(true);
    expect(big.elements.find((e) => e.data.id === nodes[0]!.id)?.classes).toContain('lod-low');
  });
});

describe('collapses (the decision collapseGraph takes, without building anything)', () => {
  it('agrees with collapseGraph for thresholds and expanded sets', () => {
    const namespaces = [...new Set(graph.nodes.map((n) => n.namespace))];
    for (const threshold of [0, 5, graph.nodes.length - 1, graph.nodes.length, COLLAPSE_NODE_THRESHOLD]) {
      for (const expanded of [[], namespaces.slice(0, 1), namespaces]) {
        expect(collapses(graph, { threshold, expanded })).toBe(collapseGraph(graph, { threshold, expanded }).collapsed);
      }
    }
    expect(collapses(graph, { threshold: 0, expanded: namespaces })).toBe(false);
    expect(collapses(graph, { threshold: 0 })).toBe(true);
  });
});

describe('aggregateNamespaces', () => {
  it('a collapsed namespace, an aggregate link (aggregate or node ends), anything else none', () => {
    const n = graph.nodes.find((x) => x.kind === 'workload')!;
    expect(aggregateNamespaces(graph, agg('shop'))).toEqual(['shop']);
    expect(aggregateNamespaces(graph, aggregateEdgeId(agg('b'), agg('a')))).toEqual(['a', 'b']);
    expect(aggregateNamespaces(graph, aggregateEdgeId(agg('zzz'), n.id))).toEqual([n.namespace, 'zzz'].sort());
    expect(aggregateNamespaces(graph, n.id)).toEqual([]);
    expect(aggregateNamespaces(graph, undefined)).toEqual([]);
    expect(aggregateNamespaces(graph, 'ns-agg-edge:broken')).toEqual([]);
  });
});

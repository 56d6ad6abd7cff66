import { describe, expect, it } from 'vitest';
import type { MeshGraph } from '@/lib/mesh/types';
import fixture from './testdata/demo-graph.json';
import { namespaceElementId, parseNamespaceElementId, splitNamespacesByCluster, toElements } from './to-elements';
import { toScaledElements } from './scaled-elements';
import { DEFAULT_FILTERS, type GraphFilters } from './url-state';
import { filterGraph, neighbourNamespaces } from './filter';

const graph = fixture as MeshGraph;
const filters = (f: Partial<GraphFilters> = {}): GraphFilters => ({ ...DEFAULT_FILTERS, ...f });
const byId = (els: ReturnType<typeof toElements>) => new Map(els.map((e) => [e.data.id, e]));
const id = (k: string, ns: string, n: string) => `${k}:Kubernetes/${ns}/${n}`;

describe('toElements', () => {
  const els = toElements(graph, { filters: filters(), overlay: 'none' });
  const m = byId(els);

  it('draws every node and edge with the API ids', () => {
    expect(els.filter((e) => e.group === 'edges')).toHaveLength(graph.edges.length);
    for (const e of graph.edges) expect(m.get(e.id)?.classes).toContain(`path-${e.path}`);
  });

  it('groups nodes in namespace boxes, except unknown peers', () => {
    expect(m.get(id('workload', 'shop', 'web'))?.data.parent).toBe('ns:shop');
    expect(m.get('ns:shop')?.classes).toBe('namespace');
    expect(m.get(id('unknown', 'unknown', '203.0.113.10'))?.data.parent).toBeUndefined();
    expect(m.has('ns:unknown')).toBe(false);
  });

  it('marks mode in classes and label text, and mode changes', () => {
    const catalog = m.get(id('workload', 'shop', 'catalog'))!;
    expect(catalog.classes).toContain('mode-sidecar'); // mode in the window wins
    expect(catalog.classes).toContain('mode-changed');
    expect(catalog.data.label).toBe('catalog\n[sidecar]\n⚠ mode changed since (now ambient)');
    expect(m.get(id('workload', 'orders', 'orders-api'))?.data.label).toBe('orders-api\n[mixed]');
    expect(m.get(id('workload', 'legacy', 'legacy-reporting'))?.data.label).toBe('legacy-reporting\n[out of mesh]');
    expect(m.get(id('waypoint', 'shop', 'shop-waypoint'))?.classes).toContain('kind-waypoint');
  });

  it('encodes health, plaintext and L7 gaps as classes and words', () => {
    const ledger = m.get(`${id('workload', 'payments', 'payments-api')}->${id('workload', 'payments', 'ledger')}`)!;
    expect(ledger.classes).toContain('health-error');
    expect(ledger.data.label).toBe('30% errors');
    const pg = m.get(`${id('workload', 'inventory', 'inventory-api')}->${id('workload', 'inventory', 'postgres')}`)!;
    expect(pg.classes).toContain('health-error');
    expect(pg.data.label).toContain('failed conn/s');
    const legacy = m.get(`${id('workload', 'legacy', 'legacy-reporting')}->${id('workload', 'inventory', 'inventory-api')}`)!;
    expect(legacy.classes.split(' ')).toEqual(expect.arrayContaining(['mtls-plaintext', 'l7-gap', 'path-ambient', 'telemetry-l4']));
    expect(legacy.data.label).toBe('plaintext · L7 gap');
  });

  it('coverage overlay fades covered edges and highlights blind ones', () => {
    const ov = byId(toElements(graph, { filters: filters(), overlay: 'coverage' }));
    expect(ov.get(`${id('workload', 'shop', 'web')}->${id('workload', 'shop', 'cart')}`)?.classes).toContain('covered');
    expect(ov.get(`${id('workload', 'shop', 'cart')}->${id('workload', 'inventory', 'inventory-api')}`)?.classes).toContain('blind');
    expect(ov.get(`${id('workload', 'payments', 'batch-export')}->${id('workload', 'payments', 'ledger')}`)?.classes).toContain('blind');
    expect(ov.get(`${id('workload', 'inventory', 'inventory-api')}->${id('workload', 'inventory', 'redis')}`)?.classes).toContain('l4-only');
  });

  it('policy overlay colours edges by verdict and says it in words', () => {
    const web = id('workload', 'shop', 'web');
    const cart = id('workload', 'shop', 'cart');
    const withPolicy = {
      ...graph,
      edges: graph.edges.map((e) => (e.id === `${web}->${cart}` ? { ...e, policyVerdict: 'denied' as const, deniedPerSec: 0.25, forbiddenPerSec: 1.5 } : e)),
    };
    const ov = byId(toElements(withPolicy, { filters: filters(), overlay: 'policy' }));
    const denied = ov.get(`${web}->${cart}`)!;
    expect(denied.classes).toContain('policy-denied');
    expect(denied.data.label).toBe('denied 0.25/s · 403 1.5/s');
    const none = ov.get(`${cart}->${id('workload', 'inventory', 'inventory-api')}`)!;
    expect(none.classes).toContain('policy-none');
    expect(none.data.label).toBe('');
    // Without the overlay no policy class is set.
    expect(byId(toElements(withPolicy, { filters: filters(), overlay: 'none' })).get(`${web}->${cart}`)!.classes).not.toContain('policy-');
  });

  it('marks search matches', () => {
    const s = byId(toElements(graph, { filters: filters({ search: 'CART' }), overlay: 'none' }));
    expect(s.get(id('workload', 'shop', 'cart'))?.classes).toContain('search-match');
    expect(s.get(id('workload', 'shop', 'web'))?.classes).toContain('search-miss');
  });
});

describe('filterGraph', () => {
  it('filters by path and keeps only touched nodes and their namespaces', () => {
    const els = toElements(graph, { filters: filters({ paths: ['waypoint'] }), overlay: 'none' });
    expect(els.filter((e) => e.group === 'edges')).toHaveLength(2);
    expect(
      els
        .filter((e) => e.group === 'nodes')
        .map((e) => e.data.id)
        .sort(),
    ).toEqual(['ns:shop', id('workload', 'shop', 'cart'), id('workload', 'shop', 'catalog'), id('workload', 'shop', 'web')].sort());
  });

  it('hides out-of-mesh nodes and their edges', () => {
    const f = filterGraph(graph, filters({ hideOutOfMesh: true }));
    expect(f.nodes.some((n) => n.name === 'legacy-reporting' || n.kind === 'unknown')).toBe(false);
    expect(f.edges.some((e) => e.source.includes('legacy'))).toBe(false);
  });

  it('hides idle edges', () => {
    const f = filterGraph(graph, filters({ hideIdle: true }));
    expect(f.edges.some((e) => e.source.includes('orders-worker'))).toBe(false);
    expect(f.nodes.some((n) => n.name === 'orders-worker')).toBe(false);
  });

  it('filters by telemetry and mTLS', () => {
    const f = filterGraph(graph, filters({ telemetry: ['l4'], mtls: ['plaintext'] }));
    expect(f.edges.map((e) => e.target).sort()).toEqual(
      [id('unknown', 'unknown', '203.0.113.10'), id('workload', 'inventory', 'inventory-api'), id('workload', 'shop', 'catalog')].sort(),
    );
  });

  it('finds neighbour namespaces for drill-down', () => {
    expect(neighbourNamespaces(graph, ['inventory'])).toEqual(['legacy', 'orders', 'shop', 'unknown']);
  });
});

describe('multi-cluster namespace boxes', () => {
  // The demo graph plus cluster "east": its own inventory/inventory-api (same names as in the demo
  // cluster), billing/ledger, and a cross-cluster call shop/cart → east inventory-api.
  const eastApi = {
    id: 'workload:east/inventory/inventory-api',
    kind: 'workload' as const,
    namespace: 'inventory',
    name: 'inventory-api',
    cluster: 'east',
    mode: 'ambient' as const,
  };
  const eastLedger = {
    id: 'workload:east/billing/ledger',
    kind: 'workload' as const,
    namespace: 'billing',
    name: 'ledger',
    cluster: 'east',
    mode: 'none' as const,
  };
  const cart = id('workload', 'shop', 'cart');
  const cross = { ...graph.edges.find((e) => e.source === cart)!, id: `${cart}->${eastApi.id}`, target: eastApi.id, crossCluster: true };
  const two: MeshGraph = { ...graph, nodes: [...graph.nodes, eastApi, eastLedger], edges: [...graph.edges, cross] };

  it('keys and labels boxes per cluster, so two clusters’ inventory namespaces are two boxes', () => {
    const els = toElements(two, { filters: filters(), overlay: 'none' });
    const m = byId(els);
    const boxes = els.filter((e) => e.data.kind === 'namespace');
    const single = toElements(graph, { filters: filters(), overlay: 'none' }).filter((e) => e.data.kind === 'namespace');
    // every demo box, now under its cluster, plus east's two
    expect(boxes.map((b) => b.data.id)).toEqual([...single.map((b) => `ns:Kubernetes/${String(b.data.namespace)}`), 'ns:east/billing', 'ns:east/inventory']);
    expect(single.map((b) => b.data.id)).toEqual(expect.arrayContaining(['ns:inventory', 'ns:shop']));
    expect(m.get('ns:east/inventory')?.data).toMatchObject({ label: 'east/inventory', namespace: 'inventory', cluster: 'east' });
    expect(m.get('ns:Kubernetes/inventory')?.data.label).toBe('Kubernetes/inventory');
    expect(m.get(eastApi.id)?.data.parent).toBe('ns:east/inventory');
    expect(m.get(id('workload', 'inventory', 'inventory-api'))?.data.parent).toBe('ns:Kubernetes/inventory');
    expect(m.get(id('unknown', 'unknown', '203.0.113.10'))?.data.parent).toBeUndefined();
    expect(m.has('ns:inventory')).toBe(false);
    // every parent exists
    for (const e of els) if (typeof e.data.parent === 'string') expect(m.has(e.data.parent), e.data.id).toBe(true);
    expect(m.get(cross.id)?.classes).toContain('cross-cluster');
    expect(m.get(`${id('workload', 'shop', 'web')}->${cart}`)?.classes).not.toContain('cross-cluster');
  });

  it('keeps per-cluster boxes when a filter hides one cluster (ids do not flip with filters)', () => {
    const els = toElements(two, { filters: filters({ paths: ['waypoint'] }), overlay: 'none' });
    expect(els.filter((e) => e.data.kind === 'namespace').map((e) => e.data.id)).toEqual(['ns:Kubernetes/shop']);
  });

  it('leaves a single-cluster graph as it was', () => {
    const els = toElements(graph, { filters: filters(), overlay: 'none' });
    const boxes = els.filter((e) => e.data.kind === 'namespace');
    expect(boxes.length).toBeGreaterThan(4);
    for (const b of boxes) {
      expect(b.data.id).toBe(`ns:${String(b.data.namespace)}`);
      expect(b.data.label).toBe(b.data.namespace);
    }
    expect(splitNamespacesByCluster(els, false)).toBe(els);
  });

  it('toScaledElements splits its boxes too and prefixes collapsed namespaces with their cluster', () => {
    const eastDb = { ...eastApi, id: 'workload:east/inventory/postgres', name: 'postgres' };
    const withDb: MeshGraph = { ...two, nodes: [...two.nodes, eastDb] };
    const scaled = toScaledElements(withDb, { filters: filters(), overlay: 'none', expanded: ['shop'], collapse: true, threshold: 1 });
    const els = scaled.elements;
    const m = byId(els);
    expect(m.get('ns:Kubernetes/shop')?.data.label).toBe('Kubernetes/shop');
    expect(m.get(id('workload', 'shop', 'cart'))?.data.parent).toBe('ns:Kubernetes/shop');
    const aggregates = els.filter((e) => e.data.aggregate === true && e.group === 'nodes').map((e) => String(e.data.label));
    expect(aggregates).toEqual(expect.arrayContaining([expect.stringMatching(/^east\/inventory \(/), expect.stringMatching(/^Kubernetes\/inventory \(/)]));
    for (const e of els) if (typeof e.data.parent === 'string') expect(m.has(e.data.parent), e.data.id).toBe(true);
  });

  it('namespace box ids parse back', () => {
    expect(parseNamespaceElementId(namespaceElementId('inventory', 'east'))).toEqual({ namespace: 'inventory', cluster: 'east' });
    expect(parseNamespaceElementId(namespaceElementId('inventory'))).toEqual({ namespace: 'inventory' });
    expect(parseNamespaceElementId('workload:east/inventory/x')).toBeUndefined();
  });
});

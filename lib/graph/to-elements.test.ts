import { describe, expect, it } from 'vitest';
import type { MeshGraph } from '@/lib/mesh/types';
import fixture from './testdata/demo-graph.json';
import { toElements } from './to-elements';
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
    expect(els.filter((e) => e.group === 'nodes').map((e) => e.data.id).sort()).toEqual(['ns:shop', id('workload', 'shop', 'cart'), id('workload', 'shop', 'catalog'), id('workload', 'shop', 'web')].sort());
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
    expect(f.edges.map((e) => e.target).sort()).toEqual([id('unknown', 'unknown', '203.0.113.10'), id('workload', 'inventory', 'inventory-api'), id('workload', 'shop', 'catalog')].sort());
  });

  it('finds neighbour namespaces for drill-down', () => {
    expect(neighbourNamespaces(graph, ['inventory'])).toEqual(['legacy', 'orders', 'shop', 'unknown']);
  });
});

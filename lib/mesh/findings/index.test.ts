import { describe, expect, it } from 'vitest';
import { countBySeverity, runFindings } from './index';
import type { KubeSnapshot, MeshGraph } from '../types';
import { authz, edge, graph, kube, ns, peerAuth, pod, svc, waypoint, wl } from './test-builders';

// A scaled-down version of docs/demo-mesh.md.
function demo(): { k: KubeSnapshot; g: MeshGraph } {
  const k = kube({
    namespaces: [
      ns('istio-system'),
      ns('payments', { 'istio-injection': 'enabled' }),
      ns('shop', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'shop-waypoint' }),
      ns('inventory', { 'istio.io/dataplane-mode': 'ambient' }),
      ns('orders', { 'istio.io/dataplane-mode': 'ambient' }),
      ns('legacy'),
    ],
    pods: [
      pod('istio-system', 'istiod', { labels: { app: 'istiod' }, containers: [{ name: 'discovery', image: 'istio/pilot:1.27.1', args: [] }] }),
      pod('payments', 'payments-api', { mode: 'native-sidecar' }),
      pod('payments', 'ledger', { mode: 'sidecar', version: '1.26.3' }),
      pod('shop', 'cart', { mode: 'ambient' }),
      pod('shop', 'web', { mode: 'ambient' }),
      pod('inventory', 'inventory-api', { mode: 'ambient' }),
      pod('orders', 'orders-api', { mode: 'sidecar' }),
      pod('orders', 'orders-api', { mode: 'ambient' }),
      pod('orders', 'orders-worker', { mode: 'pending', labels: { 'istio.io/dataplane-mode': 'ambient' } }),
      pod('legacy', 'legacy-reporting'),
    ],
    services: [svc('shop', 'cart'), svc('shop', 'web'), svc('inventory', 'inventory-api'), svc('payments', 'ledger'), svc('orders', 'orders-api')],
    gateways: [waypoint('shop', 'shop-waypoint')],
    authorizationPolicies: [
      authz('inventory', 'inventory-api-http-rules', {
        selector: { app: 'inventory-api' },
        httpAttributes: ['to.operation.methods', 'to.operation.paths'],
        conditions: [{ type: 'ZtunnelAccepted', status: 'False', reason: 'UnsupportedValue' }],
      }),
    ],
    peerAuthentications: [peerAuth('payments', 'default')],
  });
  const papi = wl('payments', 'payments-api', { mode: 'sidecar' });
  const cart = wl('shop', 'cart', { mode: 'ambient', waypoint: 'shop/shop-waypoint' });
  const web = wl('shop', 'web', { mode: 'ambient', waypoint: 'shop/shop-waypoint' });
  const inv = wl('inventory', 'inventory-api', { mode: 'ambient' });
  const legacy = wl('legacy', 'legacy-reporting', { mode: 'none' });
  const orders = wl('orders', 'orders-api', { mode: 'mixed' });
  const g = graph(
    [papi, cart, web, inv, legacy, orders],
    [
      edge(web, cart, { path: 'waypoint', waypoint: 'shop/shop-waypoint' }),
      edge(papi, cart, { path: 'mixed' }),
      edge(cart, inv, { path: 'ambient', telemetry: 'l4', l7Gap: true }),
      edge(legacy, inv, { path: 'ambient', telemetry: 'l4', l7Gap: true, mtls: 'plaintext' }),
      edge(legacy, orders, { path: 'mixed', mtls: 'plaintext' }),
      edge(web, orders, { path: 'mixed', partialL7: true }),
    ],
  );
  return { k, g };
}

describe('runFindings', () => {
  it('finds every kind on the demo-like mesh', () => {
    const { k, g } = demo();
    const f = runFindings(k, g);
    const ids = f.map((x) => x.id);
    expect(ids).toContain('l7-gap:inventory/inventory-api');
    expect(ids).toContain('l7-policy-not-enforced:inventory/inventory-api-http-rules');
    expect(ids).toContain(`waypoint-bypass:${g.edges[1]!.id}`);
    expect(ids).toContain('plaintext:inventory/inventory-api');
    expect(ids).toContain('plaintext:orders/orders-api');
    expect(ids).toContain('mode-mismatch:orders/orders-worker:redirection-pending');
    expect(ids).toContain('mixed-workload:orders/orders-api');
    expect(ids).toContain('version-drift:payments');
    // the l7 gap is critical: its destination has an AuthorizationPolicy with HTTP attributes
    expect(f.find((x) => x.kind === 'l7-gap')!.severity).toBe('critical');
    for (const x of f) {
      expect(x.fix.length).toBeGreaterThan(0);
      expect(x.objects.length).toBeGreaterThan(0);
      expect(x.evidence.length).toBeGreaterThan(0);
    }
  });

  it('orders by severity, namespace, kind, id, independent of input order', () => {
    const { k, g } = demo();
    const f = runFindings(k, g);
    const rank = { critical: 0, warning: 1, info: 2 };
    for (let i = 1; i < f.length; i++) {
      const a = f[i - 1]!;
      const b = f[i]!;
      const key = (x: typeof a) => [rank[x.severity], x.namespace, x.kind, x.id] as const;
      const ka = key(a);
      const kb = key(b);
      const le = ka[0] < kb[0] || (ka[0] === kb[0] && (ka[1] < kb[1] || (ka[1] === kb[1] && (ka[2] < kb[2] || (ka[2] === kb[2] && ka[3] <= kb[3])))));
      expect(le).toBe(true);
    }
    const shuffled = runFindings(
      { ...k, pods: [...k.pods].reverse(), namespaces: [...k.namespaces].reverse() },
      { ...g, nodes: [...g.nodes].reverse(), edges: [...g.edges].reverse() },
    );
    expect(shuffled).toEqual(f);
    expect(countBySeverity(f).critical).toBeGreaterThan(0);
  });

  it('returns nothing for an empty mesh', () => {
    expect(runFindings(kube({}), graph([], []))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { summarizeMesh, summarizeNamespaces } from './namespaces';
import { edge, graph, kube, ns, pod, svc, waypoint, wl } from './findings/test-builders';

function fixture() {
  const k = kube({
    namespaces: [
      ns('istio-system'),
      ns('payments', { 'istio-injection': 'enabled' }),
      ns('shop', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'shop-waypoint' }),
      ns('orders', { 'istio.io/dataplane-mode': 'ambient' }),
      ns('legacy'),
    ],
    pods: [
      pod('istio-system', 'ztunnel', { labels: { app: 'ztunnel' }, workload: { kind: 'DaemonSet', name: 'ztunnel' } }),
      pod('istio-system', 'ztunnel', { labels: { app: 'ztunnel' }, workload: { kind: 'DaemonSet', name: 'ztunnel' } }),
      pod('istio-system', 'istio-ingressgateway', {
        mode: 'sidecar',
        labels: { istio: 'ingressgateway' },
        annotations: { 'inject.istio.io/templates': 'gateway' },
      }),
      pod('payments', 'payments-api', { mode: 'native-sidecar' }),
      pod('payments', 'payments-api', { mode: 'native-sidecar' }),
      pod('payments', 'batch-export', { labels: { 'sidecar.istio.io/inject': 'false' } }),
      pod('shop', 'cart', { mode: 'ambient' }),
      pod('shop', 'shop-waypoint', {
        labels: { 'gateway.istio.io/managed': 'istio.io-mesh-controller', 'gateway.networking.k8s.io/gateway-name': 'shop-waypoint' },
        containers: [{ name: 'istio-proxy', image: 'istio/proxyv2:1.27.1', args: ['proxy', 'waypoint'] }],
      }),
      pod('orders', 'orders-api', { mode: 'sidecar' }),
      pod('orders', 'orders-api', { mode: 'ambient' }),
      pod('orders', 'orders-worker', { mode: 'pending' }),
      pod('legacy', 'legacy-reporting'),
    ],
    services: [svc('shop', 'cart'), svc('payments', 'payments-api')],
    gateways: [waypoint('shop', 'shop-waypoint')],
  });
  const papi = wl('payments', 'payments-api', { mode: 'sidecar' });
  const cart = wl('shop', 'cart', { mode: 'ambient', waypoint: 'shop/shop-waypoint' });
  const legacy = wl('legacy', 'legacy-reporting', { mode: 'none' });
  const orders = wl('orders', 'orders-api', { mode: 'mixed' });
  const stripe = wl('external', 'api.stripe.com', { kind: 'service', host: 'api.stripe.com' });
  const wpNode = wl('shop', 'shop-waypoint', { kind: 'waypoint' });
  const g = graph(
    [papi, cart, legacy, orders, stripe, wpNode],
    [
      edge(cart, papi, { path: 'mixed', rates: { rps: 30 } }),
      edge(papi, cart, { path: 'mixed', rates: { rps: 10 } }),
      edge(legacy, cart, { path: 'ambient', telemetry: 'l4', l7Gap: true, mtls: 'plaintext', rates: { connectionsPerSec: 10 } }),
      edge(legacy, orders, { path: 'mixed', mtls: 'plaintext', rates: { rps: 0 } }),
      edge(papi, stripe, { telemetry: 'l4', protocol: 'tcp', mtls: 'unknown', rates: { connectionsPerSec: 50 } }),
      edge(cart, wpNode, { leg: 'to-waypoint', rates: { connectionsPerSec: 1000 } }),
    ],
  );
  return { k, g };
}

describe('summarizeNamespaces', () => {
  it('derives the mode from application workloads only', () => {
    const { k, g } = fixture();
    const rows = summarizeNamespaces(k, g);
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(rows.map((r) => r.name)).toEqual(['external', 'istio-system', 'legacy', 'orders', 'payments', 'shop']);
    expect(by['istio-system']!.mode).toBe('none'); // ztunnel + gateway are infrastructure
    expect(by['istio-system']!.workloads.total).toBe(0);
    expect(by['istio-system']!.system).toBe(true);
    expect(by['shop']!.mode).toBe('ambient'); // waypoint excluded
    expect(by['shop']!.waypoints).toEqual(['shop/shop-waypoint']);
    expect(by['payments']!.mode).toBe('mixed'); // payments-api sidecar, batch-export none
    expect(by['payments']!.workloads).toEqual({ total: 2, sidecar: 1, ambient: 0, none: 1, mixed: 0 });
    expect(by['payments']!.intent).toEqual({ istioInjection: 'enabled' });
    // orders-worker's pod has ambient.istio.io/redirection=pending: enrolled in ambient, not yet ready
    // (docs/istio-telemetry.md §1.2), so ambient like in the graph, with an issue; never "none".
    expect(by['orders']!.workloads).toEqual({ total: 2, sidecar: 0, ambient: 1, none: 0, mixed: 1 });
    expect(by['orders']!.pods).toEqual({ total: 3, sidecar: 1, ambient: 2, none: 0 });
    expect(by['orders']!.issues.join('\n')).toContain('redirection=pending');
    expect(by['legacy']!.mode).toBe('none');
    expect(by['external']!.telemetryOnly).toBe(true);
  });

  it('counts edges by destination namespace, ignoring waypoint legs', () => {
    const { k, g } = fixture();
    const by = Object.fromEntries(summarizeNamespaces(k, g).map((r) => [r.name, r]));
    expect(by['shop']!.edges).toEqual({ total: 2, l7: 1, l7Gaps: 1, plaintext: 1 });
    expect(by['payments']!.edges).toEqual({ total: 1, l7: 1, l7Gaps: 0, plaintext: 0 });
    expect(by['legacy']!.edges).toEqual({ total: 0, l7: 0, l7Gaps: 0, plaintext: 0 });
    expect(by['external']!.edges.total).toBe(1);
  });

  it('reports mode changed since the window', () => {
    const { k } = fixture();
    const cat = wl('shop', 'catalog', { mode: 'ambient', modeInWindow: 'sidecar', modeChanged: true });
    const row = summarizeNamespaces(k, graph([cat], [])).find((r) => r.name === 'shop')!;
    expect(row.issues).toContain('shop/catalog: was sidecar in this window, ambient now (mode changed since)');
  });
});

describe('summarizeNamespaces without Kubernetes', () => {
  it('falls back to the graph nodes for modes', () => {
    const a = wl('shop', 'cart', { mode: 'ambient' });
    const b = wl('shop', 'web', { mode: 'sidecar' });
    const c = wl('legacy', 'x', { mode: 'none' });
    const rows = summarizeNamespaces(kube({ available: false }), graph([a, b, c], [edge(c, a, { mtls: 'plaintext' })]));
    expect(rows.map((r) => [r.name, r.mode, r.workloads.total, r.telemetryOnly])).toEqual([
      ['legacy', 'none', 1, true],
      ['shop', 'mixed', 2, true],
    ]);
    expect(rows[1]!.edges.plaintext).toBe(1);
  });
});

describe('summarizeMesh', () => {
  it('counts running proxies and weighs traffic shares by rps/connections', () => {
    const { k, g } = fixture();
    const m = summarizeMesh(k, g);
    expect(m.proxies).toEqual({ sidecars: 3, ztunnels: 2, waypoints: 1, gateways: 1 });
    expect(m.waypoints).toEqual([{ ref: 'shop/shop-waypoint', ready: true }]);
    expect(m.edges).toEqual({ total: 5, l7: 3, l7Gaps: 1, plaintext: 2 });
    // weights: 30 + 10 (l7) + 10 (l4 conns) + 0 + 50 (l4 conns) = 100
    expect(m.l7.share).toBeCloseTo(0.4);
    expect(m.l7.edgeShare).toBeCloseTo(3 / 5);
    expect(m.mtls.share).toBeCloseTo(0.4);
    expect(m.mtls.plaintextEdges).toBe(2);
    expect(m.namespaces).toEqual({ total: 5, sidecar: 0, ambient: 1, mixed: 2, none: 2 });
    expect(m.proxyVersions).toEqual({ '1.27.1': 5 });
  });

  it('returns null shares without traffic', () => {
    const m = summarizeMesh(kube({}), graph([], []));
    expect(m.l7.share).toBeNull();
    expect(m.mtls.edgeShare).toBeNull();
  });
});

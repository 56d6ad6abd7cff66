import { describe, expect, it } from 'vitest';
import { waypointBypassFindings } from './waypoint-bypass';
import { authz, edge, graph, kube, ns, svc, waypoint, wl } from './test-builders';

const k = kube({
  namespaces: [ns('shop', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'shop-waypoint' }), ns('payments'), ns('legacy')],
  services: [svc('shop', 'cart'), svc('shop', 'web'), svc('shop', 'catalog')],
  gateways: [waypoint('shop', 'shop-waypoint')],
});
const cart = wl('shop', 'cart', { mode: 'ambient', waypoint: 'shop/shop-waypoint', services: ['shop/cart'] });
const web = wl('shop', 'web', { mode: 'ambient', waypoint: 'shop/shop-waypoint', services: ['shop/web'] });
const payments = wl('payments', 'payments-api', { mode: 'sidecar' });
const legacy = wl('legacy', 'legacy-reporting', { mode: 'none' });
const ingress = wl('istio-system', 'istio-ingressgateway', { kind: 'gateway', mode: 'sidecar' });

describe('waypoint-bypass', () => {
  it('flags a sidecar client reaching a waypoint-bound service directly', () => {
    const g = graph([payments, cart], [edge(payments, cart, { path: 'mixed', services: ['shop/cart'] })]);
    const f = waypointBypassFindings(k, g);
    expect(f).toHaveLength(1);
    expect(f[0]!.namespace).toBe('shop');
    expect(f[0]!.severity).toBe('warning');
    expect(f[0]!.objects).toEqual(['payments/payments-api', 'shop/cart']);
    expect(f[0]!.message).toContain('sidecars do not use waypoints');
    expect(f[0]!.evidence).toEqual([g.edges[0]!.id, 'Gateway shop/shop-waypoint']);
    expect(f[0]!.fix).toContain('istio.io/dataplane-mode=ambient');
  });

  it('gives ingress gateways the ingress-use-waypoint fix', () => {
    const f = waypointBypassFindings(k, graph([ingress, web], [edge(ingress, web, { path: 'mixed' })]));
    expect(f).toHaveLength(1);
    expect(f[0]!.fix).toContain('kubectl label service web -n shop istio.io/ingress-use-waypoint=true');
  });

  it('names out-of-mesh clients and is critical when L7 policy on the waypoint is skipped', () => {
    const catalog = wl('shop', 'catalog', { mode: 'ambient', services: ['shop/catalog'] }); // binding from kube only
    const k2 = {
      ...k,
      authorizationPolicies: [
        authz('shop', 'gw-rules', { targetRefs: [{ kind: 'Gateway', name: 'shop-waypoint' }], httpAttributes: ['to.operation.paths'] }),
      ],
    };
    const f = waypointBypassFindings(k2, graph([legacy, catalog], [edge(legacy, catalog, { path: 'ambient', telemetry: 'l4', mtls: 'plaintext' })]));
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('critical');
    expect(f[0]!.message).toContain('legacy/legacy-reporting is out of the mesh');
    expect(f[0]!.fix).toContain('kubectl label namespace legacy istio.io/dataplane-mode=ambient');
  });

  it('is info with a note when an end changed mode since the window', () => {
    const catalog = wl('shop', 'catalog', { mode: 'ambient', modeInWindow: 'sidecar', modeChanged: true, waypoint: 'shop/shop-waypoint' });
    const f = waypointBypassFindings(k, graph([web, catalog], [edge(web, catalog, { path: 'mixed' })]));
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('info');
    expect(f[0]!.message).toContain('shop/catalog was sidecar in this window (ambient now)');
  });

  it('does not flag waypoint paths, unbound destinations, or waypoint legs', () => {
    const other = wl('payments', 'ledger', { mode: 'sidecar' });
    const wpNode = wl('shop', 'shop-waypoint', { kind: 'waypoint' });
    const g = graph(
      [payments, cart, other, wpNode, web],
      [
        edge(web, cart, { path: 'waypoint', waypoint: 'shop/shop-waypoint' }),
        edge(payments, other, { path: 'sidecar' }),
        edge(web, wpNode, { path: 'ambient', leg: 'to-waypoint' }),
        edge(wpNode, cart, { path: 'ambient' }),
      ],
    );
    expect(waypointBypassFindings(kube({}), g)).toEqual([]);
    expect(waypointBypassFindings(k, g)).toEqual([]);
  });
});

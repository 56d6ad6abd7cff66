import { describe, expect, it } from 'vitest';
import { waypointBypassFindings } from './waypoint-bypass';
import { authz, edge, graph, kube, ns, pod, svc, waypoint, wl } from './test-builders';

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
      authorizationPolicies: [authz('shop', 'gw-rules', { targetRefs: [{ kind: 'Gateway', name: 'shop-waypoint' }], httpAttributes: ['to.operation.paths'] })],
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

  describe('ambient clients follow the bindings as Istio applies them (docs/istio-telemetry.md §1.5)', () => {
    const shopPods = [pod('shop', 'web', { mode: 'ambient' }), pod('shop', 'cart', { mode: 'ambient' })];
    const kb = (
      nsLabels: Record<string, string>,
      svcLabels: Record<string, string> = {},
      gw = waypoint('shop', 'shop-waypoint'),
      podLabels: Record<string, string> = {},
    ) =>
      kube({
        namespaces: [ns('shop', { 'istio.io/dataplane-mode': 'ambient', ...nsLabels })],
        services: [svc('shop', 'cart', { labels: svcLabels }), svc('shop', 'web')],
        gateways: [gw],
        pods: [shopPods[0]!, { ...shopPods[1]!, labels: { ...shopPods[1]!.labels, ...podLabels } }],
      });
    const webN = wl('shop', 'web', { mode: 'ambient' });
    const cartN = wl('shop', 'cart', { mode: 'ambient' });

    it('Service-addressed traffic that skipped the Service waypoint: never "address by Service name"', () => {
      const f = waypointBypassFindings(
        kb({ 'istio.io/use-waypoint': 'shop-waypoint' }),
        graph([webN, cartN], [edge(webN, cartN, { path: 'ambient', services: ['cart.shop.svc.cluster.local'] })]),
      );
      expect(f).toHaveLength(1);
      expect(f[0]!.message).toContain('addresses Service shop/cart, which is bound to shop/shop-waypoint');
      expect(`${f[0]!.message}\n${f[0]!.fix}`).not.toMatch(/address\b.*(by its Service name|instead of pod IPs)/i);
      expect(f[0]!.fix).toContain('istioctl ztunnel-config service | grep cart');
      expect(f[0]!.fix).toContain('kubectl get gateway shop-waypoint -n shop');
    });

    it('pod-IP traffic skips a Service waypoint: address by Service name, or bind the pods with the right label', () => {
      const g = graph([webN, cartN], [edge(webN, cartN, { path: 'ambient' })]);
      // bound through the Service label: the pods need their own label, and the waypoint must serve workloads
      const viaService = waypointBypassFindings(kb({}, { 'istio.io/use-waypoint': 'shop-waypoint' }), g)[0]!;
      expect(viaService.message).toContain('by pod IP');
      expect(viaService.fix).toContain('address cart.shop.svc.cluster.local (Service shop/cart) instead of pod IPs');
      expect(viaService.fix).toContain('kubectl label gateway shop-waypoint -n shop istio.io/waypoint-for=all --overwrite');
      expect(viaService.fix).toContain(
        `kubectl -n shop patch deployment cart --type merge -p '{"spec":{"template":{"metadata":{"labels":{"istio.io/use-waypoint":"shop-waypoint"}}}}}'`,
      );
      // bound through the Namespace label: the pods inherit it once waypoint-for allows workloads
      const viaNs = waypointBypassFindings(kb({ 'istio.io/use-waypoint': 'shop-waypoint' }), g)[0]!;
      expect(viaNs.fix).toContain('istio.io/waypoint-for=all');
      expect(viaNs.fix).not.toContain('patch deployment');
      expect(viaNs.fix).toContain("inherit namespace shop's istio.io/use-waypoint=shop-waypoint");
    });

    it("pod-IP traffic that skipped the pods' workload waypoint", () => {
      const wwp = waypoint('shop', 'cart-wp', { labels: { 'istio.io/waypoint-for': 'workload' } });
      const k2 = kb({}, {}, wwp, { 'istio.io/use-waypoint': 'cart-wp' });
      const f = waypointBypassFindings(k2, graph([webN, cartN], [edge(webN, cartN, { path: 'ambient' })]));
      expect(f).toHaveLength(1);
      expect(f[0]!.message).toContain("reaches shop/cart's pods by IP, and they are bound to workload waypoint shop/cart-wp");
      expect(f[0]!.fix).toContain('istioctl ztunnel-config workload | grep cart');
      // Service-addressed traffic never uses a workload waypoint: nothing bypassed
      expect(waypointBypassFindings(k2, graph([webN, cartN], [edge(webN, cartN, { path: 'ambient', services: ['shop/cart'] })]))).toEqual([]);
    });

    it('a binding istiod rejects is not a binding: nothing to bypass', () => {
      const shared = waypoint('infra', 'shared'); // allowedRoutes default Same
      const k3 = kb({ 'istio.io/use-waypoint': 'shared', 'istio.io/use-waypoint-namespace': 'infra' }, {}, shared);
      expect(waypointBypassFindings(k3, graph([webN, cartN], [edge(webN, cartN, { path: 'ambient', services: ['shop/cart'] })]))).toEqual([]);
      const notProgrammed = waypoint('shop', 'shop-waypoint', { conditions: [{ type: 'Programmed', status: 'False', reason: 'Invalid' }] });
      expect(
        waypointBypassFindings(
          kb({ 'istio.io/use-waypoint': 'shop-waypoint' }, {}, notProgrammed),
          graph([webN, cartN], [edge(webN, cartN, { path: 'ambient', services: ['shop/cart'] })]),
        ),
      ).toEqual([]);
    });

    it('ingress gateways only use Service waypoints: a workload waypoint gets the Service binding fix', () => {
      const wwp = waypoint('shop', 'cart-wp', { labels: { 'istio.io/waypoint-for': 'workload' } });
      const f = waypointBypassFindings(
        kb({}, {}, wwp, { 'istio.io/use-waypoint': 'cart-wp' }),
        graph([ingress, cartN], [edge(ingress, cartN, { path: 'sidecar', services: ['shop/cart'] })]),
      );
      expect(f).toHaveLength(1);
      expect(f[0]!.fix).toContain('kubectl label service cart -n shop istio.io/use-waypoint=cart-wp istio.io/ingress-use-waypoint=true');
      expect(f[0]!.fix).toContain('istio.io/waypoint-for=all');
    });
  });
});

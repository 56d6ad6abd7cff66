import { describe, expect, it } from 'vitest';
import { l7GapFindings } from './l7-gap';
import { authz, edge, graph, kube, ns, pod, svc, waypoint, wl } from './test-builders';

describe('l7-gap', () => {
  const cart = wl('shop', 'cart', { mode: 'ambient' });
  const api = wl('inventory', 'inventory-api', { mode: 'ambient', services: ['inventory/inventory-api'] });
  const legacy = wl('legacy', 'legacy-reporting', { mode: 'none' });
  const k = kube({
    namespaces: [ns('inventory', { 'istio.io/dataplane-mode': 'ambient' }), ns('shop'), ns('legacy')],
    pods: [pod('inventory', 'inventory-api', { mode: 'ambient' })],
    services: [svc('inventory', 'inventory-api')],
  });

  it('reports HTTP edges with only L4 telemetry, grouped by destination, with a waypoint fix', () => {
    const g = graph(
      [cart, api, legacy],
      [
        edge(cart, api, { path: 'ambient', telemetry: 'l4', l7Gap: true, services: ['inventory/inventory-api'] }),
        edge(legacy, api, { path: 'ambient', telemetry: 'l4', l7Gap: true, mtls: 'plaintext' }),
      ],
    );
    const f = l7GapFindings(k, g);
    expect(f).toHaveLength(1);
    expect(f[0]!.kind).toBe('l7-gap');
    expect(f[0]!.severity).toBe('warning');
    expect(f[0]!.namespace).toBe('inventory');
    expect(f[0]!.objects).toEqual(['inventory/inventory-api']);
    expect(f[0]!.evidence).toHaveLength(2);
    expect(f[0]!.fix).toContain('istioctl waypoint apply -n inventory --enroll-namespace');
    expect(f[0]!.fix).toContain('istio.io/use-waypoint=inventory-api-waypoint');
    expect(f[0]!.message).toContain('legacy/legacy-reporting');
    expect(f[0]!.message).toMatch(/Out-of-mesh clients/);
  });

  it('recomputes the gap from protocol + telemetry even when l7Gap is false', () => {
    const g = graph([cart, api], [edge(cart, api, { path: 'ambient', telemetry: 'l4', l7Gap: false, protocol: 'grpc' })]);
    expect(l7GapFindings(k, g)).toHaveLength(1);
  });

  it('is critical when an AuthorizationPolicy with HTTP attributes applies to the destination', () => {
    const k2 = {
      ...k,
      authorizationPolicies: [authz('inventory', 'rules', { selector: { app: 'inventory-api' }, httpAttributes: ['to.operation.methods'] })],
    };
    const g = graph([cart, api], [edge(cart, api, { path: 'ambient', telemetry: 'l4', l7Gap: true })]);
    const f = l7GapFindings(k2, g);
    expect(f[0]!.severity).toBe('critical');
    expect(f[0]!.evidence).toContain('AuthorizationPolicy inventory/rules');
  });

  it('never reports TCP services or L7 edges', () => {
    const pg = wl('inventory', 'postgres', { mode: 'ambient' });
    const g = graph(
      [cart, api, pg],
      [
        edge(api, pg, { path: 'ambient', telemetry: 'l4', protocol: 'tcp' }),
        edge(cart, api, { path: 'waypoint', telemetry: 'l7', protocol: 'http' }),
        edge(cart, api, { path: 'ambient', telemetry: 'l4', protocol: 'unknown' }),
      ],
    );
    expect(l7GapFindings(k, g)).toEqual([]);
  });

  it('leaves destinations already served by a waypoint to waypoint-bypass', () => {
    const catalog = wl('shop', 'catalog', { mode: 'ambient', waypoint: 'shop/shop-waypoint' });
    const g = graph([legacy, catalog], [edge(legacy, catalog, { path: 'ambient', telemetry: 'l4', l7Gap: true })]);
    expect(l7GapFindings(k, g)).toEqual([]);
    // same when only the Kubernetes binding says so (namespace label)
    const bare = wl('shop', 'catalog', { mode: 'ambient', services: ['shop/catalog'] });
    const k3 = kube({
      namespaces: [ns('shop', { 'istio.io/use-waypoint': 'shop-waypoint' })],
      services: [svc('shop', 'catalog')],
      gateways: [waypoint('shop', 'shop-waypoint')],
    });
    expect(l7GapFindings(k3, graph([legacy, bare], [edge(legacy, bare, { telemetry: 'l4', l7Gap: true })]))).toEqual([]);
  });

  it('suggests declaring the port protocol when the destination has a sidecar', () => {
    const led = wl('payments', 'ledger', { mode: 'sidecar', services: ['payments/ledger'] });
    const k4 = kube({ pods: [pod('payments', 'ledger', { mode: 'sidecar' })], services: [svc('payments', 'ledger')] });
    const f = l7GapFindings(k4, graph([cart, led], [edge(cart, led, { telemetry: 'l4', l7Gap: true })]));
    expect(f).toHaveLength(1);
    expect(f[0]!.fix).toContain('appProtocol');
    expect(f[0]!.fix).not.toContain('istioctl waypoint');
  });

  describe('fixes follow how Istio applies waypoints (docs/istio-telemetry.md §1.5)', () => {
    const web = wl('shop', 'web', { mode: 'ambient' });
    const cartN = wl('shop', 'cart', { mode: 'ambient' });
    const kb = (nsLabels: Record<string, string>, gateways = [waypoint('infra', 'shared')], svcLabels: Record<string, string> = {}) =>
      kube({
        namespaces: [ns('shop', { 'istio.io/dataplane-mode': 'ambient', ...nsLabels }), ns('infra')],
        pods: [pod('shop', 'web', { mode: 'ambient' }), pod('shop', 'cart', { mode: 'ambient' })],
        services: [svc('shop', 'cart', { labels: svcLabels })],
        gateways,
      });
    const gap = (services: string[] = ['shop/cart']) => graph([web, cartN], [edge(web, cartN, { path: 'ambient', telemetry: 'l4', l7Gap: true, services })]);

    it('a cross-namespace binding the waypoint does not admit: fix the allowedRoutes, not "add a waypoint"', () => {
      const f = l7GapFindings(kb({ 'istio.io/use-waypoint': 'shared', 'istio.io/use-waypoint-namespace': 'infra' }), gap());
      expect(f).toHaveLength(1);
      expect(f[0]!.message).toContain('istiod does not apply it: Service shop/cart: waypoint infra/shared does not admit namespace shop');
      expect(f[0]!.fix).toContain('kubernetes.io/metadata.name: shop');
      expect(f[0]!.fix).toContain('kubectl -n infra edit gateway shared');
      expect(f[0]!.fix).not.toContain('istioctl waypoint apply');
    });

    it('a Service bound to a workload-only waypoint: waypoint-for=all on that Gateway', () => {
      const wwp = waypoint('shop', 'wwp', { labels: { 'istio.io/waypoint-for': 'workload' } });
      const f = l7GapFindings(kb({}, [wwp], { 'istio.io/use-waypoint': 'wwp' }), gap());
      expect(f[0]!.fix).toContain('kubectl label gateway wwp -n shop istio.io/waypoint-for=all --overwrite   # Service shop/cart needs it to serve services');
    });

    it('a waypoint that is not programmed: check it, do not add another one', () => {
      const broken = waypoint('shop', 'wp', { conditions: [{ type: 'Programmed', status: 'False', reason: 'Invalid' }] });
      const f = l7GapFindings(kb({ 'istio.io/use-waypoint': 'wp' }, [broken]), gap());
      expect(f[0]!.message).toContain('Gateway shop/wp has condition Programmed=False (Invalid)');
      expect(f[0]!.fix).toContain('kubectl get pods -n shop -l gateway.networking.k8s.io/gateway-name=wp');
    });

    it('pod-IP addressed ambient clients need a workload waypoint', () => {
      const f = l7GapFindings(kb({}, []), gap([]));
      expect(f[0]!.fix).toContain('istioctl waypoint apply -n shop --enroll-namespace --for all --wait');
      expect(f[0]!.fix).toContain('istioctl waypoint apply -n shop --name cart-waypoint --for workload --wait');
      expect(f[0]!.fix).toContain('kubectl -n shop patch deployment cart');
      expect(f[0]!.fix).not.toContain('kubectl label service');
    });
  });
});

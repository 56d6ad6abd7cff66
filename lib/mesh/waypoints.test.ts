import { describe, expect, it } from 'vitest';
import { buildWaypointIndex } from './waypoints';
import { buildWorkloadIndex } from './workloads';
import { ambientPod, kube, namespace, service, waypointGateway, waypointPod } from './testing/fixtures';
import type { AllowedRoutesInfo, Condition, GatewayInfo, KubeSnapshot, LabelSelectorInfo } from './types';

function index(k: KubeSnapshot) {
  return buildWaypointIndex(k, buildWorkloadIndex(k));
}

// docs/istio-telemetry.md §5 (a): Gateway labelled istio.io/waypoint-for=workload.
const bwaypoint = () => waypointGateway('ns', 'bwaypoint', { labels: { 'istio.io/waypoint-for': 'workload' } });

describe('waypoint discovery', () => {
  it('only class istio-waypoint; never istio-east-west', () => {
    const wps = index(
      kube({
        gateways: [
          waypointGateway('ns', 'wp'),
          waypointGateway('istio-system', 'ew', { className: 'istio-east-west' }),
          waypointGateway('ns', 'ingress', { className: 'istio' }),
        ],
      }),
    );
    expect([...wps.waypoints.keys()]).toEqual(['ns/wp']);
  });
  it('waypoint-for: Gateway label > GatewayClass label > service', () => {
    const classLabelled = kube({
      gateways: [waypointGateway('ns', 'a'), bwaypoint()],
      gatewayClasses: [{ name: 'istio-waypoint', labels: { 'istio.io/waypoint-for': 'all' }, controllerName: 'istio.io/mesh-controller' }],
    });
    const w1 = index(classLabelled);
    expect(w1.waypoints.get('ns/a')!.waypointFor).toBe('all');
    expect(w1.waypoints.get('ns/bwaypoint')!.waypointFor).toBe('workload');
    expect(index(kube({ gateways: [waypointGateway('ns', 'a')] })).waypoints.get('ns/a')!.waypointFor).toBe('service');
  });
  it('effective only with status addresses', () => {
    const w = index(kube({ gateways: [waypointGateway('ns', 'a', { addresses: [] })] }));
    expect(w.waypoints.get('ns/a')!.effective).toBe(false);
  });
  it('maps the running workload to its Gateway', () => {
    const k = kube({ gateways: [waypointGateway('ns', 'wp')], pods: [waypointPod({ namespace: 'ns', gateway: 'wp', name: 'wp-abc' })] });
    expect(index(k).lookup('ns', 'wp')?.ref).toBe('ns/wp');
  });
});

describe('bindings (§1.5)', () => {
  const base = (
    nsLabels: Record<string, string>,
    svcLabels: Record<string, string> = {},
    podLabels: Record<string, string> = {},
    gw = waypointGateway('ns', 'wp'),
  ) =>
    kube({
      namespaces: [namespace('ns', nsLabels), namespace('other')],
      gateways: [gw, waypointGateway('other', 'shared', { labels: { 'istio.io/waypoint-for': 'all' } })],
      services: [service('ns', 'svc', { app: 'app' }, [{ name: 'http', port: 80 }], svcLabels)],
      pods: [ambientPod({ namespace: 'ns', name: 'app-1', workload: 'app', labels: podLabels })],
    });
  const svcOf = (k: KubeSnapshot) => k.services[0]!;

  it('namespace label binds services', () => {
    const k = base({ 'istio.io/use-waypoint': 'wp' });
    const w = index(k);
    expect(w.serviceBinding(svcOf(k))).toMatchObject({ waypoint: 'ns/wp', via: 'namespace', accepted: true });
    expect(w.servedServices.get('ns/wp')).toEqual(['ns/svc']);
    expect(w.servedWorkloads.get('ns/wp')).toEqual(['ns/app']);
  });
  it('service label wins over namespace label; none opts out', () => {
    const k = base({ 'istio.io/use-waypoint': 'wp' }, { 'istio.io/use-waypoint': 'none' });
    const w = index(k);
    expect(w.serviceBinding(svcOf(k))).toMatchObject({ optOut: true, accepted: false });
    expect(w.serviceWaypoint(svcOf(k))).toBeUndefined();
  });
  it('cross-namespace with use-waypoint-namespace, when the waypoint admits the namespace (allowedRoutes.namespaces.from: All)', () => {
    const k = base({}, { 'istio.io/use-waypoint': 'shared', 'istio.io/use-waypoint-namespace': 'other' });
    const shared = waypointGateway('other', 'shared', { labels: { 'istio.io/waypoint-for': 'all' }, allowedRoutes: { from: 'All' } });
    expect(index({ ...k, gateways: [k.gateways[0]!, shared] }).serviceWaypoint(svcOf(k))).toBe('other/shared');
  });
  it('a service-only waypoint does not serve pods bound through the namespace', () => {
    const k = base({ 'istio.io/use-waypoint': 'wp' });
    expect(index(k).podBinding(k.pods[0]!)).toMatchObject({ accepted: false, reason: expect.stringMatching(/for service/) });
  });
  it('workload waypoint (§5 b pod-template binding) serves the pod, not the service', () => {
    const k = base({}, {}, { 'istio.io/use-waypoint': 'bwaypoint' }, bwaypoint());
    const w = index(k);
    expect(w.podBinding(k.pods[0]!)).toMatchObject({ waypoint: 'ns/bwaypoint', via: 'pod', accepted: true });
    expect(w.workloadWaypoint(buildWorkloadIndex(k).get('ns', 'app')!)).toBe('ns/bwaypoint');
    expect(w.servedServices.get('ns/bwaypoint')).toEqual([]);
  });
  it('a workload waypoint is not accepted for services', () => {
    const k = base({}, { 'istio.io/use-waypoint': 'bwaypoint' }, {}, bwaypoint());
    expect(index(k).serviceBinding(svcOf(k))).toMatchObject({ accepted: false });
  });
  it('missing or address-less waypoint is not accepted', () => {
    const k1 = base({}, { 'istio.io/use-waypoint': 'nope' });
    expect(index(k1).serviceBinding(svcOf(k1))).toMatchObject({ accepted: false, reason: expect.stringMatching(/no Gateway/) });
    const k2 = base({}, { 'istio.io/use-waypoint': 'wp' }, {}, waypointGateway('ns', 'wp', { addresses: [] }));
    expect(index(k2).serviceBinding(svcOf(k2))).toMatchObject({ accepted: false, reason: expect.stringMatching(/status address/) });
  });
  it("the waypoint's own Service never gets a waypoint", () => {
    const k = kube({
      namespaces: [namespace('ns', { 'istio.io/use-waypoint': 'wp' })],
      gateways: [waypointGateway('ns', 'wp')],
      pods: [waypointPod({ namespace: 'ns', gateway: 'wp', name: 'wp-1' })],
      services: [service('ns', 'wp', { 'gateway.networking.k8s.io/gateway-name': 'wp' }, [{ name: 'mesh', port: 15008 }])],
    });
    expect(index(k).serviceBinding(k.services[0]!)).toBeUndefined();
  });
});

// A waypoint in namespace `infra` as `istioctl waypoint apply -n infra --name shared --for all` writes it, with
// the allowedRoutes a platform team adds to share it, and its status once istiod has programmed it — the
// GatewayInfo lib/kube/reshape.ts makes of it (its test covers the raw object → allowedRoutes part).
const PROGRAMMED: Condition[] = [
  { type: 'Accepted', status: 'True', reason: 'Accepted' },
  { type: 'Programmed', status: 'True', reason: 'Programmed' },
];
function sharedWaypoint(
  allowedRoutes?: AllowedRoutesInfo,
  status: { addresses: string[]; conditions: Condition[] } = { addresses: ['shared.infra.svc.cluster.local'], conditions: PROGRAMMED },
): GatewayInfo {
  return {
    namespace: 'infra',
    name: 'shared',
    labels: { 'istio.io/waypoint-for': 'all' },
    annotations: {},
    className: 'istio-waypoint',
    listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', ...(allowedRoutes ? { allowedRoutes } : {}) }],
    ...status,
  };
}
const sel = (matchLabels: Record<string, string>, matchExpressions: LabelSelectorInfo['matchExpressions'] = []): LabelSelectorInfo => ({
  matchLabels,
  matchExpressions,
});

describe('bindings as istiod applies them (case 7)', () => {
  /** Namespace `shop` (labels `nsLabels`) binds Service cart and pod cart-1 to infra/shared. */
  const shop = (gw: GatewayInfo, nsLabels: Record<string, string> = { team: 'shop' }, on: 'namespace' | 'objects' = 'namespace') => {
    const bind = { 'istio.io/use-waypoint': 'shared', 'istio.io/use-waypoint-namespace': 'infra' };
    return kube({
      namespaces: [namespace('shop', { 'istio.io/dataplane-mode': 'ambient', ...nsLabels, ...(on === 'namespace' ? bind : {}) }), namespace('infra')],
      gateways: [gw],
      services: [service('shop', 'cart', { app: 'cart' }, [{ name: 'http', port: 80 }], on === 'objects' ? bind : {})],
      pods: [ambientPod({ namespace: 'shop', name: 'cart-1', workload: 'cart', labels: on === 'objects' ? bind : {} })],
    });
  };
  const bindings = (k: KubeSnapshot) => {
    const w = index(k);
    return { svc: w.serviceBinding(k.services[0]!), pod: w.podBinding(k.pods[0]!), w };
  };

  it('use-waypoint-namespace needs the HBONE listener to admit the namespace: Same (default) rejects, All admits', () => {
    for (const gw of [sharedWaypoint(undefined), sharedWaypoint({ from: 'Same' })]) {
      for (const on of ['namespace', 'objects'] as const) {
        const { svc, pod, w } = bindings(shop(gw, {}, on));
        expect(svc).toMatchObject({
          waypoint: 'infra/shared',
          accepted: false,
          rejected: 'namespace-not-allowed',
          reason: expect.stringMatching(/does not admit namespace shop .*from: Same/),
        });
        expect(pod).toMatchObject({ accepted: false, rejected: 'namespace-not-allowed' });
        expect(w.servedWorkloads.get('infra/shared')).toEqual([]);
      }
    }
    const { svc, pod, w } = bindings(shop(sharedWaypoint({ from: 'All' })));
    expect(svc).toMatchObject({ accepted: true, via: 'namespace' });
    expect(pod).toMatchObject({ accepted: true, via: 'namespace' });
    expect(w.servedServices.get('infra/shared')).toEqual(['shop/cart']);
  });

  it('from: Selector matches the client Namespace labels (matchLabels and matchExpressions)', () => {
    const bySelector = (selector: LabelSelectorInfo) => sharedWaypoint({ from: 'Selector', selector });
    expect(bindings(shop(bySelector(sel({ team: 'shop' })))).svc).toMatchObject({ accepted: true });
    expect(bindings(shop(bySelector(sel({ team: 'payments' })))).svc).toMatchObject({
      accepted: false,
      rejected: 'namespace-not-allowed',
      reason: expect.stringMatching(/selector team=payments does not match/),
    });
    expect(bindings(shop(bySelector(sel({}, [{ key: 'team', operator: 'In', values: ['shop', 'orders'] }])))).pod).toMatchObject({ accepted: true });
    expect(bindings(shop(bySelector(sel({}, [{ key: 'team', operator: 'NotIn', values: ['shop'] }])))).pod).toMatchObject({ accepted: false });
    expect(bindings(shop(bySelector(sel({}, [{ key: 'pci', operator: 'DoesNotExist', values: [] }])))).svc).toMatchObject({ accepted: true });
    expect(bindings(shop(bySelector(sel({}, [{ key: 'pci', operator: 'Exists', values: [] }])))).svc).toMatchObject({ accepted: false });
    // the selector is matched against the Namespace object of the client, not the waypoint's
    expect(bindings(shop(bySelector(sel({ team: 'shop' })), { team: 'other' })).svc).toMatchObject({ accepted: false });
    // Selector without a (valid) selector admits nothing
    expect(bindings(shop(sharedWaypoint({ from: 'Selector' }))).svc).toMatchObject({ accepted: false, reason: expect.stringMatching(/admits no namespace/) });
  });

  it('only the HBONE listener (15008) counts', () => {
    const gw = sharedWaypoint(undefined);
    gw.listeners.push({ name: 'proxy', port: 15088, protocol: 'istio.io/PROXY', allowedRoutes: { from: 'All' } });
    expect(bindings(shop(gw)).svc).toMatchObject({ accepted: false, rejected: 'namespace-not-allowed' });
  });

  it('a waypoint with Programmed or Accepted False is not effective, and bindings to it are rejected', () => {
    const addresses = ['shared.infra.svc.cluster.local'];
    for (const cond of [
      { type: 'Programmed', status: 'False', reason: 'Invalid' },
      { type: 'Accepted', status: 'False', reason: 'InvalidParameters' },
    ] as Condition[]) {
      const gw = sharedWaypoint({ from: 'All' }, { addresses, conditions: [cond] });
      const { svc, w } = bindings(shop(gw));
      expect(w.waypoints.get('infra/shared')).toMatchObject({ effective: false });
      expect(svc).toMatchObject({ accepted: false, rejected: 'not-ready', reason: expect.stringContaining(`${cond.type}=False (${cond.reason})`) });
    }
    expect(index(kube({ gateways: [sharedWaypoint({ from: 'All' }, { addresses, conditions: [] })] })).waypoints.get('infra/shared')!.effective).toBe(true); // no conditions reported: addresses decide
  });

  it('an own label istiod rejects is not replaced by the Namespace label (no fallback)', () => {
    const k = kube({
      namespaces: [namespace('ns', { 'istio.io/use-waypoint': 'wp' })],
      gateways: [waypointGateway('ns', 'wp')],
      services: [service('ns', 'svc', { app: 'app' }, [{ name: 'http', port: 80 }], { 'istio.io/use-waypoint': 'missing' })],
    });
    expect(index(k).serviceBinding(k.services[0]!)).toMatchObject({ waypoint: 'ns/missing', via: 'service', accepted: false, rejected: 'missing' });
    expect(index(k).serviceWaypoint(k.services[0]!)).toBeUndefined();
  });

  it('Service-addressed traffic uses the Service waypoint, pod-IP traffic only the workload waypoint', () => {
    // service waypoint through the namespace label (waypoint-for service): pods have none
    const k1 = kube({
      namespaces: [namespace('ns', { 'istio.io/use-waypoint': 'wp' })],
      gateways: [waypointGateway('ns', 'wp')],
      services: [service('ns', 'svc', { app: 'app' }, [{ name: 'http', port: 80 }])],
      pods: [ambientPod({ namespace: 'ns', name: 'app-1', workload: 'app' })],
    });
    const w1 = index(k1);
    const app1 = buildWorkloadIndex(k1).get('ns', 'app')!;
    expect(w1.serviceWaypoint(k1.services[0]!)).toBe('ns/wp');
    expect(w1.podWaypoint(app1)).toBeUndefined();
    expect(w1.workloadWaypoint(app1)).toBe('ns/wp'); // the node's "served by", not what pod-IP traffic uses
    // workload waypoint on the pods (waypoint-for workload): the Service has none
    const k2 = kube({
      namespaces: [namespace('ns')],
      gateways: [bwaypoint()],
      services: [service('ns', 'svc', { app: 'app' }, [{ name: 'http', port: 80 }])],
      pods: [ambientPod({ namespace: 'ns', name: 'app-1', workload: 'app', labels: { 'istio.io/use-waypoint': 'bwaypoint' } })],
    });
    const w2 = index(k2);
    expect(w2.podWaypoint(buildWorkloadIndex(k2).get('ns', 'app')!)).toBe('ns/bwaypoint');
    expect(w2.serviceWaypoint(k2.services[0]!)).toBeUndefined();
  });

  it('a GatewayClass of the mesh controller under another name is a waypoint class', () => {
    const k = kube({
      gateways: [waypointGateway('ns', 'wp', { className: 'team-waypoint' })],
      gatewayClasses: [{ name: 'team-waypoint', labels: {}, controllerName: 'istio.io/mesh-controller' }],
    });
    expect([...index(k).waypoints.keys()]).toEqual(['ns/wp']);
  });
});

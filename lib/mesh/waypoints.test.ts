import { describe, expect, it } from 'vitest';
import { buildWaypointIndex } from './waypoints';
import { buildWorkloadIndex } from './workloads';
import { ambientPod, kube, namespace, service, waypointGateway, waypointPod } from './testing/fixtures';
import type { KubeSnapshot } from './types';

function index(k: KubeSnapshot) {
  return buildWaypointIndex(k, buildWorkloadIndex(k));
}

// istio-telemetry.md §5 (a): Gateway labelled istio.io/waypoint-for=workload.
const bwaypoint = () => waypointGateway('ns', 'bwaypoint', { labels: { 'istio.io/waypoint-for': 'workload' } });

describe('waypoint discovery', () => {
  it('only class istio-waypoint; never istio-east-west', () => {
    const wps = index(kube({ gateways: [waypointGateway('ns', 'wp'), waypointGateway('istio-system', 'ew', { className: 'istio-east-west' }), waypointGateway('ns', 'ingress', { className: 'istio' })] }));
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
  const base = (nsLabels: Record<string, string>, svcLabels: Record<string, string> = {}, podLabels: Record<string, string> = {}, gw = waypointGateway('ns', 'wp')) =>
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
  it('cross-namespace with use-waypoint-namespace', () => {
    const k = base({}, { 'istio.io/use-waypoint': 'shared', 'istio.io/use-waypoint-namespace': 'other' });
    expect(index(k).serviceWaypoint(svcOf(k))).toBe('other/shared');
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
  it('the waypoint\'s own Service never gets a waypoint', () => {
    const k = kube({
      namespaces: [namespace('ns', { 'istio.io/use-waypoint': 'wp' })],
      gateways: [waypointGateway('ns', 'wp')],
      pods: [waypointPod({ namespace: 'ns', gateway: 'wp', name: 'wp-1' })],
      services: [service('ns', 'wp', { 'gateway.networking.k8s.io/gateway-name': 'wp' }, [{ name: 'mesh', port: 15008 }])],
    });
    expect(index(k).serviceBinding(k.services[0]!)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { buildWorkloadIndex, applicationWorkloads, combineModes, namespaceModeOf } from './workloads';
import { ambientPod, ingressGatewayPod, kube, namespace, plainPod, service, sidecarPod, waypointPod, ztunnelPod } from './testing/fixtures';

describe('workload mode', () => {
  it('combineModes', () => {
    expect(combineModes(['sidecar', 'sidecar'])).toBe('sidecar');
    expect(combineModes(['ambient'])).toBe('ambient');
    expect(combineModes(['sidecar', 'ambient'])).toBe('mixed');
    expect(combineModes(['none', 'ambient'])).toBe('mixed');
    expect(combineModes([])).toBe('none');
  });
  it('namespaceModeOf', () => {
    expect(namespaceModeOf(['ambient', 'ambient'])).toBe('ambient');
    expect(namespaceModeOf(['ambient', 'mixed'])).toBe('mixed');
    expect(namespaceModeOf([])).toBe('none');
  });
});

describe('buildWorkloadIndex', () => {
  const k = kube({
    namespaces: [namespace('orders', { 'istio.io/dataplane-mode': 'ambient' }), namespace('istio-system'), namespace('shop')],
    pods: [
      sidecarPod({ namespace: 'orders', name: 'orders-api-a', workload: 'orders-api', ip: '10.0.0.1' }),
      sidecarPod({ namespace: 'orders', name: 'orders-api-b', workload: 'orders-api', ip: '10.0.0.2', proxyImage: 'docker.io/istio/proxyv2:1.26.3' }),
      ambientPod({ namespace: 'orders', name: 'orders-api-c', workload: 'orders-api', ip: '10.0.0.3' }),
      ambientPod({ namespace: 'orders', name: 'orders-api-old', workload: 'orders-api', ip: '10.0.0.9', phase: 'Succeeded' }),
      ztunnelPod('ztunnel-a', '10.0.0.5', 'n1'),
      ingressGatewayPod({ name: 'istio-ingressgateway-x', ip: '10.0.0.6' }),
      waypointPod({ namespace: 'shop', gateway: 'shop-waypoint', name: 'shop-waypoint-x', ip: '10.0.0.7' }),
      plainPod({ namespace: 'shop', name: 'hostnet', ip: '192.168.0.1', hostNetwork: true }),
    ],
    services: [service('orders', 'orders-api', { app: 'orders-api' }, [{ name: 'http', port: 80 }]), service('orders', 'nothing', {}, [])],
  });
  const idx = buildWorkloadIndex(k);

  it('groups pods by workload, ignoring terminated pods', () => {
    const w = idx.get('orders', 'orders-api')!;
    expect(w.pods.map((p) => p.pod.name)).toEqual(['orders-api-a', 'orders-api-b', 'orders-api-c']);
    expect(w).toMatchObject({ mode: 'mixed', role: 'application', counts: { total: 3, sidecar: 2, ambient: 1, none: 0 } });
    expect(w.proxyVersions).toEqual(['1.26.3', '1.27.1']);
    expect(w.revisions).toEqual(['default']);
  });
  it('flags issues per pod when not all pods share them', () => {
    expect(idx.get('orders', 'orders-api')!.issues.join('\n')).toMatch(/^orders-api-a, orders-api-b: .*still runs a sidecar/);
  });
  it('infrastructure roles', () => {
    expect(idx.get('istio-system', 'ztunnel')!.role).toBe('ztunnel');
    expect(idx.get('istio-system', 'istio-ingressgateway')!.role).toBe('gateway');
    expect(idx.get('shop', 'shop-waypoint')).toMatchObject({ role: 'waypoint', gatewayName: 'shop-waypoint', infrastructure: true });
    expect(applicationWorkloads(idx).map((w) => w.ref)).toEqual(['orders/orders-api', 'shop/hostnet']);
  });
  it('indexes pod IPs (live, non-hostNetwork only)', () => {
    expect(idx.podsByIp.get('10.0.0.5')![0]!.workload.role).toBe('ztunnel');
    expect(idx.podsByIp.has('10.0.0.9')).toBe(false);
    expect(idx.podsByIp.has('192.168.0.1')).toBe(false);
  });
  it('services selecting a workload (empty selector selects nothing)', () => {
    expect(idx.servicesOf(idx.get('orders', 'orders-api')!).map((s) => s.name)).toEqual(['orders-api']);
    expect(idx.workloadsOf(idx.services.get('orders/nothing')!)).toEqual([]);
  });
});

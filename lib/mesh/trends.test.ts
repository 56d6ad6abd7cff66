import { describe, expect, it } from 'vitest';
import { ingressGatewayPod, kube, namespace, sidecarPod, waypointPod, ztunnelPod, ambientPod } from './testing/fixtures';
import { countProxies, delta, proxyTargetRole } from './trends';
import { buildWorkloadIndex } from './workloads';

const index = buildWorkloadIndex(
  kube({
    namespaces: [namespace('shop'), namespace('istio-system')],
    pods: [
      sidecarPod({ namespace: 'shop', name: 'web-1', workload: 'web', ip: '10.0.0.1' }),
      ambientPod({ namespace: 'shop', name: 'cart-1', workload: 'cart', ip: '10.0.0.2' }),
      waypointPod({ namespace: 'shop', gateway: 'waypoint', name: 'waypoint-1', ip: '10.0.0.3' }),
      ingressGatewayPod({ name: 'istio-ingressgateway-1', ip: '10.0.0.4' }),
      ztunnelPod('ztunnel-a', '10.0.1.1', 'node-a'),
    ],
  }),
);

describe('proxyTargetRole', () => {
  it('ztunnel by component, whatever the pod', () => {
    expect(proxyTargetRole({ component: 'ztunnel', instance: '10.9.9.9:15020' }, index)).toBe('ztunnel');
  });
  it('an Envoy of a known pod counts as that pod: by namespace/pod labels, else by a unique instance IP', () => {
    expect(proxyTargetRole({ component: 'proxy', namespace: 'shop', pod: 'web-1' }, index)).toBe('sidecar');
    expect(proxyTargetRole({ component: 'proxy', instance: '10.0.0.1:15020' }, index)).toBe('sidecar');
    expect(proxyTargetRole({ component: 'proxy', namespace: 'shop', pod: 'waypoint-1' }, index)).toBe('other');
    expect(proxyTargetRole({ component: 'proxy', instance: '10.0.0.3:15020' }, index)).toBe('other');
    expect(proxyTargetRole({ component: 'proxy', instance: '10.0.0.4:15020' }, index)).toBe('other');
  });
  it('an Envoy whose pod is gone is a sidecar unless its app label names a gateway', () => {
    expect(proxyTargetRole({ component: 'proxy', namespace: 'shop', pod: 'catalog-old-1' }, index)).toBe('sidecar');
    expect(proxyTargetRole({ component: 'proxy', instance: '10.7.7.7:15020' }, index)).toBe('sidecar');
    expect(proxyTargetRole({ component: 'proxy', instance: '10.7.7.8:15020', app: 'istio-ingressgateway' }, index)).toBe('other');
  });
  it('anything else is not counted', () => {
    expect(proxyTargetRole({ component: 'istiod' }, index)).toBe('other');
    expect(proxyTargetRole({}, index)).toBe('other');
  });
});

describe('countProxies', () => {
  it('counts sidecars and ztunnels, leaving waypoints and gateways out', () => {
    const targets = [
      { component: 'proxy', namespace: 'shop', pod: 'web-1' },
      { component: 'proxy', namespace: 'shop', pod: 'catalog-old-1' },
      { component: 'proxy', namespace: 'shop', pod: 'waypoint-1' },
      { component: 'ztunnel', pod: 'ztunnel-a', namespace: 'istio-system' },
    ];
    expect(countProxies(targets, index)).toEqual({ sidecars: 2, ztunnels: 1 });
    expect(countProxies([], index)).toEqual({ sidecars: 0, ztunnels: 0 });
  });
});

describe('delta', () => {
  it('now − before when both are numbers, else null', () => {
    expect(delta(0.9, 0.85)).toBeCloseTo(0.05, 12);
    expect(delta(10, 12)).toBe(-2);
    expect(delta(null, 1)).toBeNull();
    expect(delta(1, undefined)).toBeNull();
    expect(delta(Number.NaN, 1)).toBeNull();
  });
});

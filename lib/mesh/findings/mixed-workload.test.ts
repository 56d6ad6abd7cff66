import { describe, expect, it } from 'vitest';
import { mixedWorkloadFindings } from './mixed-workload';
import { edge, graph, kube, ns, pod, svc, waypoint, wl } from './test-builders';

describe('mixed-workload', () => {
  const k = kube({
    namespaces: [ns('orders', { 'istio.io/dataplane-mode': 'ambient' })],
    pods: [
      pod('orders', 'orders-api', { mode: 'sidecar' }),
      pod('orders', 'orders-api', { mode: 'sidecar' }),
      pod('orders', 'orders-api', { mode: 'ambient' }),
    ],
    services: [svc('orders', 'orders-api')],
  });

  it('reports a workload whose pods disagree, with counts and a rollout fix', () => {
    const f = mixedWorkloadFindings(k, graph([], []));
    expect(f).toHaveLength(1);
    expect(f[0]!.id).toBe('mixed-workload:orders/orders-api');
    expect(f[0]!.message).toContain('2 sidecar, 1 ambient of 3');
    expect(f[0]!.message).toContain('towards ambient');
    expect(f[0]!.severity).toBe('warning'); // ambient pods, no waypoint: part of the traffic lost L7
    expect(f[0]!.fix).toContain('kubectl rollout restart deployment/orders-api -n orders');
    expect(f[0]!.fix).toContain('istioctl waypoint apply -n orders');
    expect(f[0]!.objects).toHaveLength(4);
  });

  it('is info when a waypoint keeps L7 and no edge is partial', () => {
    const k2 = {
      ...k,
      namespaces: [ns('orders', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'wp' })],
      gateways: [waypoint('orders', 'wp')],
    };
    expect(mixedWorkloadFindings(k2, graph([], []))[0]!.severity).toBe('info');
    const web = wl('shop', 'web', { mode: 'ambient' });
    const api = wl('orders', 'orders-api', { mode: 'mixed' });
    const g = graph([web, api], [edge(web, api, { path: 'mixed', partialL7: true })]);
    const f = mixedWorkloadFindings(k2, g);
    expect(f[0]!.severity).toBe('warning');
    expect(f[0]!.evidence).toContain(g.edges[0]!.id);
  });

  it('ignores workloads whose pods agree', () => {
    const k3 = kube({ pods: [pod('a', 'x', { mode: 'ambient' }), pod('a', 'x', { mode: 'ambient' }), pod('a', 'y', { mode: 'sidecar' })] });
    expect(mixedWorkloadFindings(k3, graph([], []))).toEqual([]);
  });
});

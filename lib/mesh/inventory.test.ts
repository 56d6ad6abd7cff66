// What the findings, the namespace summary and the migration plan read from the inventory (formerly
// lib/mesh/findings/kube-facts.ts, a second classifier that disagreed with pods.ts; docs/istio-telemetry.md §1).
import { describe, expect, it } from 'vitest';
import { inventoryOf } from './inventory';
import { kube, ns, peerAuth, pod, svc, waypoint } from './findings/test-builders';

describe('inventory facts the readers use', () => {
  it('tells mesh infrastructure from application pods (§1.8), one class per pod', () => {
    const ist = 'istio-system';
    const gw = pod(ist, 'istio-ingressgateway', { mode: 'sidecar', annotations: { 'inject.istio.io/templates': 'gateway' } });
    const inv = inventoryOf(
      kube({
        pods: [
          pod(ist, 'ztunnel', { labels: { app: 'ztunnel' }, workload: { kind: 'DaemonSet', name: 'ztunnel' } }),
          pod(ist, 'istio-cni-node', { labels: { 'k8s-app': 'istio-cni-node' } }),
          pod('shop', 'wp', { labels: { 'gateway.istio.io/managed': 'istio.io-mesh-controller' } }),
          pod(ist, 'ew', { labels: { 'gateway.istio.io/managed': 'istio.io-eastwest-controller' } }),
          gw, // a classic injected gateway carries sidecar.istio.io/status too, but is not a sidecar
          pod(ist, 'istiod', { labels: { app: 'istiod' } }),
          pod('shop', 'cart', { mode: 'sidecar' }),
          pod('a', 'x', { mode: 'native-sidecar', version: '1.26.3' }),
          pod('a', 'p', { mode: 'pending' }),
        ],
      }),
    );
    const byWorkload = Object.fromEntries(inv.pods.map((p) => [p.pod.workload.name, p.classification]));
    expect(Object.fromEntries(Object.entries(byWorkload).map(([w, c]) => [w, c.class]))).toEqual({
      ztunnel: 'ztunnel',
      'istio-cni-node': 'istio-cni',
      wp: 'waypoint',
      ew: 'ambient-east-west-gateway',
      'istio-ingressgateway': 'gateway',
      istiod: 'istiod',
      cart: 'sidecar',
      x: 'sidecar',
      p: 'ambient',
    });
    expect(byWorkload['istio-ingressgateway']).toMatchObject({ infrastructure: true, proxyVersion: '1.27.1' });
    expect(byWorkload['x']).toMatchObject({ mode: 'sidecar', nativeSidecar: true, proxyVersion: '1.26.3', revision: 'default' });
    // redirection: pending is ambient, not ready (§1.8 step 4); kube-facts used to call it "none".
    expect(byWorkload['p']).toMatchObject({ mode: 'ambient', ambientPending: true });
  });

  it('groups pods into workloads and marks mixed ones', () => {
    const inv = inventoryOf(kube({ pods: [pod('o', 'api', { mode: 'sidecar' }), pod('o', 'api', { mode: 'ambient' }), pod('o', 'w')] }));
    expect([...inv.workloads.workloads.values()].map((x) => [x.ref, x.mode])).toEqual([
      ['o/api', 'mixed'],
      ['o/w', 'none'],
    ]);
  });

  it('binds services to waypoints: Service label, then Namespace label, "none" opts out', () => {
    const k = kube({
      namespaces: [ns('shop', { 'istio.io/use-waypoint': 'wp' })],
      gateways: [waypoint('shop', 'wp'), waypoint('shop', 'other'), waypoint('shop', 'workload-only', { labels: { 'istio.io/waypoint-for': 'workload' } })],
    });
    const { waypoints } = inventoryOf(k);
    expect(waypoints.serviceWaypoint(svc('shop', 'a'))).toBe('shop/wp');
    expect(waypoints.serviceWaypoint(svc('shop', 'b', { labels: { 'istio.io/use-waypoint': 'other' } }))).toBe('shop/other');
    expect(waypoints.serviceWaypoint(svc('shop', 'c', { labels: { 'istio.io/use-waypoint': 'none' } }))).toBeUndefined();
    expect(waypoints.serviceWaypoint(svc('shop', 'd', { labels: { 'istio.io/use-waypoint': 'workload-only' } }))).toBeUndefined();
    expect(waypoints.serviceWaypoint(svc('shop', 'e', { labels: { 'istio.io/use-waypoint': 'missing' } }))).toBeUndefined();
  });

  it('picks the most specific PeerAuthentication', () => {
    const p = pod('payments', 'ledger');
    const pas = [
      peerAuth('istio-system', 'mesh', { mode: 'PERMISSIVE' }),
      peerAuth('payments', 'ns', { mode: 'STRICT' }),
      peerAuth('payments', 'ledger', { selector: { app: 'ledger' }, mode: 'DISABLE' }),
    ];
    expect(inventoryOf(kube({ peerAuthentications: pas })).peerAuthFor(p)?.policy.name).toBe('ledger');
    expect(inventoryOf(kube({ peerAuthentications: pas.slice(0, 2) })).peerAuthFor(p)?.mode).toBe('STRICT');
    expect(inventoryOf(kube({ peerAuthentications: pas.slice(0, 1) })).peerAuthFor(p)?.mode).toBe('PERMISSIVE');
    expect(inventoryOf(kube({})).peerAuthFor(p)).toBeUndefined();
  });
});

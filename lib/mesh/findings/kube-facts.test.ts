import { describe, expect, it } from 'vitest';
import { allPodFacts, appWorkloads, imageVersion, peerAuthFor, podRole, serviceWaypoint } from './kube-facts';
import { kube, ns, peerAuth, pod, svc, waypoint } from './test-builders';

describe('kube facts', () => {
  it('tells mesh infrastructure from application pods (istio-telemetry.md §1.8)', () => {
    const ist = 'istio-system';
    expect(podRole(pod(ist, 'ztunnel', { labels: { app: 'ztunnel' } }), ist)).toBe('ztunnel');
    expect(podRole(pod(ist, 'istio-cni-node', { labels: { 'k8s-app': 'istio-cni-node' } }), ist)).toBe('cni');
    expect(podRole(pod('shop', 'wp', { labels: { 'gateway.istio.io/managed': 'istio.io-mesh-controller' } }), ist)).toBe('waypoint');
    expect(podRole(pod(ist, 'ew', { labels: { 'gateway.istio.io/managed': 'istio.io-eastwest-controller' } }), ist)).toBe('eastwest');
    // a classic injected gateway carries sidecar.istio.io/status too, but is not a sidecar
    const gw = pod(ist, 'istio-ingressgateway', { mode: 'sidecar', annotations: { 'inject.istio.io/templates': 'gateway' } });
    expect(podRole(gw, ist)).toBe('gateway');
    expect(podRole(pod(ist, 'istiod', { labels: { app: 'istiod' } }), ist)).toBe('istiod');
    expect(podRole(pod('shop', 'cart', { mode: 'sidecar' }), ist)).toBe('app');
    const facts = allPodFacts(kube({ pods: [gw, pod('a', 'x', { mode: 'native-sidecar', version: '1.26.3' })] }));
    expect(facts.map((f) => [f.role, f.mode, f.proxyVersion, f.revision])).toEqual([
      ['gateway', 'none', '1.27.1', undefined],
      ['app', 'sidecar', '1.26.3', 'default'],
    ]);
  });

  it('reads proxy versions from image references', () => {
    expect(imageVersion('docker.io/istio/proxyv2:1.26.3')).toBe('1.26.3');
    expect(imageVersion('gcr.io/istio-release/ztunnel:1.27.1-distroless')).toBe('1.27.1');
    expect(imageVersion('localhost:5000/istio/proxyv2')).toBeUndefined();
    expect(imageVersion('localhost:5000/istio/proxyv2:1.27.0@sha256:abcdef0123456789')).toBe('1.27.0');
    expect(imageVersion('istio/proxyv2@sha256:abcdef0123456789')).toBe('sha256:abcdef01');
  });

  it('groups pods into workloads and marks mixed ones', () => {
    const w = appWorkloads(allPodFacts(kube({ pods: [pod('o', 'api', { mode: 'sidecar' }), pod('o', 'api', { mode: 'ambient' }), pod('o', 'w')] })));
    expect(w.map((x) => [x.ref, x.mode])).toEqual([
      ['o/api', 'mixed'],
      ['o/w', 'none'],
    ]);
  });

  it('binds services to waypoints: Service label, then Namespace label, "none" opts out', () => {
    const k = kube({
      namespaces: [ns('shop', { 'istio.io/use-waypoint': 'wp' })],
      gateways: [waypoint('shop', 'wp'), waypoint('shop', 'other'), waypoint('shop', 'workload-only', { labels: { 'istio.io/waypoint-for': 'workload' } })],
    });
    expect(serviceWaypoint(k, svc('shop', 'a'))).toBe('shop/wp');
    expect(serviceWaypoint(k, svc('shop', 'b', { labels: { 'istio.io/use-waypoint': 'other' } }))).toBe('shop/other');
    expect(serviceWaypoint(k, svc('shop', 'c', { labels: { 'istio.io/use-waypoint': 'none' } }))).toBeUndefined();
    expect(serviceWaypoint(k, svc('shop', 'd', { labels: { 'istio.io/use-waypoint': 'workload-only' } }))).toBeUndefined();
    expect(serviceWaypoint(k, svc('shop', 'e', { labels: { 'istio.io/use-waypoint': 'missing' } }))).toBeUndefined();
  });

  it('picks the most specific PeerAuthentication', () => {
    const p = pod('payments', 'ledger');
    const k = kube({
      peerAuthentications: [
        peerAuth('istio-system', 'mesh', { mode: 'PERMISSIVE' }),
        peerAuth('payments', 'ns', { mode: 'STRICT' }),
        peerAuth('payments', 'ledger', { selector: { app: 'ledger' }, mode: 'DISABLE' }),
      ],
    });
    expect(peerAuthFor(k, p)?.policy.name).toBe('ledger');
    expect(peerAuthFor({ ...k, peerAuthentications: k.peerAuthentications.slice(0, 2) }, p)?.mode).toBe('STRICT');
    expect(peerAuthFor({ ...k, peerAuthentications: k.peerAuthentications.slice(0, 1) }, p)?.mode).toBe('PERMISSIVE');
    expect(peerAuthFor(kube({}), p)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { classifyPod, imageTag, podIntent, podIssues, sidecarRequested, ambientRequested } from './pods';
import { ambientPod, cniPod, ingressGatewayPod, namespace, plainPod, pod, sidecarPod, waypointPod, ztunnelPod } from './testing/fixtures';
import type { PodInfo } from './types';

const ISTIO_NS = 'istio-system';

// docs/istio-telemetry.md §5 (d): native sidecar, verbatim annotations/labels.
function nativeSidecarD(): PodInfo {
  const p = pod({
    namespace: 'default',
    name: 'hello-abc',
    workload: 'hello',
    labels: { 'security.istio.io/tlsMode': 'istio', 'service.istio.io/canonical-name': 'hello', 'service.istio.io/canonical-revision': 'latest' },
    annotations: {
      'istio.io/rev': 'default',
      'kubectl.kubernetes.io/default-container': 'hello',
      'kubectl.kubernetes.io/default-logs-container': 'hello',
      'prometheus.io/path': '/stats/prometheus',
      'prometheus.io/port': '15020',
      'prometheus.io/scrape': 'true',
      'sidecar.istio.io/status':
        '{"initContainers":["istio-init","istio-proxy"],"containers":null,"volumes":["workload-socket","credential-socket","workload-certs","istio-envoy","istio-data","istio-podinfo","istio-token","istiod-ca-cert","istio-ca-crl"],"imagePullSecrets":null,"revision":"default"}',
    },
  });
  p.initContainers = [
    { name: 'istio-init', image: 'docker.io/istio/proxyv2:1.27.1', args: ['istio-iptables'] },
    { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.27.1', args: ['proxy', 'sidecar'], restartPolicy: 'Always' },
  ];
  return p;
}

// §5 (e): classic injected gateway — has sidecar.istio.io/status but is a gateway.
function classicGatewayE(): PodInfo {
  const p = pod({
    namespace: 'istio-system',
    name: 'istio-ingressgateway-abc',
    workload: 'istio-ingressgateway',
    labels: { istio: 'ingressgateway', 'service.istio.io/canonical-name': 'istio-ingressgateway', 'service.istio.io/canonical-revision': 'latest' },
    annotations: {
      'inject.istio.io/templates': 'gateway',
      'istio.io/rev': 'default',
      'sidecar.istio.io/status':
        '{"initContainers":null,"containers":["istio-proxy"],"volumes":["workload-socket","credential-socket","workload-certs","istio-envoy","istio-data","istio-podinfo","istio-token","istiod-ca-cert"],"imagePullSecrets":null,"revision":"default"}',
    },
  });
  p.containers = [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.27.1', args: ['proxy', 'router'] }];
  return p;
}

describe('classifyPod', () => {
  it('ztunnel (§5 g) only in the Istio namespace', () => {
    expect(classifyPod(ztunnelPod('ztunnel-x', '10.0.0.1', 'n'), ISTIO_NS)).toMatchObject({ class: 'ztunnel', infrastructure: true });
    const impostor = plainPod({ namespace: 'apps', name: 'z', labels: { app: 'ztunnel' } });
    expect(classifyPod(impostor, ISTIO_NS).class).toBe('none');
  });
  it('istio-cni', () => {
    expect(classifyPod(cniPod('istio-cni-node-x', 'n'), ISTIO_NS)).toMatchObject({ class: 'istio-cni', infrastructure: true });
  });
  it('waypoint (§5 c) although it has an istio-proxy container', () => {
    expect(classifyPod(waypointPod({ namespace: 'shop', gateway: 'wp', name: 'wp-1' }), ISTIO_NS)).toMatchObject({
      class: 'waypoint',
      infrastructure: true,
      proxyVersion: '1.27.1',
    });
  });
  it('ambient east-west gateway runs "proxy waypoint" but is not a waypoint', () => {
    const p = waypointPod({ namespace: 'istio-system', gateway: 'istio-eastwest', name: 'ew-1' });
    p.labels['gateway.istio.io/managed'] = 'istio.io-eastwest-controller';
    p.labels['gateway.networking.k8s.io/gateway-class-name'] = 'istio-east-west';
    expect(classifyPod(p, ISTIO_NS).class).toBe('ambient-east-west-gateway');
  });
  it('classic gateway (§5 e) with sidecar.istio.io/status is a gateway, not a sidecar', () => {
    expect(classifyPod(classicGatewayE(), ISTIO_NS)).toMatchObject({ class: 'gateway', infrastructure: true });
    expect(classifyPod(ingressGatewayPod({ name: 'gw' }), ISTIO_NS).class).toBe('gateway');
  });
  it('Gateway API ingress (managed by istio.io-gateway-controller)', () => {
    const p = plainPod({ namespace: 'web', name: 'gw-istio-1', labels: { 'gateway.istio.io/managed': 'istio.io-gateway-controller' } });
    expect(classifyPod(p, ISTIO_NS).class).toBe('gateway');
  });
  it('native sidecar (§5 d)', () => {
    expect(classifyPod(nativeSidecarD(), ISTIO_NS)).toMatchObject({
      class: 'sidecar',
      mode: 'sidecar',
      nativeSidecar: true,
      revision: 'default',
      proxyVersion: '1.27.1',
    });
  });
  it("revision from sidecar.istio.io/status: each text its own answer, also past the parse cache's bound", () => {
    const withStatus = (status: string, rev?: string) => {
      const p = nativeSidecarD();
      p.annotations = { 'sidecar.istio.io/status': status, ...(rev ? { 'istio.io/rev': rev } : {}) };
      return classifyPod(p, ISTIO_NS).revision;
    };
    // 1,500 distinct texts (the cache holds 1,000), each asked twice, interleaved with a malformed one.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 1_500; i++) {
        expect(withStatus(`{"containers":["istio-proxy"],"revision":"rev-${i}"}`)).toBe(`rev-${i}`);
        expect(withStatus('{not json', 'from-annotation')).toBe('from-annotation');
      }
    }
    expect(withStatus('{"revision":""}', 'fallback')).toBe('fallback');
    expect(withStatus('{"revision":7}')).toBeUndefined();
  });
  it('classic sidecar container', () => {
    const c = classifyPod(sidecarPod({ namespace: 'a', name: 'x', proxyImage: 'docker.io/istio/proxyv2:1.26.3' }), ISTIO_NS);
    expect(c).toMatchObject({ class: 'sidecar', nativeSidecar: false, proxyVersion: '1.26.3' });
  });
  it('an istio-proxy container alone is not a sidecar', () => {
    const p = plainPod({ namespace: 'a', name: 'x' });
    p.containers.push({ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.27.1', args: ['proxy', 'sidecar'] });
    expect(classifyPod(p, ISTIO_NS).class).toBe('none');
  });
  it('ambient: redirection enabled (§5 f); pending is ambient but flagged', () => {
    expect(classifyPod(ambientPod({ namespace: 'a', name: 'x' }), ISTIO_NS)).toMatchObject({ class: 'ambient', mode: 'ambient', ambientPending: false });
    expect(classifyPod(ambientPod({ namespace: 'a', name: 'x', redirection: 'pending' }), ISTIO_NS)).toMatchObject({ class: 'ambient', ambientPending: true });
  });
  it('label alone does not make a pod ambient', () => {
    expect(classifyPod(plainPod({ namespace: 'a', name: 'x', labels: { 'istio.io/dataplane-mode': 'ambient' } }), ISTIO_NS).mode).toBe('none');
  });
  it('istiod is infrastructure', () => {
    expect(classifyPod(plainPod({ namespace: ISTIO_NS, name: 'istiod-1', labels: { app: 'istiod' } }), ISTIO_NS).infrastructure).toBe(true);
  });
});

describe('imageTag', () => {
  it('reads tags, ignores registry ports and digests', () => {
    expect(imageTag('docker.io/istio/proxyv2:1.26.3')).toBe('1.26.3');
    expect(imageTag('registry:5000/istio/proxyv2:1.27.1-distroless@sha256:abc')).toBe('1.27.1');
    expect(imageTag('registry:5000/istio/proxyv2')).toBeUndefined();
    // the same release under its -distroless/-debug variants is one version (version-drift compares them)
    expect(imageTag('gcr.io/istio-release/ztunnel:1.27.1-distroless')).toBe('1.27.1');
    expect(imageTag('docker.io/istio/proxyv2:1.27.1-debug')).toBe('1.27.1');
    expect(imageTag('localhost:5000/istio/proxyv2:1.27.0@sha256:abcdef0123456789')).toBe('1.27.0');
    // a digest alone names no version (kube-facts used to call it "sha256:abcdef01")
    expect(imageTag('istio/proxyv2@sha256:abcdef0123456789')).toBeUndefined();
  });
});

describe('intent', () => {
  it('pod labels win over namespace labels', () => {
    const p = plainPod({ namespace: 'a', name: 'x', labels: { 'istio.io/dataplane-mode': 'none', 'sidecar.istio.io/inject': 'false' } });
    expect(podIntent(p, namespace('a', { 'istio.io/dataplane-mode': 'ambient', 'istio-injection': 'enabled' }))).toEqual({
      istioInjection: 'enabled',
      dataplaneMode: 'none',
      sidecarInject: 'false',
    });
  });
  it('sidecarRequested follows the webhook', () => {
    expect(sidecarRequested({ istioInjection: 'enabled' })).toBe(true);
    expect(sidecarRequested({ istioInjection: 'enabled', sidecarInject: 'false' })).toBe(false);
    expect(sidecarRequested({ istioInjection: 'disabled', istioRev: 'canary' })).toBe(false);
    expect(sidecarRequested({ istioRev: 'canary' })).toBe(true);
    expect(sidecarRequested({})).toBe(false);
  });
  it('ambientRequested: pod none opts out of an ambient namespace', () => {
    const ns = namespace('a', { 'istio.io/dataplane-mode': 'ambient' });
    expect(ambientRequested(plainPod({ namespace: 'a', name: 'x' }), ns)).toBe(true);
    expect(ambientRequested(plainPod({ namespace: 'a', name: 'x', labels: { 'istio.io/dataplane-mode': 'none' } }), ns)).toBe(false);
    expect(ambientRequested(plainPod({ namespace: 'a', name: 'x', labels: { 'istio.io/dataplane-mode': 'ambient' } }), namespace('a'))).toBe(true);
  });
});

describe('podIssues (intent vs state)', () => {
  const issues = (p: PodInfo, nsLabels: Record<string, string> = {}) => podIssues(p, namespace(p.namespace, nsLabels), classifyPod(p, ISTIO_NS));
  it('label says ambient but no annotation', () => {
    expect(issues(plainPod({ namespace: 'a', name: 'x' }), { 'istio.io/dataplane-mode': 'ambient' }).join()).toMatch(/no ambient.istio.io\/redirection/);
  });
  it('redirection pending', () => {
    expect(issues(ambientPod({ namespace: 'a', name: 'x', redirection: 'pending', labels: { 'istio.io/dataplane-mode': 'ambient' } })).join()).toMatch(
      /pod label istio.io\/dataplane-mode=ambient but ambient.istio.io\/redirection=pending/,
    );
  });
  it('injection and ambient both requested', () => {
    expect(issues(sidecarPod({ namespace: 'a', name: 'x' }), { 'istio-injection': 'enabled', 'istio.io/dataplane-mode': 'ambient' }).join()).toMatch(
      /both sidecar injection/,
    );
  });
  it('sidecar.istio.io/inject=false in an injected namespace is intent, not a mismatch', () => {
    expect(issues(plainPod({ namespace: 'a', name: 'x', labels: { 'sidecar.istio.io/inject': 'false' } }), { 'istio-injection': 'enabled' })).toEqual([]);
  });
  it('injected namespace, pod without sidecar', () => {
    expect(issues(plainPod({ namespace: 'a', name: 'x' }), { 'istio-injection': 'enabled' }).join()).toMatch(/no sidecar/);
  });
  it('migration: sidecar still running in a namespace now labelled ambient', () => {
    expect(issues(sidecarPod({ namespace: 'a', name: 'x' }), { 'istio.io/dataplane-mode': 'ambient' }).join()).toMatch(/still runs a sidecar/);
  });
  it('consistent pods have no issues', () => {
    expect(issues(sidecarPod({ namespace: 'a', name: 'x' }), { 'istio-injection': 'enabled' })).toEqual([]);
    expect(issues(ambientPod({ namespace: 'a', name: 'x' }), { 'istio.io/dataplane-mode': 'ambient' })).toEqual([]);
    expect(issues(plainPod({ namespace: 'a', name: 'x' }))).toEqual([]);
  });
  it('infrastructure pods are never flagged', () => {
    expect(issues(waypointPod({ namespace: 'a', gateway: 'wp', name: 'wp-1' }), { 'istio.io/dataplane-mode': 'ambient' })).toEqual([]);
  });
  it('hostNetwork pods cannot be captured', () => {
    expect(issues(plainPod({ namespace: 'a', name: 'x', hostNetwork: true }), { 'istio.io/dataplane-mode': 'ambient' }).join()).toMatch(/hostNetwork/);
  });
});

import { describe, expect, it } from 'vitest';
import { buildManifests, type KubeObject } from './manifests';
import { buildDemoTopology } from './topology';
import { finalTargetLabels, fileSdTargets, prometheusConfig } from '../prometheus/profiles';
import { allPods } from './topology';

const topology = buildDemoTopology();
const objs = buildManifests(topology);
const pods = objs.filter((o) => o.kind === 'Pod') as (KubeObject & { spec: Record<string, any>; status: Record<string, any> })[];
const pod = (prefix: string) => pods.find((p) => (p.metadata.name as string).startsWith(prefix))!;
const meta = (p: KubeObject) =>
  p.metadata as { labels: Record<string, string>; annotations?: Record<string, string>; ownerReferences: { kind: string; name: string }[] };

describe('demo manifests', () => {
  it('native sidecar: istio-proxy in initContainers with restartPolicy Always and status JSON', () => {
    const p = pod('payments-api-');
    const init = p.spec.initContainers as { name: string; restartPolicy?: string; resources?: unknown }[];
    expect(init.map((c) => c.name)).toEqual(['istio-validation', 'istio-proxy']);
    expect(init[1]!.restartPolicy).toBe('Always');
    expect(init[1]!.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' } });
    const status = JSON.parse(meta(p).annotations!['sidecar.istio.io/status']!);
    expect(status.initContainers).toContain('istio-proxy');
    expect(status.containers).toBeNull();
  });
  it('classic sidecar on ledger runs proxyv2 1.26.3', () => {
    const p = pod('ledger-');
    const proxy = (p.spec.containers as { name: string; image: string }[]).find((c) => c.name === 'istio-proxy')!;
    expect(proxy.image).toBe('docker.io/istio/proxyv2:1.26.3');
  });
  it('waypoint pod labels and owner chain', () => {
    const p = pod('shop-waypoint-');
    expect(meta(p).labels).toMatchObject({
      'gateway.istio.io/managed': 'istio.io-mesh-controller',
      'gateway.networking.k8s.io/gateway-name': 'shop-waypoint',
      'istio.io/dataplane-mode': 'none',
      'sidecar.istio.io/inject': 'false',
    });
    const rsName = meta(p).ownerReferences[0]!.name;
    const rs = objs.find((o) => o.kind === 'ReplicaSet' && o.metadata.name === rsName)!;
    expect(meta(rs).ownerReferences[0]).toMatchObject({ kind: 'Deployment', name: 'shop-waypoint' });
  });
  it('orders-api is mixed: two sidecar pods and one ambient pod; orders-worker is pending', () => {
    const orders = pods.filter((p) => (p.metadata.name as string).startsWith('orders-api-'));
    expect(orders.length).toBe(3);
    expect(orders.filter((p) => meta(p).annotations?.['sidecar.istio.io/status']).length).toBe(2);
    expect(orders.filter((p) => meta(p).annotations?.['ambient.istio.io/redirection'] === 'enabled').length).toBe(1);
    const worker = pod('orders-worker-');
    expect(meta(worker).annotations?.['ambient.istio.io/redirection']).toBe('pending');
    expect(meta(worker).labels['istio.io/dataplane-mode']).toBe('ambient');
  });
  it('ztunnel pods: one per node, IP in the node pod CIDR, DaemonSet owner', () => {
    const z = pods.filter((p) => meta(p).labels.app === 'ztunnel');
    expect(z.map((p) => p.spec.nodeName).sort()).toEqual(['node-a', 'node-b', 'node-c']);
    for (const p of z) {
      expect(meta(p).ownerReferences[0]!.kind).toBe('DaemonSet');
      const n = topology.nodes.find((x) => x.name === p.spec.nodeName)!;
      expect(p.status.podIP.startsWith(n.podCIDR.replace('0/24', ''))).toBe(true);
      expect(p.status.phase).toBe('Running');
    }
  });
  it('AuthorizationPolicy carries ZtunnelAccepted=False', () => {
    const ap = objs.find((o) => o.kind === 'AuthorizationPolicy')! as KubeObject & { status: { conditions: Record<string, string>[] } };
    expect(ap.apiVersion).toBe('security.istio.io/v1');
    expect(ap.status.conditions[0]).toMatchObject({ type: 'ZtunnelAccepted', status: 'False', reason: 'UnsupportedValue' });
  });
  it('Gateway shop-waypoint has an address and is programmed', () => {
    const gw = objs.find((o) => o.kind === 'Gateway')! as KubeObject & {
      status: { addresses: { value: string }[]; conditions: { type: string; status: string }[] };
    };
    expect(gw.status.addresses.length).toBe(1);
    expect(gw.status.conditions.find((c) => c.type === 'Programmed')!.status).toBe('True');
  });
  it('pod IPs are unique and ended pods are not listed', () => {
    const ips = pods.map((p) => p.status.podIP);
    expect(new Set(ips).size).toBe(ips.length);
    expect(pods.length).toBe(allPods(topology).filter((p) => p.endOffset === undefined).length);
  });
});

describe('scrape profiles', () => {
  const z = allPods(topology).find((p) => p.role === 'ztunnel')!;
  const wp = allPods(topology).find((p) => p.role === 'waypoint')!;
  it('istio-sample maps pod labels, namespace and pod; instance = podIP:15020', () => {
    expect(Object.fromEntries(finalTargetLabels('istio-sample', z))).toMatchObject({
      app: 'ztunnel',
      namespace: 'istio-system',
      pod: z.name,
      instance: `${z.ip}:15020`,
      job: 'kubernetes-pods',
    });
    expect(Object.fromEntries(finalTargetLabels('istio-sample', wp)).gateway_networking_k8s_io_gateway_name).toBe('shop-waypoint');
  });
  it('minimal has only job and instance', () => {
    expect(finalTargetLabels('minimal', wp).map(([k]) => k)).toEqual(['instance', 'job']);
  });
  it('file_sd targets point at the proxies server with a per-pod metrics path', () => {
    const [g] = fileSdTargets('istio-sample', [wp], '127.0.0.1:19100');
    expect(g!.targets).toEqual(['127.0.0.1:19100']);
    expect(g!.labels.__metrics_path__).toBe(`/proxies/shop/${wp.name}/metrics`);
    expect(g!.labels.__meta_kubernetes_pod_label_gateway_networking_k8s_io_gateway_name).toBe('shop-waypoint');
    expect(prometheusConfig('istio-sample', '/x/targets.json')).toContain('regex: __meta_kubernetes_pod_label_(.+)');
    expect(prometheusConfig('minimal', '/x/targets.json')).not.toContain('labelmap');
  });
});

// /api/graph and /api/namespaces cannot disagree on a pod's mode: the graph build and the namespace summary
// read one inventory (pods classified once by pods.ts). Fixtures: the pods on which the two old classifiers
// disagreed (redirection: pending, ztunnel outside ISTIO_NAMESPACE, a classic gateway with the sidecar
// annotation, a rollout half sidecar half ambient, a native sidecar, a hostNetwork pod labelled ambient).
import { describe, expect, it } from 'vitest';
import { buildMeshGraph } from './build';
import { summarizeNamespaces } from './namespaces';
import { modeDisagreements } from './testing/mode-agreement';
import {
  ambientPod,
  edgeLabels,
  ingressGatewayPod,
  kube,
  namespace,
  plainPod,
  service,
  sidecarPod,
  TelemetryBuilder,
  ztunnelPod,
  type Peer,
} from './testing/fixtures';
import type { PodInfo } from './types';

const inKubeSystem = (p: PodInfo): PodInfo => ({ ...p, namespace: 'kube-system' });
const zA = inKubeSystem(ztunnelPod('ztunnel-a', '10.0.0.2', 'a'));
const zB = inKubeSystem(ztunnelPod('ztunnel-b', '10.0.1.2', 'b'));
const ingress = ingressGatewayPod({ name: 'istio-ingressgateway-1', ip: '10.0.0.5', node: 'a' });
const web = ambientPod({ namespace: 'shop', name: 'web-1', workload: 'web', ip: '10.0.0.20', node: 'a' });
const cart = ambientPod({ namespace: 'shop', name: 'cart-1', workload: 'cart', ip: '10.0.1.20', node: 'b', redirection: 'pending' });
const apiS = sidecarPod({ namespace: 'orders', name: 'api-s', workload: 'api', ip: '10.0.1.30', node: 'b', native: true });
const apiA = ambientPod({ namespace: 'orders', name: 'api-a', workload: 'api', ip: '10.0.0.30', node: 'a' });
const ledger = sidecarPod({ namespace: 'payments', name: 'ledger-1', workload: 'ledger', ip: '10.0.1.40', node: 'b' });
const report = plainPod({ namespace: 'legacy', name: 'report-1', workload: 'report', ip: '10.0.0.50', node: 'a' });
const agent = plainPod({ namespace: 'shop', name: 'agent-1', workload: 'agent', ip: '10.0.0.60', node: 'a', hostNetwork: true });

const k = kube({
  namespaces: [
    namespace('istio-system'),
    namespace('kube-system'),
    namespace('shop', { 'istio.io/dataplane-mode': 'ambient' }),
    namespace('orders', { 'istio.io/dataplane-mode': 'ambient' }),
    namespace('payments', { 'istio-injection': 'enabled' }),
    namespace('legacy'),
  ],
  pods: [zA, zB, ingress, web, cart, apiS, apiA, ledger, report, agent],
  services: [
    service('shop', 'cart', { app: 'cart' }, [{ name: 'http', port: 80 }]),
    service('orders', 'api', { app: 'api' }, [{ name: 'http', port: 80 }]),
    service('payments', 'ledger', { app: 'ledger' }, [{ name: 'http', port: 80 }]),
  ],
});

const peer = (p: PodInfo): Peer => ({ workload: p.workload.name, namespace: p.namespace });
const t = new TelemetryBuilder('labels')
  .tcp(edgeLabels({ reporter: 'source', src: peer(web), dst: peer(cart), service: { name: 'cart', namespace: 'shop' }, csp: 'mutual_tls' }), zA, {
    opened: 10,
    sent: 100,
    received: 100,
  })
  .tcp(edgeLabels({ reporter: 'source', src: peer(web), dst: peer(apiA), service: { name: 'api', namespace: 'orders' }, csp: 'mutual_tls' }), zA, {
    opened: 10,
    sent: 100,
    received: 100,
  })
  .requests(edgeLabels({ reporter: 'destination', src: peer(web), dst: peer(apiS), service: { name: 'api', namespace: 'orders' }, csp: 'mutual_tls' }), apiS, {
    '200': 50,
  })
  .requests(
    edgeLabels({ reporter: 'destination', src: peer(report), dst: peer(ledger), service: { name: 'ledger', namespace: 'payments' }, csp: 'none' }),
    ledger,
    { '200': 20 },
  )
  .requests(
    edgeLabels({
      reporter: 'source',
      src: { workload: 'istio-ingressgateway', namespace: 'istio-system' },
      dst: peer(ledger),
      service: { name: 'ledger', namespace: 'payments' },
      csp: 'mutual_tls',
    }),
    ingress,
    { '200': 20 },
  )
  .build();

describe('/api/graph and /api/namespaces agree on every pod mode', () => {
  const graph = buildMeshGraph(k, t);
  const rows = summarizeNamespaces(k, graph);
  const node = (ns: string, name: string) => graph.nodes.find((n) => n.kind === 'workload' && n.namespace === ns && n.name === name);

  it('the fixtures reach the graph as the workloads they are', () => {
    expect(node('shop', 'cart')).toMatchObject({ mode: 'ambient', pods: { total: 1, ambient: 1 } }); // pending = ambient, not ready
    expect(node('orders', 'api')).toMatchObject({ mode: 'mixed', pods: { total: 2, sidecar: 1, ambient: 1 } });
    expect(node('payments', 'ledger')?.mode).toBe('sidecar');
    expect(node('legacy', 'report')?.mode).toBe('none');
    expect(graph.nodes.some((n) => n.namespace === 'kube-system')).toBe(false); // ztunnel is infrastructure there too
  });

  it('no workload node contradicts its namespace row, and every row is consistent', () => {
    expect(modeDisagreements(graph.nodes, rows)).toEqual([]);
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(by['shop']).toMatchObject({ mode: 'mixed', workloads: { ambient: 2, none: 1 }, pods: { ambient: 2, none: 1 } }); // web, cart; agent (hostNetwork)
    expect(by['kube-system']).toMatchObject({ mode: 'none', workloads: { total: 0 } });
    expect(by['istio-system']).toMatchObject({ mode: 'none', workloads: { total: 0 } });
  });

  it('the check has teeth: a row that said pending = none would be caught', () => {
    const shop = rows.find((r) => r.name === 'shop')!;
    const old = { ...shop, mode: 'none' as const, workloads: { ...shop.workloads, ambient: 1, none: 2 }, pods: { ...shop.pods, ambient: 1, none: 2 } };
    const wrong = modeDisagreements(
      graph.nodes,
      rows.map((r) => (r.name === 'shop' ? old : r)),
    );
    expect(wrong.join('\n')).toMatch(/namespace shop: mode none but its workloads say mixed/);
    expect(wrong.join('\n')).toMatch(/the graph's workloads have 2 ambient pods, \/api\/namespaces 1/);
  });
});

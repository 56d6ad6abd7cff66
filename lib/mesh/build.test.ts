// The demo mesh of docs/demo-mesh.md, built inline: pods, services, waypoint, and the series each
// proxy would report (docs/istio-telemetry.md §4). Every row of its traffic table is asserted.
import { describe, expect, it } from 'vitest';
import { buildMeshGraph } from './build';
import { nodeId } from './ids';
import {
  ambientPod,
  cniPod,
  edgeLabels,
  ingressGatewayPod,
  kube,
  namespace,
  plainPod,
  service,
  sidecarPod,
  TelemetryBuilder,
  waypointGateway,
  waypointPod,
  ztunnelPod,
  type Peer,
  type ScrapeProfile,
} from './testing/fixtures';
import type { GraphEdge, KubeSnapshot, PodInfo } from './types';

// --- Kubernetes --------------------------------------------------------------------------------
const zt = {
  'node-a': ztunnelPod('ztunnel-aaaaa', '10.244.1.2', 'node-a'),
  'node-b': ztunnelPod('ztunnel-bbbbb', '10.244.2.2', 'node-b'),
  'node-c': ztunnelPod('ztunnel-ccccc', '10.244.3.2', 'node-c'),
};
const istiod = plainPod({
  namespace: 'istio-system',
  name: 'istiod-6d8f-x1',
  workload: 'istiod',
  ip: '10.244.1.3',
  node: 'node-a',
  labels: { app: 'istiod', istio: 'pilot' },
});
const ingress = ingressGatewayPod({ name: 'istio-ingressgateway-7d9f-abcde', ip: '10.244.1.10', node: 'node-a' });
const payA = sidecarPod({ namespace: 'payments', name: 'payments-api-6f7-a', workload: 'payments-api', ip: '10.244.2.10', node: 'node-b', native: true });
const payB = sidecarPod({ namespace: 'payments', name: 'payments-api-6f7-b', workload: 'payments-api', ip: '10.244.3.10', node: 'node-c', native: true });
const ledgerA = sidecarPod({
  namespace: 'payments',
  name: 'ledger-5c-a',
  workload: 'ledger',
  ip: '10.244.2.11',
  node: 'node-b',
  proxyImage: 'docker.io/istio/proxyv2:1.26.3',
});
const ledgerB = sidecarPod({
  namespace: 'payments',
  name: 'ledger-5c-b',
  workload: 'ledger',
  ip: '10.244.3.11',
  node: 'node-c',
  proxyImage: 'docker.io/istio/proxyv2:1.26.3',
});
const batch = plainPod({
  namespace: 'payments',
  name: 'batch-export-7-a',
  workload: 'batch-export',
  ip: '10.244.1.12',
  node: 'node-a',
  labels: { 'sidecar.istio.io/inject': 'false' },
});
const wpPod = waypointPod({ namespace: 'shop', gateway: 'shop-waypoint', name: 'shop-waypoint-5f-a', ip: '10.244.1.20', node: 'node-a' });
const web = ambientPod({ namespace: 'shop', name: 'web-a', workload: 'web', ip: '10.244.1.21', node: 'node-a' });
const cart = ambientPod({ namespace: 'shop', name: 'cart-a', workload: 'cart', ip: '10.244.2.21', node: 'node-b' });
const catalog = ambientPod({ namespace: 'shop', name: 'catalog-a', workload: 'catalog', ip: '10.244.3.21', node: 'node-c' });
const invApi = ambientPod({ namespace: 'inventory', name: 'inventory-api-a', workload: 'inventory-api', ip: '10.244.2.30', node: 'node-b' });
const postgres = ambientPod({
  namespace: 'inventory',
  name: 'postgres-0',
  workload: 'postgres',
  workloadKind: 'StatefulSet',
  ip: '10.244.3.30',
  node: 'node-c',
});
const redis = ambientPod({ namespace: 'inventory', name: 'redis-a', workload: 'redis', ip: '10.244.1.30', node: 'node-a' });
const ordersOldA = sidecarPod({ namespace: 'orders', name: 'orders-api-old-a', workload: 'orders-api', ip: '10.244.1.40', node: 'node-a' });
const ordersOldB = sidecarPod({ namespace: 'orders', name: 'orders-api-old-b', workload: 'orders-api', ip: '10.244.2.40', node: 'node-b' });
const ordersNew = ambientPod({ namespace: 'orders', name: 'orders-api-new-a', workload: 'orders-api', ip: '10.244.3.40', node: 'node-c' });
const ordersWorker = ambientPod({
  namespace: 'orders',
  name: 'orders-worker-a',
  workload: 'orders-worker',
  ip: '10.244.3.41',
  node: 'node-c',
  redirection: 'pending',
  labels: { 'istio.io/dataplane-mode': 'ambient' },
});
const legacy = plainPod({ namespace: 'legacy', name: 'legacy-reporting-a', workload: 'legacy-reporting', ip: '10.244.1.50', node: 'node-a' });

const http = (port = 8080) => [{ name: 'http', port, targetPort: port, protocol: 'TCP' }];

function demoKube(): KubeSnapshot {
  return kube({
    namespaces: [
      namespace('istio-system'),
      namespace('payments', { 'istio-injection': 'enabled' }),
      namespace('shop', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'shop-waypoint' }),
      namespace('inventory', { 'istio.io/dataplane-mode': 'ambient' }),
      namespace('orders', { 'istio.io/dataplane-mode': 'ambient' }),
      namespace('legacy'),
      namespace('external'),
    ],
    pods: [
      ...Object.values(zt),
      cniPod('istio-cni-node-a', 'node-a'),
      cniPod('istio-cni-node-b', 'node-b'),
      cniPod('istio-cni-node-c', 'node-c'),
      istiod,
      ingress,
      payA,
      payB,
      ledgerA,
      ledgerB,
      batch,
      wpPod,
      web,
      cart,
      catalog,
      invApi,
      postgres,
      redis,
      ordersOldA,
      ordersOldB,
      ordersNew,
      ordersWorker,
      legacy,
    ],
    services: [
      service('istio-system', 'istio-ingressgateway', { app: 'istio-ingressgateway' }, [
        { name: 'http2', port: 80, protocol: 'TCP' },
        { name: 'https', port: 443, protocol: 'TCP' },
      ]),
      service('payments', 'payments-api', { app: 'payments-api' }, http()),
      service('payments', 'ledger', { app: 'ledger' }, [{ name: 'http-api', port: 8080, protocol: 'TCP' }]),
      service('shop', 'shop-waypoint', { 'gateway.networking.k8s.io/gateway-name': 'shop-waypoint' }, [{ name: 'mesh', port: 15008 }], {
        'gateway.networking.k8s.io/gateway-name': 'shop-waypoint',
      }),
      service('shop', 'web', { app: 'web' }, http()),
      service('shop', 'cart', { app: 'cart' }, http()),
      service('shop', 'catalog', { app: 'catalog' }, http()),
      service('inventory', 'inventory-api', { app: 'inventory-api' }, http()),
      service('inventory', 'postgres', { app: 'postgres' }, [{ name: 'tcp-postgres', port: 5432, protocol: 'TCP' }]),
      service('inventory', 'redis', { app: 'redis' }, [{ name: 'tcp-redis', port: 6379, protocol: 'TCP' }]),
      service('orders', 'orders-api', { app: 'orders-api' }, http()),
      service('legacy', 'legacy-reporting', { app: 'legacy-reporting' }, http()),
    ],
    gateways: [waypointGateway('shop', 'shop-waypoint')],
    gatewayClasses: [{ name: 'istio-waypoint', labels: {}, controllerName: 'istio.io/mesh-controller' }],
  });
}

// --- Telemetry: what each proxy reports ---------------------------------------------------------
const P = {
  gw: { workload: 'istio-ingressgateway', namespace: 'istio-system' },
  payments: { workload: 'payments-api', namespace: 'payments' },
  ledger: { workload: 'ledger', namespace: 'payments' },
  batch: { workload: 'batch-export', namespace: 'payments' },
  wp: { workload: 'shop-waypoint', namespace: 'shop' },
  web: { workload: 'web', namespace: 'shop' },
  cart: { workload: 'cart', namespace: 'shop' },
  catalog: { workload: 'catalog', namespace: 'shop' },
  inv: { workload: 'inventory-api', namespace: 'inventory' },
  postgres: { workload: 'postgres', namespace: 'inventory' },
  redis: { workload: 'redis', namespace: 'inventory' },
  orders: { workload: 'orders-api', namespace: 'orders' },
  legacy: { workload: 'legacy-reporting', namespace: 'legacy' },
} satisfies Record<string, Peer>;
const svc = (p: Peer) => ({ name: p.workload, namespace: p.namespace });
const ztOf = (p: PodInfo) => zt[p.nodeName as keyof typeof zt];
const LAT: [string, number][] = [
  ['5', 100],
  ['10', 400],
  ['25', 800],
  ['50', 950],
  ['100', 990],
  ['+Inf', 1000],
];

/** Request counts per row over the window (chosen so rps/errorRate are easy to check). */
function demoTelemetry(profile: ScrapeProfile) {
  const t = new TelemetryBuilder(profile);
  // 1. ingress gateway → web: gateway `source` L7; destination ztunnel L4.
  t.requests(edgeLabels({ reporter: 'source', src: P.gw, dst: P.web, service: svc(P.web), csp: 'unknown' }), ingress, { '200': 5940, '503': 60 });
  t.durations(edgeLabels({ reporter: 'source', src: P.gw, dst: P.web, service: svc(P.web), csp: 'unknown' }), ingress, LAT);
  t.tcp(edgeLabels({ reporter: 'destination', src: P.gw, dst: P.web, service: svc(P.web), csp: 'mutual_tls' }), ztOf(web), {
    opened: 600,
    sent: 6e6,
    received: 1.2e6,
  });
  // 2. web → cart through the waypoint: waypoint L7, client ztunnel leg, server ztunnel leg.
  t.requests(edgeLabels({ reporter: 'waypoint', src: P.web, dst: P.cart, service: svc(P.cart), csp: 'mutual_tls' }), wpPod, { '200': 11880, '500': 120 });
  t.durations(edgeLabels({ reporter: 'waypoint', src: P.web, dst: P.cart, service: svc(P.cart), csp: 'mutual_tls' }), wpPod, LAT);
  t.tcp(edgeLabels({ reporter: 'source', src: P.web, dst: P.wp, service: svc(P.cart), csp: 'mutual_tls' }), ztOf(web), {
    opened: 1200,
    sent: 6e5,
    received: 2.4e6,
  });
  t.tcp(edgeLabels({ reporter: 'destination', src: P.wp, dst: P.cart, service: svc(P.cart), csp: 'mutual_tls' }), ztOf(cart), {
    opened: 1500,
    sent: 9e5,
    received: 3e6,
  });
  // 3. web → catalog through the waypoint.
  t.requests(edgeLabels({ reporter: 'waypoint', src: P.web, dst: P.catalog, service: svc(P.catalog), csp: 'mutual_tls' }), wpPod, { '200': 3000 });
  t.tcp(edgeLabels({ reporter: 'source', src: P.web, dst: P.wp, service: svc(P.catalog), csp: 'mutual_tls' }), ztOf(web), {
    opened: 300,
    sent: 3e5,
    received: 6e5,
  });
  t.tcp(edgeLabels({ reporter: 'destination', src: P.wp, dst: P.catalog, service: svc(P.catalog), csp: 'mutual_tls' }), ztOf(catalog), {
    opened: 300,
    sent: 3e5,
    received: 6e5,
  });
  // 4. cart → payments-api: client ztunnel `source`, server sidecars `destination` (2 pods).
  t.tcp(edgeLabels({ reporter: 'source', src: P.cart, dst: P.payments, service: svc(P.payments), csp: 'mutual_tls' }), ztOf(cart), {
    opened: 240,
    sent: 1e5,
    received: 2e5,
  });
  for (const p of [payA, payB])
    t.requests(edgeLabels({ reporter: 'destination', src: P.cart, dst: P.payments, service: svc(P.payments), csp: 'mutual_tls' }), p, {
      '200': 1188,
      '503': 12,
    });
  // 5. payments-api → ledger: sidecar → sidecar (source counts differ slightly: must not be used).
  for (const p of [payA, payB])
    t.requests(edgeLabels({ reporter: 'source', src: P.payments, dst: P.ledger, service: svc(P.ledger), csp: 'unknown' }), p, { '200': 2380, '503': 25 });
  for (const p of [ledgerA, ledgerB])
    t.requests(edgeLabels({ reporter: 'destination', src: P.payments, dst: P.ledger, service: svc(P.ledger), csp: 'mutual_tls' }), p, {
      '200': 2376,
      '503': 24,
    });
  // 6. payments-api → cart: client sidecars `source` L7 (waypoint bypassed), destination ztunnel L4.
  for (const p of [payA, payB])
    t.requests(edgeLabels({ reporter: 'source', src: P.payments, dst: P.cart, service: svc(P.cart), csp: 'unknown' }), p, { '200': 600 });
  t.tcp(edgeLabels({ reporter: 'destination', src: P.payments, dst: P.cart, service: svc(P.cart), csp: 'mutual_tls' }), ztOf(cart), {
    opened: 120,
    sent: 1e5,
    received: 1e5,
  });
  // 7. cart → inventory-api: ztunnel both sides (L7 gap).
  t.tcp(edgeLabels({ reporter: 'source', src: P.cart, dst: P.inv, service: svc(P.inv), csp: 'mutual_tls' }), ztOf(cart), {
    opened: 3610,
    sent: 7e6,
    received: 1e6,
  });
  t.tcp(edgeLabels({ reporter: 'destination', src: P.cart, dst: P.inv, service: svc(P.inv), csp: 'mutual_tls' }), ztOf(invApi), {
    opened: 3600,
    sent: 6e6,
    received: 1.2e6,
  });
  // 8. inventory-api → postgres (client-side CONNECT failures).
  t.tcp(edgeLabels({ reporter: 'source', src: P.inv, dst: P.postgres, service: svc(P.postgres), csp: 'mutual_tls' }), ztOf(invApi), {
    opened: 630,
    sent: 5e5,
    received: 5e6,
    closed: 600,
    failed: { CONNECT: 30 },
  });
  t.tcp(edgeLabels({ reporter: 'destination', src: P.inv, dst: P.postgres, service: svc(P.postgres), csp: 'mutual_tls' }), ztOf(postgres), {
    opened: 600,
    sent: 5e6,
    received: 5e5,
  });
  // 9. inventory-api → redis.
  t.tcp(edgeLabels({ reporter: 'source', src: P.inv, dst: P.redis, service: svc(P.redis), csp: 'mutual_tls' }), ztOf(invApi), {
    opened: 1200,
    sent: 1e5,
    received: 1e5,
  });
  t.tcp(edgeLabels({ reporter: 'destination', src: P.inv, dst: P.redis, service: svc(P.redis), csp: 'mutual_tls' }), ztOf(redis), {
    opened: 1200,
    sent: 1e5,
    received: 1e5,
  });
  // 10. legacy → inventory-api: destination ztunnel only, plaintext passthrough.
  t.tcp(edgeLabels({ reporter: 'destination', src: P.legacy, dst: P.inv, service: svc(P.inv), csp: 'unknown' }), ztOf(invApi), {
    opened: 300,
    sent: 3e5,
    received: 3e4,
  });
  // 11. legacy → catalog: bypasses the waypoint.
  t.tcp(edgeLabels({ reporter: 'destination', src: P.legacy, dst: P.catalog, service: svc(P.catalog), csp: 'unknown' }), ztOf(catalog), {
    opened: 60,
    sent: 6e4,
    received: 6e3,
  });
  // 12. legacy → orders-api (mixed): sidecar pods `destination` with `none`, ambient pod's ztunnel `unknown`.
  for (const p of [ordersOldA, ordersOldB])
    t.requests(edgeLabels({ reporter: 'destination', src: P.legacy, dst: P.orders, service: svc(P.orders), csp: 'none' }), p, { '200': 891, '0': 9 });
  t.tcp(edgeLabels({ reporter: 'destination', src: P.legacy, dst: P.orders, service: svc(P.orders), csp: 'unknown' }), ztOf(ordersNew), {
    opened: 90,
    sent: 9e4,
    received: 9e3,
  });
  // 13. web → orders-api (mixed, partial L7).
  t.tcp(edgeLabels({ reporter: 'source', src: P.web, dst: P.orders, service: svc(P.orders), csp: 'mutual_tls' }), ztOf(web), {
    opened: 900,
    sent: 9e4,
    received: 9e5,
  });
  for (const p of [ordersOldA, ordersOldB])
    t.requests(edgeLabels({ reporter: 'destination', src: P.web, dst: P.orders, service: svc(P.orders), csp: 'mutual_tls' }), p, { '200': 600 });
  t.tcp(edgeLabels({ reporter: 'destination', src: P.web, dst: P.orders, service: svc(P.orders), csp: 'mutual_tls' }), ztOf(ordersNew), {
    opened: 300,
    sent: 3e4,
    received: 3e5,
  });
  // 14. payments-api → api.stripe.com: client sidecars only, TCP.
  for (const p of [payA, payB])
    t.tcp(edgeLabels({ reporter: 'source', src: P.payments, service: { host: 'api.stripe.com', namespace: 'external' }, csp: 'unknown' }), p, {
      opened: 60,
      sent: 6e5,
      received: 6e4,
    });
  // 15. inventory-api → 203.0.113.10: client ztunnel passthrough.
  t.tcp(edgeLabels({ reporter: 'source', src: P.inv, csp: 'unknown' }), ztOf(invApi), { opened: 120, sent: 1e4, received: 1e4 });
  // 16. batch-export → ledger: ledger sidecars `destination`, plaintext.
  for (const p of [ledgerA, ledgerB])
    t.requests(edgeLabels({ reporter: 'destination', src: P.batch, dst: P.ledger, service: svc(P.ledger), csp: 'none' }), p, { '200': 300 });
  return t.build();
}

// --- Expected (demo-mesh.md traffic table, folded view) ------------------------------------------
const w = (ns: string, name: string) => nodeId('workload', 'Kubernetes', ns, name);
const GW = nodeId('gateway', 'Kubernetes', 'istio-system', 'istio-ingressgateway');
interface Row {
  n: number;
  src: string;
  dst: string;
  path: GraphEdge['path'];
  telemetry: GraphEdge['telemetry'];
  protocol: GraphEdge['protocol'];
  mtls: GraphEdge['mtls'];
  l7Gap: boolean;
  waypoint?: string;
  rps?: number;
  errorRate?: number;
  connectionsPerSec?: number;
}
const ROWS: Row[] = [
  {
    n: 1,
    src: GW,
    dst: w('shop', 'web'),
    path: 'mixed',
    telemetry: 'l7',
    protocol: 'http',
    mtls: 'mutual',
    l7Gap: false,
    rps: 6000 / 600,
    errorRate: 60 / 6000,
    connectionsPerSec: 1,
  },
  {
    n: 2,
    src: w('shop', 'web'),
    dst: w('shop', 'cart'),
    path: 'waypoint',
    telemetry: 'l7',
    protocol: 'http',
    mtls: 'mutual',
    l7Gap: false,
    waypoint: 'shop/shop-waypoint',
    rps: 20,
    errorRate: 0.01,
    connectionsPerSec: 2,
  },
  {
    n: 3,
    src: w('shop', 'web'),
    dst: w('shop', 'catalog'),
    path: 'waypoint',
    telemetry: 'l7',
    protocol: 'http',
    mtls: 'mutual',
    l7Gap: false,
    waypoint: 'shop/shop-waypoint',
    rps: 5,
    errorRate: 0,
    connectionsPerSec: 0.5,
  },
  {
    n: 4,
    src: w('shop', 'cart'),
    dst: w('payments', 'payments-api'),
    path: 'mixed',
    telemetry: 'l7',
    protocol: 'http',
    mtls: 'mutual',
    l7Gap: false,
    rps: 2400 / 600,
    errorRate: 0.01,
  },
  {
    n: 5,
    src: w('payments', 'payments-api'),
    dst: w('payments', 'ledger'),
    path: 'sidecar',
    telemetry: 'l7',
    protocol: 'http',
    mtls: 'mutual',
    l7Gap: false,
    rps: 4800 / 600,
    errorRate: 48 / 4800,
  },
  {
    n: 6,
    src: w('payments', 'payments-api'),
    dst: w('shop', 'cart'),
    path: 'mixed',
    telemetry: 'l7',
    protocol: 'http',
    mtls: 'mutual',
    l7Gap: false,
    rps: 2,
    errorRate: 0,
  },
  {
    n: 7,
    src: w('shop', 'cart'),
    dst: w('inventory', 'inventory-api'),
    path: 'ambient',
    telemetry: 'l4',
    protocol: 'http',
    mtls: 'mutual',
    l7Gap: true,
    connectionsPerSec: 6,
  },
  {
    n: 8,
    src: w('inventory', 'inventory-api'),
    dst: w('inventory', 'postgres'),
    path: 'ambient',
    telemetry: 'l4',
    protocol: 'tcp',
    mtls: 'mutual',
    l7Gap: false,
    connectionsPerSec: 1,
  },
  {
    n: 9,
    src: w('inventory', 'inventory-api'),
    dst: w('inventory', 'redis'),
    path: 'ambient',
    telemetry: 'l4',
    protocol: 'tcp',
    mtls: 'mutual',
    l7Gap: false,
    connectionsPerSec: 2,
  },
  {
    n: 10,
    src: w('legacy', 'legacy-reporting'),
    dst: w('inventory', 'inventory-api'),
    path: 'ambient',
    telemetry: 'l4',
    protocol: 'http',
    mtls: 'plaintext',
    l7Gap: true,
    connectionsPerSec: 0.5,
  },
  {
    n: 11,
    src: w('legacy', 'legacy-reporting'),
    dst: w('shop', 'catalog'),
    path: 'ambient',
    telemetry: 'l4',
    protocol: 'http',
    mtls: 'plaintext',
    l7Gap: true,
    connectionsPerSec: 0.1,
  },
  {
    n: 12,
    src: w('legacy', 'legacy-reporting'),
    dst: w('orders', 'orders-api'),
    path: 'mixed',
    telemetry: 'l7',
    protocol: 'http',
    mtls: 'plaintext',
    l7Gap: false,
    rps: 3,
    errorRate: 0.01,
  },
  { n: 13, src: w('shop', 'web'), dst: w('orders', 'orders-api'), path: 'mixed', telemetry: 'l7', protocol: 'http', mtls: 'mutual', l7Gap: false, rps: 2 },
  {
    n: 14,
    src: w('payments', 'payments-api'),
    dst: nodeId('service', 'Kubernetes', 'external', 'api.stripe.com'),
    path: 'sidecar',
    telemetry: 'l4',
    protocol: 'tcp',
    mtls: 'unknown',
    l7Gap: false,
    connectionsPerSec: 0.2,
  },
  // Row 15's traffic is tcp, but nothing observable says so (ztunnel passthrough, no Service): unknown.
  {
    n: 15,
    src: w('inventory', 'inventory-api'),
    dst: nodeId('unknown', 'Kubernetes', 'unknown', 'unknown'),
    path: 'ambient',
    telemetry: 'l4',
    protocol: 'unknown',
    mtls: 'plaintext',
    l7Gap: false,
    connectionsPerSec: 0.2,
  },
  {
    n: 16,
    src: w('payments', 'batch-export'),
    dst: w('payments', 'ledger'),
    path: 'sidecar',
    telemetry: 'l7',
    protocol: 'http',
    mtls: 'plaintext',
    l7Gap: false,
    rps: 1,
    errorRate: 0,
  },
];

function kubeWithoutIps(): KubeSnapshot {
  const k = demoKube();
  return {
    ...k,
    pods: k.pods.map((p) => {
      const copy = { ...p };
      delete copy.ip;
      return copy;
    }),
  };
}

const SCENARIOS: { name: string; kube: () => KubeSnapshot; profile: ScrapeProfile; guessed: boolean }[] = [
  { name: 'target labels (Istio sample scrape profile)', kube: demoKube, profile: 'labels', guessed: false },
  { name: 'only instance+job (pod IP match)', kube: demoKube, profile: 'instance', guessed: false },
  { name: 'rule (c): instance only, no pod IPs known', kube: kubeWithoutIps, profile: 'instance', guessed: true },
  { name: 'rule (c): no reporter targets at all', kube: demoKube, profile: 'none', guessed: true },
];

describe.each(SCENARIOS)('demo mesh, $name', ({ kube: k, profile, guessed }) => {
  const graph = buildMeshGraph(k(), demoTelemetry(profile), {});
  const byPair = new Map(graph.edges.map((e) => [`${e.source}->${e.target}`, e]));

  it('has exactly the 16 folded edges of the traffic table', () => {
    expect(graph.edges.map((e) => e.id).sort()).toEqual(ROWS.map((r) => `${r.src}->${r.dst}`).sort());
  });

  it.each(ROWS)('row $n: $src → $dst', (row) => {
    const e = byPair.get(`${row.src}->${row.dst}`);
    expect(e, `edge of row ${row.n}`).toBeDefined();
    expect({ path: e!.path, telemetry: e!.telemetry, protocol: e!.protocol, mtls: e!.mtls, l7Gap: e!.l7Gap, waypoint: e!.waypoint }).toEqual({
      path: row.path,
      telemetry: row.telemetry,
      protocol: row.protocol,
      mtls: row.mtls,
      l7Gap: row.l7Gap,
      waypoint: row.waypoint,
    });
    if (row.rps !== undefined) expect(e!.rates.rps).toBeCloseTo(row.rps, 9);
    else expect(e!.rates.rps).toBeUndefined();
    if (row.errorRate !== undefined) expect(e!.rates.errorRate).toBeCloseTo(row.errorRate, 9);
    if (row.connectionsPerSec !== undefined) expect(e!.rates.connectionsPerSec).toBeCloseTo(row.connectionsPerSec, 9);
    expect(e!.attributionGuessed === true).toBe(guessed);
  });

  it('never shows ztunnel, istio-cni or istiod as nodes; shows idle workloads', () => {
    const ids = graph.nodes.map((n) => n.id);
    expect(ids.some((id) => /ztunnel|istio-cni|istiod/.test(id))).toBe(false);
    expect(ids).toContain(w('orders', 'orders-worker'));
    expect(ids).not.toContain(nodeId('waypoint', 'Kubernetes', 'shop', 'shop-waypoint'));
  });

  it('row 2 uses the waypoint for L7 and the client leg for L4; no double counting', () => {
    const e = byPair.get(`${w('shop', 'web')}->${w('shop', 'cart')}`)!;
    expect(e.rateSources).toEqual({ l7: 'waypoint', l4: 'source' });
    expect(e.rates.requestBytesPerSec).toBeCloseTo(2.4e6 / 600, 9);
    // rank 500 falls in (10, 25]: 10 + 15 × (500 − 400) / (800 − 400)
    expect(e.rates.p50Ms).toBeCloseTo(10 + 15 * (100 / 400), 9);
    // rank 950 is exactly the count of le=50 → 50; rank 990 → 100
    expect(e.rates.p95Ms).toBeCloseTo(50, 9);
    expect(e.rates.p99Ms).toBeCloseTo(100, 9);
    expect(e.services).toEqual(['shop/cart']);
    expect(e.reporters!.map((r) => r.reporter).sort()).toContain('waypoint');
  });

  it('row 5 counts requests from the destination only', () => {
    const e = byPair.get(`${w('payments', 'payments-api')}->${w('payments', 'ledger')}`)!;
    expect(e.rateSources?.l7).toBe('destination');
    expect(e.principals?.destination).toBe('spiffe://cluster.local/ns/payments/sa/ledger');
  });

  it('row 7 takes connections from the server side', () => {
    const e = byPair.get(`${w('shop', 'cart')}->${w('inventory', 'inventory-api')}`)!;
    expect(e.rateSources?.l4).toBe('destination');
  });

  it('row 8 shows the client-side CONNECT failures', () => {
    const e = byPair.get(`${w('inventory', 'inventory-api')}->${w('inventory', 'postgres')}`)!;
    expect(e.rates.failedConnectionsPerSec).toBeCloseTo(30 / 600, 9);
    expect(e.failuresByFlag).toEqual({ CONNECT: 30 / 600 });
  });

  it('rows 12 and 13 are partial L7 (mixed workload)', () => {
    expect(byPair.get(`${w('legacy', 'legacy-reporting')}->${w('orders', 'orders-api')}`)!.partialL7).toBe(true);
    expect(byPair.get(`${w('shop', 'web')}->${w('orders', 'orders-api')}`)!.partialL7).toBe(true);
    expect(byPair.get(`${w('payments', 'payments-api')}->${w('payments', 'ledger')}`)!.partialL7).toBeUndefined();
  });

  it('row 14 ends at a service node named by its host', () => {
    const n = graph.nodes.find((x) => x.id === nodeId('service', 'Kubernetes', 'external', 'api.stripe.com'));
    expect(n).toMatchObject({ kind: 'service', host: 'api.stripe.com', telemetryOnly: true });
  });

  it('warns exactly when attribution was guessed', () => {
    expect(graph.warnings.some((x) => /guess/.test(x.message))).toBe(guessed);
  });

  it('proves modes in the window only from non-guessed attribution', () => {
    const node = (ns: string, name: string) => graph.nodes.find((n) => n.id === w(ns, name))!;
    if (guessed) {
      // waypoint-reported series are never a guess: their client (web) was ambient.
      expect(graph.nodes.filter((n) => n.modeInWindow !== undefined).map((n) => [n.id, n.modeInWindow])).toEqual([[w('shop', 'web'), 'ambient']]);
    } else {
      expect(node('shop', 'catalog').modeInWindow).toBe('ambient');
      expect(node('payments', 'ledger').modeInWindow).toBe('sidecar');
      expect(node('orders', 'orders-api').modeInWindow).toBe('mixed');
      expect(node('shop', 'web').modeInWindow).toBe('ambient');
      expect(graph.nodes.some((n) => n.modeChanged === true)).toBe(false);
    }
  });
});

describe('demo mesh nodes', () => {
  const graph = buildMeshGraph(demoKube(), demoTelemetry('labels'), {});
  const node = (id: string) => graph.nodes.find((n) => n.id === id)!;
  it('classifies workloads, pods, versions, issues and waypoints', () => {
    expect(node(w('orders', 'orders-api'))).toMatchObject({ mode: 'mixed', pods: { total: 3, sidecar: 2, ambient: 1, none: 0 } });
    expect(node(w('payments', 'batch-export'))).toMatchObject({ mode: 'none' });
    expect(node(w('payments', 'batch-export')).issues).toBeUndefined();
    expect(node(w('payments', 'ledger')).proxyVersions).toEqual(['1.26.3']);
    expect(node(w('payments', 'payments-api')).proxyVersions).toEqual(['1.27.1']);
    expect(node(w('orders', 'orders-worker')).issues?.join(' ')).toMatch(/pending/);
    expect(node(w('orders', 'orders-api')).issues?.join(' ')).toMatch(/still runs a sidecar/);
    expect(node(w('shop', 'cart')).waypoint).toBe('shop/shop-waypoint');
    expect(node(w('inventory', 'inventory-api')).waypoint).toBeUndefined();
    expect(node(w('shop', 'web')).services).toEqual(['shop/web']);
    expect(node(GW)).toMatchObject({ kind: 'gateway', namespace: 'istio-system' });
  });
  it('is deterministic and sorted', () => {
    const again = buildMeshGraph(demoKube(), demoTelemetry('labels'), {});
    expect(again).toEqual(graph);
    expect(graph.edges.map((e) => e.id)).toEqual(
      graph.edges
        .map((e) => e.id)
        .slice()
        .sort(),
    );
    expect(graph.nodes.map((e) => e.id)).toEqual(
      graph.nodes
        .map((e) => e.id)
        .slice()
        .sort(),
    );
  });
});

describe('demo mesh, expanded waypoint view', () => {
  const graph = buildMeshGraph(demoKube(), demoTelemetry('labels'), { expandWaypoints: true });
  const WP = nodeId('waypoint', 'Kubernetes', 'shop', 'shop-waypoint');
  it('replaces the two folded edges by three legs', () => {
    expect(graph.edges).toHaveLength(17);
    const legs = graph.edges.filter((e) => e.leg).map((e) => [e.source, e.target, e.leg]);
    expect(legs).toEqual(
      expect.arrayContaining([
        [w('shop', 'web'), WP, 'to-waypoint'],
        [WP, w('shop', 'cart'), 'from-waypoint'],
        [WP, w('shop', 'catalog'), 'from-waypoint'],
      ]),
    );
    expect(legs).toHaveLength(3);
    expect(graph.edges.find((e) => e.source === w('shop', 'web') && e.target === w('shop', 'cart'))).toBeUndefined();
  });
  it('leg numbers come from the leg series', () => {
    const toWp = graph.edges.find((e) => e.leg === 'to-waypoint')!;
    expect(toWp.rates.rps).toBeCloseTo(25, 9); // all waypoint requests from web
    expect(toWp.rates.connectionsPerSec).toBeCloseTo(1500 / 600, 9); // client legs for cart + catalog
    const toCart = graph.edges.find((e) => e.leg === 'from-waypoint' && e.target === w('shop', 'cart'))!;
    expect(toCart.rates.connectionsPerSec).toBeCloseTo(1500 / 600, 9); // server ztunnel leg
    expect(toCart).toMatchObject({ path: 'waypoint', mtls: 'mutual', waypoint: 'shop/shop-waypoint' });
    expect(graph.nodes.find((n) => n.id === WP)).toMatchObject({ kind: 'waypoint', pods: { total: 1 } });
  });
});

describe('demo mesh, namespace filter', () => {
  it('keeps edges touching the namespaces and their peers', () => {
    const graph = buildMeshGraph(demoKube(), demoTelemetry('labels'), { namespaces: ['payments'] });
    expect(graph.edges.map((e) => ROWS.find((r) => `${r.src}->${r.dst}` === e.id)?.n).sort((a, b) => a! - b!)).toEqual([4, 5, 6, 14, 16]);
    const ids = graph.nodes.map((n) => n.id);
    expect(ids).toContain(w('shop', 'cart'));
    expect(ids).not.toContain(w('shop', 'web'));
    expect(ids).toContain(w('payments', 'batch-export'));
  });
});

describe('demo mesh before T−3h: catalog still had a sidecar', () => {
  function pastTelemetry(profile: ScrapeProfile) {
    const t = new TelemetryBuilder(profile);
    const oldCatalog = sidecarPod({ namespace: 'shop', name: 'catalog-old-a', workload: 'catalog', ip: '10.244.3.21', node: 'node-c' });
    t.tcp(edgeLabels({ reporter: 'source', src: P.web, dst: P.catalog, service: svc(P.catalog), csp: 'mutual_tls' }), ztOf(web), {
      opened: 300,
      sent: 3e5,
      received: 6e5,
    });
    t.requests(edgeLabels({ reporter: 'destination', src: P.web, dst: P.catalog, service: svc(P.catalog), csp: 'mutual_tls' }), oldCatalog, { '200': 3000 });
    return t.build();
  }
  it('with target labels the window proves sidecar: mode changed since', () => {
    const g = buildMeshGraph(demoKube(), pastTelemetry('labels'), {});
    const e = g.edges.find((x) => x.target === w('shop', 'catalog'))!;
    expect(e).toMatchObject({ path: 'mixed', telemetry: 'l7', mtls: 'mutual' });
    expect(e.attributionGuessed).toBeUndefined();
    expect(g.nodes.find((n) => n.id === w('shop', 'catalog'))).toMatchObject({ mode: 'ambient', modeInWindow: 'sidecar', modeChanged: true });
  });
  it('without targets: still mixed (requests only come from Envoy) but guessed, no mode proof', () => {
    const g = buildMeshGraph(demoKube(), pastTelemetry('none'), {});
    const e = g.edges.find((x) => x.target === w('shop', 'catalog'))!;
    expect(e).toMatchObject({ path: 'mixed', attributionGuessed: true });
    expect(g.nodes.find((n) => n.id === w('shop', 'catalog'))!.modeInWindow).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { cpuMillicores, formatBytes, memoryBytes, parseQuantity, planMigrations } from './migration';
import { authz, edge, graph, kube, ns, pod, svc, waypoint, wl } from './findings/test-builders';

describe('Kubernetes quantities', () => {
  it('parses CPU', () => {
    expect(cpuMillicores('100m')).toBe(100);
    expect(cpuMillicores('0.5')).toBe(500);
    expect(cpuMillicores('2')).toBe(2000);
    expect(cpuMillicores('250000u')).toBe(250);
    expect(cpuMillicores('1e-1')).toBe(100);
  });
  it('parses memory', () => {
    expect(memoryBytes('128Mi')).toBe(134217728);
    expect(memoryBytes('1Gi')).toBe(2 ** 30);
    expect(memoryBytes('1G')).toBe(1e9);
    expect(memoryBytes('500M')).toBe(5e8);
    expect(memoryBytes('129e6')).toBe(129e6);
    expect(memoryBytes('64Ki')).toBe(65536);
    expect(memoryBytes('1000')).toBe(1000);
  });
  it('rejects malformed quantities', () => {
    expect(parseQuantity('abc')).toBeUndefined();
    expect(parseQuantity('10Qi')).toBeUndefined();
    expect(parseQuantity('')).toBeUndefined();
    expect(parseQuantity(undefined)).toBeUndefined();
  });
  it('formats bytes', () => {
    expect(formatBytes(384 * 2 ** 20)).toBe('384Mi');
    expect(formatBytes(2 ** 30)).toBe('1Gi');
  });
});

function fixture() {
  const k = kube({
    namespaces: [
      ns('payments', { 'istio-injection': 'enabled' }),
      ns('shop', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'shop-waypoint' }),
      ns('inventory', { 'istio.io/dataplane-mode': 'ambient' }),
    ],
    pods: [
      pod('payments', 'payments-api', { mode: 'native-sidecar' }), // 100m / 128Mi in initContainers
      pod('payments', 'payments-api', { mode: 'native-sidecar' }),
      pod('payments', 'ledger', {
        mode: 'sidecar',
        containers: [
          { name: 'app', image: 'x', args: [] },
          { name: 'istio-proxy', image: 'istio/proxyv2:1.26.3', args: ['proxy', 'sidecar'], cpuRequest: '0.2', memoryRequest: '256Mi' },
        ],
      }),
      pod('payments', 'ledger', {
        mode: 'sidecar',
        containers: [{ name: 'istio-proxy', image: 'istio/proxyv2:1.26.3', args: ['proxy', 'sidecar'] }],
      }),
      pod('payments', 'batch-export', { labels: { 'sidecar.istio.io/inject': 'false' } }),
      pod('shop', 'cart', { mode: 'ambient' }),
    ],
    services: [svc('shop', 'cart'), svc('payments', 'ledger'), svc('payments', 'payments-api')],
    gateways: [waypoint('shop', 'shop-waypoint')],
    authorizationPolicies: [authz('payments', 'ledger-paths', { selector: { app: 'ledger' }, httpAttributes: ['to.operation.paths'] })],
  });
  const papi = wl('payments', 'payments-api', { mode: 'sidecar' });
  const ledger = wl('payments', 'ledger', { mode: 'sidecar' });
  const batch = wl('payments', 'batch-export', { mode: 'none' });
  const cart = wl('shop', 'cart', { mode: 'ambient', waypoint: 'shop/shop-waypoint' });
  const inv = wl('inventory', 'inventory-api', { mode: 'ambient' });
  const gw = wl('istio-system', 'istio-ingressgateway', { kind: 'gateway', mode: 'sidecar' });
  const legacy = wl('legacy', 'legacy-reporting', { mode: 'none' });
  const g = graph(
    [papi, ledger, batch, cart, inv, gw, legacy],
    [
      edge(papi, ledger, { rates: { rps: 20 } }), // internal → lost, restorable
      edge(cart, papi, { path: 'mixed', rates: { rps: 5 } }), // ambient client → lost, restorable
      edge(papi, cart, { path: 'mixed', rates: { rps: 3 } }), // out to waypoint-served → kept
      edge(gw, papi, { path: 'sidecar', rates: { rps: 7 } }), // gateway keeps reporting
      edge(papi, inv, { path: 'mixed', rates: { rps: 2 } }), // out to ambient w/o waypoint → lost, not ours
      edge(legacy, ledger, { mtls: 'plaintext', rates: { rps: 1 } }), // out-of-mesh client → lost, not restorable
      edge(batch, ledger, { mtls: 'plaintext', rates: { rps: 4 } }), // opted-out client: stays out of the mesh
      edge(papi, inv, { telemetry: 'l4', protocol: 'tcp', id: 'tcp-edge' }), // L4 already: ignored
      edge(cart, inv, { telemetry: 'l7' }), // not touching payments
    ],
  );
  return { k, g };
}

describe('planMigrations', () => {
  it('plans only namespaces with sidecar pods', () => {
    const { k, g } = fixture();
    expect(planMigrations(k, g).map((p) => p.namespace)).toEqual(['payments']);
  });

  it('sums the requests of retired sidecars, native sidecars included', () => {
    const { k, g } = fixture();
    const p = planMigrations(k, g)[0]!;
    expect(p.sidecars.pods).toBe(4);
    expect(p.sidecars.cpuMillicores).toBe(400); // 100 + 100 + 200 (+ one without requests)
    expect(p.sidecars.memoryBytes).toBe((128 + 128 + 256) * 2 ** 20);
    expect(p.sidecars.memory).toBe('512Mi');
    expect(p.sidecars.cpu).toBe('400m');
    expect(p.sidecars.podsWithoutRequests).toBe(1);
    expect(p.sidecarWorkloads).toEqual(['payments/ledger', 'payments/payments-api']);
  });

  it('classifies each L7 edge and what a waypoint gives back', () => {
    const { k, g } = fixture();
    const p = planMigrations(k, g)[0]!;
    const outcome = Object.fromEntries(p.edges.map((e) => [`${e.source}>${e.target}`, [e.outcome, e.restoredByWaypoint]]));
    expect(outcome).toEqual({
      'payments/payments-api>payments/ledger': ['lost', true],
      'shop/cart>payments/payments-api': ['lost', true],
      'payments/payments-api>shop/cart': ['kept-waypoint', false],
      'istio-system/istio-ingressgateway>payments/payments-api': ['kept-peer-proxy', false],
      'payments/payments-api>inventory/inventory-api': ['lost', false],
      'legacy/legacy-reporting>payments/ledger': ['lost', false],
      'payments/batch-export>payments/ledger': ['lost', false], // opted out: stays out of the mesh
    });
    expect(p.l7Lost).toBe(5);
    expect(p.l7LostRps).toBe(20 + 5 + 2 + 1 + 4);
    expect(p.waypoint.restores).toBe(2);
    expect(p.waypoint.restoresRps).toBe(25);
    expect(p.waypoint.stillLost).toBe(3);
  });

  it('lists policies needing targetRefs, captured opt-outs and the steps', () => {
    const { k, g } = fixture();
    const p = planMigrations(k, g)[0]!;
    expect(p.policiesNeedingTargetRefs).toEqual(['payments/ledger-paths']);
    expect(p.optOutsCapturedAfterMove).toEqual(['payments/batch-export']);
    const steps = p.steps.join('\n');
    expect(steps).toContain('kubectl label namespace payments istio-injection- istio.io/dataplane-mode=ambient');
    expect(steps).toContain('istioctl waypoint apply -n payments --enroll-namespace');
    expect(steps).toContain('"istio.io/dataplane-mode":"none"');
    expect(p.inProgress).toBe(false);
  });

  it('returns nothing without sidecars', () => {
    expect(planMigrations(kube({ pods: [pod('a', 'x', { mode: 'ambient' })] }), graph([], []))).toEqual([]);
  });
});

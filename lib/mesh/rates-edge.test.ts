// Issue 12 cases 4 and 5 through buildMeshGraph: latency with empty low buckets (zero buckets kept, as
// the duration query returns them) plus the mean, and gRPC failures reported with HTTP status 200
// (docs/istio-telemetry.md §7), on a sidecar → sidecar mesh where both reporters saw the traffic.
import { describe, expect, it } from 'vitest';
import { buildMeshGraph } from './build';
import { nodeId } from './ids';
import { edgeLabels, kube, namespace, service, sidecarPod, TelemetryBuilder, WINDOW_SECONDS, type Peer, type ScrapeProfile } from './testing/fixtures';

const payA = sidecarPod({ namespace: 'payments', name: 'payments-api-6f7-a', workload: 'payments-api', ip: '10.244.2.10', node: 'node-b' });
const ledgerA = sidecarPod({ namespace: 'payments', name: 'ledger-5c-a', workload: 'ledger', ip: '10.244.2.11', node: 'node-b' });
const rpcA = sidecarPod({ namespace: 'payments', name: 'fraud-rpc-7-a', workload: 'fraud-rpc', ip: '10.244.2.12', node: 'node-b' });
const PAY: Peer = { workload: 'payments-api', namespace: 'payments' };
const LEDGER: Peer = { workload: 'ledger', namespace: 'payments' };
const RPC: Peer = { workload: 'fraud-rpc', namespace: 'payments' };
const svc = (p: Peer) => ({ name: p.workload, namespace: p.namespace });

const snapshot = () =>
  kube({
    namespaces: [namespace('istio-system'), namespace('payments', { 'istio-injection': 'enabled' })],
    pods: [payA, ledgerA, rpcA],
    services: [
      service('payments', 'ledger', { app: 'ledger' }, [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }]),
      service('payments', 'fraud-rpc', { app: 'fraud-rpc' }, [{ name: 'grpc', port: 9090, targetPort: 9090, protocol: 'TCP' }]),
    ],
  });

// Cumulative Istio default buckets: 600 requests in (50, 100] ms, 400 in (100, 250]; every lower bucket 0.
const LOW_EMPTY: [string, number][] = [
  ['0.5', 0],
  ['1', 0],
  ['5', 0],
  ['10', 0],
  ['25', 0],
  ['50', 0],
  ['100', 600],
  ['250', 1000],
  ['500', 1000],
  ['1000', 1000],
  ['+Inf', 1000],
];
// The client side saw slower times (includes its own hop): must not be used, the server side wins.
const CLIENT_SIDE: [string, number][] = [
  ['100', 0],
  ['250', 0],
  ['500', 1000],
  ['+Inf', 1000],
];

function telemetry(profile: ScrapeProfile) {
  const t = new TelemetryBuilder(profile);
  const toLedger = (reporter: 'source' | 'destination') =>
    edgeLabels({ reporter, src: PAY, dst: LEDGER, service: svc(LEDGER), csp: reporter === 'source' ? 'unknown' : 'mutual_tls' });
  t.requests(toLedger('source'), payA, { '200': 990, '503': 10 });
  t.durations(toLedger('source'), payA, CLIENT_SIDE, 1000 * 400);
  t.requests(toLedger('destination'), ledgerA, { '200': 990, '503': 10 });
  t.durations(toLedger('destination'), ledgerA, LOW_EMPTY, 600 * 70 + 400 * 120);
  const toRpc = (reporter: 'source' | 'destination') =>
    edgeLabels({ reporter, src: PAY, dst: RPC, service: svc(RPC), csp: reporter === 'source' ? 'unknown' : 'mutual_tls' });
  // gRPC: every call has HTTP 200; 48 UNAVAILABLE, 12 DEADLINE_EXCEEDED; 6 got no response at all (HTTP 0, no status).
  t.grpcRequests(toRpc('destination'), rpcA, { '0': 534, '14': 48, '4': 12 });
  t.requests(toRpc('destination'), rpcA, { '0': 6 }, 'grpc');
  t.grpcRequests(toRpc('source'), payA, { '0': 534, '14': 60 });
  t.durations(
    toRpc('destination'),
    rpcA,
    [
      ['5', 0],
      ['10', 300],
      ['25', 600],
      ['+Inf', 600],
    ],
    600 * 9,
  );
  return t.build();
}

const w = (name: string) => nodeId('workload', 'Kubernetes', 'payments', name);

describe.each(['labels', 'none'] as const)('latency and gRPC outcomes on edges (profile %s)', (profile) => {
  const g = buildMeshGraph(snapshot(), telemetry(profile), {});
  const edge = (to: string) => g.edges.find((e) => e.source === w('payments-api') && e.target === w(to))!;

  it('percentiles as histogram_quantile over the server side, zero buckets kept', () => {
    const e = edge('ledger');
    expect(e.rateSources?.l7).toBe('destination');
    expect(e.rates.p50Ms).toBeCloseTo(50 + 50 * (500 / 600), 9); // 91.67, not 83.33
    expect(e.rates.p95Ms).toBeCloseTo(100 + 150 * (350 / 400), 9);
    expect(e.rates.p99Ms).toBeCloseTo(100 + 150 * (390 / 400), 9);
    expect(e.rates.meanMs).toBeCloseTo((600 * 70 + 400 * 120) / 1000, 9);
    expect(e.rates.errorRate).toBeCloseTo(10 / 1000, 12);
    expect(e.statuses).toEqual({ http: { '200': 990 / WINDOW_SECONDS, '503': 10 / WINDOW_SECONDS } });
  });

  it('gRPC failures with HTTP 200 are errors; the breakdown names the codes', () => {
    const e = edge('fraud-rpc');
    expect(e.protocol).toBe('grpc');
    expect(e.rates.rps).toBeCloseTo(600 / WINDOW_SECONDS, 12);
    expect(e.rates.errorRate).toBeCloseTo((48 + 12 + 6) / 600, 12);
    expect(e.statuses).toEqual({
      http: { '0': 6 / WINDOW_SECONDS },
      grpc: { DEADLINE_EXCEEDED: 12 / WINDOW_SECONDS, OK: 534 / WINDOW_SECONDS, UNAVAILABLE: 48 / WINDOW_SECONDS },
    });
    expect(e.rates.p50Ms).toBeCloseTo(10, 9);
    expect(e.rates.meanMs).toBeCloseTo(9, 9);
  });
});

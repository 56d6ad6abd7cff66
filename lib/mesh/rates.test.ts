import { describe, expect, it } from 'vitest';
import { codeRecord, grpcCodeName, histogramQuantile, isErrorCode, isFailedRequest, l4Rates, l7Rates, l7Statuses, parseLe, windowSeconds } from './rates';
import { L_SIDECAR_SERVER_REQUESTS, pick } from './testing/real-series';
import { EDGE_LABELS, type Labels, type TelemetrySample } from './types';

// The grouping of the graph queries (lib/prometheus/queries.ts GRAPH_QUERY_LABELS; lib/mesh may not import it).
const REQUEST_LABELS = [...EDGE_LABELS, 'request_protocol', 'response_code', 'grpc_response_status'];
const DURATION_LABELS = ['reporter', 'source_workload', 'destination_workload', 'destination_service'];

const h = (pairs: [string, number][]) => pairs.map(([le, count]) => ({ upperBound: parseLe(le)!, count }));

// Expected values were produced by `promtool test rules` (Prometheus 2.42) on the same buckets.
const A = h([
  ['5', 100],
  ['10', 400],
  ['25', 800],
  ['50', 950],
  ['100', 990],
  ['+Inf', 1000],
]);
const B_NON_MONOTONIC = h([
  ['1', 10],
  ['2', 5],
  ['+Inf', 20],
]);
const C_RANK_IN_INF = h([
  ['1', 10],
  ['+Inf', 100],
]);
const D_NEGATIVE = h([
  ['-1', 10],
  ['0', 10],
  ['+Inf', 20],
]);
const E_DUPLICATE_BOUNDS = h([
  ['1', 3],
  ['1.0', 4],
  ['2', 10],
  ['+Inf', 10],
]);

describe('histogramQuantile (Prometheus 2.42 semantics)', () => {
  it.each([
    ['A', A, 0.5, 13.75],
    ['A', A, 0.99, 100],
    ['A', A, 0, 0],
    ['A', A, 1, 100],
    ['B non-monotonic', B_NON_MONOTONIC, 0.5, 1],
    ['B non-monotonic', B_NON_MONOTONIC, 0.99, 2],
    ['C rank in +Inf bucket', C_RANK_IN_INF, 0.5, 1],
    ['D bound <= 0', D_NEGATIVE, 0.5, -1],
    ['D bound <= 0', D_NEGATIVE, 0, -1],
    ['D bound <= 0', D_NEGATIVE, 0.99, 0],
    ['E coalesced bounds', E_DUPLICATE_BOUNDS, 0.5, 0.7142857142857143],
    ['E coalesced bounds', E_DUPLICATE_BOUNDS, 0.99, 1.9666666666666668],
  ] as const)('%s q=%s → %s', (_n, buckets, q, expected) => {
    expect(
      histogramQuantile(
        q,
        buckets.map((b) => ({ ...b })),
      ),
    ).toBeCloseTo(expected, 12);
  });
  it('edge cases', () => {
    expect(histogramQuantile(-0.1, A)).toBe(-Infinity);
    expect(histogramQuantile(1.1, A)).toBe(Infinity);
    expect(histogramQuantile(NaN, A)).toBeNaN();
    expect(
      histogramQuantile(
        0.5,
        h([
          ['1', 1],
          ['2', 2],
        ]),
      ),
    ).toBeNaN(); // no +Inf bucket
    expect(histogramQuantile(0.5, h([['+Inf', 2]]))).toBeNaN(); // fewer than 2 buckets
    expect(
      histogramQuantile(
        0.5,
        h([
          ['1', 0],
          ['+Inf', 0],
        ]),
      ),
    ).toBeNaN(); // no observations
  });
  it('is order independent', () => {
    expect(histogramQuantile(0.5, A.slice().reverse())).toBeCloseTo(13.75, 12);
  });
});

describe('parseLe / windowSeconds / isErrorCode', () => {
  it('parses', () => {
    expect(parseLe('+Inf')).toBe(Infinity);
    expect(parseLe('1e+06')).toBe(1e6);
    expect(parseLe('x')).toBeUndefined();
    expect(windowSeconds({ start: '2026-11-21T21:00:00Z', end: '2026-11-21T21:15:00Z' })).toBe(900);
    expect(windowSeconds({ start: '2026-11-21T21:15:00Z', end: '2026-11-21T21:00:00Z' })).toBe(0);
  });
  it('5xx and "0" are errors; 4xx are not', () => {
    expect(['500', '503', '0'].every(isErrorCode)).toBe(true);
    expect(['200', '404', '429', '50', '5000'].some(isErrorCode)).toBe(false);
  });
});

const req = (code: string, value: number): TelemetrySample => ({ metric: 'requests', labels: { response_code: code }, value });

describe('l7Rates', () => {
  it('rps, errorRate, quantiles over the window', () => {
    const buckets: TelemetrySample[] = [
      // two series of the same reporter: summed per le before the quantile
      ...[
        ['5', 50],
        ['10', 200],
        ['25', 400],
        ['50', 475],
        ['100', 495],
        ['+Inf', 500],
      ].map(([le, v]) => ({ metric: 'requestDurationBucket' as const, labels: { le: String(le) }, value: Number(v) })),
      ...[
        ['5', 50],
        ['10', 200],
        ['25', 400],
        ['50', 475],
        ['100', 495],
        ['+Inf', 500],
      ].map(([le, v]) => ({ metric: 'requestDurationBucket' as const, labels: { le: String(le) }, value: Number(v) })),
    ];
    const r = l7Rates([req('200', 570), req('503', 20), req('0', 10), req('404', 0)], buckets, 60);
    expect(r.rps).toBeCloseTo(10, 12);
    expect(r.errorRate).toBeCloseTo(30 / 600, 12);
    expect(r.p50Ms).toBeCloseTo(13.75, 12);
    expect(r.p95Ms).toBeCloseTo(50, 12);
    expect(r.p99Ms).toBeCloseTo(100, 12);
  });
  it('no requests in the window: rps 0, no error rate', () => {
    expect(l7Rates([req('200', 0)], [], 60)).toEqual({ rps: 0 });
  });
});

// Istio's default duration buckets (ms), as every Envoy proxy exports them.
const ISTIO_LE = [
  '0.5',
  '1',
  '5',
  '10',
  '25',
  '50',
  '100',
  '250',
  '500',
  '1000',
  '2500',
  '5000',
  '10000',
  '30000',
  '60000',
  '300000',
  '600000',
  '1800000',
  '3600000',
  '+Inf',
];
/** One histogram as the duration query returns it: every bucket of a histogram with traffic, zeros included. */
function istioHistogram(labels: Labels, perBucket: Record<string, number>): TelemetrySample[] {
  let cum = 0;
  return ISTIO_LE.map((le) => {
    cum += perBucket[le] ?? 0;
    return { metric: 'requestDurationBucket' as const, labels: { ...labels, le }, value: cum };
  });
}
const SERVER = pick({ ...L_SIDECAR_SERVER_REQUESTS, source_workload: 'web', destination_workload: 'cart' }, DURATION_LABELS);

describe('l7Rates latency: zero buckets kept (docs/istio-telemetry.md §7)', () => {
  // 60 requests in (50, 100] ms, 40 in (100, 250]; every lower bucket empty.
  const hist = istioHistogram(SERVER, { '100': 60, '250': 40 });
  it('interpolates the first non-empty bucket from the previous bound, as histogram_quantile does', () => {
    const r = l7Rates([], hist, 60);
    // rank 50 in (50, 100]: 50 + 50 × 50/60
    expect(r.p50Ms).toBeCloseTo(50 + 50 * (50 / 60), 12);
    // rank 95 in (100, 250]: 100 + 150 × 35/40; rank 99: 100 + 150 × 39/40
    expect(r.p95Ms).toBeCloseTo(100 + 150 * (35 / 40), 12);
    expect(r.p99Ms).toBeCloseTo(100 + 150 * (39 / 40), 12);
  });
  it('documents the old bug: without the zero buckets p50 came out at 83 ms instead of 92', () => {
    const dropped = hist.filter((s) => s.value > 0);
    expect(l7Rates([], dropped, 60).p50Ms).toBeCloseTo(100 * (50 / 60), 12);
    expect(l7Rates([], hist, 60).p50Ms).toBeCloseTo(91.6666666667, 9);
  });
  it('sums several series of one reporter per le before the quantile', () => {
    const a = istioHistogram({ ...SERVER, destination_service: 'a' }, { '10': 10 });
    const b = istioHistogram({ ...SERVER, destination_service: 'b' }, { '100': 10 });
    // 20 observations: 10 in (5, 10], 10 in (50, 100]; rank 10 is exactly le=10 → 10
    expect(l7Rates([], [...a, ...b], 60).p50Ms).toBeCloseTo(10, 12);
  });
  it('mean = Σ _sum / Σ +Inf bucket (the histogram count)', () => {
    const sum: TelemetrySample = { metric: 'requestDurationSum', labels: SERVER, value: 60 * 80 + 40 * 150 };
    const r = l7Rates([], [...hist, sum], 60);
    expect(r.meanMs).toBeCloseTo((60 * 80 + 40 * 150) / 100, 12);
  });
  it('a zero _sum with traffic is a mean of 0 ms; no _sum series → no mean; no traffic → no latency at all', () => {
    expect(l7Rates([], [...hist, { metric: 'requestDurationSum', labels: SERVER, value: 0 }], 60).meanMs).toBe(0);
    expect(l7Rates([], hist, 60).meanMs).toBeUndefined();
    const idle = istioHistogram(SERVER, {});
    expect(l7Rates([], [...idle, { metric: 'requestDurationSum', labels: SERVER, value: 0 }], 60)).toEqual({});
  });
});

describe('gRPC outcomes (docs/istio-telemetry.md §7 "gRPC status")', () => {
  const REQ = REQUEST_LABELS;
  const grpc = (status: string | undefined, value: number, code = '200'): TelemetrySample => ({
    metric: 'requests',
    labels: pick(
      { ...L_SIDECAR_SERVER_REQUESTS, request_protocol: 'grpc', response_code: code, ...(status === undefined ? {} : { grpc_response_status: status }) },
      REQ,
    ),
    value,
  });
  // (l) as the grouped query returns it: Prometheus drops the empty grpc_response_status label of HTTP series.
  const http = (code: string, value: number): TelemetrySample => ({
    metric: 'requests',
    labels: pick({ ...L_SIDECAR_SERVER_REQUESTS, response_code: code }, REQ),
    value,
  });

  it('names the canonical codes 0..16 and keeps others as numbers', () => {
    expect(['0', '1', '4', '13', '14', '16'].map(grpcCodeName)).toEqual(['OK', 'CANCELLED', 'DEADLINE_EXCEEDED', 'INTERNAL', 'UNAVAILABLE', 'UNAUTHENTICATED']);
    expect(grpcCodeName('17')).toBe('17');
  });
  it('a gRPC call fails on a non-OK status even with HTTP 200; HTTP requests keep the 5xx/0 rule', () => {
    expect(isFailedRequest(grpc('14', 1).labels)).toBe(true);
    expect(isFailedRequest(grpc('4', 1).labels)).toBe(true);
    expect(isFailedRequest(grpc('5', 1).labels)).toBe(true); // NOT_FOUND is a failed call too
    expect(isFailedRequest(grpc('0', 1).labels)).toBe(false);
    // without any grpc status (no gRPC response at all): the HTTP rule
    expect(isFailedRequest(grpc(undefined, 1, '503').labels)).toBe(true);
    expect(isFailedRequest(grpc('', 1, '0').labels)).toBe(true);
    expect(isFailedRequest(grpc(undefined, 1, '200').labels)).toBe(false);
    expect(isFailedRequest(grpc('unknown', 1, '200').labels)).toBe(false); // Istio's default for a missing value
    expect(isFailedRequest(grpc('unknown', 1, '503').labels)).toBe(true);
    expect(isFailedRequest(http('503', 1).labels)).toBe(true);
    expect(isFailedRequest(http('200', 1).labels)).toBe(false);
    expect(isFailedRequest({ ...http('200', 1).labels, grpc_response_status: '14' })).toBe(false); // only grpc reads it
  });
  it('error rate and status breakdown of a mixed HTTP + gRPC edge', () => {
    const reqs = [grpc('0', 540), grpc('14', 48), grpc('4', 12), grpc(undefined, 6, '503'), http('200', 90), http('503', 3), http('404', 1)];
    const r = l7Rates(reqs, [], 60);
    expect(r.rps).toBeCloseTo(700 / 60, 12);
    expect(r.errorRate).toBeCloseTo((48 + 12 + 6 + 3) / 700, 12);
    expect(l7Statuses(reqs, 60)).toEqual({
      http: { '200': 90 / 60, '404': 1 / 60, '503': 9 / 60 },
      grpc: { DEADLINE_EXCEEDED: 12 / 60, OK: 540 / 60, UNAVAILABLE: 48 / 60 },
    });
  });
  it('no statuses without requests or with only zero increases', () => {
    expect(l7Statuses([], 60)).toBeUndefined();
    expect(l7Statuses([http('200', 0)], 60)).toBeUndefined();
    expect(l7Statuses([http('200', 1)], 0)).toBeUndefined();
    expect(l7Statuses([http('200', 60)], 60)).toEqual({ http: { '200': 1 } });
  });
});

describe('l4Rates', () => {
  it('bytes each way, connections, failures by flag', () => {
    const s = (metric: TelemetrySample['metric'], value: number, flags?: string): TelemetrySample => ({
      metric,
      labels: flags ? { response_flags: flags } : {},
      value,
    });
    const r = l4Rates(
      [
        s('tcpReceivedBytes', 600),
        s('tcpSentBytes', 1200),
        s('tcpOpened', 60),
        s('tcpClosed', 50, '-'),
        s('tcpClosed', 6, 'CONNECT'),
        s('tcpClosed', 3, 'DENY'),
        s('tcpClosed', 0, 'TLS_FAILURE'),
      ],
      60,
    );
    expect(r.rates).toEqual({ requestBytesPerSec: 10, responseBytesPerSec: 20, connectionsPerSec: 1, failedConnectionsPerSec: 9 / 60 });
    expect(r.failuresByFlag).toEqual({ CONNECT: 0.1, DENY: 0.05 });
  });
  it('TCP traffic without a flagged close (the graph query reads flagged closes only) had 0 failures; no TCP sample, no figure', () => {
    const r = l4Rates([{ metric: 'tcpSentBytes', labels: {}, value: 120 }], 60);
    expect(r.rates).toEqual({ responseBytesPerSec: 2, failedConnectionsPerSec: 0 });
    expect(r.failuresByFlag).toBeUndefined();
    expect(l4Rates([], 60).rates).toEqual({});
  });
  it('(k) sidecar UH closes count as failures', () => {
    const r = l4Rates([{ metric: 'tcpClosed', labels: { response_flags: 'UH' }, value: 88 }], 88);
    expect(r.rates.failedConnectionsPerSec).toBe(1);
    expect(r.failuresByFlag).toEqual({ UH: 1 });
  });
});

describe('l4Rates with istio_tcp_connections_failed_total (ztunnel 1.30+)', () => {
  const closed = (flag: string, value: number) => ({ metric: 'tcpClosed' as const, labels: { response_flags: flag }, value });
  const failed = (flag: string, value: number) => ({ metric: 'tcpFailed' as const, labels: { response_flags: flag }, value });
  it('counts failed attempts that never show up as closes', () => {
    const r = l4Rates([closed('-', 60), failed('CONNECT', 12)], 60);
    expect(r.rates.failedConnectionsPerSec).toBe(0.2);
    expect(r.failuresByFlag).toEqual({ CONNECT: 0.2 });
  });
  it('never adds the same failures twice: per flag the larger of the two counters', () => {
    const r = l4Rates([closed('CONNECT', 6), failed('CONNECT', 12), closed('DENY', 3)], 60);
    expect(r.failuresByFlag).toEqual({ CONNECT: 0.2, DENY: 0.05 });
    expect(r.rates.failedConnectionsPerSec).toBeCloseTo(0.25, 12);
  });
});

describe('codeRecord (status records as JSON.parse makes them)', () => {
  it('has the same keys, values and key order as Object.fromEntries, and serialises the same', () => {
    const entries: [string, number][] = [
      ['503', 0.25],
      ['200', 10 / 3],
      ['unknown', 1],
      ['0', 2],
      ['UNAVAILABLE', 4],
    ];
    const plain = Object.fromEntries(entries);
    const made = codeRecord(entries);
    expect(made).toEqual(plain);
    expect(Object.keys(made)).toEqual(['0', '200', '503', 'unknown', 'UNAVAILABLE']);
    expect(JSON.stringify(made)).toBe(JSON.stringify(plain));
    expect(made['200']).toBe(10 / 3);
  });
  it('l7Statuses gives plain records through it', () => {
    const s = l7Statuses([{ metric: 'requests', value: 30, labels: { response_code: '200' } } as unknown as TelemetrySample], 60);
    expect(s).toEqual({ http: { '200': 0.5 } });
    expect(Object.getPrototypeOf(s!.http)).toBe(Object.prototype);
  });
});

import { describe, expect, it } from 'vitest';
import { histogramQuantile, isErrorCode, l4Rates, l7Rates, parseLe, windowSeconds } from './rates';
import type { TelemetrySample } from './types';

const h = (pairs: [string, number][]) => pairs.map(([le, count]) => ({ upperBound: parseLe(le)!, count }));

// Expected values were produced by `promtool test rules` (Prometheus 2.42) on the same buckets.
const A = h([['5', 100], ['10', 400], ['25', 800], ['50', 950], ['100', 990], ['+Inf', 1000]]);
const B_NON_MONOTONIC = h([['1', 10], ['2', 5], ['+Inf', 20]]);
const C_RANK_IN_INF = h([['1', 10], ['+Inf', 100]]);
const D_NEGATIVE = h([['-1', 10], ['0', 10], ['+Inf', 20]]);
const E_DUPLICATE_BOUNDS = h([['1', 3], ['1.0', 4], ['2', 10], ['+Inf', 10]]);

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
    expect(histogramQuantile(q, buckets.map((b) => ({ ...b })))).toBeCloseTo(expected, 12);
  });
  it('edge cases', () => {
    expect(histogramQuantile(-0.1, A)).toBe(-Infinity);
    expect(histogramQuantile(1.1, A)).toBe(Infinity);
    expect(histogramQuantile(NaN, A)).toBeNaN();
    expect(histogramQuantile(0.5, h([['1', 1], ['2', 2]]))).toBeNaN(); // no +Inf bucket
    expect(histogramQuantile(0.5, h([['+Inf', 2]]))).toBeNaN(); // fewer than 2 buckets
    expect(histogramQuantile(0.5, h([['1', 0], ['+Inf', 0]]))).toBeNaN(); // no observations
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
      ...[['5', 50], ['10', 200], ['25', 400], ['50', 475], ['100', 495], ['+Inf', 500]].map(([le, v]) => ({ metric: 'requestDurationBucket' as const, labels: { le: String(le) }, value: Number(v) })),
      ...[['5', 50], ['10', 200], ['25', 400], ['50', 475], ['100', 495], ['+Inf', 500]].map(([le, v]) => ({ metric: 'requestDurationBucket' as const, labels: { le: String(le) }, value: Number(v) })),
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

describe('l4Rates', () => {
  it('bytes each way, connections, failures by flag', () => {
    const s = (metric: TelemetrySample['metric'], value: number, flags?: string): TelemetrySample => ({ metric, labels: flags ? { response_flags: flags } : {}, value });
    const r = l4Rates(
      [s('tcpReceivedBytes', 600), s('tcpSentBytes', 1200), s('tcpOpened', 60), s('tcpClosed', 50, '-'), s('tcpClosed', 6, 'CONNECT'), s('tcpClosed', 3, 'DENY'), s('tcpClosed', 0, 'TLS_FAILURE')],
      60,
    );
    expect(r.rates).toEqual({ requestBytesPerSec: 10, responseBytesPerSec: 20, connectionsPerSec: 1, failedConnectionsPerSec: 9 / 60 });
    expect(r.failuresByFlag).toEqual({ CONNECT: 0.1, DENY: 0.05 });
  });
  it('(k) sidecar UH closes count as failures', () => {
    const r = l4Rates([{ metric: 'tcpClosed', labels: { response_flags: 'UH' }, value: 88 }], 88);
    expect(r.rates.failedConnectionsPerSec).toBe(1);
    expect(r.failuresByFlag).toEqual({ UH: 1 });
  });
});

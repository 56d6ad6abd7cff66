import { describe, expect, it } from 'vitest';
import { PrometheusError, safeEndpoint, toPrometheusError, type ErrorContext } from './errors';
import { BadDataError } from './parse';

const ctx: ErrorContext = { canceled: false, timedOut: false, timeoutMs: 1000, endpoint: 'http://prom:9090' };

describe('toPrometheusError', () => {
  it('wraps prometheus-query plain objects into Error instances', () => {
    const e = toPrometheusError({ status: 'error', errorType: 'network_error', error: 'connect ECONNREFUSED 127.0.0.1:1', code: 'ECONNREFUSED' }, ctx);
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(PrometheusError);
    expect(e.kind).toBe('unreachable');
    expect(e.message).toBe('Prometheus at http://prom:9090 unreachable: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:1');
  });

  it('classifies timeouts and cancellations by which signal fired', () => {
    const aborted = { status: 'error', errorType: 'network_error', error: 'canceled', code: 'ERR_CANCELED' };
    expect(toPrometheusError(aborted, { ...ctx, canceled: true }).kind).toBe('canceled');
    expect(toPrometheusError(aborted, { ...ctx, timedOut: true }).kind).toBe('timeout');
    expect(toPrometheusError(aborted, { ...ctx, timedOut: true }).message).toBe('Prometheus at http://prom:9090 did not answer within 1000 ms');
    expect(toPrometheusError({ status: 'error', errorType: 'timeout_error', code: 'ECONNABORTED' }, ctx).kind).toBe('timeout');
  });

  it('maps Prometheus API errors', () => {
    const bad = toPrometheusError(
      { status: 'error', errorType: 'http_error', httpStatus: 400, error: 'parse error at char 5', prometheus: { status: 'error', errorType: 'bad_data' } },
      ctx,
    );
    expect(bad.kind).toBe('bad_data');
    expect(bad.status).toBe(400);
    const exec = toPrometheusError(
      {
        status: 'error',
        errorType: 'http_error',
        httpStatus: 422,
        error: 'query processing would load too many samples',
        prometheus: { errorType: 'execution' },
      },
      ctx,
    );
    expect(exec.kind).toBe('http');
    expect(exec.message).toBe('Prometheus answered HTTP 422 (execution): query processing would load too many samples');
    const slow = toPrometheusError(
      { status: 'error', errorType: 'http_error', httpStatus: 503, error: 'query timed out in expression evaluation', prometheus: { errorType: 'timeout' } },
      ctx,
    );
    expect(slow.kind).toBe('timeout');
  });

  it('uses the status seen by the interceptor for non-API bodies', () => {
    const e = toPrometheusError({ status: 'error', errorType: 'client_error', error: 'unexpected client error' }, { ...ctx, status: 401 });
    expect(e.kind).toBe('http');
    expect(e.status).toBe(401);
    expect(toPrometheusError({ status: 'error', errorType: 'client_error' }, { ...ctx, status: 200 }).kind).toBe('bad_data');
  });

  it('maps thrown Errors and strings to bad_data', () => {
    expect(toPrometheusError(new BadDataError('expected a vector result, got "scalar"'), ctx).kind).toBe('bad_data');
    expect(toPrometheusError(new Error('Wrong value format'), ctx).kind).toBe('bad_data');
    expect(toPrometheusError('Endpoint is required', ctx).message).toBe('unexpected Prometheus client failure: Endpoint is required');
  });
});

describe('safeEndpoint', () => {
  it('strips credentials from URLs', () => {
    expect(safeEndpoint('https://user:secret@prom:9090/')).toBe('https://prom:9090');
  });
});

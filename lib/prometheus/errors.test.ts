import { describe, expect, it } from 'vitest';
import { HttpAnswerError, NotApiError, PrometheusError, ResponseTooLargeError, safeEndpoint, toPrometheusError, type ErrorContext } from './errors';
import { BadDataError } from './parse';

const ctx: ErrorContext = { canceled: false, timedOut: false, timeoutMs: 1000, endpoint: 'http://prom:9090' };

/** A Node network error as node:net / node:tls reject with. */
function sysError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('toPrometheusError', () => {
  it('maps network errors to unreachable with the code and message', () => {
    const e = toPrometheusError(sysError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), ctx);
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(PrometheusError);
    expect(e.kind).toBe('unreachable');
    expect(e.message).toBe('Prometheus at http://prom:9090 unreachable: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:1');
    expect(toPrometheusError(sysError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), ctx).message).toBe(
      'Prometheus at http://prom:9090 unreachable: DEPTH_ZERO_SELF_SIGNED_CERT self-signed certificate',
    );
    // Node's multi-address connect rejects with an AggregateError whose own message is empty
    const agg = Object.assign(new AggregateError([sysError('ECONNREFUSED', 'connect ECONNREFUSED ::1:1')], ''), { code: 'ECONNREFUSED' });
    expect(toPrometheusError(agg, ctx).message).toBe('Prometheus at http://prom:9090 unreachable: ECONNREFUSED connect ECONNREFUSED ::1:1');
  });

  it('classifies timeouts and cancellations by which signal fired', () => {
    const aborted = new DOMException('This operation was aborted', 'AbortError');
    expect(toPrometheusError(aborted, { ...ctx, canceled: true }).kind).toBe('canceled');
    expect(toPrometheusError(aborted, { ...ctx, canceled: true }).message).toBe('Prometheus query canceled by the caller');
    const late = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(toPrometheusError(late, { ...ctx, timedOut: true }).kind).toBe('timeout');
    expect(toPrometheusError(late, { ...ctx, timedOut: true }).message).toBe('Prometheus at http://prom:9090 did not answer within 1000 ms');
    expect(toPrometheusError(aborted, ctx)).toMatchObject({ kind: 'canceled', message: 'Prometheus query canceled' });
  });

  it('maps Prometheus API errors by errorType', () => {
    const bad = toPrometheusError(new HttpAnswerError(400, { status: 'error', errorType: 'bad_data', error: 'parse error at char 5' }), ctx);
    expect(bad).toMatchObject({ kind: 'bad_data', status: 400, message: 'Prometheus rejected the query: parse error at char 5' });
    const exec = toPrometheusError(
      new HttpAnswerError(422, { status: 'error', errorType: 'execution', error: 'query processing would load too many samples' }),
      ctx,
    );
    expect(exec).toMatchObject({
      kind: 'http',
      status: 422,
      message: 'Prometheus answered HTTP 422 (execution): query processing would load too many samples',
    });
    const slow = toPrometheusError(new HttpAnswerError(503, { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' }), ctx);
    expect(slow).toMatchObject({ kind: 'timeout', status: 503, message: 'Prometheus query timed out: query timed out in expression evaluation' });
    const slowUntyped = toPrometheusError(new HttpAnswerError(503, { status: 'error', error: 'query timed out' }), ctx);
    expect(slowUntyped.kind).toBe('timeout');
  });

  it('maps non-API bodies by status', () => {
    const e = toPrometheusError(new HttpAnswerError(401, undefined), ctx);
    expect(e).toMatchObject({ kind: 'http', status: 401, message: 'Prometheus at http://prom:9090 answered HTTP 401 without a Prometheus API body' });
    // redirects are not followed: a 3xx is an answer without an API body
    expect(toPrometheusError(new HttpAnswerError(302, undefined), ctx)).toMatchObject({ kind: 'http', status: 302 });
    expect(toPrometheusError(new NotApiError(200), ctx)).toMatchObject({
      kind: 'bad_data',
      message: 'Prometheus at http://prom:9090 answered something that is not the Prometheus API',
    });
  });

  it('maps an oversized answer to bad_data naming PROMETHEUS_MAX_RESPONSE_MB', () => {
    const e = toPrometheusError(new ResponseTooLargeError(128 * 1024 * 1024), { ...ctx, maxResponseBytes: 128 * 1024 * 1024 });
    expect(e).toMatchObject({
      kind: 'bad_data',
      message: 'Prometheus answer larger than 128 MB (PROMETHEUS_MAX_RESPONSE_MB): narrow the namespaces or window',
    });
  });

  it('maps thrown Errors and strings to bad_data', () => {
    expect(toPrometheusError(new BadDataError('expected a vector result, got "scalar"'), ctx)).toMatchObject({
      kind: 'bad_data',
      message: 'unexpected answer from Prometheus: expected a vector result, got "scalar"',
    });
    expect(toPrometheusError(new Error('Wrong value format'), ctx).kind).toBe('bad_data');
    expect(toPrometheusError('Endpoint is required', ctx).message).toBe('unexpected Prometheus client failure: Endpoint is required');
  });

  it('passes a PrometheusError through', () => {
    const e = new PrometheusError('timeout', 'x');
    expect(toPrometheusError(e, { ...ctx, canceled: true })).toBe(e);
  });
});

describe('safeEndpoint', () => {
  it('strips credentials from URLs', () => {
    expect(safeEndpoint('https://user:secret@prom:9090/')).toBe('https://prom:9090');
  });
});

// Pure: the transport's rejections (lib/prometheus/transport.ts) → a typed PrometheusError.
import { safeCause } from '@/lib/security/redact';
import { BadDataError } from './parse';

// What lib/prometheus/transport.ts rejects with besides Node network errors and abort reasons.

/** Non-2xx answer; `body` is the parsed Prometheus API JSON when the answer was one. */
export class HttpAnswerError extends Error {
  readonly status: number;
  readonly body?: { status: string; errorType?: string; error?: string };
  constructor(status: number, body: { status: string; errorType?: string; error?: string } | undefined) {
    super(`HTTP ${status}`);
    this.name = 'HttpAnswerError';
    this.status = status;
    if (body) this.body = body;
  }
}

/** The body (decoded) grew past the configured cap; the request was aborted. */
export class ResponseTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`response body exceeded ${limit} bytes`);
    this.name = 'ResponseTooLargeError';
    this.limit = limit;
  }
}

/** A 2xx answer that is not the Prometheus API JSON (`{status: …}`). */
export class NotApiError extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`HTTP ${status} body is not the Prometheus API`);
    this.name = 'NotApiError';
    this.status = status;
  }
}

export type PrometheusErrorKind = 'timeout' | 'unreachable' | 'http' | 'bad_data' | 'canceled';

export class PrometheusError extends Error {
  readonly kind: PrometheusErrorKind;
  readonly status?: number;
  /**
   * `cause` is reduced to its diagnostic fields (lib/security/redact.ts safeCause): whatever the transport
   * or a future one rejects with must not carry the Authorization header into logs, and an Error's cause
   * is printed whenever the error is logged.
   */
  constructor(kind: PrometheusErrorKind, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: safeCause(options.cause) });
    this.name = 'PrometheusError';
    this.kind = kind;
    if (options.status !== undefined) this.status = options.status;
  }
}

export interface ErrorContext {
  /** The caller's signal was aborted (client went away). */
  canceled: boolean;
  /** Our own deadline fired. */
  timedOut: boolean;
  timeoutMs: number;
  /** The client's response size cap, for the message when it is exceeded. */
  maxResponseBytes?: number;
  /** Endpoint, for messages (no credentials: the URL never carries them, config rejects none but we strip userinfo). */
  endpoint: string;
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' && x.length > 0 ? x : undefined;
}

/** Keeps messages short and single-line: they end up in warnings shown in the UI. */
function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 300 ? `${one.slice(0, 297)}...` : one;
}

export function safeEndpoint(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '<invalid url>';
  }
}

function tooLarge(ctx: ErrorContext, raw: unknown): PrometheusError {
  const limit = ctx.maxResponseBytes ?? (raw instanceof ResponseTooLargeError ? raw.limit : undefined);
  const mb = limit !== undefined ? `${Math.round(limit / 1024 / 1024)} MB` : 'the configured size';
  return new PrometheusError('bad_data', `Prometheus answer larger than ${mb} (PROMETHEUS_MAX_RESPONSE_MB): narrow the namespaces or window`, { cause: raw });
}

/** A non-2xx answer (or a 2xx with status "error"): Prometheus' errorType decides the kind. */
function httpAnswer(raw: HttpAnswerError, ctx: ErrorContext): PrometheusError {
  const status = raw.status;
  const cause = { name: raw.name, status, errorType: raw.body?.errorType, error: raw.body?.error };
  if (!raw.body) {
    // A response that is not the Prometheus API JSON (HTML from a proxy, 401 from an auth gateway, a redirect…).
    return new PrometheusError('http', `Prometheus at ${ctx.endpoint} answered HTTP ${status} without a Prometheus API body`, { status, cause });
  }
  const promType = str(raw.body.errorType);
  const message = str(raw.body.error) ?? promType ?? `HTTP ${status}`;
  if (promType === 'timeout' || (status === 503 && /timed? ?out/i.test(message))) {
    return new PrometheusError('timeout', clip(`Prometheus query timed out: ${message}`), { status, cause });
  }
  if (promType === 'bad_data') return new PrometheusError('bad_data', clip(`Prometheus rejected the query: ${message}`), { status, cause });
  return new PrometheusError('http', clip(`Prometheus answered HTTP ${status}${promType ? ` (${promType})` : ''}: ${message}`), { status, cause });
}

/** A Node network/TLS error's message (AggregateError from multi-address connects has an empty one). */
function networkMessage(raw: Error): string {
  if (raw.message) return raw.message;
  const inner = (raw as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner[0] instanceof Error) return inner[0].message;
  return 'network error';
}

/**
 * Maps anything the transport rejects with (lib/prometheus/transport.ts errors, Node network and TLS
 * errors, the signal's abort reason) or a reshape throws to a PrometheusError.
 */
export function toPrometheusError(raw: unknown, ctx: ErrorContext): PrometheusError {
  if (raw instanceof PrometheusError) return raw;
  if (ctx.canceled) return new PrometheusError('canceled', 'Prometheus query canceled by the caller', { cause: raw });
  if (ctx.timedOut) {
    return new PrometheusError('timeout', `Prometheus at ${ctx.endpoint} did not answer within ${ctx.timeoutMs} ms`, { cause: raw });
  }
  if (raw instanceof ResponseTooLargeError) return tooLarge(ctx, raw);
  if (raw instanceof HttpAnswerError) return httpAnswer(raw, ctx);
  if (raw instanceof NotApiError) {
    return new PrometheusError('bad_data', `Prometheus at ${ctx.endpoint} answered something that is not the Prometheus API`, { cause: raw });
  }
  if (raw instanceof BadDataError) return new PrometheusError('bad_data', `unexpected answer from Prometheus: ${clip(raw.message)}`, { cause: raw });
  if (raw instanceof Error && (raw.name === 'AbortError' || raw.name === 'TimeoutError')) {
    // The signal fired but neither flag was set (a signal aborted elsewhere): a cancellation.
    return new PrometheusError('canceled', 'Prometheus query canceled', { cause: raw });
  }
  if (raw instanceof Error && typeof (raw as { code?: unknown }).code === 'string') {
    // ECONNREFUSED, ECONNRESET, ENOTFOUND, certificate errors (DEPTH_ZERO_SELF_SIGNED_CERT, ERR_SSL_…).
    const code = (raw as unknown as { code: string }).code;
    return new PrometheusError('unreachable', clip(`Prometheus at ${ctx.endpoint} unreachable: ${code} ${networkMessage(raw)}`), { cause: raw });
  }
  if (raw instanceof Error) return new PrometheusError('bad_data', clip(`unexpected answer from Prometheus: ${raw.message}`), { cause: raw });
  return new PrometheusError('bad_data', clip(`unexpected Prometheus client failure: ${String(raw)}`), { cause: raw });
}

// Pure: prometheus-query's plain-object rejections → a typed PrometheusError.
import { safeCause } from '@/lib/security/redact';
import { BadDataError } from './parse';

export type PrometheusErrorKind = 'timeout' | 'unreachable' | 'http' | 'bad_data' | 'canceled';

export class PrometheusError extends Error {
  readonly kind: PrometheusErrorKind;
  readonly status?: number;
  /**
   * `cause` is reduced to its diagnostic fields (lib/security/redact.ts safeCause): prometheus-query
   * rejects with axios errors whose request config holds the Authorization header and the basic-auth
   * password, and an Error's cause is printed whenever the error is logged.
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
  /** HTTP status seen by the response interceptor, when a response arrived. */
  status?: number;
  /** The client's response size cap, for the message when it is exceeded. */
  maxResponseBytes?: number;
  /** Endpoint, for messages (no credentials: the URL never carries them, config rejects none but we strip userinfo). */
  endpoint: string;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
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

/** Maps anything thrown by PrometheusDriver (plain objects, Errors, strings) to a PrometheusError. */
export function toPrometheusError(raw: unknown, ctx: ErrorContext): PrometheusError {
  if (raw instanceof PrometheusError) return raw;
  if (ctx.canceled) return new PrometheusError('canceled', 'Prometheus query canceled by the caller', { cause: raw });
  if (ctx.timedOut) {
    return new PrometheusError('timeout', `Prometheus at ${ctx.endpoint} did not answer within ${ctx.timeoutMs} ms`, { cause: raw });
  }
  if (/maxContentLength size of -?\d+ exceeded/.test(JSON.stringify(safeCause(raw) ?? {}))) {
    const mb = ctx.maxResponseBytes !== undefined ? `${Math.round(ctx.maxResponseBytes / 1024 / 1024)} MB` : 'the configured size';
    return new PrometheusError('bad_data', `Prometheus answer larger than ${mb} (PROMETHEUS_MAX_RESPONSE_MB): narrow the namespaces or window`, { cause: raw });
  }
  if (raw instanceof BadDataError) return new PrometheusError('bad_data', `unexpected answer from Prometheus: ${clip(raw.message)}`, { cause: raw });
  if (isRecord(raw) && raw.status === 'error' && typeof raw.errorType === 'string') {
    const errorType = raw.errorType;
    const message = str(raw.error) ?? errorType;
    const code = str(raw.code);
    switch (errorType) {
      case 'timeout_error':
        return new PrometheusError('timeout', `Prometheus at ${ctx.endpoint} did not answer within ${ctx.timeoutMs} ms`, { cause: raw });
      case 'network_error':
      case 'ssl_error': {
        if (code === 'ERR_CANCELED') return new PrometheusError('canceled', 'Prometheus query canceled', { cause: raw });
        return new PrometheusError('unreachable', clip(`Prometheus at ${ctx.endpoint} unreachable: ${code ? `${code} ` : ''}${message}`), { cause: raw });
      }
      case 'http_error': {
        const status = typeof raw.httpStatus === 'number' ? raw.httpStatus : ctx.status;
        const prom = isRecord(raw.prometheus) ? raw.prometheus : undefined;
        const promType = prom ? str(prom.errorType) : undefined;
        const opts = status === undefined ? { cause: raw } : { status, cause: raw };
        if (promType === 'timeout' || (status === 503 && /timed? ?out/i.test(message))) {
          return new PrometheusError('timeout', clip(`Prometheus query timed out: ${message}`), opts);
        }
        if (promType === 'bad_data') return new PrometheusError('bad_data', clip(`Prometheus rejected the query: ${message}`), opts);
        return new PrometheusError('http', clip(`Prometheus answered HTTP ${status ?? '?'}${promType ? ` (${promType})` : ''}: ${message}`), opts);
      }
      case 'client_error': {
        // A response that is not the Prometheus API JSON (HTML from a proxy, 401 from an auth gateway…).
        if (ctx.status !== undefined && ctx.status >= 400) {
          return new PrometheusError('http', `Prometheus at ${ctx.endpoint} answered HTTP ${ctx.status} without a Prometheus API body`, {
            status: ctx.status,
            cause: raw,
          });
        }
        return new PrometheusError('bad_data', `Prometheus at ${ctx.endpoint} answered something that is not the Prometheus API`, { cause: raw });
      }
      default:
        return new PrometheusError('bad_data', clip(`Prometheus client error (${errorType}): ${message}`), { cause: raw });
    }
  }
  if (raw instanceof Error) return new PrometheusError('bad_data', clip(`unexpected answer from Prometheus: ${raw.message}`), { cause: raw });
  return new PrometheusError('bad_data', clip(`unexpected Prometheus client failure: ${String(raw)}`), { cause: raw });
}

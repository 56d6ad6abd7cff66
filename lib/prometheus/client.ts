import 'server-only';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import { getConfig } from '@/lib/config/env';
import { DEFAULT_PROMETHEUS_MAX_RESPONSE_MB, type PrometheusConfig } from '@/lib/config/parse';
import { PrometheusError, safeEndpoint, toPrometheusError } from './errors';
import { apiRequest, type ApiResponse } from './transport';
import { reshapeMatrix, reshapeVector, type PromSample, type PromSeries } from './parse';

export { PrometheusError } from './errors';
export type { PrometheusErrorKind } from './errors';

/** Secrets given as files are re-read at most this often (projected tokens rotate hourly). */
const SECRET_FILE_TTL_MS = 60_000;

interface QueryOptions {
  signal?: AbortSignal;
  /** Overrides the configured timeout for this call. */
  timeoutMs?: number;
}

interface InstantResult {
  samples: PromSample[];
  /** Warnings returned by the engine (e.g. partial responses from Thanos). */
  warnings: string[];
}

interface RangeResult {
  series: PromSeries[];
  warnings: string[];
}

interface ProbeResult {
  ok: boolean;
  url: string;
  version?: string;
  error?: string;
  kind?: PrometheusError['kind'];
}

type Credentials = Record<string, string>;

/**
 * Accept-Encoding sent to Prometheus. identity: measured on the 200-namespace bench Prometheus over
 * loopback (docs/engineering.md B6), gzip cost Prometheus compression and us decompression for no gain;
 * gzip/deflate answers are still decoded.
 */
const DEFAULT_ACCEPT_ENCODING = 'identity';

/**
 * Prometheus HTTP API client over node:http/node:https (lib/prometheus/transport.ts; docs/engineering.md B6):
 * keep-alive agents, POST forms, the caller's AbortSignal merged with a deadline, no redirects, a streamed
 * size cap; rejections become PrometheusError.
 */
export class PrometheusClient {
  readonly endpoint: string;
  readonly timeoutMs: number;
  /** Metric-name prefix from the configuration ("" = raw Istio metrics). */
  readonly metricPrefix: string;
  /** Largest (decoded) response body accepted, enforced while streaming; PROMETHEUS_MAX_RESPONSE_MB. */
  readonly maxResponseBytes: number;
  private readonly cfg: PrometheusConfig;
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly acceptEncoding: 'identity' | 'gzip';
  private secretCache?: { at: number; creds: Credentials };

  /** `acceptEncoding` exists for the bench's gzip/identity comparison; the app uses the default. */
  constructor(cfg: PrometheusConfig, opts: { acceptEncoding?: 'identity' | 'gzip' } = {}) {
    this.cfg = cfg;
    this.acceptEncoding = opts.acceptEncoding ?? DEFAULT_ACCEPT_ENCODING;
    this.endpoint = cfg.url.replace(/\/+$/, '');
    this.timeoutMs = cfg.timeoutMs;
    this.metricPrefix = cfg.metricPrefix;
    this.maxResponseBytes = cfg.maxResponseBytes ?? DEFAULT_PROMETHEUS_MAX_RESPONSE_MB * 1024 * 1024;
    this.base = new URL(this.endpoint);
    // The URL's user-info is never sent (safeEndpoint strips it from messages; auth comes from the config).
    this.base.username = '';
    this.base.password = '';
    this.agent = this.endpoint.startsWith('https:')
      ? new https.Agent({ keepAlive: true, rejectUnauthorized: !cfg.tlsSkipVerify, ...(cfg.caFile ? { ca: readFileSync(cfg.caFile) } : {}) })
      : new http.Agent({ keepAlive: true });
  }

  /** Authorization header: bearer token (inline or file) or basic auth (sent when user and password are non-empty, as before). */
  private credentials(): Credentials {
    const now = Date.now();
    if (this.secretCache && now - this.secretCache.at < SECRET_FILE_TTL_MS) return this.secretCache.creds;
    const headers: Credentials = {};
    const token = this.cfg.bearerToken ?? (this.cfg.bearerTokenFile ? readFileSync(this.cfg.bearerTokenFile, 'utf8').trim() : undefined);
    if (token) headers.Authorization = `Bearer ${token}`;
    const basic = this.cfg.basicAuth;
    if (basic) {
      const password = basic.password ?? (basic.passwordFile ? readFileSync(basic.passwordFile, 'utf8').replace(/\r?\n$/, '') : '');
      if (basic.username && password) headers.Authorization = `Basic ${Buffer.from(`${basic.username}:${password}`, 'utf8').toString('base64')}`;
    }
    this.secretCache = { at: now, creds: headers };
    return headers;
  }

  /** One API call with the caller's signal merged with the deadline; maps every failure to PrometheusError. */
  private async call(opts: QueryOptions, path: string, form?: Record<string, string>): Promise<ApiResponse> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    if (opts.signal?.aborted) throw new PrometheusError('canceled', 'Prometheus query canceled by the caller');
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
    let headers: Credentials;
    try {
      headers = this.credentials();
    } catch (e) {
      throw new PrometheusError('unreachable', `cannot read Prometheus credentials: ${(e as Error).message}`, { cause: e });
    }
    // Prometheus' own evaluation timeout, a little under ours so the server gives up first.
    const serverTimeout = `${Math.max(1, Math.floor((timeoutMs * 0.9) / 1000))}s`;
    try {
      return await apiRequest(this.base, this.agent, this.acceptEncoding, {
        path,
        ...(form ? { form: { ...form, timeout: serverTimeout } } : {}),
        headers,
        signal,
        maxResponseBytes: this.maxResponseBytes,
      });
    } catch (e) {
      throw toPrometheusError(e, {
        canceled: opts.signal?.aborted === true,
        timedOut: deadline.aborted && opts.signal?.aborted !== true,
        timeoutMs,
        maxResponseBytes: this.maxResponseBytes,
        endpoint: safeEndpoint(this.endpoint),
      });
    }
  }

  /** Reshapes an answer; a wrong shape becomes bad_data like any other failure. */
  private reshape<T>(res: ApiResponse, fn: (data: unknown) => T, timeoutMs: number): T {
    try {
      return fn(res.data);
    } catch (e) {
      throw toPrometheusError(e, { canceled: false, timedOut: false, timeoutMs, endpoint: safeEndpoint(this.endpoint) });
    }
  }

  /** Instant query evaluated at `time` (default now); the result must be a vector. */
  async instantQuery(query: string, time?: Date, opts: QueryOptions = {}): Promise<InstantResult> {
    const t = (time ?? new Date()).getTime() / 1000;
    const res = await this.call(opts, '/api/v1/query', { query, time: String(t) });
    return { samples: this.reshape(res, reshapeVector, opts.timeoutMs ?? this.timeoutMs), warnings: res.warnings };
  }

  /** Range query; start/end in unix seconds, step in seconds. */
  async rangeQuery(query: string, start: number, end: number, step: number, opts: QueryOptions = {}): Promise<RangeResult> {
    const res = await this.call(opts, '/api/v1/query_range', { query, start: String(start), end: String(end), step: String(step) });
    return { series: this.reshape(res, reshapeMatrix, opts.timeoutMs ?? this.timeoutMs), warnings: res.warnings };
  }

  /**
   * Reachability for /api/healthz: status/buildinfo (Prometheus, Thanos, Mimir, VictoriaMetrics), falling
   * back to evaluating `vector(1)` on engines without that endpoint. Never throws.
   */
  async probe(opts: QueryOptions = {}): Promise<ProbeResult> {
    const url = safeEndpoint(this.endpoint);
    try {
      const { data: value } = await this.call(opts, '/api/v1/status/buildinfo');
      const version =
        typeof value === 'object' && value !== null && typeof (value as { version?: unknown }).version === 'string'
          ? (value as { version: string }).version
          : undefined;
      return version ? { ok: true, url, version } : { ok: true, url };
    } catch (e) {
      const err = e as PrometheusError;
      if (err.kind !== 'http' && err.kind !== 'bad_data') return { ok: false, url, error: err.message, kind: err.kind };
      try {
        const r = await this.instantQuery('vector(1)', undefined, opts);
        return r.samples.length === 1 ? { ok: true, url } : { ok: false, url, error: 'vector(1) returned no sample', kind: 'bad_data' };
      } catch (e2) {
        const err2 = e2 as PrometheusError;
        return { ok: false, url, error: err2.message, kind: err2.kind };
      }
    }
  }
}

const CLIENT_KEY = Symbol.for('meshglass.prometheusClient');
type ClientStore = Record<symbol, { key: string; client: PrometheusClient } | undefined>;

/**
 * One client per process and configuration (keeps the keep-alive agent across requests and HMR).
 * Without an argument, the validated process configuration (getConfig) is used.
 */
export function getPrometheusClient(cfg: PrometheusConfig = getConfig().prometheus): PrometheusClient {
  const store = globalThis as unknown as ClientStore;
  const key = JSON.stringify(cfg);
  const cur = store[CLIENT_KEY];
  if (cur && cur.key === key) return cur.client;
  const client = new PrometheusClient(cfg);
  store[CLIENT_KEY] = { key, client };
  return client;
}

import 'server-only';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import { PrometheusDriver, type PrometheusConnectionOptions } from 'prometheus-query';
import { getConfig } from '@/lib/config/env';
import { DEFAULT_PROMETHEUS_MAX_RESPONSE_MB, type PrometheusConfig } from '@/lib/config/parse';
import { PrometheusError, safeEndpoint, toPrometheusError } from './errors';
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

type Credentials = { headers: Record<string, string>; auth?: { username: string; password: string } };

/**
 * Prometheus HTTP API client over prometheus-query. One cheap PrometheusDriver per call, so every call
 * carries the caller's AbortSignal merged with a deadline (the 3.5.1 API has no signal parameter;
 * docs/engineering.md B6), and rejections become PrometheusError.
 */
export class PrometheusClient {
  readonly endpoint: string;
  readonly timeoutMs: number;
  /** Metric-name prefix from the configuration ("" = raw Istio metrics). */
  readonly metricPrefix: string;
  /** Largest response body accepted (axios maxContentLength); PROMETHEUS_MAX_RESPONSE_MB. */
  readonly maxResponseBytes: number;
  private readonly cfg: PrometheusConfig;
  private readonly httpsAgent?: https.Agent;
  private readonly httpAgent?: http.Agent;
  private secretCache?: { at: number; creds: Credentials };

  constructor(cfg: PrometheusConfig) {
    this.cfg = cfg;
    this.endpoint = cfg.url.replace(/\/+$/, '');
    this.timeoutMs = cfg.timeoutMs;
    this.metricPrefix = cfg.metricPrefix;
    this.maxResponseBytes = cfg.maxResponseBytes ?? DEFAULT_PROMETHEUS_MAX_RESPONSE_MB * 1024 * 1024;
    if (this.endpoint.startsWith('https:')) {
      this.httpsAgent = new https.Agent({
        keepAlive: true,
        rejectUnauthorized: !cfg.tlsSkipVerify,
        ...(cfg.caFile ? { ca: readFileSync(cfg.caFile) } : {}),
      });
    } else {
      this.httpAgent = new http.Agent({ keepAlive: true });
    }
  }

  private credentials(): Credentials {
    const now = Date.now();
    if (this.secretCache && now - this.secretCache.at < SECRET_FILE_TTL_MS) return this.secretCache.creds;
    const headers: Record<string, string> = {};
    let auth: Credentials['auth'];
    const token = this.cfg.bearerToken ?? (this.cfg.bearerTokenFile ? readFileSync(this.cfg.bearerTokenFile, 'utf8').trim() : undefined);
    if (token) headers.Authorization = `Bearer ${token}`;
    const basic = this.cfg.basicAuth;
    if (basic) {
      const password = basic.password ?? (basic.passwordFile ? readFileSync(basic.passwordFile, 'utf8').replace(/\r?\n$/, '') : '');
      auth = { username: basic.username, password };
    }
    const creds: Credentials = auth ? { headers, auth } : { headers };
    this.secretCache = { at: now, creds };
    return creds;
  }

  /**
   * Runs fn with a driver bound to a merged signal; maps every failure to PrometheusError.
   * With `reshape`, a successful answer's `data` is reshaped as soon as axios has parsed it, and the driver
   * is handed an empty result of the same type: the parsed body becomes garbage at once and prometheus-query
   * does not copy it into its own classes (a Metric with a label copy, a SampleValue and a Date per series).
   * On the whole mesh that is ~140k series, the largest share of a graph request's heap peak
   * (docs/engineering.md B7).
   */
  private async call<T>(
    opts: QueryOptions,
    fn: (driver: PrometheusDriver, serverTimeout: string) => Promise<unknown>,
    reshape?: (data: unknown) => T,
  ): Promise<{ value: T; warnings: string[] }> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    if (opts.signal?.aborted) throw new PrometheusError('canceled', 'Prometheus query canceled by the caller');
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
    let status: number | undefined;
    const warnings: string[] = [];
    const record = (res: { status?: number; data?: unknown } | undefined) => {
      if (!res) return;
      status = res.status;
      const data = res.data as { warnings?: unknown } | undefined;
      if (data && Array.isArray(data.warnings)) for (const w of data.warnings) if (typeof w === 'string') warnings.push(w);
    };
    let early: { value: T } | { error: unknown } | undefined;
    const reshapeEarly = (res: { data?: unknown }) => {
      const body = res.data as { status?: unknown; data?: unknown } | undefined;
      if (!reshape || !body || body.status !== 'success' || typeof body.data !== 'object' || body.data === null) return;
      try {
        early = { value: reshape(body.data) };
      } catch (error) {
        early = { error };
      }
      const resultType = (body.data as { resultType?: unknown }).resultType;
      body.data = { resultType, result: resultType === 'vector' || resultType === 'matrix' ? [] : (body.data as { result?: unknown }).result };
    };
    let creds: Credentials;
    try {
      creds = this.credentials();
    } catch (e) {
      throw new PrometheusError('unreachable', `cannot read Prometheus credentials: ${(e as Error).message}`, { cause: e });
    }
    const options: PrometheusConnectionOptions = {
      endpoint: this.endpoint,
      baseURL: '/api/v1/',
      headers: creds.headers,
      ...(creds.auth ? { auth: creds.auth } : {}),
      // Our AbortSignal deadline fires first; axios' own timeout is a backstop.
      timeout: timeoutMs + 1000,
      preferPost: true,
      requestInterceptor: {
        onFulfilled: (config) => {
          config.signal = signal;
          if (this.httpsAgent) config.httpsAgent = this.httpsAgent;
          if (this.httpAgent) config.httpAgent = this.httpAgent;
          // Never follow redirects with credentials to another host; Prometheus does not redirect its API.
          config.maxRedirects = 0;
          // A runaway answer (label explosion, a wrong endpoint streaming) fails instead of filling the heap.
          config.maxContentLength = this.maxResponseBytes;
          return config;
        },
      },
      responseInterceptor: {
        onFulfilled: (res) => {
          record(res);
          reshapeEarly(res);
          return res;
        },
        onRejected: (err: unknown) => {
          record((err as { response?: { status?: number; data?: unknown } })?.response);
          return Promise.reject(err);
        },
      },
    };
    const driver = new PrometheusDriver(options);
    // Prometheus' own evaluation timeout, a little under ours so the server gives up first.
    const serverTimeout = `${Math.max(1, Math.floor((timeoutMs * 0.9) / 1000))}s`;
    try {
      const answer = await fn(driver, serverTimeout);
      if (early && 'error' in early) throw early.error;
      return { value: early ? early.value : reshape ? reshape(answer) : (answer as T), warnings };
    } catch (e) {
      if (early && 'error' in early) e = early.error;
      throw toPrometheusError(e, {
        canceled: opts.signal?.aborted === true,
        timedOut: deadline.aborted && opts.signal?.aborted !== true,
        timeoutMs,
        maxResponseBytes: this.maxResponseBytes,
        endpoint: safeEndpoint(this.endpoint),
        ...(status !== undefined ? { status } : {}),
      });
    }
  }

  /** Instant query evaluated at `time` (default now); the result must be a vector. */
  async instantQuery(query: string, time?: Date, opts: QueryOptions = {}): Promise<InstantResult> {
    const { value, warnings } = await this.call(opts, (d, serverTimeout) => d.instantQuery(query, time ?? new Date(), serverTimeout), reshapeVector);
    return { samples: value, warnings };
  }

  /** Range query; start/end in unix seconds, step in seconds. */
  async rangeQuery(query: string, start: number, end: number, step: number, opts: QueryOptions = {}): Promise<RangeResult> {
    const { value, warnings } = await this.call(opts, (d, serverTimeout) => d.rangeQuery(query, start * 1000, end * 1000, step, serverTimeout), reshapeMatrix);
    return { series: value, warnings };
  }

  /**
   * Reachability for /api/healthz: status/buildinfo (Prometheus, Thanos, Mimir, VictoriaMetrics), falling
   * back to evaluating `vector(1)` on engines without that endpoint. Never throws.
   */
  async probe(opts: QueryOptions = {}): Promise<ProbeResult> {
    const url = safeEndpoint(this.endpoint);
    try {
      const { value } = await this.call<unknown>(opts, (d) => d.statusBuildinfo() as Promise<unknown>);
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

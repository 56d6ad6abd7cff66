// Pure configuration parsing (no I/O unless a readFile function is passed in).
// lib/config/env.ts wraps it with process.env, file reading and a per-process cache.
import { z } from 'zod';
import { CLUSTER_NAME } from '@/lib/api/scope';
import { AUTH_VARIABLES } from '@/lib/security/auth-config';

/** Limits with a reason (docs/engineering.md A6.10). */
/** A query that takes longer than 5 minutes is not an interactive dashboard any more. */
export const MAX_TIMEOUT_MS = 300_000;
/** Anything below 100 ms fails on any real network round trip. */
export const MIN_TIMEOUT_MS = 100;
/**
 * Default cap on one Prometheus response: the 2,000-workload benchmark mesh (bench/results.md) answers
 * well below this; a runaway query (a label explosion) fails instead of filling the heap.
 */
export const DEFAULT_PROMETHEUS_MAX_RESPONSE_MB = 128;
/** Default concurrent upstream runs: 2 cores serve about this many graph builds at once without queueing. */
export const DEFAULT_MAX_CONCURRENT_UPSTREAM = 4;
/** Default requests per minute per client: a dashboard polls a few endpoints every few seconds. */
export const DEFAULT_CLIENT_RATE_PER_MINUTE = 240;

export interface BasicAuth {
  username: string;
  /** Set when given inline (PROMETHEUS_BASIC_AUTH_PASSWORD). */
  password?: string;
  /** Set when given as a file (PROMETHEUS_BASIC_AUTH_PASSWORD_FILE); re-read by the client so rotated secrets work. */
  passwordFile?: string;
}

export interface PrometheusConfig {
  url: string;
  timeoutMs: number;
  bearerToken?: string;
  /** Re-read by the client (projected service-account tokens rotate). */
  bearerTokenFile?: string;
  basicAuth?: BasicAuth;
  caFile?: string;
  tlsSkipVerify: boolean;
  /** Prepended to every Istio metric name, e.g. "workload:" for recording rules. "" = raw metrics. */
  metricPrefix: string;
  /** Largest Prometheus response body accepted (decoded, checked while streaming); bigger answers fail as bad_data. */
  maxResponseBytes?: number;
}

/** Overload limits (lib/server/limits.ts, docs/deploy.md "Limits"). */
export interface LimitSettings {
  /** Upstream runs (graph builds, series requests) at the same time, process-wide; beyond → 429. */
  maxConcurrentUpstream: number;
  /** API requests per minute per client (session, proxy user, or address); beyond → 429. */
  clientRatePerMinute: number;
}

export interface KubeContextSetting {
  /** kubeconfig context name. */
  context: string;
  /** Cluster name as in Istio's source_cluster/destination_cluster labels. */
  cluster: string;
  /** True when the entry named the cluster (context=name); else the context name stands in until the cluster says its name. */
  explicit?: boolean;
}

export interface KubeSettings {
  timeoutMs: number;
  /** kubeconfig context to use instead of the current one. */
  context?: string;
  /** KUBE_CONTEXTS: one informer cache per context (multi-cluster). Absent = one cluster (context/clusterName). */
  contexts?: KubeContextSetting[];
}

export interface AppConfig {
  prometheus: PrometheusConfig;
  kube: KubeSettings;
  istioNamespace: string;
  clusterName: string;
  /** True when MESH_CLUSTER_NAME set clusterName (an override); else the cluster's CLUSTER_ID is learnt (lib/mesh/cluster-name.ts). */
  clusterNameExplicit?: boolean;
  grafanaUrl?: string;
  /** TRACING_URL / TRACING_KIND / TRACING_GRAFANA_DATASOURCE: where the side panel's trace links point (lib/graph/traces.ts). */
  tracing?: TracingSettings;
  port?: number;
  limits: LimitSettings;
}

export const TRACING_KINDS = ['jaeger', 'tempo', 'zipkin'] as const;
export type TracingKind = (typeof TRACING_KINDS)[number];

/** Public (no secret): the UI builds the links. */
export interface TracingSettings {
  kind: TracingKind;
  /** Jaeger UI, Zipkin UI (…/zipkin), or for tempo the Grafana base URL; no trailing slash. */
  url: string;
  /** tempo only: the uid of Grafana's Tempo data source (Explore opens it). */
  grafanaDatasource?: string;
}

export type ParseConfigResult = { ok: true; config: AppConfig } | { ok: false; error: string };

export interface ParseConfigOptions {
  /** When given, *_FILE variables are checked for readability at parse time (getConfig passes fs). */
  readFile?: (path: string) => string;
}

// Empty strings are treated as unset: `FOO= npm start` is common and means "no value".
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const httpUrl = z
  .string()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL')
  .transform((v) => v.replace(/\/+$/, ''));

const intInRange = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform((v) => Number(v))
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);

const bool = z
  .string()
  .transform((v) => v.toLowerCase())
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'must be true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

// A PromQL metric-name prefix: the characters allowed in metric names ([a-zA-Z_:][a-zA-Z0-9_:]*).
const metricPrefix = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'must be a metric-name prefix such as "workload:"');

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name (lower-case DNS label)')
  .max(63, 'must be at most 63 characters');

// Cluster names end up in Prometheus label values (escaped) and node ids: printable, bounded.
const clusterName = z
  .string()
  .max(253, 'must be at most 253 characters')
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters');

const tracingKind = z.enum(TRACING_KINDS, { error: 'must be jaeger, tempo or zipkin' });
// Grafana data source uids: letters, digits, "-" and "_", at most 40 characters (Grafana's own rule).
const grafanaUid = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be a Grafana data source uid (letters, digits, - and _, at most 40)');

/** One informer cache per context: more than this many API servers is beyond one dashboard process. */
export const MAX_KUBE_CONTEXTS = 20;

const VARS = [
  'PROMETHEUS_URL',
  'PROMETHEUS_TIMEOUT_MS',
  'PROMETHEUS_BEARER_TOKEN',
  'PROMETHEUS_BEARER_TOKEN_FILE',
  'PROMETHEUS_BASIC_AUTH_USER',
  'PROMETHEUS_BASIC_AUTH_PASSWORD',
  'PROMETHEUS_BASIC_AUTH_PASSWORD_FILE',
  'PROMETHEUS_CA_FILE',
  'PROMETHEUS_TLS_SKIP_VERIFY',
  'PROMETHEUS_METRIC_PREFIX',
  'PROMETHEUS_MAX_RESPONSE_MB',
  'MESHGLASS_MAX_CONCURRENT_UPSTREAM',
  'MESHGLASS_CLIENT_RATE_LIMIT',
  'KUBE_TIMEOUT_MS',
  'KUBE_CONTEXT',
  'KUBE_CONTEXTS',
  'ISTIO_NAMESPACE',
  'MESH_CLUSTER_NAME',
  'GRAFANA_URL',
  'TRACING_URL',
  'TRACING_KIND',
  'TRACING_GRAFANA_DATASOURCE',
  'PORT',
] as const;
type VarName = (typeof VARS)[number];

class VarError extends Error {}

/** Validates one variable; the error message always starts with the variable's name. */
function field<T>(name: VarName, raw: string | undefined, schema: z.ZodType<T, string>, secret = false): T {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const got = secret ? '' : ` (got ${JSON.stringify(truncate(raw ?? ''))})`;
    throw new VarError(`${name} ${issue?.message ?? 'is invalid'}${got}`);
  }
  return r.data;
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * KUBE_CONTEXTS: "ctxA,ctxB=east" → [{context: ctxA, cluster: ctxA}, {context: ctxB, cluster: east}].
 * Context names: no commas, "=", whitespace or control characters; cluster names as CLUSTER_NAME (lib/api/scope.ts).
 */
export function parseKubeContexts(raw: string): KubeContextSetting[] {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new VarError(`KUBE_CONTEXTS has an empty entry (got ${JSON.stringify(truncate(raw))})`);
  if (parts.length > MAX_KUBE_CONTEXTS) throw new VarError(`KUBE_CONTEXTS lists ${parts.length} contexts, at most ${MAX_KUBE_CONTEXTS} are allowed`);
  const out: KubeContextSetting[] = [];
  for (const p of parts) {
    const eq = p.indexOf('=');
    const context = (eq >= 0 ? p.slice(0, eq) : p).trim();
    const cluster = (eq >= 0 ? p.slice(eq + 1) : context).trim();
    if (context === '' || /[\s=\u0000-\u001f\u007f]/.test(context) || context.length > 253) {
      throw new VarError(`KUBE_CONTEXTS entry ${JSON.stringify(truncate(p))} must be "context" or "context=clusterName"`);
    }
    if (!CLUSTER_NAME.test(cluster)) {
      throw new VarError(
        `KUBE_CONTEXTS cluster name ${JSON.stringify(truncate(cluster))} must match [A-Za-z0-9][-A-Za-z0-9_.]{0,62}` +
          (eq >= 0 ? '' : ` (the context name is the default; write "${truncate(context)}=<cluster name as in Istio's source_cluster>")`),
      );
    }
    if (out.some((o) => o.context === context)) throw new VarError(`KUBE_CONTEXTS names context ${JSON.stringify(truncate(context))} twice`);
    if (out.some((o) => o.cluster === cluster)) throw new VarError(`KUBE_CONTEXTS names cluster ${JSON.stringify(truncate(cluster))} twice`);
    out.push({ context, cluster, ...(eq >= 0 ? { explicit: true } : {}) });
  }
  return out;
}

/** Configured cluster names: the KUBE_CONTEXTS clusters, else [MESH_CLUSTER_NAME]. */
export function configuredClusters(config: Pick<AppConfig, 'kube' | 'clusterName'>): string[] {
  return config.kube.contexts ? config.kube.contexts.map((c) => c.cluster) : [config.clusterName];
}

/** TRACING_*: the kind defaults to jaeger; tempo is reached through Grafana Explore and needs the data source uid. */
function parseTracing(urlRaw: string | undefined, kindRaw: string | undefined, dsRaw: string | undefined): TracingSettings | undefined {
  if (urlRaw === undefined) {
    if (kindRaw !== undefined) throw new VarError('TRACING_KIND is set but TRACING_URL is not');
    if (dsRaw !== undefined) throw new VarError('TRACING_GRAFANA_DATASOURCE is set but TRACING_URL is not');
    return undefined;
  }
  const url = field('TRACING_URL', urlRaw, httpUrl);
  const kind = field('TRACING_KIND', kindRaw ?? 'jaeger', tracingKind);
  if (kind === 'tempo') {
    if (dsRaw === undefined)
      throw new VarError('TRACING_GRAFANA_DATASOURCE is required with TRACING_KIND=tempo (the uid of the Tempo data source in the Grafana at TRACING_URL)');
    return { kind, url, grafanaDatasource: field('TRACING_GRAFANA_DATASOURCE', dsRaw, grafanaUid) };
  }
  if (dsRaw !== undefined) throw new VarError(`TRACING_GRAFANA_DATASOURCE applies to TRACING_KIND=tempo only (TRACING_KIND is ${kind})`);
  return { kind, url };
}

function checkReadable(name: VarName, path: string, readFile?: (p: string) => string): string | undefined {
  if (!readFile) return undefined;
  try {
    return readFile(path);
  } catch (e) {
    throw new VarError(`${name} names a file that cannot be read: ${path} (${(e as Error).message})`);
  }
}

/**
 * Parses and validates the environment. Pure unless `options.readFile` is given.
 * Secrets (token, password) never appear in error messages.
 */
export function parseConfig(env: Record<string, string | undefined>, options: ParseConfigOptions = {}): ParseConfigResult {
  try {
    const get = (name: VarName) => optionalString.parse(env[name]);
    const readFile = options.readFile;

    const url = field('PROMETHEUS_URL', get('PROMETHEUS_URL') ?? 'http://127.0.0.1:19090', httpUrl);
    const timeoutMs = field('PROMETHEUS_TIMEOUT_MS', get('PROMETHEUS_TIMEOUT_MS') ?? '30000', intInRange(MIN_TIMEOUT_MS, MAX_TIMEOUT_MS));

    const bearerToken = get('PROMETHEUS_BEARER_TOKEN');
    const bearerTokenFile = get('PROMETHEUS_BEARER_TOKEN_FILE');
    if (bearerToken && bearerTokenFile) {
      throw new VarError('PROMETHEUS_BEARER_TOKEN and PROMETHEUS_BEARER_TOKEN_FILE are both set: use one of them');
    }
    if (bearerToken && /[\r\n]/.test(bearerToken)) {
      throw new VarError('PROMETHEUS_BEARER_TOKEN must not contain line breaks');
    }
    if (bearerTokenFile) checkReadable('PROMETHEUS_BEARER_TOKEN_FILE', bearerTokenFile, readFile);

    const basicUser = get('PROMETHEUS_BASIC_AUTH_USER');
    const basicPassword = env.PROMETHEUS_BASIC_AUTH_PASSWORD === '' ? undefined : env.PROMETHEUS_BASIC_AUTH_PASSWORD;
    const basicPasswordFile = get('PROMETHEUS_BASIC_AUTH_PASSWORD_FILE');
    let basicAuth: BasicAuth | undefined;
    if (basicPassword !== undefined && basicPasswordFile) {
      throw new VarError('PROMETHEUS_BASIC_AUTH_PASSWORD and PROMETHEUS_BASIC_AUTH_PASSWORD_FILE are both set: use one of them');
    }
    if (basicUser) {
      if (basicPassword === undefined && !basicPasswordFile) {
        throw new VarError('PROMETHEUS_BASIC_AUTH_USER is set but neither PROMETHEUS_BASIC_AUTH_PASSWORD nor PROMETHEUS_BASIC_AUTH_PASSWORD_FILE is');
      }
      if (bearerToken || bearerTokenFile) {
        throw new VarError('PROMETHEUS_BASIC_AUTH_USER and PROMETHEUS_BEARER_TOKEN(_FILE) are both set: use one authentication method');
      }
      if (basicPasswordFile) checkReadable('PROMETHEUS_BASIC_AUTH_PASSWORD_FILE', basicPasswordFile, readFile);
      basicAuth = basicPasswordFile ? { username: basicUser, passwordFile: basicPasswordFile } : { username: basicUser, password: basicPassword };
    } else if (basicPassword !== undefined || basicPasswordFile) {
      const which = basicPasswordFile ? 'PROMETHEUS_BASIC_AUTH_PASSWORD_FILE' : 'PROMETHEUS_BASIC_AUTH_PASSWORD';
      throw new VarError(`${which} is set but PROMETHEUS_BASIC_AUTH_USER is not`);
    }

    const caFile = get('PROMETHEUS_CA_FILE');
    if (caFile) checkReadable('PROMETHEUS_CA_FILE', caFile, readFile);
    const tlsSkipVerify = field('PROMETHEUS_TLS_SKIP_VERIFY', get('PROMETHEUS_TLS_SKIP_VERIFY') ?? 'false', bool);
    const prefixRaw = get('PROMETHEUS_METRIC_PREFIX');
    const prefix = prefixRaw === undefined ? '' : field('PROMETHEUS_METRIC_PREFIX', prefixRaw, metricPrefix);

    const kubeTimeoutMs = field('KUBE_TIMEOUT_MS', get('KUBE_TIMEOUT_MS') ?? '5000', intInRange(MIN_TIMEOUT_MS, MAX_TIMEOUT_MS));
    const kubeContext = get('KUBE_CONTEXT');
    const contextsRaw = get('KUBE_CONTEXTS');
    const kubeContexts = contextsRaw === undefined ? undefined : parseKubeContexts(contextsRaw);
    if (kubeContexts && kubeContext) throw new VarError('KUBE_CONTEXT and KUBE_CONTEXTS are both set: use one of them');
    if (kubeContexts && get('MESH_CLUSTER_NAME')) {
      throw new VarError('MESH_CLUSTER_NAME and KUBE_CONTEXTS are both set: give cluster names in KUBE_CONTEXTS as context=clusterName');
    }
    const istioNamespace = field('ISTIO_NAMESPACE', get('ISTIO_NAMESPACE') ?? 'istio-system', dnsLabel);
    const cluster = kubeContexts ? kubeContexts[0]!.cluster : field('MESH_CLUSTER_NAME', get('MESH_CLUSTER_NAME') ?? 'Kubernetes', clusterName);
    const grafanaRaw = get('GRAFANA_URL');
    const grafanaUrl = grafanaRaw === undefined ? undefined : field('GRAFANA_URL', grafanaRaw, httpUrl);
    const tracing = parseTracing(get('TRACING_URL'), get('TRACING_KIND'), get('TRACING_GRAFANA_DATASOURCE'));
    const maxResponseMb = field(
      'PROMETHEUS_MAX_RESPONSE_MB',
      get('PROMETHEUS_MAX_RESPONSE_MB') ?? String(DEFAULT_PROMETHEUS_MAX_RESPONSE_MB),
      intInRange(1, 4096),
    );
    const maxConcurrentUpstream = field(
      'MESHGLASS_MAX_CONCURRENT_UPSTREAM',
      get('MESHGLASS_MAX_CONCURRENT_UPSTREAM') ?? String(DEFAULT_MAX_CONCURRENT_UPSTREAM),
      intInRange(1, 256),
    );
    const clientRatePerMinute = field(
      'MESHGLASS_CLIENT_RATE_LIMIT',
      get('MESHGLASS_CLIENT_RATE_LIMIT') ?? String(DEFAULT_CLIENT_RATE_PER_MINUTE),
      intInRange(1, 1_000_000),
    );
    const portRaw = get('PORT');
    const port = portRaw === undefined ? undefined : field('PORT', portRaw, intInRange(1, 65535));

    const config: AppConfig = {
      prometheus: {
        url,
        timeoutMs,
        tlsSkipVerify,
        metricPrefix: prefix,
        maxResponseBytes: maxResponseMb * 1024 * 1024,
        ...(bearerToken ? { bearerToken } : {}),
        ...(bearerTokenFile ? { bearerTokenFile } : {}),
        ...(basicAuth ? { basicAuth } : {}),
        ...(caFile ? { caFile } : {}),
      },
      kube: { timeoutMs: kubeTimeoutMs, ...(kubeContext ? { context: kubeContext } : {}), ...(kubeContexts ? { contexts: kubeContexts } : {}) },
      istioNamespace,
      clusterName: cluster,
      ...((kubeContexts ? kubeContexts[0]!.explicit : get('MESH_CLUSTER_NAME') !== undefined) ? { clusterNameExplicit: true } : {}),
      ...(grafanaUrl ? { grafanaUrl } : {}),
      ...(tracing ? { tracing } : {}),
      ...(port !== undefined ? { port } : {}),
      limits: { maxConcurrentUpstream, clientRatePerMinute },
    };
    return { ok: true, config };
  } catch (e) {
    if (e instanceof VarError) return { ok: false, error: e.message };
    throw e;
  }
}

/**
 * The variables read, for README tables and diagnostics. The access settings (DASHBOARD_TOKEN, MESHGLASS_AUTH…)
 * are parsed by lib/security/auth-config.ts: only the HTTP server needs them, not the report CLI.
 */
export const CONFIG_VARIABLES: readonly string[] = [...VARS, ...AUTH_VARIABLES];

// Pure PromQL builders. Every value that reaches a query is escaped here; callers pass only values
// they have validated (window lengths, namespaces, edge labels from our own model).
import { EDGE_LABELS, TARGET_LABELS, VERSION_LABELS, type TelemetryMetric } from '@/lib/mesh/types';

/** Istio metric names (docs/istio-telemetry.md §2.1, §2.4). A prefix (e.g. "workload:") selects recording rules. */
const ISTIO_METRICS: Record<TelemetryMetric, string> = {
  requests: 'istio_requests_total',
  requestDurationBucket: 'istio_request_duration_milliseconds_bucket',
  requestDurationSum: 'istio_request_duration_milliseconds_sum',
  tcpOpened: 'istio_tcp_connections_opened_total',
  tcpClosed: 'istio_tcp_connections_closed_total',
  tcpFailed: 'istio_tcp_connections_failed_total',
  tcpSentBytes: 'istio_tcp_sent_bytes_total',
  tcpReceivedBytes: 'istio_tcp_received_bytes_total',
};

/**
 * Labels of the latency query: enough to tie a histogram to an edge and a reporter, without the
 * principals/canonical services/security policy that would multiply the (already ×buckets) series.
 */
const DURATION_LABELS = [
  'reporter',
  'source_cluster',
  'source_workload',
  'source_workload_namespace',
  'destination_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_service',
] as const;

/** Latency histogram parts, queried for histograms with traffic only and with their zero values kept. */
export const HISTOGRAM_METRICS: ReadonlySet<TelemetryMetric> = new Set<TelemetryMetric>(['requestDurationBucket', 'requestDurationSum']);

/**
 * The graph's queries in two parts that can be fetched apart (docs/api.md `omit`): `traffic` gives every
 * node, edge, path, mode, mTLS, rate, error and TCP figure; `latency` only the per-edge percentiles and
 * mean. Latency is the histogram: ~12× the series of the request counter and half of Prometheus' time on a
 * whole mesh (bench/results.md), while a collapsed whole-mesh drawing shows no percentile.
 */
export type GraphQueryPart = 'traffic' | 'latency';
export const GRAPH_QUERY_PARTS: readonly GraphQueryPart[] = ['traffic', 'latency'];

/** The part a metric's query belongs to. */
export function queryPart(metric: TelemetryMetric): GraphQueryPart {
  return HISTOGRAM_METRICS.has(metric) ? 'latency' : 'traffic';
}

/**
 * Metrics whose query also groups by the scrape-target labels (TARGET_LABELS), so reporter attribution
 * (docs/classification.md §3.1 a/b: which scrape targets reported each edge + reporter) comes from the traffic queries
 * themselves: request traffic, new connections, or bytes on connections opened before the window. The
 * caller derives the targets and sums the samples over them (lib/prometheus/parse.ts splitTargets).
 * Bench finding 1(b): a separate attribution query re-evaluated `increase` over these three metrics and
 * cost more Prometheus time than the other queries' extra grouping labels.
 */
const TARGET_METRICS: ReadonlySet<TelemetryMetric> = new Set<TelemetryMetric>(['requests', 'tcpOpened', 'tcpReceivedBytes']);

/** Labels grouped by, per graph query, without the target labels (the contract between queries.ts and lib/mesh). */
export const GRAPH_QUERY_LABELS: Record<TelemetryMetric, readonly string[]> = {
  requests: [...EDGE_LABELS, 'request_protocol', 'response_code', 'grpc_response_status'],
  requestDurationBucket: [...DURATION_LABELS, 'le'],
  requestDurationSum: [...DURATION_LABELS],
  tcpOpened: [...EDGE_LABELS],
  tcpClosed: [...EDGE_LABELS, 'response_flags'],
  tcpFailed: [...EDGE_LABELS, 'response_flags'],
  tcpSentBytes: [...EDGE_LABELS],
  tcpReceivedBytes: [...EDGE_LABELS],
};

/** Namespace labels a restriction looks at: either end of the edge, or the Service that was called. */
const NAMESPACE_FILTER_LABELS = ['source_workload_namespace', 'destination_workload_namespace', 'destination_service_namespace'] as const;

/** Longest window we build a query for: 31 days (Prometheus default retention is 15 d; Thanos goes further). */
export const MAX_WINDOW_SECONDS = 31 * 24 * 3600;
/** A regex alternation of hundreds of namespaces is still one cheap matcher; beyond that, query everything. */
export const MAX_NAMESPACES = 500;
/** Sparkline resolution: about one point per 3 px of a 360 px wide chart. */
const DEFAULT_MAX_POINTS = 120;
/** Prometheus rejects range queries with more than 11,000 points per series (docs/engineering.md B4). */
const PROMETHEUS_MAX_POINTS = 11_000;
/** rate() needs at least 4 scrape intervals of data; 60 s covers the common 15 s scrape interval. */
export const MIN_RATE_WINDOW_SECONDS = 60;
/** Steps are rounded up to one of these (seconds) so consecutive polls share cache-friendly timestamps. */
const NICE_STEPS = [15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400] as const;

/**
 * Escapes a string for a PromQL double-quoted label value: backslash, double quote, line breaks, and
 * U+FFFD / lone surrogates (Prometheus' lexer rejects a raw U+FFFD as "invalid UTF-8 rune"; a lone
 * surrogate has no UTF-8 form and would arrive as U+FFFD), which are written as the escape \ufffd.
 */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n\r\t\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return '\\ufffd';
    }
  });
}

/** Escapes RE2 metacharacters so a value matches itself literally inside `=~` (then escapeLabelValue it). */
export function regexEscape(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** `"a|b"` matcher body (already escaped, with quotes) for a literal alternation. */
export function alternationMatcher(values: readonly string[]): string {
  return `"${escapeLabelValue(values.map(regexEscape).join('|'))}"`;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function metricName(metric: TelemetryMetric, prefix = ''): string {
  const name = `${prefix}${ISTIO_METRICS[metric]}`;
  if (!METRIC_NAME.test(name)) throw new RangeError(`invalid metric name ${JSON.stringify(name)}`);
  return name;
}

function assertWindow(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_WINDOW_SECONDS) {
    throw new RangeError(`window must be a whole number of seconds in 1..${MAX_WINDOW_SECONDS}, got ${seconds}`);
  }
}

function byClause(labels: readonly string[]): string {
  for (const l of labels) if (!LABEL_NAME.test(l)) throw new RangeError(`invalid label name ${JSON.stringify(l)}`);
  return labels.join(', ');
}

export interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  /** Raw value; escaped by the builder. For =~/!~ it is a regex (use alternationMatcher-style escaping upstream). */
  value: string;
}

/** `{a="x", b=~"y"}` with every value escaped; label names validated. */
export function selector(matchers: readonly Matcher[]): string {
  if (matchers.length === 0) return '';
  return `{${matchers
    .map((m) => {
      if (!LABEL_NAME.test(m.label)) throw new RangeError(`invalid label name ${JSON.stringify(m.label)}`);
      return `${m.label}${m.op}"${escapeLabelValue(m.value)}"`;
    })
    .join(', ')}}`;
}

/** Deduplicated, sorted, bounded namespace list; empty = no restriction. */
function normalizeNamespaces(namespaces: readonly string[] | undefined): string[] {
  const list = [...new Set((namespaces ?? []).filter((n) => n.length > 0))].sort();
  if (list.length > MAX_NAMESPACES) throw new RangeError(`at most ${MAX_NAMESPACES} namespaces, got ${list.length}`);
  return list;
}

/**
 * One selector per namespace label, matching any of the namespaces (one equality for a single namespace, else
 * a single regex), or a single empty selector when unrestricted. The callers join the variants with `or`. The
 * variants are disjoint — each also says the earlier labels do not match — so a series touching the
 * namespace on several labels (most do: source and service namespace, workload and service namespace) is
 * read once, not up to three times: a third fewer samples for one namespace (bench/results.md).
 */
function namespaceSelectors(namespaces: readonly string[]): string[] {
  if (namespaces.length === 0) return [''];
  const value = namespaces.length === 1 ? namespaces[0]! : namespaces.map(regexEscape).join('|');
  const [is, isNot]: [Matcher['op'], Matcher['op']] = namespaces.length === 1 ? ['=', '!='] : ['=~', '!~'];
  return NAMESPACE_FILTER_LABELS.map((label, i) =>
    selector([...NAMESPACE_FILTER_LABELS.slice(0, i).map((earlier): Matcher => ({ label: earlier, op: isNot, value })), { label, op: is, value }]),
  );
}

interface GraphQueryOptions {
  /** Window length in whole seconds (end - start); queries are evaluated at the window end. */
  windowSeconds: number;
  /** Restrict to series touching these namespaces. Empty/undefined = all. */
  namespaces?: readonly string[];
  /** e.g. "workload:" when reading recording rules. */
  metricPrefix?: string;
  /** Only these parts (default: both). */
  parts?: readonly GraphQueryPart[];
}

export type GraphQueryName = TelemetryMetric;

export interface GraphQuery {
  name: GraphQueryName;
  /** Instant query, evaluated at the window end. */
  query: string;
  /** Labels of the samples handed to lib/mesh (GRAPH_QUERY_LABELS). */
  labels: readonly string[];
  /** Scrape-target labels the query also groups by (TARGET_METRICS): attribution evidence, summed away after. */
  targetLabels: readonly string[];
  /** Zero increases are data (a histogram's empty buckets): the parser must keep them. */
  keepZero?: true;
}

/**
 * Extra matchers per metric: of the closed connections only the ones with a response flag (a failure: "-"
 * is a clean close, lib/mesh/rates.ts l4Rates). Clean closes are a series per edge and reporter like the
 * other TCP counters and carry no information the opened/bytes queries lack.
 */
const EXTRA_MATCHERS: Partial<Record<TelemetryMetric, Matcher[]>> = {
  tcpClosed: [{ label: 'response_flags', op: '!=', value: '-' }],
};

/** The namespace selectors with a metric's extra matchers added to each. */
function metricSelectors(namespaces: readonly string[], extra: readonly Matcher[] = []): string[] {
  if (extra.length === 0) return namespaceSelectors(namespaces);
  const more = selector(extra).slice(1, -1);
  return namespaceSelectors(namespaces).map((sel) => (sel === '' ? `{${more}}` : `${sel.slice(0, -1)}, ${more}}`));
}

function increaseSum(metric: string, labels: readonly string[], windowSeconds: number, namespaces: readonly string[], extra?: readonly Matcher[]): string {
  const by = byClause(labels);
  const parts = metricSelectors(namespaces, extra).map((sel) => `sum by (${by}) (increase(${metric}${sel}[${windowSeconds}s]))`);
  // Each part has identical grouping labels (the namespace labels are among them, or the part is the
  // only one), so `or` keeps one copy of a series matched by several namespace labels.
  return parts.length === 1 ? `${parts[0]} > 0` : `(${parts.join(' or ')}) > 0`;
}

/**
 * Every bucket (zero ones included) of every histogram that had traffic in the window, or the `_sum`
 * of those histograms: `sum by (L, le) (increase(bucket)) and on (L) (sum by (L) (increase(bucket{le="+Inf"})) > 0)`.
 * A `> 0` on the buckets themselves would drop the empty low buckets and histogram_quantile would then
 * interpolate the first remaining bucket from 0 (docs/istio-telemetry.md §7 "Histograms keep their zero
 * buckets"). The +Inf bucket is 1/20 of the bucket series, so the guard costs little.
 */
function histogramIncrease(
  metric: string,
  bucketMetric: string,
  labels: readonly string[],
  windowSeconds: number,
  namespaces: readonly string[],
  onLabels: readonly string[] = DURATION_LABELS,
): string {
  const by = byClause(labels);
  const on = byClause(onLabels);
  const infSelectors = namespaceSelectors(namespaces).map((sel) => (sel === '' ? '{le="+Inf"}' : `${sel.slice(0, -1)}, le="+Inf"}`));
  const value = namespaceSelectors(namespaces).map((sel) => `sum by (${by}) (increase(${metric}${sel}[${windowSeconds}s]))`);
  const traffic = infSelectors.map((sel) => `sum by (${on}) (increase(${bucketMetric}${sel}[${windowSeconds}s]))`);
  const union = (parts: string[]) => (parts.length === 1 ? parts[0]! : `(${parts.join(' or ')})`);
  return `${union(value)} and on (${on}) (${union(traffic)} > 0)`;
}

/**
 * The whole graph in 8 instant queries, whatever the number of namespaces (docs/engineering.md B4): one per traffic
 * metric, three of them also grouped by scrape target for reporter attribution. Values are increases
 * over the window. The two latency queries keep zero values (`keepZero`): a histogram's empty buckets
 * are data.
 */
export function buildGraphQueries(opts: GraphQueryOptions): GraphQuery[] {
  assertWindow(opts.windowSeconds);
  const namespaces = normalizeNamespaces(opts.namespaces);
  const prefix = opts.metricPrefix ?? '';
  const w = opts.windowSeconds;
  const metrics: TelemetryMetric[] = [
    'requests',
    'requestDurationBucket',
    'requestDurationSum',
    'tcpOpened',
    'tcpClosed',
    'tcpFailed',
    'tcpSentBytes',
    'tcpReceivedBytes',
  ];
  const parts = new Set(opts.parts ?? GRAPH_QUERY_PARTS);
  return metrics
    .filter((m) => parts.has(queryPart(m)))
    .map((m) => {
      const targetLabels = TARGET_METRICS.has(m) ? TARGET_LABELS : [];
      const labels = [...GRAPH_QUERY_LABELS[m], ...targetLabels];
      const histogram = HISTOGRAM_METRICS.has(m);
      return {
        name: m,
        labels: GRAPH_QUERY_LABELS[m],
        targetLabels,
        ...(histogram ? { keepZero: true } : {}),
        query: histogram
          ? histogramIncrease(metricName(m, prefix), metricName('requestDurationBucket', prefix), labels, w, namespaces)
          : increaseSum(metricName(m, prefix), labels, w, namespaces, EXTRA_MATCHERS[m]),
      };
    });
}

/**
 * The two version queries of the versioned view and the split comparison (docs/classification.md §9.1):
 * requests by VERSION_LABELS + outcome labels, and latency buckets by VERSION_LABELS + le (zero buckets
 * kept, as for the graph). Without source labels they return fewer series than the graph's own request and
 * bucket queries (one per destination version × reporter × outcome), and they run only when asked for.
 */
export function buildVersionQueries(opts: GraphQueryOptions): GraphQuery[] {
  assertWindow(opts.windowSeconds);
  const namespaces = normalizeNamespaces(opts.namespaces);
  const prefix = opts.metricPrefix ?? '';
  const w = opts.windowSeconds;
  const requestLabels = [...VERSION_LABELS, 'request_protocol', 'response_code', 'grpc_response_status'];
  const bucketLabels = [...VERSION_LABELS, 'le'];
  const bucket = metricName('requestDurationBucket', prefix);
  const parts = new Set(opts.parts ?? GRAPH_QUERY_PARTS);
  const queries: GraphQuery[] = [];
  if (parts.has('traffic'))
    queries.push({
      name: 'requests',
      labels: requestLabels,
      targetLabels: [],
      query: increaseSum(metricName('requests', prefix), requestLabels, w, namespaces),
    });
  if (parts.has('latency'))
    queries.push({
      name: 'requestDurationBucket',
      labels: bucketLabels,
      targetLabels: [],
      keepZero: true,
      query: histogramIncrease(bucket, bucket, bucketLabels, w, namespaces, VERSION_LABELS),
    });
  return queries;
}

// ---------------------------------------------------------------------------
// One edge's time series (sparklines): range queries.
// ---------------------------------------------------------------------------

/** Smallest nice step that keeps the series within maxPoints points. */
export function chooseStep(windowSeconds: number, maxPoints = DEFAULT_MAX_POINTS): number {
  if (!Number.isInteger(maxPoints) || maxPoints < 2 || maxPoints > PROMETHEUS_MAX_POINTS) {
    throw new RangeError(`maxPoints must be a whole number in 2..${PROMETHEUS_MAX_POINTS}, got ${maxPoints}`);
  }
  const raw = Math.ceil(windowSeconds / maxPoints);
  const nice = NICE_STEPS.find((s) => s >= raw);
  return nice ?? Math.ceil(raw / 86400) * 86400;
}

/**
 * The failed requests, as three disjoint sets of extra matchers (lib/mesh/rates.ts isFailedRequest is the
 * same rule): HTTP (any protocol but grpc) with 5xx or no response; gRPC with a grpc_response_status other
 * than "0"; gRPC without a grpc_response_status (absent — `""` matches an absent label — or Istio's
 * "unknown") by the HTTP rule. docs/istio-telemetry.md §7 "gRPC status": a failed gRPC call answers HTTP 200.
 */
export const FAILED_REQUEST_MATCHERS: readonly (readonly Matcher[])[] = (() => {
  const httpFailed: Matcher = { label: 'response_code', op: '=~', value: '5..|0' };
  const grpc: Matcher = { label: 'request_protocol', op: '=', value: 'grpc' };
  return [
    [{ label: 'request_protocol', op: '!=', value: 'grpc' }, httpFailed],
    [grpc, { label: 'grpc_response_status', op: '!~', value: '0|unknown|' }],
    [grpc, { label: 'grpc_response_status', op: '=~', value: 'unknown|' }, httpFailed],
  ];
})();

/** The queries for README (window 15 m, no namespace filter, raw metric names). */
export function describeQueries(): { name: string; query: string }[] {
  return buildGraphQueries({ windowSeconds: 900 }).map((q) => ({ name: q.name, query: q.query }));
}

// ---------------------------------------------------------------------------
// Sparklines of exactly the series an edge (or a node's inbound edges) counted: lib/mesh/series-selection.ts.
// ---------------------------------------------------------------------------

/** The sparkline names (the API's SeriesName, lib/api/types.ts). */
export type SelectionSeriesName = 'rps' | 'errorRate' | 'requestBytesPerSec' | 'responseBytesPerSec' | 'connectionsPerSec' | 'failedConnectionsPerSec';

/** One `rate(metric{labels…, extra…}[w])` per label set, as a union (the label sets name distinct series). */
function unionRate(metric: string, labelSets: readonly Record<string, string>[], extra: readonly Matcher[], rateWindow: number): string {
  return labelSets
    .map(
      (set) => `rate(${metric}${selector([...Object.entries(set).map(([label, value]): Matcher => ({ label, op: '=', value })), ...extra])}[${rateWindow}s])`,
    )
    .join(' or ');
}

/**
 * Range queries over the label sets of a selection. A request is an error when its HTTP status is 5xx or 0
 * (no response), or — for gRPC — when its grpc_response_status is not OK (docs/istio-telemetry.md §7: a failed
 * gRPC call answers HTTP 200). Names without label sets are left out.
 */
export function buildSelectionSeriesQueries(
  selection: { l7: readonly Record<string, string>[]; l4: readonly Record<string, string>[] },
  rateWindow: number,
  prefix = '',
): Partial<Record<SelectionSeriesName, string>> {
  if (!Number.isInteger(rateWindow) || rateWindow < 1 || rateWindow > MAX_WINDOW_SECONDS)
    throw new RangeError(`rate window must be whole seconds, got ${rateWindow}`);
  const out: Partial<Record<SelectionSeriesName, string>> = {};
  if (selection.l7.length > 0) {
    const req = metricName('requests', prefix);
    const all = `sum(${unionRate(req, selection.l7, [], rateWindow)})`;
    const errors = FAILED_REQUEST_MATCHERS.map((extra) => unionRate(req, selection.l7, extra, rateWindow)).join(' or ');
    out.rps = all;
    out.errorRate = `(sum(${errors}) or on() vector(0)) / ${all}`;
  }
  if (selection.l4.length > 0) {
    out.requestBytesPerSec = `sum(${unionRate(metricName('tcpReceivedBytes', prefix), selection.l4, [], rateWindow)})`;
    out.responseBytesPerSec = `sum(${unionRate(metricName('tcpSentBytes', prefix), selection.l4, [], rateWindow)})`;
    out.connectionsPerSec = `sum(${unionRate(metricName('tcpOpened', prefix), selection.l4, [], rateWindow)})`;
    out.failedConnectionsPerSec = `sum(${unionRate(metricName('tcpClosed', prefix), selection.l4, [{ label: 'response_flags', op: '!=', value: '-' }], rateWindow)})`;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Overview trends (docs/api.md "trends"): the headline figures over the selected range.
// ---------------------------------------------------------------------------

/** Points of an overview trend line: enough for a 120 px sparkline to show a shape, few enough to rebuild the model per point. */
export const TREND_MAX_POINTS = 24;

export interface TrendQueries {
  /** Seconds between points (a nice step, chooseStep). */
  step: number;
  /** Each point's value is the increase over this many seconds before it (≥ MIN_RATE_WINDOW_SECONDS). */
  pointWindowSeconds: number;
  /** The graph's traffic queries over one point's window, to be run as range queries with `step`. */
  queries: GraphQuery[];
}

/**
 * The graph's traffic queries (buildGraphQueries part `traffic`) with a point's window as their window
 * (a trend needs which edges carried L7 telemetry and mTLS, and their rates, not latency): run
 * as range queries, each step is the graph of the `pointWindowSeconds` before it.
 */
export function buildTrendQueries(opts: { rangeSeconds: number; metricPrefix?: string }): TrendQueries {
  assertWindow(opts.rangeSeconds);
  const step = chooseStep(opts.rangeSeconds, TREND_MAX_POINTS);
  const pointWindowSeconds = Math.max(step, MIN_RATE_WINDOW_SECONDS);
  const queries = buildGraphQueries({
    windowSeconds: pointWindowSeconds,
    parts: ['traffic'],
    ...(opts.metricPrefix ? { metricPrefix: opts.metricPrefix } : {}),
  });
  return { step, pointWindowSeconds, queries };
}

/** Labels that tell the proxies apart (scrape target) and say which kind each is (`component`). */
export const PROXY_BUILD_LABELS = ['component', ...TARGET_LABELS] as const;

/**
 * One series per running Istio proxy (Envoy: `component="proxy"`, ztunnel: `component="ztunnel"`), from
 * the gauge every proxy exposes (`istio_build`, docs/istio-telemetry.md §2.1, §2.4). Never prefixed:
 * recording rules cover the traffic metrics only.
 */
export function buildProxyBuildQuery(): string {
  return `count by (${byClause(PROXY_BUILD_LABELS)}) (istio_build${selector([{ label: 'component', op: '=~', value: 'proxy|ztunnel' }])})`;
}

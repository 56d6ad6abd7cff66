import 'server-only';
import { EDGE_LABELS, type TelemetryInput, type TelemetrySample, type ReporterTarget, type Warning, type Window } from '@/lib/mesh/types';
import { PrometheusError, type PrometheusClient } from './client';
import { splitTargets, type PromSample } from './parse';
import { buildGraphQueries, buildTrendQueries, buildVersionQueries, type GraphQuery, type GraphQueryName, type GraphQueryPart } from './queries';

/** A window bound: unix seconds or an RFC 3339 string. */
type WindowBound = number | string;

interface FetchTelemetryOptions {
  window: { start: WindowBound; end: WindowBound };
  namespaces?: readonly string[];
  signal?: AbortSignal;
  /** Defaults to the client's configured prefix. */
  metricPrefix?: string;
  /** Only these query parts (lib/prometheus/queries.ts GraphQueryPart); default both. */
  parts?: readonly GraphQueryPart[];
}

function toSeconds(b: WindowBound, name: string): number {
  const s = typeof b === 'number' ? b : Date.parse(b) / 1000;
  if (!Number.isFinite(s)) throw new RangeError(`window ${name} is not a valid time: ${String(b)}`);
  return Math.round(s);
}

function rfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

const QUERY_DESCRIPTIONS: Record<GraphQueryName, string> = {
  requests: 'request counts (istio_requests_total)',
  requestDurationBucket: 'latency histograms (istio_request_duration_milliseconds_bucket)',
  requestDurationSum: 'mean latency (istio_request_duration_milliseconds_sum)',
  tcpOpened: 'TCP connections opened',
  tcpClosed: 'TCP connections closed',
  tcpFailed: 'TCP connections failed (ztunnel 1.30+)',
  tcpSentBytes: 'TCP bytes sent',
  tcpReceivedBytes: 'TCP bytes received',
};

/**
 * One query set of queries.ts over the window, in parallel, evaluated at the window end; throws only on the
 * caller's abort. `reduce` turns each answer into what the caller keeps as soon as that answer arrives, so
 * the per-target samples of a fast query are not held while the slowest one (the histogram) runs.
 */
async function runWindowQueries<R>(
  client: PrometheusClient,
  opts: FetchTelemetryOptions,
  build: typeof buildGraphQueries,
  reduce: (q: GraphQuery, samples: readonly PromSample[]) => R,
) {
  const start = toSeconds(opts.window.start, 'start');
  const end = toSeconds(opts.window.end, 'end');
  const queries = build({
    windowSeconds: end - start,
    ...(opts.namespaces ? { namespaces: opts.namespaces } : {}),
    metricPrefix: opts.metricPrefix ?? client.metricPrefix,
    ...(opts.parts ? { parts: opts.parts } : {}),
  });
  const at = new Date(end * 1000);
  const settled = await Promise.allSettled(
    queries.map((q) =>
      client.instantQuery(q.query, at, opts.signal ? { signal: opts.signal } : {}).then((r) => ({ reduced: reduce(q, r.samples), warnings: r.warnings })),
    ),
  );
  if (opts.signal?.aborted) throw new PrometheusError('canceled', 'Prometheus query canceled by the caller');
  return { window: { start: rfc3339(start), end: rfc3339(end) } as Window, queries, settled };
}

/**
 * The graph telemetry of one window: the query set of queries.ts in parallel, evaluated at the window
 * end (docs/classification.md §3.5). A failed query becomes a warning (partial data); all failed → available=false.
 * Throws PrometheusError('canceled') only when the caller's signal aborts.
 */
export async function fetchTelemetry(client: PrometheusClient, opts: FetchTelemetryOptions): Promise<TelemetryInput> {
  const { window, queries, settled } = await runWindowQueries(client, opts, buildGraphQueries, splitQuery);

  return assemble(
    window,
    queries,
    settled.map((r) => (r.status === 'fulfilled' ? { ...r.value.reduced, warnings: r.value.warnings } : { error: r.reason })),
  );
}

/** One query's answer: samples summed over the scrape targets, and the targets that reported traffic. */
type SplitAnswer = { samples: TelemetrySample[]; targets: Map<string, ReporterTarget> };
type QueryOutcome = (SplitAnswer & { warnings: readonly string[] }) | { error: unknown };

function splitQuery(q: GraphQuery, samples: readonly PromSample[]): SplitAnswer {
  return splitTargets(q.name, samples, q.labels, EDGE_LABELS, q.targetLabels, new Map(), { keepZero: q.keepZero === true });
}

/**
 * The queries' answers (same order, each split by splitQuery) → one TelemetryInput: samples, reporter targets
 * (deduplicated across queries, first seen first), warnings.
 */
function assemble(window: Window, queries: readonly GraphQuery[], outcomes: readonly QueryOutcome[]): TelemetryInput {
  const samples: TelemetrySample[] = [];
  const targets = new Map<string, ReporterTarget>();
  const warnings: Warning[] = [];
  const engineWarnings = new Set<string>();
  const failures: { name: GraphQueryName; error: PrometheusError }[] = [];

  outcomes.forEach((r, i) => {
    const q = queries[i]!;
    if ('error' in r) {
      const error = r.error instanceof PrometheusError ? r.error : new PrometheusError('bad_data', String(r.error));
      failures.push({ name: q.name, error });
      return;
    }
    for (const w of r.warnings) engineWarnings.add(w);
    for (const s of r.samples) samples.push(s);
    for (const [k, t] of r.targets) if (!targets.has(k)) targets.set(k, t);
  });

  if (failures.length === queries.length) {
    // One message when everything failed the same way (Prometheus down), else one per kind of failure.
    const messages = [...new Set(failures.map((f) => f.error.message))];
    for (const m of messages) warnings.push({ source: 'prometheus', message: `Prometheus unavailable: ${m}` });
    return { window, samples: [], reporterTargets: [], warnings, available: false };
  }
  for (const f of failures) {
    const what = QUERY_DESCRIPTIONS[f.name];
    warnings.push({ source: 'prometheus', message: `query for ${what} failed (${f.error.kind}): ${f.error.message}; these numbers are missing` });
  }
  for (const w of engineWarnings) warnings.push({ source: 'prometheus', message: `Prometheus warning: ${w}` });
  return { window, samples, reporterTargets: [...targets.values()], warnings, available: true };
}

/**
 * Requests and latency buckets by destination version over one window (queries.ts buildVersionQueries),
 * for the versioned view and the split comparison. Never throws for upstream faults: a failed query is a
 * warning and its samples are missing. Throws PrometheusError('canceled') only when the caller's signal aborts.
 */
export async function fetchVersionSamples(client: PrometheusClient, opts: FetchTelemetryOptions): Promise<{ samples: TelemetrySample[]; warnings: Warning[] }> {
  const { queries, settled } = await runWindowQueries(client, opts, buildVersionQueries, (q, samples) => samples);
  const samples: TelemetrySample[] = [];
  const warnings: Warning[] = [];
  settled.forEach((r, i) => {
    const q = queries[i]!;
    if (r.status === 'rejected') {
      const error = r.reason instanceof PrometheusError ? r.reason : new PrometheusError('bad_data', String(r.reason));
      warnings.push({
        source: 'prometheus',
        message: `query for ${QUERY_DESCRIPTIONS[q.name]} by version failed (${error.kind}): ${error.message}; version numbers are missing`,
      });
      return;
    }
    for (const s of splitTargets(q.name, r.value.reduced, q.labels, q.labels, [], undefined, { keepZero: q.keepZero === true }).samples) samples.push(s);
  });
  return { samples, warnings };
}

/**
 * The graph telemetry at every step of [start, end] (overview trends): the trend queries as range
 * queries, each step's vector handed to the same assembly as one window's instant queries, so each
 * point is exactly the telemetry of the graph of the `pointWindowSeconds` before it. Failures as in
 * fetchTelemetry, per step.
 */
export async function fetchTelemetrySteps(
  client: PrometheusClient,
  opts: { start: number; end: number; rangeSeconds: number; signal?: AbortSignal },
): Promise<{ step: number; pointWindowSeconds: number; points: { time: number; telemetry: TelemetryInput }[] }> {
  const { step, pointWindowSeconds, queries } = buildTrendQueries({ rangeSeconds: opts.rangeSeconds, metricPrefix: client.metricPrefix });
  const settled = await Promise.allSettled(
    queries.map((q) => client.rangeQuery(q.query, opts.start, opts.end, step, opts.signal ? { signal: opts.signal } : {})),
  );
  if (opts.signal?.aborted) throw new PrometheusError('canceled', 'Prometheus query canceled by the caller');
  // Each query's series → its samples per step time (one pass over the matrix).
  const byTime = settled.map((r) => {
    const m = new Map<number, PromSample[]>();
    if (r.status === 'rejected') return m;
    for (const s of r.value.series) {
      for (const p of s.points) {
        const list = m.get(p.t);
        if (list) list.push({ labels: s.labels, value: p.v });
        else m.set(p.t, [{ labels: s.labels, value: p.v }]);
      }
    }
    return m;
  });
  const points: { time: number; telemetry: TelemetryInput }[] = [];
  for (let time = opts.start; time <= opts.end; time += step) {
    const window: Window = { start: rfc3339(time - pointWindowSeconds), end: rfc3339(time) };
    const outcomes: QueryOutcome[] = settled.map((r, i) =>
      r.status === 'rejected' ? { error: r.reason } : { ...splitQuery(queries[i]!, byTime[i]!.get(time) ?? []), warnings: r.value.warnings },
    );
    points.push({ time, telemetry: assemble(window, queries, outcomes) });
  }
  return { step, pointWindowSeconds, points };
}

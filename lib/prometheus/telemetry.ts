import 'server-only';
import { EDGE_LABELS, type TelemetryInput, type TelemetrySample, type ReporterTarget, type Warning, type Window } from '@/lib/mesh/types';
import { PrometheusError, type PrometheusClient } from './client';
import { splitTargets } from './parse';
import { buildGraphQueries, type GraphQueryName, type GraphQueryPart } from './queries';

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
 * The graph telemetry of one window: the query set of queries.ts in parallel, evaluated at the window
 * end (docs/classification.md §3.5). A failed query becomes a warning (partial data); all failed → available=false.
 * Throws PrometheusError('canceled') only when the caller's signal aborts.
 */
export async function fetchTelemetry(client: PrometheusClient, opts: FetchTelemetryOptions): Promise<TelemetryInput> {
  const start = toSeconds(opts.window.start, 'start');
  const end = toSeconds(opts.window.end, 'end');
  const window: Window = { start: rfc3339(start), end: rfc3339(end) };
  const queries = buildGraphQueries({
    windowSeconds: end - start,
    ...(opts.namespaces ? { namespaces: opts.namespaces } : {}),
    metricPrefix: opts.metricPrefix ?? client.metricPrefix,
    ...(opts.parts ? { parts: opts.parts } : {}),
  });
  const at = new Date(end * 1000);
  const settled = await Promise.allSettled(queries.map((q) => client.instantQuery(q.query, at, opts.signal ? { signal: opts.signal } : {})));
  if (opts.signal?.aborted) throw new PrometheusError('canceled', 'Prometheus query canceled by the caller');

  const samples: TelemetrySample[] = [];
  const targets = new Map<string, ReporterTarget>();
  const warnings: Warning[] = [];
  const engineWarnings = new Set<string>();
  const failures: { name: GraphQueryName; error: PrometheusError }[] = [];

  settled.forEach((r, i) => {
    const q = queries[i]!;
    if (r.status === 'rejected') {
      const error = r.reason instanceof PrometheusError ? r.reason : new PrometheusError('bad_data', String(r.reason));
      failures.push({ name: q.name, error });
      return;
    }
    for (const w of r.value.warnings) engineWarnings.add(w);
    for (const s of splitTargets(q.name, r.value.samples, q.labels, EDGE_LABELS, q.targetLabels, targets, { keepZero: q.keepZero === true }).samples)
      samples.push(s);
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

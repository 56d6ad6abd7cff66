// Rates over a window (docs/classification.md §3.5) and Prometheus' histogram_quantile; gRPC-aware error rate
// (docs/istio-telemetry.md §7).
import type { EdgeRates, EdgeStatuses, TelemetrySample, Window } from './types';

export interface Bucket {
  upperBound: number;
  count: number;
}

/** Parse a Prometheus `le` value ("+Inf", "0.5", "1e+06"). */
export function parseLe(le: string | undefined): number | undefined {
  if (le === undefined) return undefined;
  const t = le.trim();
  if (t === '+Inf' || t === 'Inf' || t === '+inf' || t === 'inf') return Infinity;
  if (t === '-Inf' || t === '-inf') return -Infinity;
  const n = Number(t);
  return t !== '' && !Number.isNaN(n) ? n : undefined;
}

/**
 * histogram_quantile exactly as Prometheus (promql/quantile.go, bucketQuantile, v2.42):
 * sort by upper bound; NaN unless the highest bucket is +Inf; coalesce equal bounds; force
 * monotonic counts; NaN with fewer than 2 buckets or zero observations; rank = q·total; the first
 * bucket with count ≥ rank; in the +Inf bucket → the second-highest bound; first bucket with
 * bound ≤ 0 → that bound; else linear interpolation (lower bound 0 for the first bucket).
 */
export function histogramQuantile(q: number, input: Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = input.slice().sort((a, b) => a.upperBound - b.upperBound);
  if (sorted.length === 0 || sorted[sorted.length - 1]!.upperBound !== Infinity) return NaN;
  // coalesce
  const buckets: Bucket[] = [];
  for (const b of sorted) {
    const last = buckets[buckets.length - 1];
    if (last && last.upperBound === b.upperBound) last.count += b.count;
    else buckets.push({ upperBound: b.upperBound, count: b.count });
  }
  // ensure monotonic
  let max = -Infinity;
  for (const b of buckets) {
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
  if (buckets.length < 2) return NaN;
  const observations = buckets[buckets.length - 1]!.count;
  if (observations === 0 || Number.isNaN(observations)) return NaN;
  let rank = q * observations;
  // sort.Search over len-1 buckets: smallest i with count >= rank, or len-1
  let b = buckets.length - 1;
  for (let i = 0; i < buckets.length - 1; i++) {
    if (buckets[i]!.count >= rank) {
      b = i;
      break;
    }
  }
  if (b === buckets.length - 1) return buckets[buckets.length - 2]!.upperBound;
  if (b === 0 && buckets[0]!.upperBound <= 0) return buckets[0]!.upperBound;
  let bucketStart = 0;
  const bucketEnd = buckets[b]!.upperBound;
  let count = buckets[b]!.count;
  if (b > 0) {
    bucketStart = buckets[b - 1]!.upperBound;
    count -= buckets[b - 1]!.count;
    rank -= buckets[b - 1]!.count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

/** Window length in seconds (0 when invalid). */
export function windowSeconds(w: Window): number {
  const s = Date.parse(w.start);
  const e = Date.parse(w.end);
  if (Number.isNaN(s) || Number.isNaN(e) || e <= s) return 0;
  return (e - s) / 1000;
}

/** "5xx" or no response ("0"). */
export function isErrorCode(code: string | undefined): boolean {
  return code !== undefined && (code === '0' || /^5\d\d$/.test(code));
}

/** Canonical gRPC status code names, 0..16 (grpc/grpc doc/statuscodes.md). */
export const GRPC_CODE_NAMES: readonly string[] = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

/** "14" → "UNAVAILABLE"; a value outside 0..16 is kept as it is. */
export function grpcCodeName(status: string): string {
  return /^\d+$/.test(status) ? (GRPC_CODE_NAMES[Number(status)] ?? status) : status;
}

/** A grpc_response_status worth reading: present, not empty, not Istio's "unknown" default. */
function grpcStatusOf(labels: TelemetrySample['labels']): string | undefined {
  const status = labels.grpc_response_status;
  return status === undefined || status === '' || status === 'unknown' ? undefined : status;
}

/**
 * Did this request series fail? gRPC (request_protocol="grpc"): grpc_response_status other than "0" —
 * a failed call has HTTP status 200 (docs/istio-telemetry.md §7 "gRPC status"); without a status (the
 * call got no gRPC response at all) the HTTP rule. HTTP: 5xx or no response ("0").
 * lib/prometheus/queries.ts FAILED_REQUEST_MATCHERS is the same rule in PromQL.
 */
export function isFailedRequest(labels: TelemetrySample['labels']): boolean {
  if (labels.request_protocol === 'grpc') {
    const status = grpcStatusOf(labels);
    if (status !== undefined) return status !== '0';
  }
  return isErrorCode(labels.response_code);
}

function finite(n: number): number | undefined {
  return Number.isFinite(n) ? n : undefined;
}

/** Latency samples (buckets and _sum) of the duration histogram. */
export function isLatencySample(s: TelemetrySample): boolean {
  return s.metric === 'requestDurationBucket' || s.metric === 'requestDurationSum';
}

/**
 * L7 rates from one reporter's requests + latency samples (duration buckets, zero buckets included,
 * and `_sum`). Percentiles are histogram_quantile over the buckets summed by `le` (as
 * `histogram_quantile(q, sum by (le) (increase(…_bucket[w])))`); the mean is Σ_sum / Σ+Inf bucket (the
 * +Inf bucket is the histogram's _count).
 */
export function l7Rates(requests: TelemetrySample[], latency: TelemetrySample[], seconds: number): EdgeRates {
  const rates: EdgeRates = {};
  if (seconds <= 0) return rates;
  const total = requests.reduce((s, x) => s + x.value, 0);
  const errors = requests.filter((x) => isFailedRequest(x.labels)).reduce((s, x) => s + x.value, 0);
  if (requests.length > 0) {
    rates.rps = total / seconds;
    if (total > 0) rates.errorRate = errors / total;
  }
  const buckets = latency.filter((s) => s.metric === 'requestDurationBucket');
  if (buckets.length > 0) {
    const byLe = new Map<number, number>();
    for (const b of buckets) {
      const le = parseLe(b.labels.le);
      if (le === undefined) continue;
      byLe.set(le, (byLe.get(le) ?? 0) + b.value);
    }
    const hist = [...byLe.entries()].map(([upperBound, count]) => ({ upperBound, count }));
    const p50 = finite(histogramQuantile(0.5, hist));
    const p95 = finite(histogramQuantile(0.95, hist));
    const p99 = finite(histogramQuantile(0.99, hist));
    if (p50 !== undefined) rates.p50Ms = p50;
    if (p95 !== undefined) rates.p95Ms = p95;
    if (p99 !== undefined) rates.p99Ms = p99;
    const sums = latency.filter((s) => s.metric === 'requestDurationSum');
    const count = byLe.get(Infinity) ?? 0;
    if (sums.length > 0 && count > 0) {
      const mean = finite(sums.reduce((a, s) => a + s.value, 0) / count);
      if (mean !== undefined) rates.meanMs = mean;
    }
  }
  return rates;
}

/**
 * Requests per second by outcome (EdgeStatuses): HTTP requests by response_code, gRPC requests by
 * status name; a gRPC request without grpc_response_status by its response_code. Undefined without
 * requests.
 */
export function l7Statuses(requests: TelemetrySample[], seconds: number): EdgeStatuses | undefined {
  if (seconds <= 0 || requests.length === 0) return undefined;
  const http = new Map<string, number>();
  const grpc = new Map<string, number>();
  for (const r of requests) {
    if (!(r.value > 0)) continue;
    const status = r.labels.request_protocol === 'grpc' ? grpcStatusOf(r.labels) : undefined;
    const [into, key] = status !== undefined ? [grpc, grpcCodeName(status)] : [http, r.labels.response_code ?? 'unknown'];
    into.set(key, (into.get(key) ?? 0) + r.value);
  }
  // Counts are summed first and divided once, so a status's rate equals its increase / window exactly.
  const rated = (m: Map<string, number>) => codeRecord([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, v / seconds]));
  const out: EdgeStatuses = {};
  if (http.size > 0) out.http = rated(http);
  if (grpc.size > 0) out.grpc = rated(grpc);
  return out.http || out.grpc ? out : undefined;
}

/**
 * A record keyed by status codes, made the way JSON.parse makes it. An object whose keys are array indices
 * ("200", "503") built by assignment or Object.fromEntries gets V8's fast elements: a backing array as long as
 * the largest code, ~6 KB for {"200", "503"} where the same object from JSON.parse takes ~0.25 KB. A
 * whole-mesh graph of 2,000 workloads held 17.7 MB in such arrays (heap snapshot, bench/results.md).
 * Same keys, values and key order (integer keys ascending, then the others as given).
 */
export function codeRecord(entries: Iterable<readonly [string, number]>): Record<string, number> {
  return JSON.parse(JSON.stringify(Object.fromEntries(entries))) as Record<string, number>;
}

export interface L4Result {
  rates: EdgeRates;
  failuresByFlag?: Record<string, number>;
}

/** L4 rates from one reporter's TCP samples. */
export function l4Rates(samples: TelemetrySample[], seconds: number): L4Result {
  const rates: EdgeRates = {};
  if (seconds <= 0) return { rates };
  const sum = (m: TelemetrySample['metric']) => {
    const xs = samples.filter((s) => s.metric === m);
    return xs.length > 0 ? xs.reduce((a, x) => a + x.value, 0) : undefined;
  };
  const recv = sum('tcpReceivedBytes');
  const sent = sum('tcpSentBytes');
  const opened = sum('tcpOpened');
  if (recv !== undefined) rates.requestBytesPerSec = recv / seconds;
  if (sent !== undefined) rates.responseBytesPerSec = sent / seconds;
  if (opened !== undefined) rates.connectionsPerSec = opened / seconds;
  // Failed connections: closes with a response flag, and (ztunnel ≥ 1.30) istio_tcp_connections_failed_total.
  // Whether a failed attempt is also counted as a flagged close is not part of the metric's contract, so per
  // flag the larger of the two counts, never their sum (docs/classification.md §3.5). The graph query reads
  // flagged closes only (response_flags!="-": the clean closes are most of the series and carry no failure),
  // so a reporter with TCP traffic and no flagged close had 0 failures.
  const closed = samples.filter((s) => s.metric === 'tcpClosed' || s.metric === 'tcpFailed');
  let failuresByFlag: Record<string, number> | undefined;
  if (samples.length > 0) {
    const byMetric = { tcpClosed: {} as Record<string, number>, tcpFailed: {} as Record<string, number> };
    for (const c of closed) {
      const flag = c.labels.response_flags;
      if (flag === undefined || flag === '-' || flag === '') continue;
      const m = byMetric[c.metric as 'tcpClosed' | 'tcpFailed'];
      m[flag] = (m[flag] ?? 0) + c.value;
    }
    const flags: Record<string, number> = {};
    for (const m of Object.values(byMetric)) for (const [flag, v] of Object.entries(m)) flags[flag] = Math.max(flags[flag] ?? 0, v);
    const failed = Object.values(flags).reduce((a, b) => a + b, 0);
    rates.failedConnectionsPerSec = failed / seconds;
    const entries = Object.entries(flags).filter(([, v]) => v > 0);
    if (entries.length > 0) {
      failuresByFlag = Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v / seconds]));
    }
  }
  return failuresByFlag ? { rates, failuresByFlag } : { rates };
}

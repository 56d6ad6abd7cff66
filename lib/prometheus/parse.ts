// Pure: Prometheus API results → plain samples → our TelemetrySample / ReporterTarget types.
// Nothing outside lib/prometheus sees a Prometheus API payload (docs/engineering.md A6.2).
import type { Labels, ReporterTarget, TelemetryMetric, TelemetrySample } from '@/lib/mesh/types';

/** One instant-vector element as plain data. */
export interface PromSample {
  labels: Labels;
  value: number;
}

/** One range-vector element as plain data; t in unix seconds. */
export interface PromSeries {
  labels: Labels;
  points: { t: number; v: number }[];
}

export class BadDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadDataError';
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Keeps string-valued labels only (label values are untrusted but always strings in Prometheus). The metric
 * object comes fresh from JSON.parse and is referenced by nothing else, so one that is already plain (string
 * values, no `__name__`: every series of an aggregated query) is used as it is instead of copied — copying
 * ~100k label sets per whole-mesh graph was a fifth of the parse time (CPU profile, bench/results.md).
 */
function plainLabels(x: unknown): Labels {
  if (!isRecord(x)) return {};
  let clean = true;
  for (const k in x) {
    if (k === '__name__' || typeof x[k] !== 'string' || !Object.hasOwn(x, k)) {
      clean = false;
      break;
    }
  }
  if (clean && Object.getPrototypeOf(x) === Object.prototype) return x as Labels;
  const out: Labels = {};
  for (const [k, v] of Object.entries(x)) {
    if (k === '__name__') continue;
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** The raw API's sample value `[t, "v"]` (the value a string: "NaN", "+Inf" included). */
function sampleNumber(v: unknown): number {
  return Array.isArray(v) ? Number(v[1]) : NaN;
}

function sampleTime(v: unknown): number {
  return Array.isArray(v) ? Number(v[0]) : NaN;
}

/**
 * A query result (the API's `data`: `{resultType, result}`) → plain instant samples.
 * Non-finite values (NaN, ±Inf) are dropped: they carry no traffic information.
 */
export function reshapeVector(result: unknown): PromSample[] {
  if (!isRecord(result)) throw new BadDataError('query result is not an object');
  const type = result.resultType;
  if (type !== 'vector') throw new BadDataError(`expected a vector result, got ${JSON.stringify(type)}`);
  if (!Array.isArray(result.result)) throw new BadDataError('vector result has no result array');
  const out: PromSample[] = [];
  for (const item of result.result) {
    if (!isRecord(item)) continue;
    const value = sampleNumber(item.value);
    if (!Number.isFinite(value)) continue;
    out.push({ labels: plainLabels(item.metric), value });
  }
  return out;
}

/** A range query result → plain series; non-finite points dropped, series kept even if empty. */
export function reshapeMatrix(result: unknown): PromSeries[] {
  if (!isRecord(result)) throw new BadDataError('query result is not an object');
  if (result.resultType !== 'matrix') throw new BadDataError(`expected a matrix result, got ${JSON.stringify(result.resultType)}`);
  if (!Array.isArray(result.result)) throw new BadDataError('matrix result has no result array');
  const out: PromSeries[] = [];
  for (const item of result.result) {
    if (!isRecord(item) || !Array.isArray(item.values)) continue;
    const points: { t: number; v: number }[] = [];
    for (const p of item.values) {
      const t = sampleTime(p);
      const v = sampleNumber(p);
      if (Number.isFinite(t) && Number.isFinite(v)) points.push({ t, v });
    }
    out.push({ labels: plainLabels(item.metric), points });
  }
  return out;
}

/** Keeps only the grouped labels (extra labels would be noise from a misbehaving engine). */
function pick(labels: Labels, allowed: readonly string[]): Labels {
  const out: Labels = {};
  for (const k of allowed) {
    const v = labels[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Key of a label set over a fixed list of names (absent and empty are the same in Prometheus). */
function keyOf(labels: Labels, names: readonly string[]): string {
  let key = '';
  for (const n of names) key += `${labels[n] ?? ''}\u0001`;
  return key;
}

/**
 * Samples of a graph query that also grouped by scrape-target labels → the samples summed over the
 * targets (labels = groupLabels) plus the distinct (edge labels + target labels) that reported traffic,
 * added to `targets` (keyed, so several queries share one deduplicated set).
 * Zero (unless `keepZero`) and negative increases are dropped before either is derived.
 */
export function splitTargets(
  metric: TelemetryMetric,
  samples: readonly PromSample[],
  groupLabels: readonly string[],
  edgeLabels: readonly string[],
  targetLabels: readonly string[],
  targets: Map<string, ReporterTarget> = new Map(),
  opts: { keepZero?: boolean } = {},
): { samples: TelemetrySample[]; targets: Map<string, ReporterTarget> } {
  // A histogram's zero buckets are data (histogram_quantile interpolates from the previous bucket's
  // bound; docs/istio-telemetry.md §7): `keepZero` keeps them, and no target is derived from a zero.
  const positive = samples.filter((s) => Number.isFinite(s.value) && (s.value > 0 || (opts.keepZero === true && s.value === 0)));
  // Queries without target labels are already one sample per label set.
  if (targetLabels.length === 0) return { samples: positive.map((s) => ({ metric, labels: pick(s.labels, groupLabels), value: s.value })), targets };
  const sums = new Map<string, TelemetrySample>();
  const targetGroup = [...edgeLabels, ...targetLabels];
  for (const s of positive) {
    const key = keyOf(s.labels, groupLabels);
    const prev = sums.get(key);
    if (prev) prev.value += s.value;
    else sums.set(key, { metric, labels: pick(s.labels, groupLabels), value: s.value });
    if (s.value === 0) continue;
    const tk = keyOf(s.labels, targetGroup);
    if (!targets.has(tk)) targets.set(tk, { labels: pick(s.labels, targetGroup) });
  }
  return { samples: [...sums.values()], targets };
}

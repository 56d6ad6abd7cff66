import { z } from 'zod';
import { CLUSTER_NAME, formatSeconds, MAX_WINDOW_SECONDS, MIN_WINDOW_SECONDS, NAMESPACE_NAME, parseInstant, rangeToSeconds } from './scope';

// Parsing of the query parameters shared by /api/graph, /api/namespaces, /api/findings… (docs/api.md §4).
// Pure, so the CLI report and the tests use exactly what the routes use.

// Window bounds, duration and instant syntax, namespace and cluster names: lib/api/scope.ts.
/** Relative windows end on a multiple of this, so concurrent polls share one upstream round-trip. */
export const RELATIVE_END_ALIGN_SECONDS = 5;

/**
 * Graph windows are aligned to the step a 240-point series of the same length would use (at least
 * 15 s; lib/prometheus/queries.ts chooseStep), so requests a few seconds apart — or hammering unique
 * windows — share one cache key and one upstream run (lib/server/mesh-data.ts alignGraphQuery). The shift is under 1/240 of the window and
 * deterministic (a pinned share link keeps its numbers); the response's `window` is the aligned one.
 */
export const GRAPH_ALIGN_POINTS = 240;
/** An absolute end this far in the future is a mistake, not a clock skew. */
const MAX_FUTURE_SKEW_SECONDS = 300;
const MAX_NAMESPACES = 200;

export class ParamError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = 'ParamError';
  }
}

const MAX_CLUSTERS = 50;

export function parseRange(value: string): number {
  const seconds = rangeToSeconds(value.trim());
  if (seconds === undefined) throw new ParamError('range', `range must look like 5m, 1h or 7d (got "${truncate(value)}")`);
  checkLength('range', seconds);
  return seconds;
}

/** RFC 3339 or unix seconds (integer or decimal). Returns unix seconds. */
export function parseTime(param: string, value: string): number {
  const ms = parseInstant(value.trim());
  if (ms === undefined) {
    throw new ParamError(param, `${param} must be RFC 3339 (2026-11-21T21:00:00Z) or unix seconds (got "${truncate(value)}")`);
  }
  return Math.floor(ms / 1000);
}

function checkLength(param: string, seconds: number) {
  if (seconds < MIN_WINDOW_SECONDS) throw new ParamError(param, `the window must be at least 1m (got ${seconds}s)`);
  if (seconds > MAX_WINDOW_SECONDS) throw new ParamError(param, `the window must be at most 30d (got ${formatSeconds(seconds)})`);
}

export interface WindowSeconds {
  start: number;
  end: number;
  /** True when the caller asked for `range` (ends now) rather than an absolute window. */
  relative: boolean;
}

export function parseWindow(params: URLSearchParams, nowSeconds: number, defaultRange = '15m'): WindowSeconds {
  const range = params.get('range');
  const start = params.get('start');
  const end = params.get('end');
  if (range !== null && (start !== null || end !== null)) {
    throw new ParamError('range', 'give either range or start+end, not both');
  }
  if (start !== null || end !== null) {
    if (start === null) throw new ParamError('start', 'start is required with end');
    if (end === null) throw new ParamError('end', 'end is required with start');
    const s = parseTime('start', start);
    const e = parseTime('end', end);
    if (s >= e) throw new ParamError('start', 'start must be before end');
    if (e > nowSeconds + MAX_FUTURE_SKEW_SECONDS) throw new ParamError('end', 'end is in the future');
    checkLength('start', e - s);
    return { start: s, end: e, relative: false };
  }
  const length = parseRange(range ?? defaultRange);
  const alignedEnd = Math.floor(nowSeconds / RELATIVE_END_ALIGN_SECONDS) * RELATIVE_END_ALIGN_SECONDS;
  return { start: alignedEnd - length, end: alignedEnd, relative: true };
}

export function parseNamespaces(params: URLSearchParams): string[] | undefined {
  const all = params.getAll('namespaces');
  if (all.length === 0) return undefined;
  const names = all
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length > MAX_NAMESPACES) throw new ParamError('namespaces', `at most ${MAX_NAMESPACES} namespaces`);
  for (const n of names) {
    if (!NAMESPACE_NAME.test(n)) {
      throw new ParamError('namespaces', `"${truncate(n)}" is not a valid namespace name (DNS-1123 label)`);
    }
  }
  const unique = [...new Set(names)].sort();
  return unique.length > 0 ? unique : undefined;
}

/** `clusters=a,b`: Istio cluster names; undefined when absent or empty. */
export function parseClusters(params: URLSearchParams): string[] | undefined {
  const all = params.getAll('clusters');
  if (all.length === 0) return undefined;
  const names = all
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length > MAX_CLUSTERS) throw new ParamError('clusters', `at most ${MAX_CLUSTERS} clusters`);
  for (const n of names) {
    if (!CLUSTER_NAME.test(n)) {
      throw new ParamError('clusters', `"${truncate(n)}" is not a valid cluster name ([A-Za-z0-9][-A-Za-z0-9_.]{0,62})`);
    }
  }
  const unique = [...new Set(names)].sort();
  return unique.length > 0 ? unique : undefined;
}

export function parseBoolean(params: URLSearchParams, name: string, fallback = false): boolean {
  const v = params.get(name);
  if (v === null || v === '') return fallback;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new ParamError(name, `${name} must be true or false`);
}

/** `group`: `workload` (default) or `version` — the versioned view with apps and their versions (docs/api.md §4.2). */
export const GraphGroupSchema = z.enum(['workload', 'version']);
export type GraphGroup = z.infer<typeof GraphGroupSchema>;

export function parseGroup(params: URLSearchParams): GraphGroup {
  const v = params.get('group');
  if (v === null || v === '') return 'workload';
  const r = GraphGroupSchema.safeParse(v);
  if (!r.success) throw new ParamError('group', `group must be workload or version (got "${truncate(v)}")`);
  return r.data;
}
/**
 * Parts of the graph a caller may leave out (docs/api.md §4 `omit`): `latency` = the per-edge percentiles and
 * mean, the most expensive query of a whole mesh and not drawn on a collapsed whole-mesh view.
 */
export const GRAPH_OMITTABLE = ['detail', 'latency'] as const;
export type GraphOmit = (typeof GRAPH_OMITTABLE)[number];

/**
 * Parts `/api/namespaces` may leave out (docs/api.md §4.3 `omit`): `traffic` = everything read from
 * Prometheus (edge coverage, telemetry-only namespaces, mode changes, the mesh summary). The answer is then
 * the Kubernetes inventory alone, with no Prometheus call: what the graph page's namespace picker shows.
 */
export const NAMESPACES_OMITTABLE = ['traffic'] as const;
export type NamespacesOmit = (typeof NAMESPACES_OMITTABLE)[number];

/** `omit=a,b` against one endpoint's list: sorted, deduplicated; undefined when absent or empty; anything else → 400 naming `omit`. */
function parseOmitOf<T extends string>(params: URLSearchParams, allowed: readonly [T, ...T[]]): T[] | undefined {
  const all = params.getAll('omit');
  if (all.length === 0) return undefined;
  const names = [
    ...new Set(
      all
        .flatMap((v) => v.split(','))
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    ),
  ].sort();
  const parsed = z.array(z.enum(allowed)).max(allowed.length).safeParse(names);
  if (!parsed.success) {
    const bad = names.find((n) => !(allowed as readonly string[]).includes(n)) ?? names.join(',');
    throw new ParamError('omit', `omit may list ${allowed.join(', ')} (got "${truncate(bad)}")`);
  }
  return parsed.data.length > 0 ? parsed.data : undefined;
}

/** `omit=latency` (/api/graph). */
export function parseOmit(params: URLSearchParams): GraphOmit[] | undefined {
  return parseOmitOf(params, GRAPH_OMITTABLE);
}

/** `omit=traffic` (/api/namespaces). */
export function parseNamespacesOmit(params: URLSearchParams): NamespacesOmit[] | undefined {
  return parseOmitOf(params, NAMESPACES_OMITTABLE);
}

const KNOWN_GRAPH_PARAMS = new Set(['namespaces', 'clusters', 'range', 'start', 'end', 'expandWaypoints', 'omit', 'group']);

export interface GraphQuery {
  window: WindowSeconds;
  namespaces?: string[];
  /** Restrict to these clusters (Istio cluster names); undefined = all. */
  clusters?: string[];
  expandWaypoints: boolean;
  /** `version`: also the apps, their versions and the configured splits (lib/mesh/versions.ts, split.ts). */
  group?: GraphGroup;
  /** Parts left out of the answer (the response's `omitted`); undefined = the whole graph. */
  omit?: GraphOmit[];
}

export function parseGraphQuery(params: URLSearchParams, nowSeconds: number, extraParams: string[] = []): GraphQuery {
  for (const key of params.keys()) {
    if (!KNOWN_GRAPH_PARAMS.has(key) && !extraParams.includes(key)) {
      throw new ParamError(key, `unknown parameter "${truncate(key)}"`);
    }
  }
  const clusters = parseClusters(params);
  const omit = parseOmit(params);
  return {
    window: parseWindow(params, nowSeconds),
    namespaces: parseNamespaces(params),
    ...(clusters ? { clusters } : {}),
    expandWaypoints: parseBoolean(params, 'expandWaypoints'),
    ...(parseGroup(params) === 'version' ? { group: 'version' as const } : {}),
    ...(omit ? { omit } : {}),
  };
}

/** Normalised key for caching/coalescing: equal queries → equal keys. */
export function graphQueryKey(q: GraphQuery): string {
  const key: unknown[] = [q.window.start, q.window.end, q.namespaces ?? [], q.expandWaypoints];
  if (q.clusters && q.clusters.length > 0) key.push(q.clusters);
  if (q.group === 'version') key.push('group=version');
  if (q.omit && q.omit.length > 0) key.push({ omit: q.omit });
  return JSON.stringify(key);
}

export function toRfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function truncate(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

// What a request or a view covers: its time window and the names of namespaces and clusters. One
// definition for the API parameters (lib/api/params.ts), the graph page's URL state
// (lib/graph/url-state.ts), the configuration (lib/config/parse.ts) and the query hooks (lib/query).
// Pure: no I/O, safe in the browser.

/** A window as the UI holds it: relative (`range=15m`, ends now) or absolute (RFC 3339 start/end). */
export type TimeWindow = { kind: 'range'; range: string } | { kind: 'absolute'; start: string; end: string };

/** Shortest and longest windows we accept: a rate needs ≥ 2 samples; 30 d bounds Prometheus' work. */
export const MIN_WINDOW_SECONDS = 60;
export const MAX_WINDOW_SECONDS = 30 * 24 * 3600;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const DURATION = /^(\d{1,6})([smhdw])$/;

/** Duration like "15m" → seconds, or undefined when malformed (units s, m, h, d, w). */
export function rangeToSeconds(range: string): number | undefined {
  const m = DURATION.exec(range);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_SECONDS[m[2]!]!;
}

/** Seconds as the shortest exact duration ("1h", "90s"). */
export function formatSeconds(s: number): string {
  if (s % 86400 === 0) return `${s / 86400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

const UNIX_SECONDS = /^\d{9,11}(\.\d+)?$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An instant given as RFC 3339 (`2026-11-21T21:00:00Z`, offset required, seconds optional) or unix
 * seconds (integer or decimal) → epoch milliseconds, or undefined. Calendar dates are checked (no 30 February).
 */
export function parseInstant(value: string): number | undefined {
  if (UNIX_SECONDS.test(value)) return Math.round(Number(value) * 1000);
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

function daysInMonth(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}

/** Query parameters of /api/graph and friends for a window. */
export function apiWindowParams(window: TimeWindow): Record<string, string> {
  return window.kind === 'absolute' ? { start: window.start, end: window.end } : { range: window.range };
}

/** Kubernetes namespace names (RFC 1123 label); also the "unknown"/"external" pseudo namespaces. */
export const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Istio cluster names (source_cluster/destination_cluster label values), as KUBE_CONTEXTS and `clusters=` accept them. */
export const CLUSTER_NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$/;

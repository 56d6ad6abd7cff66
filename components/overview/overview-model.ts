// Pure helpers of the overview screen (no React): links, per-namespace counts.
import type { Finding, Severity } from '@/lib/mesh/types';
import type { TimeWindow } from '@/lib/api/scope';

export const OVERVIEW_RANGES = ['15m', '1h', '6h', '24h'] as const;
const DEFAULT_OVERVIEW_RANGE = '1h';

export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];
export const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', warning: 'Warning', info: 'Info' };

export type SeverityCounts = Record<Severity, number>;

export function countFindingsByNamespace(findings: Finding[]): Map<string, SeverityCounts> {
  const m = new Map<string, SeverityCounts>();
  for (const f of findings) {
    const c = m.get(f.namespace) ?? { critical: 0, warning: 0, info: 0 };
    c[f.severity] += 1;
    m.set(f.namespace, c);
  }
  return m;
}

/** Link to the service graph of one namespace, same window as the overview. */
export function namespaceGraphHref(namespace: string, window: TimeWindow): string {
  const q = new URLSearchParams({ namespaces: namespace });
  if (window.kind === 'absolute') {
    q.set('start', window.start);
    q.set('end', window.end);
  } else {
    q.set('range', window.range);
  }
  return `/graph?${q}`;
}

/** The overview's own URL for a window. */
export function overviewHref(window: TimeWindow): string {
  const q = new URLSearchParams(window.kind === 'absolute' ? { start: window.start, end: window.end } : { range: window.range });
  return `/?${q}`;
}

const RANGE_RE = /^\d{1,4}[mhd]$/;

/** Window from the overview's search params; invalid input falls back to the default range. */
export function windowFromParams(get: (k: string) => string | null): { window: TimeWindow; error?: string } {
  const start = get('start');
  const end = get('end');
  const range = get('range');
  if (start && end) return { window: { kind: 'absolute', start, end } };
  if (range && RANGE_RE.test(range)) return { window: { kind: 'range', range } };
  return {
    window: { kind: 'range', range: DEFAULT_OVERVIEW_RANGE },
    ...(range ? { error: `range "${range.slice(0, 40)}" is not a duration like 15m or 1h; showing ${DEFAULT_OVERVIEW_RANGE}` } : {}),
  };
}

export function share(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const p = v * 100;
  return `${p >= 99.95 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}

/** Smallest vertical span of a trend line, so a small wiggle draws small and a real change draws tall: 5 percentage points, 2 proxies. */
export const TREND_MIN_SPAN = { share: 0.05, count: 2 } as const;
/** A share change under 0.05 percentage points reads as "no change" (the figures are shown to 0.1 %). */
export const SHARE_NO_CHANGE = 0.0005;

export type TrendKind = keyof typeof TREND_MIN_SPAN;

/** Vertical scale of a trend line: the values' range, widened to TREND_MIN_SPAN around its middle, kept ≥ 0 (and ≤ 1 for shares). */
export function trendDomain(values: readonly (number | null)[], kind: TrendKind): { min: number; max: number } | undefined {
  const nums = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (!nums.length) return undefined;
  let lo = Math.min(...nums);
  let hi = Math.max(...nums);
  const span = TREND_MIN_SPAN[kind];
  if (hi - lo < span) {
    const mid = (lo + hi) / 2;
    lo = mid - span / 2;
    hi = mid + span / 2;
  }
  if (lo < 0) [lo, hi] = [0, hi - lo];
  if (kind === 'share' && hi > 1) [lo, hi] = [Math.max(0, lo - (hi - 1)), 1];
  return { min: lo, max: hi };
}

export interface DeltaLabel {
  text: string;
  /** up/down for the arrow; none = no change; unknown = no data a day ago. */
  direction: 'up' | 'down' | 'none' | 'unknown';
}

/** "+1.2 pp since 24 h ago" (shares: a difference of fractions) or "−2 since 24 h ago" (counts). */
export function deltaLabel(kind: TrendKind, d: number | null | undefined): DeltaLabel {
  if (d === null || d === undefined || !Number.isFinite(d)) return { text: 'no data 24 h ago', direction: 'unknown' };
  const none = kind === 'share' ? Math.abs(d) < SHARE_NO_CHANGE : d === 0;
  if (none) return { text: 'no change since 24 h ago', direction: 'none' };
  const sign = d > 0 ? '+' : '−';
  const size = kind === 'share' ? `${(Math.abs(d) * 100).toFixed(1)} pp` : String(Math.abs(d));
  return { text: `${sign}${size} since 24 h ago`, direction: d > 0 ? 'up' : 'down' };
}

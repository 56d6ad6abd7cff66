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

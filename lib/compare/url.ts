import { z } from 'zod';

// The graph page's `compare` URL parameter (docs/compare.md): what the current window is compared with.
//   compare=1h | 24h | 7d          the same window that long before
//   compare=snap:<snapshot id>     a pinned snapshot
//   compare=<start>~<end>          a custom base window (RFC 3339)

export const COMPARE_OFFSETS = { '1h': 3600, '24h': 86_400, '7d': 604_800 } as const;
export type CompareOffset = keyof typeof COMPARE_OFFSETS;

export type CompareSpec = { kind: 'offset'; offset: CompareOffset } | { kind: 'snapshot'; id: string } | { kind: 'window'; start: string; end: string };

const SNAP = /^snap:([A-Za-z0-9_-]{22,64})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseCompare(value: string): CompareSpec | undefined {
  if (value in COMPARE_OFFSETS) return { kind: 'offset', offset: value as CompareOffset };
  const s = SNAP.exec(value);
  if (s) return { kind: 'snapshot', id: s[1]! };
  const [start, end, ...rest] = value.split('~');
  if (start && end && rest.length === 0 && INSTANT.test(start) && INSTANT.test(end) && Date.parse(start) < Date.parse(end))
    return { kind: 'window', start, end };
  return undefined;
}

export const compareSchema = z
  .string()
  .max(200)
  .refine((v) => parseCompare(v) !== undefined, 'must be 1h, 24h, 7d, snap:<snapshot id> or <start>~<end> (RFC 3339)');

export function formatCompare(spec: CompareSpec): string {
  if (spec.kind === 'offset') return spec.offset;
  if (spec.kind === 'snapshot') return `snap:${spec.id}`;
  return `${spec.start}~${spec.end}`;
}

/** /api/graph/diff base parameters for a current (absolute) window. */
export function baseParams(spec: CompareSpec, current: { start: string; end: string }): Record<string, string> {
  if (spec.kind === 'snapshot') return { baseSnapshot: spec.id };
  if (spec.kind === 'window') return { baseStart: spec.start, baseEnd: spec.end };
  const shift = COMPARE_OFFSETS[spec.offset] * 1000;
  const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
  return { baseStart: iso(Date.parse(current.start) - shift), baseEnd: iso(Date.parse(current.end) - shift) };
}

/** The /api/graph/diff query of a graph view with `compare` (the page's and a pinned snapshot's: the same request). */
export function diffSearchParams(p: {
  compare: string | undefined;
  window: { start: string; end: string } | undefined;
  namespaces: string[];
  clusters: string[];
}): URLSearchParams | undefined {
  const spec = p.compare ? parseCompare(p.compare) : undefined;
  if (!spec || !p.window) return undefined;
  const q = new URLSearchParams({ start: p.window.start, end: p.window.end, ...baseParams(spec, p.window) });
  if (p.namespaces.length) q.set('namespaces', p.namespaces.join(','));
  if (p.clusters.length) q.set('clusters', p.clusters.join(','));
  return q;
}

export function describeCompare(spec: CompareSpec): string {
  if (spec.kind === 'offset') return { '1h': '1 hour before', '24h': '24 hours before', '7d': '7 days before' }[spec.offset];
  if (spec.kind === 'snapshot') return 'a snapshot';
  return `${spec.start} → ${spec.end}`;
}

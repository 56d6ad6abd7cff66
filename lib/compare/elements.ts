import type { GraphElement } from '@/lib/graph/to-elements';
import type { GraphDiff } from './diff';

// Draws a diff on the canvas (docs/compare.md): added edges get `diff-added`, changed ones `diff-changed`
// (their label says so in words, readable in greyscale), and removed edges come back as faded dashed
// `diff-removed` edges when both ends are drawn. Pure.

export const REMOVED_EDGE_PREFIX = 'diff-removed:';

/** Short words for the canvas label of a changed edge (its most severe change). */
const FIELD_WORDS: Record<string, string> = {
  telemetry: 'L7',
  mtls: 'mTLS',
  path: 'path',
  errorRate: 'errors',
  p95Ms: 'latency',
  failedConnectionsPerSec: 'failed conn.',
  waypoint: 'waypoint',
};

function withClass(classes: string, c: string): string {
  return [...new Set([...classes.split(' ').filter(Boolean), c])].sort().join(' ');
}

export function markDiff(elements: readonly GraphElement[], diff: GraphDiff | undefined): GraphElement[] {
  if (!diff) return elements as GraphElement[];
  const byId = new Map(diff.edges.map((e) => [e.id, e]));
  const out = elements.map((el) => {
    if (el.group !== 'edges') return el;
    const d = byId.get(el.data.id);
    if (!d || d.change === 'removed') return el;
    const label = typeof el.data.label === 'string' ? el.data.label : '';
    const top = d.changes[0];
    const word = d.change === 'added' ? 'new' : `changed: ${top ? (FIELD_WORDS[top.field] ?? top.field) : ''}`;
    return { ...el, data: { ...el.data, label: label ? `${word} · ${label}` : word }, classes: withClass(el.classes, `diff-${d.change}`) };
  });
  const nodes = new Set(elements.filter((e) => e.group === 'nodes').map((e) => e.data.id));
  for (const d of diff.edges) {
    if (d.change !== 'removed' || !nodes.has(d.source) || !nodes.has(d.target)) continue;
    out.push({
      group: 'edges',
      data: { id: `${REMOVED_EDGE_PREFIX}${d.id}`, source: d.source, target: d.target, label: 'removed', width: 2 },
      classes: 'diff-removed',
    });
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import type { GraphElement } from '@/lib/graph/to-elements';
import { buildStylesheet } from '@/lib/graph/stylesheet';
import type { EdgeDiff, FieldChange, GraphDiff } from './diff';
import { markDiff, REMOVED_EDGE_PREFIX } from './elements';

const node = (id: string): GraphElement => ({ group: 'nodes', data: { id }, classes: 'workload' });
const edge = (id: string, source: string, target: string, label = ''): GraphElement => ({
  group: 'edges',
  data: { id, source, target, label },
  classes: 'sidecar',
});
const d = (id: string, source: string, target: string, change: EdgeDiff['change'], fields: FieldChange['field'][] = []): EdgeDiff => ({
  id,
  source,
  target,
  change,
  changes: fields.map((field) => ({ field, before: 0, after: 1, text: field, severity: 1 })),
  severity: 1,
});
const diff = (edges: EdgeDiff[]): GraphDiff => ({ base: { start: 'a', end: 'b' }, current: { start: 'c', end: 'd' }, edges, nodes: [] });

describe('markDiff (the canvas marks of a comparison)', () => {
  const elements = [node('a'), node('b'), node('c'), edge('a>b', 'a', 'b', '12 rps'), edge('b>c', 'b', 'c'), edge('a>c', 'a', 'c')];

  it('no diff: the elements as they are', () => {
    expect(markDiff(elements, undefined)).toBe(elements);
  });

  it('added edges get diff-added and "new", changed ones diff-changed and their most severe change in words', () => {
    const out = markDiff(elements, diff([d('a>b', 'a', 'b', 'changed', ['telemetry', 'errorRate']), d('b>c', 'b', 'c', 'added')]));
    const byId = new Map(out.map((e) => [e.data.id, e]));
    expect(byId.get('a>b')).toMatchObject({ classes: 'diff-changed sidecar', data: { label: 'changed: L7 · 12 rps' } });
    expect(byId.get('b>c')).toMatchObject({ classes: 'diff-added sidecar', data: { label: 'new' } });
    expect(byId.get('a>c')).toEqual(elements[5]);
  });

  it('a removed edge comes back faded and dashed when both its ends are drawn, else not at all', () => {
    const out = markDiff(elements, diff([d('c>a', 'c', 'a', 'removed'), d('a>x', 'a', 'x', 'removed')]));
    const removed = out.filter((e) => e.classes === 'diff-removed');
    expect(removed).toEqual([
      { group: 'edges', data: { id: `${REMOVED_EDGE_PREFIX}c>a`, source: 'c', target: 'a', label: 'removed', width: 2 }, classes: 'diff-removed' },
    ]);
    const block = buildStylesheet().find((s) => 'selector' in s && s.selector === 'edge.diff-removed') as unknown as { style: Record<string, unknown> };
    const style = block.style;
    expect(style).toMatchObject({ 'line-style': 'dashed', opacity: 0.6 });
  });
});

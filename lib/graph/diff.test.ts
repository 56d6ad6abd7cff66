import { describe, expect, it } from 'vitest';
import { addedLeafNodes, diffElements } from './diff';
import type { GraphElement } from './to-elements';

const node = (id: string, extra: Record<string, unknown> = {}, classes = 'a'): GraphElement => ({ group: 'nodes', data: { id, ...extra }, classes });
const edge = (s: string, t: string, extra: Record<string, unknown> = {}, classes = 'e'): GraphElement => ({
  group: 'edges',
  data: { id: `${s}->${t}`, source: s, target: t, ...extra },
  classes,
});

describe('diffElements', () => {
  it('is empty for identical lists (a poll with the same numbers)', () => {
    const els = [node('ns:a'), node('x', { parent: 'ns:a' }), node('y'), edge('x', 'y', { width: 2 })];
    const d = diffElements(
      els,
      els.map((e) => ({ ...e, data: { ...e.data } })),
    );
    expect(d).toEqual({ add: [], remove: [], update: [], topologyChanged: false });
  });

  it('turns changed rates into data updates without touching topology', () => {
    const prev = [node('x'), node('y'), edge('x', 'y', { width: 2, label: '' })];
    const next = [node('x'), node('y'), edge('x', 'y', { width: 5, label: '30% errors' }, 'e health-error')];
    const d = diffElements(prev, next);
    expect(d.add).toEqual([]);
    expect(d.remove).toEqual([]);
    expect(d.update).toEqual([{ id: 'x->y', data: next[2]!.data, classes: 'e health-error' }]);
    expect(d.topologyChanged).toBe(false);
  });

  it('adds and removes, parents before children before edges', () => {
    const prev = [node('x'), node('gone'), edge('x', 'gone')];
    const next = [edge('x', 'z'), node('z', { parent: 'ns:b' }), node('x'), node('ns:b')];
    const d = diffElements(prev, next);
    expect(d.remove.sort()).toEqual(['gone', 'x->gone'].sort());
    expect(d.add.map((e) => e.data.id)).toEqual(['ns:b', 'z', 'x->z']);
    expect(d.topologyChanged).toBe(true);
    expect(addedLeafNodes(d, next)).toEqual(['z']);
  });

  it('re-creates a node whose parent changed, and its surviving edges', () => {
    const prev = [node('ns:a'), node('x', { parent: 'ns:a' }), node('y'), edge('x', 'y', { width: 1 })];
    const next = [node('ns:b'), node('x', { parent: 'ns:b' }), node('y'), edge('x', 'y', { width: 1 })];
    const d = diffElements(prev, next);
    expect(d.remove).toEqual(expect.arrayContaining(['ns:a', 'x', 'x->y']));
    expect(d.add.map((e) => e.data.id)).toEqual(['ns:b', 'x', 'x->y']);
    expect(d.update).toEqual([]);
  });

  it('ignores undefined data fields when comparing', () => {
    const d = diffElements([node('x', { parent: undefined })], [node('x')]);
    expect(d.update).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseUrlState, serializeUrlState } from '@/lib/graph/url-state';
import type { GraphDiff } from './diff';
import { markDiff, REMOVED_EDGE_PREFIX } from './elements';
import { baseParams, parseCompare } from './url';

describe('compare= URL parameter', () => {
  it('offsets, snapshots and custom windows; anything else is reported by the page parser', () => {
    expect(parseCompare('24h')).toEqual({ kind: 'offset', offset: '24h' });
    expect(parseCompare('snap:AAAAAAAAAAAAAAAAAAAAAA')).toEqual({ kind: 'snapshot', id: 'AAAAAAAAAAAAAAAAAAAAAA' });
    expect(parseCompare('2026-11-21T20:00:00Z~2026-11-21T20:15:00Z')).toEqual({ kind: 'window', start: '2026-11-21T20:00:00Z', end: '2026-11-21T20:15:00Z' });
    expect(parseCompare('2026-11-21T21:00:00Z~2026-11-21T20:15:00Z')).toBeUndefined();
    expect(parseCompare('3h')).toBeUndefined();
    expect(parseUrlState(new URLSearchParams('compare=<b>')).errors.map((e) => e.param)).toEqual(['compare']);
  });
  it('survives a round trip through the URL (Share and snapshots keep it)', () => {
    const { state } = parseUrlState(new URLSearchParams('range=1h&compare=7d'));
    expect(serializeUrlState(state).get('compare')).toBe('7d');
  });
  it('an offset shifts the current window', () => {
    expect(baseParams({ kind: 'offset', offset: '1h' }, { start: '2026-11-21T21:00:00Z', end: '2026-11-21T21:15:00Z' })).toEqual({
      baseStart: '2026-11-21T20:00:00Z',
      baseEnd: '2026-11-21T20:15:00Z',
    });
  });
});

describe('markDiff', () => {
  it('classes added and changed edges, words their label, and draws removed edges between drawn nodes', () => {
    const els = [
      { group: 'nodes' as const, data: { id: 'a' }, classes: 'mesh-node' },
      { group: 'nodes' as const, data: { id: 'b' }, classes: 'mesh-node' },
      { group: 'edges' as const, data: { id: 'a->b', source: 'a', target: 'b', label: '12 rps' }, classes: 'mesh-edge' },
    ];
    const diff: GraphDiff = {
      base: { start: '', end: '' },
      current: { start: '', end: '' },
      edges: [
        {
          id: 'a->b',
          source: 'a',
          target: 'b',
          change: 'changed',
          changes: [{ field: 'telemetry', before: 'l7', after: 'l4', text: '', severity: 100 }],
          severity: 100,
        },
        { id: 'b->a', source: 'b', target: 'a', change: 'removed', changes: [], severity: 60 },
        { id: 'b->z', source: 'b', target: 'z', change: 'removed', changes: [], severity: 60 },
      ],
      nodes: [],
    };
    const out = markDiff(els, diff);
    expect(out[2]).toMatchObject({ classes: 'diff-changed mesh-edge', data: { label: 'changed: L7 · 12 rps' } });
    expect(out.filter((e) => e.classes === 'diff-removed').map((e) => e.data.id)).toEqual([`${REMOVED_EDGE_PREFIX}b->a`]);
    expect(markDiff(els, undefined)).toBe(els);
  });
});

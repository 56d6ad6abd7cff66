import { describe, expect, it } from 'vitest';
import { parseInstant, rangeToSeconds } from '@/lib/api/scope';
import { defaultUrlState, parseUrlState, serializeUrlState, shareState } from './url-state';

const parse = (q: string) => parseUrlState(new URLSearchParams(q));

describe('parseUrlState', () => {
  it('gives defaults for an empty query', () => {
    const { state, errors } = parse('');
    expect(errors).toEqual([]);
    expect(state).toEqual(defaultUrlState());
    expect(state.window).toEqual({ kind: 'range', range: '15m' });
  });

  it('parses every parameter', () => {
    const { state, errors } = parse(
      'namespaces=shop,inventory&start=2026-11-21T21:00:00Z&end=1795295700&selected=workload:Kubernetes/shop/web&path=ambient,waypoint&telemetry=l4&mtls=plaintext&hideOutOfMesh=1&hideIdle=true&q=cart&layout=grid&expand=1&view=list&overlay=coverage&refresh=1m',
    );
    expect(errors).toEqual([]);
    expect(state.namespaces).toEqual(['shop', 'inventory']);
    expect(state.window).toEqual({ kind: 'absolute', start: '2026-11-21T21:00:00.000Z', end: new Date(1795295700 * 1000).toISOString() });
    expect(state.selected).toBe('workload:Kubernetes/shop/web');
    expect(state.filters).toEqual({
      paths: ['ambient', 'waypoint'],
      telemetry: ['l4'],
      mtls: ['plaintext'],
      hideOutOfMesh: true,
      hideIdle: true,
      search: 'cart',
    });
    expect(state.layout).toBe('grid');
    expect(state.expandWaypoints).toBe(true);
    expect(state.view).toBe('list');
    expect(state.overlay).toBe('coverage');
    expect(parseUrlState(new URLSearchParams('overlay=policy')).state.overlay).toBe('policy');
    expect(state.refresh).toBe(60);
  });

  it('names the bad parameter and keeps the others', () => {
    const { state, errors } = parse('range=banana&view=list&path=ambient,teleport');
    expect(errors.map((e) => e.param).sort()).toEqual(['path', 'range']);
    expect(errors.find((e) => e.param === 'path')?.message).toContain('sidecar');
    expect(state.window).toEqual({ kind: 'range', range: '15m' });
    expect(state.view).toBe('list');
    expect(state.filters.paths).toEqual([]);
  });

  it('rejects inconsistent windows', () => {
    expect(parse('start=2026-11-21T21:00:00Z').errors.map((e) => e.param)).toEqual(['end']);
    expect(parse('start=2026-11-21T21:00:00Z&end=2026-11-21T20:00:00Z').errors.map((e) => e.param)).toEqual(['end']);
    expect(parse('start=yesterday&end=2026-11-21T20:00:00Z').errors.map((e) => e.param)).toEqual(['start']);
    expect(parse('start=2026-11-21T21:00:00Z&end=2026-11-21T22:00:00Z&range=5m').errors.map((e) => e.param)).toEqual(['range']);
    expect(parse('range=10s').errors.map((e) => e.param)).toEqual(['range']);
    expect(parse('range=90d').errors.map((e) => e.param)).toEqual(['range']);
  });

  it('rejects hostile namespaces and ids without throwing', () => {
    expect(parse('namespaces=shop,<script>').errors[0]?.param).toBe('namespaces');
    expect(parse('selected=' + encodeURIComponent('a b')).errors[0]?.param).toBe('selected');
    expect(parse('refresh=2s').errors[0]?.param).toBe('refresh');
    expect(parse('layout=dagre').errors[0]).toMatchObject({ param: 'layout' });
  });

  it('parses clusters (Istio cluster names, deduplicated, order kept) and names a bad one', () => {
    const { state, errors } = parse('clusters=east,Kubernetes,east,eu-west_1.prod');
    expect(errors).toEqual([]);
    expect(state.clusters).toEqual(['east', 'Kubernetes', 'eu-west_1.prod']);
    for (const bad of ['east,-west', 'a/b', '"} or vector(1)', 'x'.repeat(64), '<script>']) {
      const r = parse(`clusters=${encodeURIComponent(bad)}`);
      expect(
        r.errors.map((e) => e.param),
        bad,
      ).toEqual(['clusters']);
      expect(r.errors[0]?.message).toContain('not a valid cluster name');
      expect(r.state.clusters).toEqual([]);
    }
    expect(parse('clusters=' + 'x'.repeat(63)).state.clusters).toEqual(['x'.repeat(63)]);
    expect(parse('clusters=,').state.clusters).toEqual([]);
  });

  it('accepts refresh=off', () => {
    expect(parse('refresh=off').state.refresh).toBe(0);
  });

  it('accepts a plain record (Next searchParams)', () => {
    expect(parseUrlState({ view: ['list', 'graph'], range: '1h' }).state).toMatchObject({ view: 'list', window: { range: '1h' } });
  });
});

describe('serializeUrlState', () => {
  it('omits defaults', () => {
    expect(serializeUrlState(defaultUrlState()).toString()).toBe('');
  });

  it('round-trips', () => {
    const q =
      'namespaces=shop&clusters=east,Kubernetes&start=2026-11-21T21:00:00.000Z&end=2026-11-21T21:15:00.000Z&selected=a->b&path=mixed&mtls=unknown,plaintext&hideIdle=1&layout=concentric&expand=1&view=list&overlay=coverage&refresh=off';
    const { state, errors } = parse(q);
    expect(errors).toEqual([]);
    const again = parseUrlState(serializeUrlState(state));
    expect(again.errors).toEqual([]);
    expect(again.state).toEqual(state);
  });

  it('keeps expanded namespaces (expandNs) apart from the waypoint switch (expand), and collapse=0', () => {
    const { state, errors } = parse('expand=1&expandNs=shop,orders,shop&collapse=0');
    expect(errors).toEqual([]);
    expect(state).toMatchObject({ expandWaypoints: true, expandNamespaces: ['shop', 'orders'], collapse: false });
    expect(serializeUrlState(state).toString()).toBe('expand=1&expandNs=shop%2Corders&collapse=0');
    expect(parse('collapse=1').state.collapse).toBeUndefined();
    const bad = parse('expandNs=shop,<script>');
    expect(bad.errors.map((e) => e.param)).toEqual(['expandNs']);
    expect(bad.state.expandNamespaces).toBeUndefined();
  });

  it('share state freezes the window to absolute start/end', () => {
    const st = { ...defaultUrlState(), selected: 'x', clusters: ['east'] };
    const shared = serializeUrlState(shareState(st, { start: '2026-11-21T21:00:00Z', end: '2026-11-21T21:15:00Z' }));
    expect(shared.get('range')).toBeNull();
    expect(shared.get('start')).toBe('2026-11-21T21:00:00Z');
    expect(shared.get('end')).toBe('2026-11-21T21:15:00Z');
    expect(shared.get('selected')).toBe('x');
    expect(shared.get('clusters')).toBe('east');
  });
});

describe('helpers', () => {
  it('rangeToSeconds', () => {
    expect(rangeToSeconds('15m')).toBe(900);
    expect(rangeToSeconds('7d')).toBe(604800);
    expect(rangeToSeconds('1y')).toBeUndefined();
  });
  it('parseInstant', () => {
    expect(parseInstant('2026-11-21T21:00:00Z')).toBe(Date.UTC(2026, 10, 21, 21));
    expect(parseInstant('1795294800')).toBe(Date.UTC(2026, 10, 21, 21));
    expect(parseInstant('2026-11-21')).toBeUndefined();
  });
});

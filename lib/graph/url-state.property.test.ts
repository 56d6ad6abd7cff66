import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rangeToSeconds } from '@/lib/api/scope';
import { defaultUrlState, LAYOUT_NAMES, MTLS_VALUES, parseUrlState, PATHS, serializeUrlState, TELEMETRIES, type GraphUrlState } from './url-state';

// Property tests of the graph page's URL state (docs/api.md §5): whatever a link contains, parsing never
// throws; a bad value is reported by parameter name with a short message and leaves that field at its
// default; and every valid state survives serialise → URL string → parse unchanged.

const PARAMS = [
  'namespaces',
  'clusters',
  'range',
  'start',
  'end',
  'selected',
  'path',
  'telemetry',
  'mtls',
  'hideOutOfMesh',
  'hideIdle',
  'q',
  'layout',
  'expand',
  'expandNs',
  'collapse',
  'view',
  'overlay',
  'refresh',
] as const;
const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=window.__pwned=1>',
  '"}) or vector(1) #',
  '%00',
  '\u0000',
  '../../etc/passwd',
  '\u202e',
  '\u{1F600}',
  ' ',
  ',',
  ',,',
  'constructor',
  '__proto__',
  'toString',
  '1e999',
  '-1',
  'NaN',
  'off',
  '0s',
  '99999999m',
];
const anyValue = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(...HOSTILE), fc.string({ maxLength: 700 }));

const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
const clusterName = fc.stringMatching(/^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$/);
const MAX_WINDOW = 30 * 24 * 3600;
const range = fc
  .tuple(fc.integer({ min: 1, max: 999_999 }), fc.constantFrom('s', 'm', 'h', 'd', 'w'))
  .map(([n, u]) => `${n}${u}`)
  .filter((r) => {
    const s = rangeToSeconds(r)!;
    return s >= 60 && s <= MAX_WINDOW;
  });
// Years 1970..9999 (toISOString of later years has a sign and 6 digits, not RFC 3339).
const instantMs = fc.integer({ min: 0, max: Date.UTC(9999, 0, 1) });
const absolute = fc
  .tuple(instantMs, fc.integer({ min: 1, max: MAX_WINDOW * 1000 }))
  .filter(([a, d]) => a + d <= Date.UTC(9999, 11, 31))
  .map(([a, d]) => ({ kind: 'absolute' as const, start: new Date(a).toISOString(), end: new Date(a + d).toISOString() }));

const validState: fc.Arbitrary<GraphUrlState> = fc.record(
  {
    namespaces: fc.uniqueArray(dnsLabel, { maxLength: 6 }),
    clusters: fc.uniqueArray(clusterName, { maxLength: 4 }),
    window: fc.oneof(
      range.map((r) => ({ kind: 'range' as const, range: r })),
      absolute,
    ),
    selected: fc.stringMatching(/^[\x21-\x7e]{1,600}$/),
    filters: fc.record({
      paths: fc.uniqueArray(fc.constantFrom(...PATHS)),
      telemetry: fc.uniqueArray(fc.constantFrom(...TELEMETRIES)),
      mtls: fc.uniqueArray(fc.constantFrom(...MTLS_VALUES)),
      hideOutOfMesh: fc.boolean(),
      hideIdle: fc.boolean(),
      // Well-formed unicode (a URL cannot carry lone surrogates), at most 100 UTF-16 units.
      search: fc.oneof(fc.string({ unit: 'binary', maxLength: 100 }), fc.constantFrom(...HOSTILE)).filter((s) => s.length <= 100),
    }),
    layout: fc.constantFrom(...LAYOUT_NAMES),
    expandWaypoints: fc.boolean(),
    expandNamespaces: fc.uniqueArray(dnsLabel, { minLength: 1, maxLength: 6 }),
    collapse: fc.constant(false as const),
    view: fc.constantFrom('graph' as const, 'list' as const),
    overlay: fc.constantFrom('none' as const, 'coverage' as const, 'policy' as const),
    refresh: fc.oneof(fc.constant(0), fc.integer({ min: 5, max: 3600 })),
  },
  { requiredKeys: ['namespaces', 'clusters', 'window', 'filters', 'expandWaypoints', 'view', 'overlay', 'refresh'] },
);

/** Serialise, go through the URL string (as a link does), parse. */
const viaUrl = (s: GraphUrlState) => parseUrlState(new URLSearchParams(serializeUrlState(s).toString()));

describe('parseUrlState (property)', () => {
  it('never throws and always returns a well-formed state, whatever the query string', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PARAMS), fc.string({ maxLength: 12 })), anyValue), { maxLength: 12 }), (pairs) => {
        const params = new URLSearchParams();
        for (const [k, v] of pairs) params.append(k, v);
        for (const input of [params, new URLSearchParams(params.toString()), Object.fromEntries(pairs)]) {
          const { state, errors } = parseUrlState(input);
          expect(Array.isArray(state.namespaces)).toBe(true);
          expect(Array.isArray(state.clusters)).toBe(true);
          expect(['range', 'absolute']).toContain(state.window.kind);
          expect(Number.isFinite(state.refresh)).toBe(true);
          for (const e of errors) expect((PARAMS as readonly string[]).includes(e.param), `error names a known parameter: ${e.param}`).toBe(true);
          // The state it returns is itself valid: serialising and parsing it again is lossless and clean.
          expect(viaUrl(state)).toEqual({ state, errors: [] });
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('also accepts repeated parameters as arrays (Next.js searchParams) without throwing', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...PARAMS), fc.oneof(anyValue, fc.array(anyValue, { maxLength: 3 }), fc.constant(undefined))), (record) => {
        expect(() => parseUrlState(record)).not.toThrow();
      }),
    );
  });

  it('round-trips every valid state: parse(serialize(x)) = x with no errors', () => {
    fc.assert(
      fc.property(validState, (s) => {
        expect(viaUrl(s)).toEqual({ state: s, errors: [] });
      }),
      { numRuns: 1000 },
    );
  });

  // One invalid value per parameter: reported by name, with a short message, and that field keeps its default.
  const INVALID: { param: (typeof PARAMS)[number]; value: fc.Arbitrary<string>; field: (s: GraphUrlState) => unknown }[] = [
    {
      param: 'namespaces',
      value: anyValue.filter((v) => v.split(',').some((n) => n.trim() !== '' && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(n.trim()))),
      field: (s) => s.namespaces,
    },
    {
      param: 'clusters',
      value: anyValue.filter((v) => v.split(',').some((c) => c.trim() !== '' && !/^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$/.test(c.trim()))),
      field: (s) => s.clusters,
    },
    {
      param: 'range',
      value: anyValue.filter((v) => v !== '' && !(rangeToSeconds(v) !== undefined && rangeToSeconds(v)! >= 60 && rangeToSeconds(v)! <= MAX_WINDOW)),
      field: (s) => s.window,
    },
    { param: 'selected', value: anyValue.filter((v) => v !== '' && !/^[\x21-\x7e]{1,600}$/.test(v)), field: (s) => s.selected },
    {
      param: 'path',
      value: anyValue.filter((v) => v.split(',').some((x) => x.trim() !== '' && !(PATHS as readonly string[]).includes(x.trim()))),
      field: (s) => s.filters.paths,
    },
    {
      param: 'telemetry',
      value: anyValue.filter((v) => v.split(',').some((x) => x.trim() !== '' && !(TELEMETRIES as readonly string[]).includes(x.trim()))),
      field: (s) => s.filters.telemetry,
    },
    {
      param: 'mtls',
      value: anyValue.filter((v) => v.split(',').some((x) => x.trim() !== '' && !(MTLS_VALUES as readonly string[]).includes(x.trim()))),
      field: (s) => s.filters.mtls,
    },
    { param: 'hideOutOfMesh', value: anyValue.filter((v) => v !== '' && !['1', '0', 'true', 'false'].includes(v)), field: (s) => s.filters.hideOutOfMesh },
    { param: 'hideIdle', value: anyValue.filter((v) => v !== '' && !['1', '0', 'true', 'false'].includes(v)), field: (s) => s.filters.hideIdle },
    { param: 'q', value: fc.string({ minLength: 101, maxLength: 700 }), field: (s) => s.filters.search },
    { param: 'layout', value: anyValue.filter((v) => v !== '' && !(LAYOUT_NAMES as readonly string[]).includes(v)), field: (s) => s.layout },
    { param: 'expand', value: anyValue.filter((v) => v !== '' && !['1', '0', 'true', 'false'].includes(v)), field: (s) => s.expandWaypoints },
    { param: 'view', value: anyValue.filter((v) => v !== '' && v !== 'graph' && v !== 'list'), field: (s) => s.view },
    { param: 'overlay', value: anyValue.filter((v) => v !== '' && v !== 'none' && v !== 'coverage' && v !== 'policy'), field: (s) => s.overlay },
    {
      param: 'refresh',
      value: anyValue.filter((v) => v !== '' && v !== 'off' && !(rangeToSeconds(v) !== undefined && rangeToSeconds(v)! >= 5 && rangeToSeconds(v)! <= 3600)),
      field: (s) => s.refresh,
    },
    { param: 'start', value: anyValue.filter((v) => v !== '' && !/^\d{9,11}(\.\d+)?$/.test(v) && Number.isNaN(Date.parse(v))), field: (s) => s.window },
  ];

  for (const { param, value, field } of INVALID) {
    it(`a bad "${param}" gives a friendly error naming it and keeps its default`, () => {
      fc.assert(
        fc.property(value, (v) => {
          const params = new URLSearchParams({ [param]: v, ...(param === 'start' ? { end: '2026-11-21T21:00:00Z' } : {}) });
          const { state, errors } = parseUrlState(params);
          const mine = errors.filter((e) => e.param === param);
          expect(mine, `errors for ${param}=${JSON.stringify(v)}: ${JSON.stringify(errors)}`).toHaveLength(1);
          const message = mine[0]!.message;
          expect(message.trim().length).toBeGreaterThan(0);
          // Short enough for a banner whatever the input length; never a stack trace or a zod dump.
          expect(message.length).toBeLessThanOrEqual(160);
          expect(message).not.toMatch(/\bat \S+:\d+|ZodError|\[object/);
          expect(field(state)).toEqual(field(defaultUrlState()));
        }),
        { numRuns: 200 },
      );
    });
  }
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ParamError, graphQueryKey, parseGraphQuery, parseNamespaces, parseNamespacesOmit, parseRange, parseTime, parseWindow } from './params';

const NOW = 1_795_300_000; // 2026-11-22T…

function q(s: string) {
  return new URLSearchParams(s);
}

function paramOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ParamError) return e.param;
    throw e;
  }
  return undefined;
}

describe('parseRange', () => {
  it('accepts s/m/h/d/w units', () => {
    expect(parseRange('5m')).toBe(300);
    expect(parseRange('1h')).toBe(3600);
    expect(parseRange('7d')).toBe(604800);
    expect(parseRange('2w')).toBe(1209600);
    expect(parseRange('90s')).toBe(90);
  });
  it('rejects windows outside 1m..30d and garbage', () => {
    expect(() => parseRange('30s')).toThrow(/at least 1m/);
    expect(() => parseRange('31d')).toThrow(/at most 30d/);
    expect(() => parseRange('5 minutes')).toThrow(ParamError);
    expect(() => parseRange('-5m')).toThrow(ParamError);
    expect(() => parseRange('1y')).toThrow(ParamError);
  });
});

describe('parseTime', () => {
  it('parses RFC 3339 with Z or offset and unix seconds', () => {
    expect(parseTime('start', '2026-11-21T21:00:00Z')).toBe(Date.UTC(2026, 10, 21, 21) / 1000);
    expect(parseTime('start', '2026-11-21T22:00:00+01:00')).toBe(Date.UTC(2026, 10, 21, 21) / 1000);
    expect(parseTime('end', '1795300000')).toBe(1795300000);
    expect(parseTime('end', '1795300000.75')).toBe(1795300000);
  });
  it('rejects other formats naming the parameter', () => {
    expect(paramOf(() => parseTime('start', '21/11/2026'))).toBe('start');
    expect(paramOf(() => parseTime('end', '2026-11-21 21:00'))).toBe('end');
    expect(paramOf(() => parseTime('end', '12'))).toBe('end');
  });
});

describe('parseWindow', () => {
  it('defaults to the last 15 minutes, end aligned to 5 s', () => {
    const w = parseWindow(q(''), NOW + 3);
    expect(w).toEqual({ start: NOW - 900, end: NOW, relative: true });
  });
  it('absolute windows are returned as given', () => {
    const w = parseWindow(q('start=2026-11-21T21:00:00Z&end=2026-11-21T21:15:00Z'), NOW);
    expect(w.end - w.start).toBe(900);
    expect(w.relative).toBe(false);
  });
  it('names the faulty parameter', () => {
    expect(paramOf(() => parseWindow(q('start=1795200000'), NOW))).toBe('end');
    expect(paramOf(() => parseWindow(q('end=1795200000'), NOW))).toBe('start');
    expect(paramOf(() => parseWindow(q('start=1795200000&end=1795100000'), NOW))).toBe('start');
    expect(paramOf(() => parseWindow(q('range=1h&start=1795200000&end=1795203600'), NOW))).toBe('range');
    expect(paramOf(() => parseWindow(q(`start=${NOW}&end=${NOW + 3600}`), NOW))).toBe('end');
    expect(paramOf(() => parseWindow(q(`start=${NOW - 30}&end=${NOW}`), NOW))).toBe('start');
  });
});

describe('parseNamespaces', () => {
  it('splits, trims, dedupes and sorts', () => {
    expect(parseNamespaces(q('namespaces=shop,inventory,shop'))).toEqual(['inventory', 'shop']);
    expect(parseNamespaces(q('namespaces=shop&namespaces=payments'))).toEqual(['payments', 'shop']);
    expect(parseNamespaces(q(''))).toBeUndefined();
    expect(parseNamespaces(q('namespaces='))).toBeUndefined();
  });
  it('rejects anything that is not a DNS-1123 label', () => {
    for (const bad of ['Shop', 'a_b', '-a', 'a-', 'a"b', 'x.y', 'a'.repeat(64), '<script>', 'a|b', '.*']) {
      expect(paramOf(() => parseNamespaces(new URLSearchParams({ namespaces: bad })))).toBe('namespaces');
    }
  });
  it('property: whatever the input, result is undefined, or only DNS-1123 labels, or a ParamError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        try {
          const r = parseNamespaces(new URLSearchParams({ namespaces: s }));
          return r === undefined || r.every((n) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n) && n.length <= 63);
        } catch (e) {
          return e instanceof ParamError && e.param === 'namespaces';
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseGraphQuery', () => {
  it('rejects unknown parameters and bad booleans', () => {
    expect(paramOf(() => parseGraphQuery(q('foo=1'), NOW))).toBe('foo');
    expect(paramOf(() => parseGraphQuery(q('expandWaypoints=yes'), NOW))).toBe('expandWaypoints');
  });
  it('group: workload (default, absent from the query) or version; anything else is a 400 naming group', () => {
    expect(parseGraphQuery(q('range=1h'), NOW).group).toBeUndefined();
    expect(parseGraphQuery(q('group=workload'), NOW).group).toBeUndefined();
    expect(parseGraphQuery(q('group=version'), NOW).group).toBe('version');
    expect(paramOf(() => parseGraphQuery(q('group=app'), NOW))).toBe('group');
    expect(paramOf(() => parseGraphQuery(q('group=<script>'), NOW))).toBe('group');
    const plain = parseGraphQuery(q('range=1h'), NOW);
    expect(graphQueryKey(parseGraphQuery(q('range=1h&group=workload'), NOW))).toBe(graphQueryKey(plain));
    expect(graphQueryKey(parseGraphQuery(q('range=1h&group=version'), NOW))).not.toBe(graphQueryKey(plain));
  });
  it('omit: latency and detail, as a list, deduplicated and sorted; anything else is a 400 naming omit', () => {
    expect(parseGraphQuery(q('omit=latency'), NOW).omit).toEqual(['latency']);
    expect(parseGraphQuery(q('omit=latency,detail'), NOW).omit).toEqual(['detail', 'latency']);
    expect(parseGraphQuery(q('omit=detail&omit=detail'), NOW).omit).toEqual(['detail']);
    expect(() => parseGraphQuery(q('omit=details'), NOW)).toThrow('omit may list detail, latency (got "details")');
    expect(parseGraphQuery(q('omit=latency,latency&omit=latency'), NOW).omit).toEqual(['latency']);
    expect(parseGraphQuery(q('omit='), NOW).omit).toBeUndefined();
    expect(parseGraphQuery(q(''), NOW).omit).toBeUndefined();
    expect(paramOf(() => parseGraphQuery(q('omit=rates'), NOW))).toBe('omit');
    expect(paramOf(() => parseGraphQuery(q('omit=latency,nodes'), NOW))).toBe('omit');
    const whole = parseGraphQuery(q('range=1h'), NOW);
    expect(graphQueryKey(parseGraphQuery(q('range=1h&omit=latency'), NOW))).not.toBe(graphQueryKey(whole));
  });
  it('omit on /api/namespaces: only traffic; latency (a graph part) and anything else is a 400 naming omit', () => {
    expect(parseNamespacesOmit(q('omit=traffic'))).toEqual(['traffic']);
    expect(parseNamespacesOmit(q('omit=traffic,traffic&omit=traffic'))).toEqual(['traffic']);
    expect(parseNamespacesOmit(q('omit='))).toBeUndefined();
    expect(parseNamespacesOmit(q(''))).toBeUndefined();
    expect(paramOf(() => parseNamespacesOmit(q('omit=latency')))).toBe('omit');
    expect(paramOf(() => parseNamespacesOmit(q('omit=traffic,edges')))).toBe('omit');
    expect(() => parseNamespacesOmit(q('omit=Traffic'))).toThrow('omit may list traffic (got "Traffic")');
    // and the graph's omit does not take traffic
    expect(paramOf(() => parseGraphQuery(q('omit=traffic'), NOW))).toBe('omit');
  });
  it('normalised keys: equal queries give equal keys', () => {
    const a = parseGraphQuery(q('namespaces=b,a&range=1h'), NOW);
    const b = parseGraphQuery(q('range=1h&namespaces=a,b'), NOW + 2);
    expect(graphQueryKey(a)).toBe(graphQueryKey(b));
    expect(graphQueryKey(a)).not.toBe(graphQueryKey(parseGraphQuery(q('namespaces=a&range=1h'), NOW)));
  });
  it('property: any query string either parses or fails with a ParamError naming a parameter present in it', () => {
    const keys = fc.constantFrom('namespaces', 'range', 'start', 'end', 'expandWaypoints', 'omit', 'x');
    fc.assert(
      fc.property(fc.array(fc.tuple(keys, fc.string({ maxLength: 40 })), { maxLength: 5 }), (pairs) => {
        const params = new URLSearchParams(pairs);
        try {
          const r = parseGraphQuery(params, NOW);
          return r.window.start < r.window.end && r.window.end - r.window.start >= 60;
        } catch (e) {
          return e instanceof ParamError && (params.has(e.param) || ['start', 'end'].includes(e.param));
        }
      }),
      { numRuns: 2000 },
    );
  });
});

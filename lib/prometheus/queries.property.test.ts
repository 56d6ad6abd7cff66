import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alternationMatcher, buildGraphQueries, buildSelectionSeriesQueries, escapeLabelValue, regexEscape, selector, type Matcher } from './queries';

// Property tests of the PromQL escaping (pure half). The same properties are checked against the real
// Prometheus parser and RE2 in tests/security/promql-escaping.test.ts; here a reference reader of PromQL
// double-quoted strings (Go escape rules, as in Prometheus' lexer) stands in for the parser.

/** Hostile fragments mixed into generated values. */
const HOSTILE = [
  '"',
  '\\',
  '\n',
  '\r',
  '\t',
  '"}) or vector(1) #',
  '"} or up{a="',
  '\\"',
  '\\\\"',
  '}',
  '{',
  ',',
  '=~',
  '#',
  '`',
  "'",
  '\u2028',
  '\u0000',
  '\u{1F600}',
  'é',
  '\\u0022',
  '\\x22',
];

/** Arbitrary strings of full unicode code points, biased towards the characters that matter. */
const hostileString = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom(...HOSTILE),
      fc.string({ unit: fc.constantFrom('"', '\\', '\n', 'a', '}', '|', '.', '*'), maxLength: 6 }),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/**
 * Reads one PromQL double-quoted string starting at `src[pos]` (which must be `"`), with Go escape rules.
 * Returns the decoded value and the index after the closing quote; throws on anything the lexer rejects.
 */
function readPromString(src: string, pos: number): { value: string; end: number } {
  if (src[pos] !== '"') throw new Error(`expected " at ${pos}`);
  let out = '';
  let i = pos + 1;
  for (;;) {
    const cp = src.codePointAt(i);
    if (cp === undefined) throw new Error('unterminated string');
    const c = String.fromCodePoint(cp);
    i += c.length;
    if (c === '"') return { value: out, end: i };
    if (c === '\n') throw new Error('raw newline inside a string');
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = src[i++];
    if (e === undefined) throw new Error('dangling backslash');
    if (e in ESCAPES) out += ESCAPES[e];
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = src.slice(i, i + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new Error(`bad \\${e} escape`);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += n;
    } else if (/[0-7]/.test(e)) {
      const oct = e + src.slice(i, i + 2);
      if (!/^[0-7]{3}$/.test(oct)) throw new Error('bad octal escape');
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else throw new Error(`unknown escape \\${e}`);
  }
}

/** Splits `{l1="v1", l2!~"v2"}` into matchers with a strict reader; throws on any leftover syntax. */
function readSelector(src: string): Matcher[] {
  const out: Matcher[] = [];
  if (src[0] !== '{') throw new Error('selector must start with {');
  let i = 1;
  for (;;) {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)/.exec(src.slice(i));
    if (!m) throw new Error(`expected a matcher at ${i}: ${JSON.stringify(src.slice(i, i + 20))}`);
    i += m[0].length;
    const { value, end } = readPromString(src, i);
    out.push({ label: m[1]!, op: m[2] as Matcher['op'], value });
    i = end;
    if (src.slice(i, i + 2) === ', ') i += 2;
    else if (src[i] === '}' && i === src.length - 1) return out;
    else throw new Error(`unexpected ${JSON.stringify(src.slice(i, i + 20))} after a matcher`);
  }
}

const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,20}$/);
const op = fc.constantFrom<Matcher['op']>('=', '!=', '=~', '!~');
const matcherArb = fc.record({ label: labelName, op, value: hostileString });

describe('escapeLabelValue / selector (property)', () => {
  it('a single matcher reads back as exactly that label, operator and value', () => {
    fc.assert(
      fc.property(labelName, op, hostileString, (label, o, value) => {
        expect(readSelector(selector([{ label, op: o, value }]))).toEqual([{ label, op: o, value }]);
      }),
      { numRuns: 1000 },
    );
  });

  it('several matchers read back in order, none leaking into another', () => {
    fc.assert(
      fc.property(fc.array(matcherArb, { minLength: 1, maxLength: 6 }), (ms) => {
        expect(readSelector(selector(ms))).toEqual(ms);
      }),
      { numRuns: 500 },
    );
  });

  it('escaped values never contain an unescaped quote or a raw line break', () => {
    fc.assert(
      fc.property(hostileString, (v) => {
        const e = escapeLabelValue(v);
        expect(e).not.toMatch(/[\n\r]/);
        // Every quote is preceded by an odd number of backslashes.
        for (const m of e.matchAll(/(\\*)"/g)) expect(m[1]!.length % 2).toBe(1);
        expect(readPromString(`"${e}"`, 0)).toEqual({ value: v, end: e.length + 2 });
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects label names that are not PromQL identifiers instead of emitting them', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).filter((s) => !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(s)),
        hostileString,
        (label, value) => {
          expect(() => selector([{ label, op: '=', value }])).toThrow(RangeError);
        },
      ),
    );
  });
});

describe('regexEscape / alternationMatcher (property, JS RegExp as an RE2 proxy)', () => {
  // regexEscape output only uses escapes of ASCII punctuation, valid in both RE2 and JS `u` regexes.
  const compile = (values: string[]) => new RegExp(`^(?:${values.map(regexEscape).join('|')})$`, 'u');

  it('an escaped alternation matches each of its literals', () => {
    fc.assert(
      fc.property(fc.array(hostileString, { minLength: 1, maxLength: 5 }), (values) => {
        const re = compile(values);
        for (const v of values) expect(re.test(v)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('and nothing else', () => {
    fc.assert(
      fc.property(fc.array(hostileString, { minLength: 1, maxLength: 5 }), hostileString, (values, other) => {
        fc.pre(!values.includes(other));
        expect(compile(values).test(other)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('near misses of a literal (one character changed, added or dropped) do not match', () => {
    fc.assert(
      fc.property(
        hostileString.filter((s) => s.length > 0),
        fc.nat(),
        fc.constantFrom('a', '.', 'x', '\n', '|'),
        (v, at, ch) => {
          const i = at % v.length;
          const re = compile([v]);
          for (const miss of [v.slice(0, i) + v.slice(i + 1), v.slice(0, i) + ch + v.slice(i), v + ch]) {
            if (miss !== v) expect(re.test(miss)).toBe(false);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('alternationMatcher is a quoted string whose content is the escaped alternation', () => {
    fc.assert(
      fc.property(fc.array(hostileString, { minLength: 1, maxLength: 5 }), (values) => {
        const m = alternationMatcher(values);
        expect(readPromString(m, 0)).toEqual({ value: values.map(regexEscape).join('|'), end: m.length });
      }),
    );
  });
});

describe('query builders (property)', () => {
  const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);

  it('sparkline queries carry hostile label values only inside string literals', () => {
    fc.assert(
      fc.property(dnsLabel, hostileString, dnsLabel, hostileString, (sns, sw, dns, dw) => {
        const set = (a: string, b: string, c: string, d: string) => ({
          reporter: 'destination',
          source_workload_namespace: a,
          source_workload: b,
          destination_workload_namespace: c,
          destination_workload: d,
        });
        const q = { queries: buildSelectionSeriesQueries({ l7: [set(sns, sw, dns, dw)], l4: [set(sns, sw, dns, dw)] }, 120) };
        const safe = { queries: buildSelectionSeriesQueries({ l7: [set('a', 'a', 'a', 'a')], l4: [set('a', 'a', 'a', 'a')] }, 120) };
        // Blank every string literal: the query skeleton must not depend on the values.
        const blank = (s: string) => {
          let out = '';
          for (let i = 0; i < s.length;) {
            if (s[i] === '"') {
              i = readPromString(s, i).end;
              out += '""';
            } else out += s[i++];
          }
          return out;
        };
        for (const name of Object.keys(q.queries) as (keyof typeof q.queries)[]) expect(blank(q.queries[name]!)).toBe(blank(safe.queries[name]!));
      }),
      { numRuns: 300 },
    );
  });

  it('graph queries for any valid namespace list keep their skeleton', () => {
    fc.assert(
      fc.property(fc.array(dnsLabel, { minLength: 1, maxLength: 8 }), (namespaces) => {
        const qs = buildGraphQueries({ windowSeconds: 900, namespaces });
        // One namespace is an equality matcher, several one regex: the skeleton is otherwise the same.
        const ref = buildGraphQueries({ windowSeconds: 900, namespaces: ['x'] });
        const blank = (s: string) =>
          s
            .replace(/"(?:[^"\\]|\\.)*"/g, '""')
            .replaceAll('=~""', '=""')
            .replaceAll('!~""', '!=""');
        expect(qs.map((q) => blank(q.query))).toEqual(ref.map((q) => blank(q.query)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('the reference reader itself (negative control)', () => {
  it('detects an unescaped injection, so the properties above can fail', () => {
    const naive = (v: string) => `{a="${v}"}`;
    expect(() => readSelector(naive('"}) or vector(1) #'))).toThrow();
    expect(() => readSelector(naive('x\\'))).toThrow();
    expect(() => readSelector(naive('x\ny'))).toThrow();
  });
});

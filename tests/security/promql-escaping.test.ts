// PromQL escaping checked against the REAL Prometheus parser and RE2 (Prometheus 2.42, /usr/bin/prometheus):
// one Prometheus with an empty TSDB on a random port for the whole file.
//
// For ~300 hostile values each:
//  - /api/v1/format_query of `metric{label="<escaped>"}` is one selector with one matcher: no `or`, no
//    second selector, no extra matcher (the formatter prints the AST back, so any injected syntax shows up);
//  - /api/v1/query of `absent(metric<selector>)` returns exactly one series whose labels are the equality
//    matchers' values: Prometheus hands us back the value it parsed, compared byte for byte;
//  - `label_replace(…, "src", <literal>) → label_replace(…, "m", "yes", "src", <alternation>)` evaluates
//    the escaped alternation with Prometheus' own (anchored, RE2) regex engine: it matches its literals
//    and nothing else.
// (/api/v1/parse_query does not exist in 2.42; format_query does, since 2.38.)
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alternationMatcher, escapeLabelValue, regexEscape, selector, type Matcher } from '@/lib/prometheus/queries';
import { freePort } from '@/tests/helpers/free-port';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const RUNS = Number(process.env.PROMQL_PROPERTY_RUNS ?? 300);

const HOSTILE = [
  '"',
  '\\',
  '\n',
  '\r',
  '\t',
  '"}) or vector(1) #',
  '"} or up{a="',
  '\\"',
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
  '.*',
  '|',
  '(?i)',
];
const hostileString = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom(...HOSTILE),
      fc.string({ unit: fc.constantFrom('"', '\\', '\n', 'a', '}', '|', '.', '*'), maxLength: 6 }),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''))
  // U+FFFD is covered by its own test below (Prometheus' lexer rejects it raw), so a failure there is
  // reported once, clearly, and does not mask the other properties.
  .filter((s) => !s.includes('\uFFFD'));
const labelName = fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/).filter((l) => !l.startsWith('__'));

let proc: ChildProcess | undefined;
let dir = '';
let base = '';

async function api<T>(endpoint: string, query: string): Promise<T> {
  const res = await fetch(`${base}/api/v1/${endpoint}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query, ...(endpoint === 'query' ? { time: '1700000000' } : {}) }),
  });
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${endpoint} rejected ${JSON.stringify(query)}: ${body.error}`);
  return body.data;
}

type Series = { metric: Record<string, string>; value: [number, string] };

beforeAll(async () => {
  if (!existsSync(PROMETHEUS)) throw new Error(`${PROMETHEUS} not found (apt-get install prometheus)`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'meshglass-promql-'));
  writeFileSync(path.join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  proc = spawn(
    PROMETHEUS,
    [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`prometheus exited with ${proc.exitCode}`);
    const ok = await fetch(`${base}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 600) throw new Error('prometheus did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
}, 90_000);

afterAll(async () => {
  if (proc && proc.exitCode === null) {
    const exited = new Promise((r) => proc!.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const GO_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/** Go %q body → string (the formatter quotes label values with strconv.Quote); throws on anything else. */
function goUnquote(body: string): string {
  let out = '';
  for (let i = 0; i < body.length;) {
    const c = String.fromCodePoint(body.codePointAt(i)!);
    i += c.length;
    if (c === '"' || c === '\n') throw new Error(`raw ${JSON.stringify(c)} in a quoted value`);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[i++] ?? '';
    if (e in GO_ESCAPES) out += GO_ESCAPES[e];
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i, i + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new Error(`bad \\${e} escape`);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += n;
    } else throw new Error(`unexpected escape \\${e}`);
  }
  return out;
}

describe('PromQL escaping against Prometheus 2.42', () => {
  it('negative control: an unescaped value IS parsed as an injection', async () => {
    const naive = (v: string) => `absent(meshglass_probe{a="${v}"})`;
    const formatted = await api<string>('format_query', naive('x"}) or vector(1) #'));
    expect(formatted).toContain(' or ');
    const r = await api<{ result: Series[] }>('query', naive('x"}) or vector(1) #'));
    // The injected `vector(1)` shows up as a second, label-less series.
    expect(r.result.map((x) => x.metric)).toContainEqual({});
  });

  it('selector([{label, =, value}]) parses as exactly one matcher with that value', async () => {
    await fc.assert(
      fc.asyncProperty(labelName, hostileString, async (label, value) => {
        const q = `meshglass_probe${selector([{ label, op: '=', value }])}`;
        const formatted = await api<string>('format_query', q);
        const m = /^meshglass_probe\{([a-z_][a-z0-9_]*)="((?:[^"\\]|\\.)*)"\}$/su.exec(formatted);
        expect(m, `formatted ${JSON.stringify(formatted)}`).not.toBeNull();
        expect(m![1]).toBe(label);
        expect(goUnquote(m![2]!)).toBe(value);

        const r = await api<{ resultType: string; result: Series[] }>('query', `absent(${q})`);
        expect(r.result).toHaveLength(1);
        // absent() drops empty-valued matchers: `{a=""}` matches series without the label.
        expect(r.result[0]!.metric).toEqual(value === '' ? {} : { [label]: value });
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('several matchers with mixed operators stay separate matchers', async () => {
    const ops: Matcher['op'][] = ['=', '!=', '=', '!='];
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(labelName, { minLength: 2, maxLength: 4 }),
        fc.array(hostileString, { minLength: 4, maxLength: 4 }),
        async (labels, values) => {
          const ms: Matcher[] = labels.map((label, i) => ({ label, op: ops[i]!, value: values[i]! }));
          const formatted = await api<string>('format_query', `meshglass_probe${selector(ms)}`);
          const body = formatted.slice('meshglass_probe{'.length, -1);
          const parts = [...body.matchAll(/([a-z_][a-z0-9_]*)(=|!=)"((?:[^"\\]|\\.)*)"(?:,|$)/gsu)];
          expect(parts.map((p) => p[0]).join('')).toBe(body);
          // The formatter may reorder matchers; compare as sets.
          const got = parts.map((p) => ({ label: p[1]!, op: p[2]!, value: goUnquote(p[3]!) }));
          const byLabel = (a: { label: string }, b: { label: string }) => (a.label < b.label ? -1 : 1);
          expect(got.sort(byLabel)).toEqual(ms.map((m) => ({ label: m.label, op: m.op, value: m.value })).sort(byLabel));
          const r = await api<{ result: Series[] }>('query', `absent(meshglass_probe${selector(ms)})`);
          const eq = Object.fromEntries(ms.filter((m) => m.op === '=' && m.value !== '').map((m) => [m.label, m.value]));
          expect(r.result.map((s) => s.metric)).toEqual([eq]);
        },
      ),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  }, 120_000);

  it('an escaped alternation matches its literals and nothing else in Prometheus regex (RE2)', async () => {
    const matches = async (literal: string, values: string[]) => {
      const q = `label_replace(label_replace(vector(1), "src", "${escapeLabelValue(literal)}", "", ""), "m", "yes", "src", ${alternationMatcher(values)})`;
      const r = await api<{ result: Series[] }>('query', q);
      expect(r.result).toHaveLength(1);
      expect(r.result[0]!.metric.src ?? '').toBe(literal);
      return r.result[0]!.metric.m === 'yes';
    };
    await fc.assert(
      fc.asyncProperty(fc.array(hostileString, { minLength: 1, maxLength: 4 }), hostileString, async (values, other) => {
        for (const v of values) expect(await matches(v, values), `${JSON.stringify(v)} matches ${regexEscape(v)}`).toBe(true);
        if (!values.includes(other)) expect(await matches(other, values), `${JSON.stringify(other)} must not match`).toBe(false);
        const v0 = values[0]!;
        for (const miss of [v0 + 'x', v0 + '\n', [...v0].slice(1).join(''), 'x' + v0])
          if (!values.includes(miss)) expect(await matches(miss, values)).toBe(false);
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  }, 120_000);

  it('a value containing U+FFFD (what decoders put for invalid bytes) still yields a parseable query', async () => {
    // Prometheus' lexer treats a raw U+FFFD inside a string as "invalid UTF-8 rune" (parse error), while the
    // escape \ufffd is accepted: escapeLabelValue must emit the escape, or any such label value breaks the query.
    for (const value of ['\uFFFD', 'caf\uFFFD', '\uFFFD"}) or vector(1) #']) {
      const r = await api<{ result: Series[] }>('query', `absent(meshglass_probe${selector([{ label: 'a', op: '=', value }])})`);
      expect(r.result.map((x) => x.metric)).toEqual([{ a: value }]);
      const re = await api<{ result: Series[] }>(
        'query',
        `label_replace(label_replace(vector(1), "src", "${escapeLabelValue(value)}", "", ""), "m", "yes", "src", ${alternationMatcher([value])})`,
      );
      expect(re.result[0]!.metric.m).toBe('yes');
    }
  });

  it('negative control: an unescaped regex metacharacter matches more than the literal', async () => {
    const q = `label_replace(label_replace(vector(1), "src", "axb", "", ""), "m", "yes", "src", "a.b")`;
    const r = await api<{ result: Series[] }>('query', q);
    expect(r.result[0]!.metric.m).toBe('yes');
  });
});

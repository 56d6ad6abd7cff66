// Credentials never reach the logs (issue 14): a failing *authenticated* Prometheus call is logged the way
// the API logs unexpected errors, and neither the bearer token nor the basic-auth password (raw or
// base64 in the Authorization header) appears in the output. Also the transport (lib/prometheus/transport.ts):
// the response size cap while streaming, gzip decoding, redirects, warnings, the POST form.
import http from 'node:http';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorResponse } from '@/lib/server/http';
import { PrometheusClient, PrometheusError } from './client';

const BEARER = 'mg-test-bearer-7f3a9c1e5b2d4086';
const USER = 'mg-user';
const PASSWORD = 'mg-test-password-c4e8a2f61d93';
const BASIC_B64 = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

let server: http.Server;
let url = '';
const seenAuth: string[] = [];
const seenForms: { method?: string; path?: string; form: URLSearchParams }[] = [];
const VECTOR = { status: 'success', warnings: ['partial response'], data: { resultType: 'vector', result: [{ metric: { a: 'b' }, value: [1, '2'] }] } };

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    seenAuth.push(req.headers.authorization ?? '');
    let body = '';
    for await (const c of req) body += String(c);
    seenForms.push({ method: req.method, path: req.url, form: new URLSearchParams(body) });
    if (req.url?.startsWith('/gzip/')) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(zlib.gzipSync(JSON.stringify(VECTOR)));
      return;
    }
    if (req.url?.startsWith('/redirect/')) {
      res.writeHead(302, { Location: '/gzip/api/v1/query' });
      res.end();
      return;
    }
    if (req.url?.startsWith('/stream/')) {
      // Chunked, no Content-Length: the cap must be enforced while reading; the stream never ends by itself.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const timer = setInterval(() => res.write('x'.repeat(16 * 1024)), 1);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (req.url?.includes('reset')) {
      req.socket.destroy();
      return;
    }
    if (req.url?.startsWith('/big/')) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] }, pad: 'x'.repeat(256 * 1024) }));
      return;
    }
    res.writeHead(503, { 'Content-Type': 'text/html' });
    res.end('<html>upstream down</html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function client(path: string, auth: 'bearer' | 'basic', maxResponseBytes?: number): PrometheusClient {
  return new PrometheusClient({
    url: `${url}${path}`,
    timeoutMs: 5000,
    tlsSkipVerify: false,
    metricPrefix: '',
    ...(maxResponseBytes ? { maxResponseBytes } : {}),
    ...(auth === 'bearer' ? { bearerToken: BEARER } : { basicAuth: { username: USER, password: PASSWORD } }),
  });
}

async function failure(c: PrometheusClient): Promise<unknown> {
  try {
    await c.instantQuery('vector(1)');
  } catch (e) {
    return e;
  }
  throw new Error('expected the query to fail');
}

/** Everything the app would print for this error: the API's error log line and a deep inspect of the error. */
function loggedOutput(e: unknown): string {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const res = errorResponse(e);
    expect(res.status).toBe(500);
    return [
      ...spy.mock.calls.map((args) => args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: Infinity }))).join(' ')),
      inspect(e, { depth: Infinity }),
    ].join('\n');
  } finally {
    spy.mockRestore();
  }
}

describe('Prometheus errors in logs', () => {
  it.each([
    ['bearer', 'HTTP 503 with an HTML body', '/p'],
    ['bearer', 'connection reset', '/reset'],
    ['basic', 'HTTP 503 with an HTML body', '/p'],
    ['basic', 'connection reset', '/reset'],
  ] as const)('%s auth, %s: the secret is absent from the logged output', async (auth, _what, path) => {
    const e = await failure(client(path, auth));
    expect(e).toBeInstanceOf(PrometheusError);
    // The server did receive the credentials: the test would catch a leak if the error carried them.
    expect(seenAuth.at(-1)).toBe(auth === 'bearer' ? `Bearer ${BEARER}` : `Basic ${BASIC_B64}`);
    const out = loggedOutput(e);
    expect(out).toContain('meshglass: unexpected error');
    for (const secret of [BEARER, PASSWORD, BASIC_B64]) expect(out).not.toContain(secret);
  });

  it('a raw axios-like error with the request config is logged without its secrets', () => {
    const raw = Object.assign(new Error(`Request failed; Authorization: Bearer ${BEARER}`), {
      config: { headers: { Authorization: `Bearer ${BEARER}` }, auth: { username: USER, password: PASSWORD } },
      cause: { config: { auth: { password: PASSWORD } }, message: `basic ${BASIC_B64}` },
    });
    const out = loggedOutput(raw);
    for (const secret of [BEARER, PASSWORD, BASIC_B64]) expect(out.replace(inspect(raw, { depth: Infinity }), '')).not.toContain(secret);
  });
});

describe('response size cap', () => {
  it('an answer above maxResponseBytes fails as bad_data naming PROMETHEUS_MAX_RESPONSE_MB', async () => {
    const e = await failure(client('/big', 'bearer', 64 * 1024));
    expect(e).toBeInstanceOf(PrometheusError);
    expect((e as PrometheusError).kind).toBe('bad_data');
    expect((e as PrometheusError).message).toMatch(/larger than .*PROMETHEUS_MAX_RESPONSE_MB/);
  });
  it('a chunked answer is cut as soon as it passes the cap', async () => {
    const e = await failure(client('/stream', 'bearer', 64 * 1024));
    expect(e).toMatchObject({ kind: 'bad_data', message: expect.stringMatching(/PROMETHEUS_MAX_RESPONSE_MB/) });
  });
  it('the same answer passes under the default cap', async () => {
    const r = await client('/big', 'bearer').instantQuery('vector(1)');
    expect(r.samples).toEqual([]);
  });
});

describe('transport', () => {
  it('POSTs the query, time and server-side timeout as a form and keeps the engine warnings', async () => {
    seenForms.length = 0;
    const r = await client('/gzip', 'bearer').instantQuery('sum(up)', new Date(1_700_000_000_000));
    expect(seenForms[0]).toMatchObject({ method: 'POST', path: '/gzip/api/v1/query' });
    expect(Object.fromEntries(seenForms[0]!.form)).toEqual({ query: 'sum(up)', time: '1700000000', timeout: '4s' });
    // gzip answers are decoded
    expect(r).toEqual({ samples: [{ labels: { a: 'b' }, value: 2 }], warnings: ['partial response'] });
  });
  it('does not follow redirects', async () => {
    seenForms.length = 0;
    const e = await failure(client('/redirect', 'bearer'));
    expect(e).toMatchObject({ kind: 'http', status: 302 });
    expect(seenForms).toHaveLength(1);
  });
});

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort } from '../tests/helpers/free-port';
import { createSession, sessionKey, SESSION_TTL_SECONDS } from '../lib/security/access';
import { E2E_TOKEN } from '../playwright.config';

// Access control over HTTP against `next start` (issue 14; docs/deploy.md "Access control"). The
// webServer runs in token mode; the ordinary specs send `Authorization: Bearer` through
// extraHTTPHeaders, so everything here uses plain fetch (no credentials unless given) or a browser
// context created without that header.

const ROOT = path.resolve(__dirname, '..');
const TOKEN = E2E_TOKEN!;

let base = '';
test.beforeAll(({}, info) => {
  base = String(info.project.use.baseURL);
});

/** Every API route and every page of the app, from the app/ directory (a new route is covered automatically). */
function appRoutes(): { api: string[]; pages: string[] } {
  const api: string[] = [];
  const pages: string[] = [];
  const walk = (dir: string, url: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name), `${url}/${e.name}`);
      else if (e.name === 'route.ts') api.push(url);
      else if (e.name === 'page.tsx') pages.push(url === '' ? '/' : url);
    }
  };
  walk(path.join(ROOT, 'app'), '');
  return { api: api.sort(), pages: pages.sort() };
}
const PUBLIC = ['/api/livez', '/api/readyz'];

const get = (p: string, headers: Record<string, string> = {}) => fetch(`${base}${p}`, { headers, redirect: 'manual' });

async function login(token: string, next = '/', headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin', ...headers },
    body: new URLSearchParams({ token, next }).toString(),
  });
}

test('every API route and page answers 401 without credentials; only livez/readyz are open', async () => {
  const { api, pages } = appRoutes();
  expect(api).toEqual(expect.arrayContaining(['/api/graph', '/api/healthz', '/api/livez', '/api/readyz', '/api/edge-series', '/api/node-series']));
  expect(pages).toEqual(expect.arrayContaining(['/', '/graph']));
  for (const p of api.filter((x) => !PUBLIC.includes(x))) {
    const r = await get(p);
    expect(r.status, p).toBe(401);
    expect(r.headers.get('www-authenticate'), p).toMatch(/^Bearer/);
    expect(await r.json(), p).toEqual({ error: 'access token required' });
  }
  for (const p of [...pages, '/graph?range=1h', '/does-not-exist']) {
    const r = await get(p);
    expect(r.status, p).toBe(401);
    const html = await r.text();
    expect(html, p).toContain('<form method="post" action="/login">');
    expect(html, p).not.toMatch(/<script/i);
    expect(r.headers.get('content-security-policy'), p).toContain("default-src 'none'");
  }
  // A wrong Bearer token is no better.
  expect((await get('/api/config', { Authorization: 'Bearer wrong' })).status).toBe(401);
  // The old `?token=` login is gone: no cookie, still 401.
  const viaQuery = await get(`/graph?token=${TOKEN}`);
  expect(viaQuery.status).toBe(401);
  expect(viaQuery.headers.get('set-cookie')).toBeNull();
});

test('livez and readyz are open and say nothing but a status word; healthz needs authentication', async () => {
  for (const p of PUBLIC) {
    const r = await get(p);
    expect(r.status, p).toBe(200);
    expect(Object.keys(await r.json()), p).toEqual(['status']);
  }
  expect((await get('/api/healthz')).status).toBe(401);
  const h = await get('/api/healthz', { Authorization: `Bearer ${TOKEN}` });
  expect(h.status).toBe(200);
  expect(await h.json()).toMatchObject({ prometheus: { ok: true }, kubernetes: { ok: true } });
});

test('Bearer token opens the API; a spoofed client-key header is replaced by the proxy', async () => {
  const r = await get('/api/config', { Authorization: `Bearer ${TOKEN}`, 'x-meshglass-client': 'forged' });
  expect(r.status).toBe(200);
  expect(await r.json()).toHaveProperty('clusters');
});

test('login flow in the browser: POST form, signed HttpOnly SameSite=Strict session, then pages and API work', async ({ browser }) => {
  const context = await browser.newContext({ extraHTTPHeaders: {} });
  const page = await context.newPage();
  const first = await page.goto('/graph?range=1h');
  expect(first?.status()).toBe(401);
  await expect(page.getByLabel('Access token')).toBeVisible();
  await page.getByLabel('Access token').fill('not-the-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('not valid');
  expect(await context.cookies()).toEqual([]);

  await page.getByLabel('Access token').fill(TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/graph\?range=1h$/);
  await expect(page.getByRole('button', { name: 'Refresh now' })).toBeEnabled({ timeout: 60_000 });
  expect(page.url()).not.toContain(TOKEN);

  const cookies = await context.cookies();
  expect(cookies).toHaveLength(1);
  // Plain-HTTP loopback: the name without __Host- and no Secure (browsers drop Secure cookies over http).
  expect(cookies[0]).toMatchObject({ name: 'meshglass_session', path: '/', httpOnly: true, sameSite: 'Strict', secure: false });
  expect(cookies[0]!.value).not.toContain(TOKEN);
  expect((await context.request.get('/api/config')).status()).toBe(200);

  // Logout ends it.
  await context.request.post('/logout', { headers: { 'Sec-Fetch-Site': 'same-origin' } });
  expect((await context.request.get('/api/config')).status()).toBe(401);
  await context.close();
});

test('session cookie: server-checked expiry, tampering refused; HTTPS gives __Host-/Secure and HSTS', async () => {
  const key = sessionKey(TOKEN);
  const now = Math.floor(Date.now() / 1000);
  const fresh = createSession(key, now);
  expect((await get('/api/config', { Cookie: `meshglass_session=${fresh}` })).status).toBe(200);
  // Expired by the server's clock, whatever Max-Age the browser kept.
  const expired = createSession(key, now - SESSION_TTL_SECONDS - 60);
  const r = await get('/api/config', { Cookie: `meshglass_session=${expired}` });
  expect(r.status).toBe(401);
  expect((await r.json()).error).toMatch(/expired/);
  const page = await get('/graph', { Cookie: `meshglass_session=${expired}` });
  expect(page.status).toBe(401);
  expect(await page.text()).toContain('Your session has expired');
  // Changing the expiry breaks the signature.
  const [, exp, nonce, sig] = fresh.split('.');
  expect((await get('/api/config', { Cookie: `meshglass_session=v1.${Number(exp) + 3600}.${nonce}.${sig}` })).status).toBe(401);
  // The raw token as a cookie (the old scheme) is not a session.
  expect((await get('/api/config', { Cookie: `meshglass_session=${TOKEN}` })).status).toBe(401);

  // Over HTTPS (as an ingress reports it): __Host- prefix, Secure, and HSTS on every response.
  const https = { 'X-Forwarded-Proto': 'https' };
  const ok = await login(TOKEN, '/graph', https);
  expect(ok.status).toBe(303);
  expect(new URL(ok.headers.get('location')!, base).pathname).toBe('/graph');
  const setCookie = ok.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/^__Host-meshglass_session=v1\.[^;]+; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict; Secure$/);
  expect(ok.headers.get('strict-transport-security')).toBe('max-age=31536000');
  expect((await get('/api/livez', https)).headers.get('strict-transport-security')).toBe('max-age=31536000');
  expect((await get('/api/livez')).headers.get('strict-transport-security')).toBeNull();
  // Over HTTPS the plain-HTTP cookie name is not accepted.
  expect((await get('/api/config', { ...https, Cookie: `meshglass_session=${fresh}` })).status).toBe(401);
  expect((await get('/api/config', { ...https, Cookie: `__Host-meshglass_session=${fresh}` })).status).toBe(200);

  // Login refuses a wrong token, cross-site posts, and open redirects.
  expect((await login('wrong')).status).toBe(401);
  expect((await login(TOKEN, '/', { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
  const evil = await login(TOKEN, '//evil.example/x');
  expect(new URL(evil.headers.get('location')!, base).origin).toBe(new URL(base).origin);
});

test.describe('other access modes and no access setting (own `next start`)', () => {
  test.describe.configure({ timeout: 120_000 });

  function start(env: Record<string, string | undefined>, port: number) {
    const child = spawn(path.join(ROOT, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: '1',
        PORT: String(port),
        DASHBOARD_TOKEN: undefined,
        DASHBOARD_TOKEN_FILE: undefined,
        MESHGLASS_AUTH: undefined,
        MESHGLASS_TRUSTED_PROXY_HEADER: undefined,
        // No upstream is needed for these checks: a closed port.
        PROMETHEUS_URL: 'http://127.0.0.1:9',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    return { child, exited, log: () => log };
  }

  test('next start without an access setting exits non-zero naming the options', async () => {
    const app = start({}, await freePort());
    const code = await app.exited;
    expect(code).not.toBe(0);
    for (const option of ['DASHBOARD_TOKEN', 'DASHBOARD_TOKEN_FILE', 'MESHGLASS_AUTH=trusted-proxy', 'MESHGLASS_AUTH=none'])
      expect(app.log()).toContain(option);
    const empty = start({ DASHBOARD_TOKEN: '   ' }, await freePort());
    expect(await empty.exited).not.toBe(0);
    expect(empty.log()).toContain('DASHBOARD_TOKEN is set but empty');
  });

  test('trusted-proxy mode requires the identity header', async () => {
    const port = await freePort();
    const app = start({ MESHGLASS_AUTH: 'trusted-proxy' }, port);
    try {
      const url = `http://127.0.0.1:${port}`;
      for (let i = 0; ; i++) {
        if (app.child.exitCode !== null) throw new Error(`next start exited:\n${app.log()}`);
        if (
          await fetch(`${url}/api/livez`).then(
            (r) => r.ok,
            () => false,
          )
        )
          break;
        if (i > 600) throw new Error(`next start did not answer:\n${app.log()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect((await fetch(`${url}/api/config`)).status).toBe(401);
      expect((await fetch(`${url}/api/config`, { headers: { 'X-Forwarded-Email': '' } })).status).toBe(401);
      expect((await fetch(`${url}/api/config`, { headers: { 'X-Forwarded-Email': 'ann@example.com' } })).status).toBe(200);
      // A Bearer token means nothing in this mode.
      expect((await fetch(`${url}/api/config`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(401);
    } finally {
      app.child.kill('SIGTERM');
      await app.exited;
    }
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bearerToken,
  clearedSessionCookies,
  completeLogin,
  createSession,
  decideAccess,
  isLoopbackHost,
  loginPageHtml,
  reloadPageHtml,
  safeNext,
  serializeCookie,
  sessionKey,
  SESSION_TTL_SECONDS,
  splitBasePath,
  tokensEqual,
  unauthorizedPageHtml,
  verifySession,
  type AccessCredentials,
  type AccessRequest,
} from './access';

const TOKEN = 'a3f1c9e07b5d2468'.repeat(4);
const CREDS: AccessCredentials = { mode: 'token', token: TOKEN };
const NOW = 1_800_000_000;
const KEY = sessionKey(TOKEN);

function req(overrides: Partial<AccessRequest> = {}): AccessRequest {
  return {
    pathname: '/',
    search: '',
    basePath: '',
    method: 'GET',
    authorization: null,
    sessionCookie: null,
    identity: null,
    secFetchSite: null,
    secFetchMode: null,
    secure: false,
    loopback: true,
    now: NOW,
    ...overrides,
  };
}

describe('tokensEqual', () => {
  it('accepts only the identical string', () => {
    expect(tokensEqual(TOKEN, TOKEN)).toBe(true);
    expect(tokensEqual(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(tokensEqual(TOKEN.slice(0, -1), TOKEN)).toBe(false);
    expect(tokensEqual('', TOKEN)).toBe(false);
    expect(tokensEqual(TOKEN.toUpperCase(), TOKEN)).toBe(false);
  });
  it('agrees with === for arbitrary strings (different lengths included)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(tokensEqual(a, b)).toBe(a === b);
        expect(tokensEqual(a, a)).toBe(true);
      }),
    );
  });
});

describe('bearerToken', () => {
  it('parses the Bearer scheme case-insensitively', () => {
    expect(bearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerToken(`bearer   ${TOKEN} `)).toBe(TOKEN);
  });
  it('rejects other schemes and malformed values', () => {
    expect(bearerToken(null)).toBeNull();
    expect(bearerToken(`Basic ${TOKEN}`)).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
  });
});

describe('signed sessions', () => {
  it('round-trips and carries the nonce', () => {
    const v = createSession(KEY, NOW, SESSION_TTL_SECONDS, 'n'.repeat(22));
    expect(v).toMatch(/^v1\.\d+\.n{22}\.[A-Za-z0-9_-]{43}$/);
    expect(verifySession(v, KEY, NOW + 10)).toEqual({ ok: true, nonce: 'n'.repeat(22), expires: NOW + SESSION_TTL_SECONDS });
  });
  it('expiry is checked by the server, whatever the browser keeps', () => {
    const v = createSession(KEY, NOW);
    expect(verifySession(v, KEY, NOW + SESSION_TTL_SECONDS - 1).ok).toBe(true);
    expect(verifySession(v, KEY, NOW + SESSION_TTL_SECONDS)).toEqual({ ok: false, reason: 'expired-session' });
  });
  it('rejects a changed expiry, another key (rotated token) and the raw token', () => {
    const v = createSession(KEY, NOW);
    const [, exp, nonce, sig] = v.split('.');
    expect(verifySession(`v1.${Number(exp) + 3600}.${nonce}.${sig}`, KEY, NOW).ok).toBe(false);
    expect(verifySession(v, sessionKey(`${TOKEN.slice(1)}0`), NOW)).toEqual({ ok: false, reason: 'invalid-token' });
    expect(verifySession(TOKEN, KEY, NOW)).toEqual({ ok: false, reason: 'invalid-token' });
  });
  it('a session signed for longer than this server issues is not honoured', () => {
    const v = createSession(KEY, NOW, 30 * 24 * 3600);
    expect(verifySession(v, KEY, NOW)).toEqual({ ok: false, reason: 'expired-session' });
  });
  it('never verifies a random value (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (s) => {
        expect(verifySession(s, KEY, NOW).ok).toBe(false);
      }),
    );
  });
});

describe('decideAccess (token mode)', () => {
  it('never requires credentials for the public probes, and only for exactly those paths', () => {
    for (const p of ['/api/livez', '/api/readyz', '/api/readyz/']) expect(decideAccess(req({ pathname: p }), CREDS).action).toBe('allow');
    for (const p of ['/api/healthz', '/api/livez-debug', '/api/readyzx', '/api/graph']) expect(decideAccess(req({ pathname: p }), CREDS).action).toBe('deny');
  });

  it('denies API calls and pages without credentials', () => {
    expect(decideAccess(req({ pathname: '/api/graph' }), CREDS)).toEqual({ action: 'deny', kind: 'api', reason: 'missing-token', next: '/api/graph' });
    expect(decideAccess(req({ pathname: '/graph', search: '?range=1h' }), CREDS)).toEqual({
      action: 'deny',
      kind: 'page',
      reason: 'missing-token',
      next: '/graph?range=1h',
    });
  });

  it('no longer accepts ?token= anywhere', () => {
    expect(decideAccess(req({ pathname: '/graph', search: `?token=${TOKEN}` }), CREDS).action).toBe('deny');
    expect(decideAccess(req({ pathname: '/api/graph', search: `?token=${TOKEN}` }), CREDS).action).toBe('deny');
  });

  it('accepts a correct Bearer header and rejects a wrong one, which a valid session does not rescue', () => {
    expect(decideAccess(req({ pathname: '/api/graph', authorization: `Bearer ${TOKEN}` }), CREDS)).toMatchObject({ action: 'allow', reason: 'bearer' });
    expect(decideAccess(req({ pathname: '/api/graph', authorization: 'Bearer wrong' }), CREDS)).toMatchObject({ action: 'deny', reason: 'invalid-token' });
    const session = createSession(KEY, NOW);
    expect(decideAccess(req({ pathname: '/api/graph', authorization: 'Bearer wrong', sessionCookie: session }), CREDS).action).toBe('deny');
  });

  it('accepts a valid session on pages and API calls; expired and forged ones are denied', () => {
    const session = createSession(KEY, NOW);
    const d = decideAccess(req({ pathname: '/graph', sessionCookie: session }), CREDS);
    expect(d).toMatchObject({ action: 'allow', reason: 'session' });
    // The client key for rate limits identifies the session without revealing it.
    if (d.action === 'allow') expect(session).not.toContain(d.client.split(':')[1]);
    expect(decideAccess(req({ pathname: '/api/graph', sessionCookie: session }), CREDS).action).toBe('allow');
    expect(decideAccess(req({ pathname: '/graph', sessionCookie: session, now: NOW + SESSION_TTL_SECONDS + 1 }), CREDS)).toMatchObject({
      action: 'deny',
      reason: 'expired-session',
    });
    // The old cookie held the raw token: it is no session.
    expect(decideAccess(req({ pathname: '/graph', sessionCookie: TOKEN }), CREDS)).toMatchObject({ action: 'deny', reason: 'invalid-token' });
  });

  it('routes /login and /logout', () => {
    expect(decideAccess(req({ pathname: '/login', search: '?next=%2Fgraph%3Frange%3D1h' }), CREDS)).toEqual({ action: 'login-form', next: '/graph?range=1h' });
    expect(decideAccess(req({ pathname: '/login', method: 'POST' }), CREDS)).toEqual({ action: 'login-submit' });
    expect(decideAccess(req({ pathname: '/logout', method: 'POST', basePath: '/mg' }), CREDS)).toEqual({ action: 'logout', location: '/mg/login' });
  });

  it('recovers from a cross-site link (SameSite=Strict withholds the cookie) with one same-site reload', () => {
    const crossSite = req({ pathname: '/graph', search: '?start=1&end=2', secFetchSite: 'cross-site', secFetchMode: 'navigate' });
    expect(decideAccess(crossSite, CREDS)).toEqual({ action: 'reload-same-site', location: '/graph?start=1&end=2' });
    expect(decideAccess({ ...crossSite, secFetchSite: 'same-origin' }, CREDS).action).toBe('deny');
    expect(decideAccess({ ...crossSite, secFetchMode: 'cors' }, CREDS).action).toBe('deny');
    expect(decideAccess({ ...crossSite, pathname: '/api/graph' }, CREDS).action).toBe('deny');
  });

  it('never allows a request whose only credential is wrong (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => s !== TOKEN && !/\s/.test(s)),
        fc.constantFrom('/', '/graph', '/api/graph', '/api/findings', '/api/healthz', '/_next/static/x.js'),
        fc.constantFrom<'bearer' | 'cookie'>('bearer', 'cookie'),
        (wrong, pathname, where) => {
          const d = decideAccess(
            req({ pathname, authorization: where === 'bearer' ? `Bearer ${wrong}` : null, sessionCookie: where === 'cookie' ? wrong : null }),
            CREDS,
          );
          expect(d.action).toBe('deny');
        },
      ),
    );
  });
});

describe('decideAccess (other modes)', () => {
  it('none: everything is open', () => {
    expect(decideAccess(req({ pathname: '/api/graph' }), { mode: 'none' })).toMatchObject({ action: 'allow', reason: 'auth-none' });
  });
  it('trusted-proxy: the identity header is required, and keys the client', () => {
    const tp: AccessCredentials = { mode: 'trusted-proxy', header: 'x-forwarded-email' };
    expect(decideAccess(req({ pathname: '/api/graph' }), tp)).toMatchObject({ action: 'deny', reason: 'missing-identity' });
    expect(decideAccess(req({ pathname: '/api/graph', identity: '  ' }), tp)).toMatchObject({ action: 'deny', reason: 'missing-identity' });
    const a = decideAccess(req({ pathname: '/api/graph', identity: 'ann@example.com' }), tp);
    const b = decideAccess(req({ pathname: '/api/graph', identity: 'bob@example.com' }), tp);
    expect(a).toMatchObject({ action: 'allow', reason: 'trusted-proxy' });
    if (a.action === 'allow' && b.action === 'allow') expect(a.client).not.toBe(b.client);
    expect(decideAccess(req({ pathname: '/api/readyz' }), tp).action).toBe('allow');
  });
});

describe('completeLogin', () => {
  const base = { basePath: '', secure: false, loopback: true, now: NOW, secFetchSite: 'same-origin' };
  it('issues a signed session cookie: plain name without Secure on loopback HTTP', () => {
    const r = completeLogin({ token: `${TOKEN}\n`, next: '/graph?range=1h' }, base, TOKEN);
    if (!r.ok) throw new Error(r.message);
    expect(r.location).toBe('/graph?range=1h');
    expect(r.cookie).toMatchObject({ name: 'meshglass_session', secure: false, httpOnly: true, sameSite: 'strict', path: '/', maxAge: SESSION_TTL_SECONDS });
    expect(r.cookie.value).not.toContain(TOKEN);
    expect(verifySession(r.cookie.value, KEY, NOW).ok).toBe(true);
  });
  it('__Host- and Secure over HTTPS and on any non-loopback host', () => {
    for (const t of [
      { secure: true, loopback: false },
      { secure: false, loopback: false },
      { secure: true, loopback: true },
    ]) {
      const r = completeLogin({ token: TOKEN }, { ...base, ...t }, TOKEN);
      if (!r.ok) throw new Error(r.message);
      expect(r.cookie).toMatchObject({ name: '__Host-meshglass_session', secure: true, path: '/' });
      expect(serializeCookie(r.cookie)).toMatch(/^__Host-meshglass_session=v1\.[^;]+; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict; Secure$/);
    }
  });
  it('refuses a wrong token and cross-site posts', () => {
    expect(completeLogin({ token: 'nope' }, base, TOKEN)).toMatchObject({ ok: false, status: 401 });
    expect(completeLogin({ token: TOKEN }, { ...base, secFetchSite: 'cross-site' }, TOKEN)).toMatchObject({ ok: false, status: 403 });
  });
  it('clears both cookie names on logout', () => {
    expect(clearedSessionCookies().map((c) => serializeCookie(c))).toEqual([
      '__Host-meshglass_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure',
      'meshglass_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict',
    ]);
  });
});

describe('safeNext / isLoopbackHost', () => {
  it('keeps same-origin paths under the basePath and refuses everything else', () => {
    expect(safeNext('/graph?a=1', '')).toBe('/graph?a=1');
    expect(safeNext('/mg/graph', '/mg')).toBe('/mg/graph');
    for (const bad of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '/login', '/a\nb', '']) {
      expect(safeNext(bad, '')).toBe('/');
    }
    expect(safeNext('/graph', '/mg')).toBe('/mg/');
  });
  it('recognises loopback hosts only', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'app.localhost']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['meshglass.example.com', '10.0.0.1', '127.0.0.1.evil.example', 'localhost.evil.example']) expect(isLoopbackHost(h)).toBe(false);
  });
});

describe('pages', () => {
  it('login and 401 pages have no scripts and escape what they echo', () => {
    const login = loginPageHtml({ basePath: '/mg', next: '/mg/graph?a="><script>alert(1)</script>', message: '<b>x</b>' });
    expect(login).not.toMatch(/<script/i);
    expect(login).toContain('action="/mg/login"');
    expect(login).toContain('method="post"');
    expect(unauthorizedPageHtml('missing-identity')).not.toMatch(/<script/i);
    const html = reloadPageHtml('/graph?a="><script>alert(1)</script>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#34;&#62;&#60;script&#62;');
  });
});

describe('splitBasePath', () => {
  it('prefers the basePath Next reports', () => {
    expect(splitBasePath('/graph', '/mg', '/other')).toEqual({ pathname: '/graph', basePath: '/mg' });
  });
  it('strips the configured basePath when Next did not', () => {
    expect(splitBasePath('/mg/api/healthz', '', '/mg')).toEqual({ pathname: '/api/healthz', basePath: '/mg' });
    expect(splitBasePath('/mg', '', '/mg/')).toEqual({ pathname: '/', basePath: '/mg' });
  });
  it('does not strip a mere prefix of a segment, nor without a configured basePath', () => {
    expect(splitBasePath('/mgx/api/healthz', '', '/mg')).toEqual({ pathname: '/mgx/api/healthz', basePath: '' });
    expect(splitBasePath('/api/healthz', '', undefined)).toEqual({ pathname: '/api/healthz', basePath: '' });
    expect(splitBasePath('/api/healthz', '', '')).toEqual({ pathname: '/api/healthz', basePath: '' });
  });
  it('with a basePath, the probes are public under it; the detailed health never is', () => {
    expect(decideAccess(req(splitBasePath('/mg/api/livez', '', '/mg')), CREDS).action).toBe('allow');
    expect(decideAccess(req(splitBasePath('/mg/api/healthz', '', '/mg')), CREDS).action).toBe('deny');
    // Outside the basePath Next serves nothing but 404s, so letting this one through leaks nothing.
    expect(decideAccess(req(splitBasePath('/api/readyz', '', '/mg')), CREDS).action).toBe('allow');
  });
});

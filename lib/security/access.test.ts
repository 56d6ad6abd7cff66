import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bearerToken,
  configuredToken,
  decideAccess,
  extractQueryToken,
  reloadPageHtml,
  serializeCookie,
  splitBasePath,
  tokensEqual,
  unauthorizedPageHtml,
  type AccessRequest,
} from './access';

const TOKEN = 'correct-horse-battery-staple';

function req(overrides: Partial<AccessRequest> = {}): AccessRequest {
  return {
    pathname: '/',
    search: '',
    basePath: '',
    method: 'GET',
    authorization: null,
    cookieToken: null,
    secFetchSite: null,
    secFetchMode: null,
    secure: false,
    ...overrides,
  };
}

describe('configuredToken', () => {
  it('is null when unset, empty or blank', () => {
    expect(configuredToken({})).toBeNull();
    expect(configuredToken({ DASHBOARD_TOKEN: '' })).toBeNull();
    expect(configuredToken({ DASHBOARD_TOKEN: '  \n' })).toBeNull();
  });
  it('trims a trailing newline from secrets created with echo', () => {
    expect(configuredToken({ DASHBOARD_TOKEN: `${TOKEN}\n` })).toBe(TOKEN);
  });
});

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

describe('extractQueryToken', () => {
  it('removes only the token parameter and keeps the rest byte-for-byte', () => {
    expect(extractQueryToken('?namespaces=a,b&token=abc&range=15m')).toEqual({
      token: 'abc',
      rest: '?namespaces=a,b&range=15m',
    });
    expect(extractQueryToken('?token=abc')).toEqual({ token: 'abc', rest: '' });
    expect(extractQueryToken('')).toEqual({ token: null, rest: '' });
    expect(extractQueryToken('?range=1h')).toEqual({ token: null, rest: '?range=1h' });
  });
  it('decodes the token and an encoded key, and drops repeated token parameters', () => {
    expect(extractQueryToken('?%74oken=a%2Bb&token=second')).toEqual({ token: 'a+b', rest: '' });
  });
  it('treats a bare "token" as an empty token', () => {
    expect(extractQueryToken('?token&x=1')).toEqual({ token: '', rest: '?x=1' });
  });
});

describe('decideAccess', () => {
  it('allows everything when no token is configured', () => {
    expect(decideAccess(req({ pathname: '/api/graph' }), null)).toEqual({ action: 'allow', reason: 'no-token-configured' });
  });

  it('never requires the token for the health check (kubelet probes)', () => {
    expect(decideAccess(req({ pathname: '/api/healthz' }), TOKEN).action).toBe('allow');
    expect(decideAccess(req({ pathname: '/api/healthz/' }), TOKEN).action).toBe('allow');
    // …but only that exact path.
    expect(decideAccess(req({ pathname: '/api/healthz-debug' }), TOKEN).action).toBe('deny');
    expect(decideAccess(req({ pathname: '/api/healthzx' }), TOKEN).action).toBe('deny');
  });

  it('denies API calls without credentials with a JSON-kind denial', () => {
    expect(decideAccess(req({ pathname: '/api/graph' }), TOKEN)).toEqual({
      action: 'deny',
      kind: 'api',
      reason: 'missing-token',
    });
  });

  it('denies pages without credentials with a page-kind denial', () => {
    expect(decideAccess(req({ pathname: '/graph' }), TOKEN)).toEqual({ action: 'deny', kind: 'page', reason: 'missing-token' });
  });

  it('accepts a correct Bearer header and rejects a wrong one', () => {
    expect(decideAccess(req({ pathname: '/api/graph', authorization: `Bearer ${TOKEN}` }), TOKEN)).toEqual({
      action: 'allow',
      reason: 'bearer',
    });
    expect(decideAccess(req({ pathname: '/api/graph', authorization: 'Bearer wrong' }), TOKEN)).toEqual({
      action: 'deny',
      kind: 'api',
      reason: 'invalid-token',
    });
  });

  it('a wrong Bearer header is not rescued by a valid cookie', () => {
    expect(
      decideAccess(req({ pathname: '/api/graph', authorization: 'Bearer wrong', cookieToken: TOKEN }), TOKEN).action,
    ).toBe('deny');
  });

  it('accepts the cookie on pages and API calls, rejects a stale cookie', () => {
    expect(decideAccess(req({ pathname: '/graph', cookieToken: TOKEN }), TOKEN)).toEqual({ action: 'allow', reason: 'cookie' });
    expect(decideAccess(req({ pathname: '/api/graph', cookieToken: TOKEN }), TOKEN).action).toBe('allow');
    expect(decideAccess(req({ pathname: '/graph', cookieToken: 'old-token' }), TOKEN)).toEqual({
      action: 'deny',
      kind: 'page',
      reason: 'invalid-token',
    });
  });

  it('?token= on a page sets an HttpOnly SameSite=Strict cookie and redirects without the token', () => {
    const d = decideAccess(req({ pathname: '/graph', search: `?namespaces=a,b&token=${TOKEN}&range=1h` }), TOKEN);
    expect(d).toEqual({
      action: 'set-cookie-and-redirect',
      location: '/graph?namespaces=a,b&range=1h',
      cookie: {
        name: 'meshglass_token',
        value: TOKEN,
        httpOnly: true,
        sameSite: 'strict',
        secure: false,
        path: '/',
        maxAge: 43200,
      },
    });
  });

  it('keeps the basePath in the redirect and scopes the cookie to it; marks it Secure over HTTPS', () => {
    const d = decideAccess(req({ pathname: '/', basePath: '/meshglass', search: `?token=${TOKEN}`, secure: true }), TOKEN);
    if (d.action !== 'set-cookie-and-redirect') throw new Error(`unexpected ${d.action}`);
    expect(d.location).toBe('/meshglass/');
    expect(d.cookie.path).toBe('/meshglass');
    expect(d.cookie.secure).toBe(true);
  });

  it('never produces a protocol-relative redirect', () => {
    const d = decideAccess(req({ pathname: '//evil.example/x', search: `?token=${TOKEN}` }), TOKEN);
    if (d.action !== 'set-cookie-and-redirect') throw new Error(`unexpected ${d.action}`);
    expect(d.location.startsWith('//')).toBe(false);
    expect(d.location).toBe('/evil.example/x');
  });

  it('a wrong ?token= is denied and sets no cookie', () => {
    expect(decideAccess(req({ pathname: '/', search: '?token=nope' }), TOKEN)).toEqual({
      action: 'deny',
      kind: 'page',
      reason: 'invalid-token',
    });
  });

  it('does not accept ?token= on the API (Bearer only) or on non-GET requests', () => {
    expect(decideAccess(req({ pathname: '/api/graph', search: `?token=${TOKEN}` }), TOKEN).action).toBe('deny');
    expect(decideAccess(req({ pathname: '/graph', method: 'POST', search: `?token=${TOKEN}` }), TOKEN).action).toBe('deny');
  });

  it('recovers from a cross-site link (SameSite=Strict withholds the cookie) with one same-site reload', () => {
    const crossSite = req({ pathname: '/graph', search: '?start=1&end=2', secFetchSite: 'cross-site', secFetchMode: 'navigate' });
    expect(decideAccess(crossSite, TOKEN)).toEqual({ action: 'reload-same-site', location: '/graph?start=1&end=2' });
    // The reload itself is same-origin: if the cookie is still missing, it is a plain 401 (no loop).
    expect(decideAccess({ ...crossSite, secFetchSite: 'same-origin' }, TOKEN).action).toBe('deny');
    // Cross-site subresource/fetch requests are denied outright.
    expect(decideAccess({ ...crossSite, secFetchMode: 'cors' }, TOKEN).action).toBe('deny');
    expect(decideAccess({ ...crossSite, pathname: '/api/graph' }, TOKEN).action).toBe('deny');
  });

  it('never allows a request whose only credential differs from the token (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => s !== TOKEN && !/\s/.test(s)),
        fc.constantFrom('/', '/graph', '/api/graph', '/api/findings', '/_next/static/x.js'),
        fc.constantFrom<'bearer' | 'cookie'>('bearer', 'cookie'),
        (wrong, pathname, where) => {
          const d = decideAccess(
            req({
              pathname,
              authorization: where === 'bearer' ? `Bearer ${wrong}` : null,
              cookieToken: where === 'cookie' ? wrong : null,
            }),
            TOKEN,
          );
          expect(d.action).toBe('deny');
        },
      ),
    );
  });
});

describe('responses', () => {
  it('serialises the cookie with HttpOnly and SameSite=Strict', () => {
    const header = serializeCookie({
      name: 'meshglass_token',
      value: 'a b;c',
      httpOnly: true,
      sameSite: 'strict',
      secure: true,
      path: '/',
      maxAge: 60,
    });
    expect(header).toBe('meshglass_token=a%20b%3Bc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict; Secure');
  });

  it('401 page has no scripts; reload page escapes the URL', () => {
    expect(unauthorizedPageHtml('missing-token')).not.toMatch(/<script/i);
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
  it('with a basePath, the health check is public only under it', () => {
    const split = splitBasePath('/mg/api/healthz', '', '/mg');
    expect(decideAccess(req(split), TOKEN).action).toBe('allow');
    const outside = splitBasePath('/api/healthz', '', '/mg');
    // Outside the basePath Next serves nothing but 404s, so letting this one through leaks nothing.
    expect(decideAccess(req(outside), TOKEN).action).toBe('allow');
  });
});

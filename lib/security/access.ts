/**
 * Access control (issue 14; docs/deploy.md "Access control"): the pure decision logic behind `proxy.ts`.
 *
 * Modes (lib/security/auth-config.ts; the app refuses to start without one):
 * - `token`: every request except the public probes (/api/livez, /api/readyz) needs either
 *   `Authorization: Bearer <token>` (scripts) or a session cookie (browsers). A browser gets the session by
 *   POSTing the token to /login (a plain form; never `?token=` in a URL, which lands in access logs). The
 *   cookie is an HMAC-signed, server-checked expiry (`v1.<exp>.<nonce>.<sig>`), never the token itself;
 *   its key is derived from the token, so rotating the token ends every session.
 * - `trusted-proxy`: an authenticating proxy (oauth2-proxy) in front sends the user's identity header; a
 *   request without it is refused. Only safe when nothing but the proxy can reach the pod (NetworkPolicy).
 * - `none`: explicitly open (local demo).
 *
 * Cookie: `__Host-meshglass_session` (Secure, Path=/, no Domain) except for plain-HTTP loopback
 * (`kubectl port-forward`, the demo), where browsers would drop a Secure cookie: there it is
 * `meshglass_session` without Secure. Always HttpOnly and SameSite=Strict.
 *
 * No I/O here except hashing; `proxy.ts` turns a decision into a Response.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = '__Host-meshglass_session';
/** Plain-HTTP loopback only (a `__Host-` cookie must be Secure, which browsers refuse over http). */
export const SESSION_COOKIE_LOOPBACK = 'meshglass_session';
/** Session lifetime: 12 hours, checked by the server (the cookie's Max-Age is only a hint to the browser). */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;
/** Paths (relative to the basePath) that never need credentials: kubelet probes cannot send any. */
export const PUBLIC_PATHS: readonly string[] = ['/api/livez', '/api/readyz'];
export const LOGIN_PATH = '/login';
export const LOGOUT_PATH = '/logout';
/** Request header carrying the client key from proxy.ts to the route handlers (rate limits); set only by the proxy. */
export const CLIENT_HEADER = 'x-meshglass-client';

export type AccessCredentials = { mode: 'none' } | { mode: 'token'; token: string } | { mode: 'trusted-proxy'; header: string };

export interface AccessRequest {
  /** Path without the basePath (Next's `request.nextUrl.pathname`). */
  pathname: string;
  /** The raw query string including the leading `?`, or ''. */
  search: string;
  /** basePath the app was built with ('' when none). */
  basePath: string;
  method: string;
  /** `Authorization` request header, if any. */
  authorization: string | null;
  /** Value of the session cookie that applies to this request (see sessionCookieName), if any. */
  sessionCookie: string | null;
  /** Value of the trusted proxy's identity header, if any (trusted-proxy mode). */
  identity: string | null;
  /** `Sec-Fetch-Site` request header, if any (lets us recover SameSite=Strict after a cross-site link). */
  secFetchSite: string | null;
  /** `Sec-Fetch-Mode` request header, if any. */
  secFetchMode: string | null;
  /** Whether the client reached us over HTTPS (directly or per X-Forwarded-Proto). */
  secure: boolean;
  /** Whether the Host is a loopback name/address (plain-HTTP cookies are allowed only there). */
  loopback: boolean;
  /** Unix seconds (injected for tests). */
  now: number;
}

export type DenyReason = 'missing-token' | 'invalid-token' | 'expired-session' | 'missing-identity';

export type AccessDecision =
  | {
      action: 'allow';
      reason: 'auth-none' | 'public-path' | 'bearer' | 'session' | 'trusted-proxy';
      /** Key for per-client limits: never the secret itself. */
      client: string;
    }
  /** GET /login: the login form. */
  | { action: 'login-form'; next: string }
  /** POST /login: proxy.ts reads the form and calls completeLogin(). */
  | { action: 'login-submit' }
  /** POST /logout: clear the session cookie, back to the login form. */
  | { action: 'logout'; location: string }
  | {
      /**
       * A top-level navigation arrived from another site (a link in chat or a ticket): the browser
       * withholds SameSite=Strict cookies on such requests. Answer with a page that reloads the same
       * URL once; that reload is same-origin, so the cookie is sent. `Sec-Fetch-Site` of the reload is
       * `same-origin`, so this cannot loop.
       */
      action: 'reload-same-site';
      location: string;
    }
  | { action: 'deny'; kind: 'api' | 'page'; reason: DenyReason; next: string };

export interface CookieSpec {
  name: string;
  value: string;
  httpOnly: true;
  sameSite: 'strict';
  secure: boolean;
  path: string;
  maxAge: number;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Constant-time string comparison: both sides are hashed to fixed-length digests first, so neither
 * the position of the first differing byte nor the expected length leaks through timing.
 */
export function tokensEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Extracts the credentials of an `Authorization: Bearer <token>` header (scheme is case-insensitive). */
export function bearerToken(authorization: string | null): string | null {
  if (authorization === null) return null;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1] ?? null;
}

export function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

function normalizePath(pathname: string): string {
  return pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
}

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATHS.includes(normalizePath(pathname));
}

/** Loopback host names/addresses (Host header without port). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Secure (and `__Host-`) unless the request is plain HTTP to a loopback host. */
export function cookieIsSecure(req: Pick<AccessRequest, 'secure' | 'loopback'>): boolean {
  return req.secure || !req.loopback;
}

export function sessionCookieName(req: Pick<AccessRequest, 'secure' | 'loopback'>): string {
  return cookieIsSecure(req) ? SESSION_COOKIE : SESSION_COOKIE_LOOPBACK;
}

// ---------- signed sessions ----------

/** HMAC key for sessions, derived from the token: rotating the token invalidates every session. */
export function sessionKey(token: string): Buffer {
  return createHmac('sha256', token).update('meshglass session v1').digest();
}

function sign(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

/** A new session value: `v1.<expiry unix s>.<128-bit nonce>.<HMAC-SHA256>`. */
export function createSession(key: Buffer, now: number, ttlSeconds = SESSION_TTL_SECONDS, nonce = randomBytes(16).toString('base64url')): string {
  const payload = `v1.${Math.floor(now) + ttlSeconds}.${nonce}`;
  return `${payload}.${sign(key, payload)}`;
}

export type SessionCheck = { ok: true; nonce: string; expires: number } | { ok: false; reason: 'invalid-token' | 'expired-session' };

/** Verifies signature and expiry (server-side: the browser's Max-Age is not trusted). */
export function verifySession(value: string, key: Buffer, now: number, ttlSeconds = SESSION_TTL_SECONDS): SessionCheck {
  const m = /^v1\.(\d{1,12})\.([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m) return { ok: false, reason: 'invalid-token' };
  const payload = `v1.${m[1]}.${m[2]}`;
  const expected = Buffer.from(sign(key, payload));
  const presented = Buffer.from(m[3]!);
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) return { ok: false, reason: 'invalid-token' };
  const expires = Number(m[1]);
  // Expired, or further in the future than any session this server issues (a forged-but-signed value cannot exist,
  // but a key shared across versions with a longer TTL must not extend ours).
  if (expires <= now || expires > now + ttlSeconds + 60) return { ok: false, reason: 'expired-session' };
  return { ok: true, nonce: m[2]!, expires };
}

export function splitBasePath(pathname: string, nextBasePath: string, configuredBasePath: string | undefined): { pathname: string; basePath: string } {
  if (nextBasePath !== '') return { pathname, basePath: nextBasePath };
  const base = (configuredBasePath ?? '').replace(/\/+$/, '');
  if (base === '' || !base.startsWith('/')) return { pathname, basePath: '' };
  if (pathname === base) return { pathname: '/', basePath: base };
  if (pathname.startsWith(`${base}/`)) return { pathname: pathname.slice(base.length), basePath: base };
  return { pathname, basePath: '' };
}

function sameOriginLocation(basePath: string, pathname: string, query: string): string {
  // pathname always starts with '/'; collapse leading slashes so the result can never be read as a
  // protocol-relative URL ("//evil.example") by the browser.
  const path = `${basePath}${pathname}`.replace(/^\/+/, '/');
  return `${path}${query}`;
}

/**
 * Where to go after logging in: a same-origin path under the basePath, never another origin
 * (`//evil`, `/\\evil`, `https://…`), else the basePath root.
 */
export function safeNext(next: string | null | undefined, basePath: string): string {
  const home = basePath === '' ? '/' : `${basePath}/`;
  if (!next || next.length > 2048) return home;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f\u007f\\]/.test(next)) return home;
  if (basePath !== '' && next !== basePath && !next.startsWith(`${basePath}/`) && !next.startsWith(`${basePath}?`)) return home;
  const path = next.split('?')[0]!.slice(basePath.length) || '/';
  if (normalizePath(path) === LOGIN_PATH || normalizePath(path) === LOGOUT_PATH) return home;
  return next;
}

/** Short, non-secret client key for per-client limits. */
function clientKey(kind: string, secretish: string): string {
  return `${kind}:${digest(secretish).subarray(0, 12).toString('base64url')}`;
}

export function decideAccess(req: AccessRequest, creds: AccessCredentials): AccessDecision {
  const path = normalizePath(req.pathname);
  if (isPublicPath(path)) return { action: 'allow', reason: 'public-path', client: 'probe' };
  if (creds.mode === 'none') return { action: 'allow', reason: 'auth-none', client: 'anonymous' };

  const kind: 'api' | 'page' = isApiPath(path) ? 'api' : 'page';
  const here = sameOriginLocation(req.basePath, req.pathname, req.search);
  if (creds.mode === 'trusted-proxy') {
    const id = req.identity?.trim() ?? '';
    if (id === '') return { action: 'deny', kind, reason: 'missing-identity', next: here };
    return { action: 'allow', reason: 'trusted-proxy', client: clientKey('user', id) };
  }

  if (path === LOGIN_PATH) {
    if (req.method === 'POST') return { action: 'login-submit' };
    const next = new URLSearchParams(req.search).get('next');
    return { action: 'login-form', next: safeNext(next, req.basePath) };
  }
  if (path === LOGOUT_PATH && req.method === 'POST') {
    return { action: 'logout', location: sameOriginLocation(req.basePath, LOGIN_PATH, '') };
  }

  const bearer = bearerToken(req.authorization);
  if (bearer !== null) {
    return tokensEqual(bearer, creds.token)
      ? { action: 'allow', reason: 'bearer', client: 'bearer' }
      : { action: 'deny', kind, reason: 'invalid-token', next: here };
  }
  if (req.sessionCookie !== null && req.sessionCookie !== '') {
    const check = verifySession(req.sessionCookie, sessionKey(creds.token), req.now);
    if (check.ok) return { action: 'allow', reason: 'session', client: clientKey('session', check.nonce) };
    return { action: 'deny', kind, reason: check.reason, next: here };
  }

  if (
    kind === 'page' &&
    (req.method === 'GET' || req.method === 'HEAD') &&
    req.secFetchSite === 'cross-site' &&
    (req.secFetchMode === null || req.secFetchMode === 'navigate')
  ) {
    return { action: 'reload-same-site', location: here };
  }
  return { action: 'deny', kind, reason: 'missing-token', next: here };
}

export type LoginResult = { ok: true; cookie: CookieSpec; location: string } | { ok: false; status: 400 | 401 | 403; message: string; next: string };

/**
 * POST /login: checks the submitted token (constant time) and, when it matches, issues a signed session.
 * Cross-site form posts are refused (login CSRF): browsers send `Sec-Fetch-Site` on every POST.
 */
export function completeLogin(
  form: { token: string; next?: string | undefined },
  req: Pick<AccessRequest, 'basePath' | 'secure' | 'loopback' | 'now' | 'secFetchSite'>,
  token: string,
): LoginResult {
  const next = safeNext(form.next, req.basePath);
  if (req.secFetchSite === 'cross-site' || req.secFetchSite === 'same-site') {
    return { ok: false, status: 403, message: 'Cross-site login refused.', next };
  }
  if (!tokensEqual(form.token.trim(), token)) return { ok: false, status: 401, message: 'The access token is not valid.', next };
  return {
    ok: true,
    location: next,
    cookie: {
      name: sessionCookieName(req),
      value: createSession(sessionKey(token), req.now),
      httpOnly: true,
      sameSite: 'strict',
      secure: cookieIsSecure(req),
      path: '/',
      maxAge: SESSION_TTL_SECONDS,
    },
  };
}

/** Cookies that end the session (both names: the client may have switched between loopback and HTTPS). */
export function clearedSessionCookies(): CookieSpec[] {
  return [
    { name: SESSION_COOKIE, value: '', httpOnly: true, sameSite: 'strict', secure: true, path: '/', maxAge: 0 },
    { name: SESSION_COOKIE_LOOPBACK, value: '', httpOnly: true, sameSite: 'strict', secure: false, path: '/', maxAge: 0 },
  ];
}

/** Serialises a CookieSpec for a `Set-Cookie` header. */
export function serializeCookie(cookie: CookieSpec): string {
  const parts = [`${cookie.name}=${encodeURIComponent(cookie.value)}`, `Path=${cookie.path}`, `Max-Age=${cookie.maxAge}`, 'HttpOnly', 'SameSite=Strict'];
  if (cookie.secure) parts.push('Secure');
  return parts.join('; ');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const DENY_TEXT: Record<DenyReason, string> = {
  'missing-token': 'This Meshglass instance requires an access token.',
  'invalid-token': 'The access token or session you presented is not valid.',
  'expired-session': 'Your session has expired. Sign in again.',
  'missing-identity': 'This Meshglass instance only accepts requests through its authenticating proxy.',
};

export function denyMessage(reason: DenyReason): string {
  return DENY_TEXT[reason];
}

/**
 * The login page (token mode): a plain POST form, no scripts, no external resources. The token is
 * sent in the request body, so it never appears in a URL, an access log or the browser history.
 */
export function loginPageHtml(opts: { basePath: string; next: string; message?: string }): string {
  const action = escapeHtml(`${opts.basePath}${LOGIN_PATH}`);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    '<title>Sign in · Meshglass</title></head>',
    '<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem">',
    '<h1>Meshglass</h1>',
    opts.message ? `<p role="alert">${escapeHtml(opts.message)}</p>` : '',
    `<form method="post" action="${action}">`,
    '<label for="token">Access token</label><br>',
    '<input id="token" name="token" type="password" autocomplete="current-password" required style="width:100%" autofocus>',
    `<input type="hidden" name="next" value="${escapeHtml(opts.next)}">`,
    '<p><button type="submit">Sign in</button></p>',
    '</form>',
    '<p>Scripts: send <code>Authorization: Bearer &lt;token&gt;</code>.</p>',
    '</body></html>',
  ].join('');
}

/** Body of the 401 page in trusted-proxy mode (no login form: the proxy owns sign-in). */
export function unauthorizedPageHtml(reason: DenyReason): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>401 Unauthorized · Meshglass</title></head>',
    '<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">',
    '<h1>401 Unauthorized</h1>',
    `<p>${escapeHtml(denyMessage(reason))}</p>`,
    '</body></html>',
  ].join('');
}

/** Body of the one-shot same-site reload page (see the `reload-same-site` decision). */
export function reloadPageHtml(location: string): string {
  const url = escapeHtml(location);
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${url}">`,
    '<title>Meshglass</title></head>',
    `<body><p><a href="${url}">Continue to Meshglass</a></p></body></html>`,
  ].join('');
}

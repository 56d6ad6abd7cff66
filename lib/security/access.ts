/**
 * Optional dashboard access token (DASHBOARD_TOKEN): the pure decision logic behind `proxy.ts`.
 *
 * When a token is configured, every request except the health check must carry it, either as
 * `Authorization: Bearer <token>` (scripts, curl) or as the `meshglass_token` cookie (browsers).
 * A browser gets the cookie by opening any page once with `?token=<token>`: the proxy sets an
 * HttpOnly, SameSite=Strict cookie and redirects to the same URL without the token, so the secret
 * does not stay in the address bar, the history or a copied share link.
 *
 * No I/O here except hashing; `proxy.ts` turns a decision into a Response.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const TOKEN_COOKIE = 'meshglass_token';
export const TOKEN_QUERY_PARAM = 'token';
/** Paths (relative to the basePath) that never need the token: kubelet probes cannot send one. */
export const PUBLIC_PATHS: readonly string[] = ['/api/healthz'];
/** Cookie lifetime: 12 hours, then the link with `?token=` (or a Bearer header) is needed again. */
export const TOKEN_COOKIE_MAX_AGE_SECONDS = 12 * 60 * 60;

export interface AccessRequest {
  /** Path without the basePath (Next's `request.nextUrl.pathname`). */
  pathname: string;
  /** The raw query string including the leading `?`, or '' (Next's `request.nextUrl.search`). */
  search: string;
  /** basePath the app was built with ('' when none). */
  basePath: string;
  method: string;
  /** `Authorization` request header, if any. */
  authorization: string | null;
  /** Value of the `meshglass_token` cookie, if any. */
  cookieToken: string | null;
  /** `Sec-Fetch-Site` request header, if any (lets us recover SameSite=Strict after a cross-site link). */
  secFetchSite: string | null;
  /** `Sec-Fetch-Mode` request header, if any. */
  secFetchMode: string | null;
  /** Whether the client reached us over HTTPS (directly or per X-Forwarded-Proto). */
  secure: boolean;
}

export type AccessDecision =
  | { action: 'allow'; reason: 'no-token-configured' | 'public-path' | 'bearer' | 'cookie' }
  | {
      action: 'set-cookie-and-redirect';
      /** Same-origin relative URL (basePath + path + query without `token`). */
      location: string;
      cookie: CookieSpec;
    }
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
  | { action: 'deny'; kind: 'api' | 'page'; reason: 'missing-token' | 'invalid-token' };

export interface CookieSpec {
  name: string;
  value: string;
  httpOnly: true;
  sameSite: 'strict';
  secure: boolean;
  path: string;
  maxAge: number;
}

/**
 * Reads DASHBOARD_TOKEN. Empty or whitespace-only means "not configured" (an empty Secret key must
 * not become a valid token). Surrounding whitespace is trimmed: secrets created with `echo` often
 * end in a newline.
 */
export function configuredToken(env: Record<string, string | undefined>): string | null {
  const raw = env.DASHBOARD_TOKEN;
  if (raw === undefined) return null;
  const trimmed = raw.trim();
  return trimmed === '' ? null : trimmed;
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

function isPublicPath(pathname: string): boolean {
  const normalized = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  return PUBLIC_PATHS.includes(normalized);
}

function safeDecode(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    return component;
  }
}

/**
 * Splits a raw query string into the `token` parameter (first occurrence) and the rest, keeping
 * the rest byte-for-byte (so `namespaces=a,b` stays as it was typed and share links keep working).
 */
export function extractQueryToken(search: string): { token: string | null; rest: string } {
  const raw = search.startsWith('?') ? search.slice(1) : search;
  if (raw === '') return { token: null, rest: '' };
  let token: string | null = null;
  const kept: string[] = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = safeDecode(eq === -1 ? part : part.slice(0, eq));
    if (key === TOKEN_QUERY_PARAM) {
      if (token === null) token = eq === -1 ? '' : safeDecode(part.slice(eq + 1));
      continue;
    }
    kept.push(part);
  }
  return { token, rest: kept.length > 0 ? `?${kept.join('&')}` : '' };
}

function sameOriginLocation(basePath: string, pathname: string, query: string): string {
  // pathname always starts with '/'; collapse leading slashes so the result can never be read as a
  // protocol-relative URL ("//evil.example") by the browser.
  const path = `${basePath}${pathname}`.replace(/^\/+/, '/');
  return `${path}${query}`;
}

/**
 * Separates the basePath from a request path. Next's `nextUrl.basePath` is not always filled in for
 * Proxy requests (seen with Next 16.4.6, Node runtime: `nextUrl.pathname` still started with the
 * basePath), so the basePath the app was built with is stripped here when present.
 */
export function splitBasePath(
  pathname: string,
  nextBasePath: string,
  configuredBasePath: string | undefined,
): { pathname: string; basePath: string } {
  if (nextBasePath !== '') return { pathname, basePath: nextBasePath };
  const base = (configuredBasePath ?? '').replace(/\/+$/, '');
  if (base === '' || !base.startsWith('/')) return { pathname, basePath: '' };
  if (pathname === base) return { pathname: '/', basePath: base };
  if (pathname.startsWith(`${base}/`)) return { pathname: pathname.slice(base.length), basePath: base };
  return { pathname, basePath: '' };
}

export function decideAccess(req: AccessRequest, token: string | null): AccessDecision {
  if (token === null) return { action: 'allow', reason: 'no-token-configured' };
  if (isPublicPath(req.pathname)) return { action: 'allow', reason: 'public-path' };

  const kind: 'api' | 'page' = isApiPath(req.pathname) ? 'api' : 'page';
  const { token: queryToken, rest } = extractQueryToken(req.search);

  // `?token=` is a one-time login for browsers: only on page GETs (never on the API, where a URL
  // token would end up in access logs of every hop; the API takes a Bearer header).
  if (queryToken !== null && kind === 'page' && (req.method === 'GET' || req.method === 'HEAD')) {
    if (!tokensEqual(queryToken, token)) return { action: 'deny', kind, reason: 'invalid-token' };
    return {
      action: 'set-cookie-and-redirect',
      location: sameOriginLocation(req.basePath, req.pathname, rest),
      cookie: {
        name: TOKEN_COOKIE,
        value: token,
        httpOnly: true,
        sameSite: 'strict',
        secure: req.secure,
        path: req.basePath === '' ? '/' : req.basePath,
        maxAge: TOKEN_COOKIE_MAX_AGE_SECONDS,
      },
    };
  }

  const bearer = bearerToken(req.authorization);
  if (bearer !== null) {
    return tokensEqual(bearer, token)
      ? { action: 'allow', reason: 'bearer' }
      : { action: 'deny', kind, reason: 'invalid-token' };
  }
  if (req.cookieToken !== null && req.cookieToken !== '') {
    if (tokensEqual(req.cookieToken, token)) return { action: 'allow', reason: 'cookie' };
    return { action: 'deny', kind, reason: 'invalid-token' };
  }

  if (
    kind === 'page' &&
    (req.method === 'GET' || req.method === 'HEAD') &&
    req.secFetchSite === 'cross-site' &&
    (req.secFetchMode === null || req.secFetchMode === 'navigate')
  ) {
    return { action: 'reload-same-site', location: sameOriginLocation(req.basePath, req.pathname, req.search) };
  }
  return { action: 'deny', kind, reason: 'missing-token' };
}

/** Serialises a CookieSpec for a `Set-Cookie` header. */
export function serializeCookie(cookie: CookieSpec): string {
  const parts = [
    `${cookie.name}=${encodeURIComponent(cookie.value)}`,
    `Path=${cookie.path}`,
    `Max-Age=${cookie.maxAge}`,
    'HttpOnly',
    'SameSite=Strict',
  ];
  if (cookie.secure) parts.push('Secure');
  return parts.join('; ');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Body of the 401 page for browsers: plain, no scripts, no external resources. */
export function unauthorizedPageHtml(reason: 'missing-token' | 'invalid-token'): string {
  const detail =
    reason === 'invalid-token'
      ? 'The access token you presented is not valid.'
      : 'This Meshglass instance requires an access token.';
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>401 Unauthorized · Meshglass</title></head>',
    '<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">',
    '<h1>401 Unauthorized</h1>',
    `<p>${escapeHtml(detail)}</p>`,
    '<p>Open this page once as <code>/?token=&lt;token&gt;</code> (the token is then kept in an HttpOnly cookie ',
    'and removed from the address bar), or send <code>Authorization: Bearer &lt;token&gt;</code>.</p>',
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

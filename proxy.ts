/**
 * Next 16 Proxy (the former `middleware.ts`). Runs in the Node.js runtime before every route.
 *
 * 1. Access control (issue 14; docs/deploy.md "Access control"): the mode comes from
 *    lib/security/auth-config.ts (instrumentation.ts refuses to start without one); the decision logic
 *    and its tests live in lib/security/access.ts, this file maps a decision to a Response, serves the
 *    POST /login form, and passes a non-secret client key to the route handlers (x-meshglass-client,
 *    for the per-client limits of lib/server/limits.ts). HSTS on every response served over HTTPS.
 * 2. Strict Content-Security-Policy (default; MESHGLASS_CSP_NONCE=off turns it off): a per-request
 *    nonce on page requests. Next reads the nonce from the request's CSP header and applies it to its
 *    own scripts; the baseline policy from next.config `headers()` (securityHeaders(), 'unsafe-inline'
 *    scripts) is replaced on these responses. It REQUIRES every page to be rendered per request: a
 *    prerendered page's HTML carries no nonce, so the browser would block all of its scripts and the
 *    page would never hydrate (verified with Next 16.4.6 + Chromium). app/layout.tsx therefore calls
 *    `await connection()`.
 */
import { readFileSync } from 'node:fs';
import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import {
  clearedSessionCookies,
  CLIENT_HEADER,
  completeLogin,
  decideAccess,
  denyMessage,
  isLoopbackHost,
  loginPageHtml,
  reloadPageHtml,
  serializeCookie,
  sessionCookieName,
  SESSION_COOKIE,
  splitBasePath,
  unauthorizedPageHtml,
  type AccessCredentials,
} from '@/lib/security/access';
import { DEFAULT_CLIENT_RATE_PER_MINUTE, parseConfig } from '@/lib/config/parse';
import { normalizeToken, parseAuth, type AuthSettings } from '@/lib/security/auth-config';
import { ClientLimiter } from '@/lib/server/limits';
import { contentSecurityPolicy, generateNonce, HSTS_VALUE, standalonePageHeaders } from '@/lib/security/headers';

/** A token file is re-read at most this often (a rotated Secret shows up without a restart). */
const TOKEN_FILE_TTL_MS = 60_000;
/** The login form has two short fields; anything bigger is not a login. */
const MAX_LOGIN_BODY_BYTES = 8 * 1024;

/** Clients tracked by the rate limiter (least recently seen forgotten first): bounded memory. */
const MAX_RATE_LIMITED_CLIENTS = 10_000;

const limiterStore = globalThis as unknown as { __meshglassRateLimiter?: ClientLimiter };

/** Per-client request rate for the API (MESHGLASS_CLIENT_RATE_LIMIT per minute; burst = a quarter minute's worth). */
function rateLimiter(): ClientLimiter {
  if (!limiterStore.__meshglassRateLimiter) {
    const parsed = parseConfig(process.env);
    const perMinute = parsed.ok ? parsed.config.limits.clientRatePerMinute : DEFAULT_CLIENT_RATE_PER_MINUTE;
    limiterStore.__meshglassRateLimiter = new ClientLimiter({
      ratePerSecond: perMinute / 60,
      burst: Math.max(10, Math.ceil(perMinute / 4)),
      maxInFlight: Number.MAX_SAFE_INTEGER,
      maxClients: MAX_RATE_LIMITED_CLIENTS,
    });
  }
  return limiterStore.__meshglassRateLimiter;
}

const authCache: { settings?: AuthSettings; error?: string; file?: { at: number; token: string } } = {};

/** The access credentials, from process.env (parsed once; a token file re-read every TOKEN_FILE_TTL_MS). */
function credentials(): AccessCredentials | { error: string } {
  if (!authCache.settings && !authCache.error) {
    const r = parseAuth(process.env);
    if (r.ok) authCache.settings = r.auth;
    else authCache.error = r.error;
  }
  const s = authCache.settings;
  if (!s) return { error: authCache.error ?? 'no access setting' };
  if (s.mode !== 'token') return s;
  if (s.token !== undefined) return { mode: 'token', token: s.token };
  const now = Date.now();
  if (!authCache.file || now - authCache.file.at > TOKEN_FILE_TTL_MS) {
    try {
      const token = normalizeToken(readFileSync(s.tokenFile, 'utf8'));
      if (token === '') throw new Error('empty');
      authCache.file = { at: now, token };
    } catch (e) {
      // Keep the last good token if the file is mid-rotation; without one, fail closed.
      if (!authCache.file) return { error: `DASHBOARD_TOKEN_FILE cannot be read (${(e as Error).message})` };
    }
  }
  return { mode: 'token', token: authCache.file!.token };
}

function isSecure(request: NextRequest): boolean {
  const forwarded = request.headers.get('x-forwarded-proto');
  if (forwarded !== null) return forwarded.split(',')[0]?.trim().toLowerCase() === 'https';
  return request.nextUrl.protocol === 'https:';
}

function wantsNonce(pathname: string): boolean {
  // pathname is relative to the basePath here.
  if (process.env.MESHGLASS_CSP_NONCE === 'off') return false;
  return !(pathname === '/api' || pathname.startsWith('/api/') || pathname.startsWith('/_next/'));
}

/** Per-client key when no credential identifies the client (auth none, probes): the first forwarded address. */
function addressKey(request: NextRequest): string {
  const fwd = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return `addr:${(fwd || 'unknown').slice(0, 64)}`;
}

const loginForm = z.object({ token: z.string().min(1).max(1024), next: z.string().max(2048).optional() });

function html(body: string, status: number, extra: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { 'Cache-Control': 'no-store', 'Content-Type': 'text/html; charset=utf-8', ...standalonePageHeaders(), ...extra },
  });
}

async function handle(request: NextRequest, secure: boolean): Promise<Response> {
  // __NEXT_ROUTER_BASEPATH is Next's build-time define of `basePath`; BASE_PATH is the fallback when
  // the runtime environment carries it (the Dockerfile sets it in the runtime stage too).
  const { pathname, basePath } = splitBasePath(request.nextUrl.pathname, request.nextUrl.basePath, process.env.__NEXT_ROUTER_BASEPATH || process.env.BASE_PATH);
  const creds = credentials();
  if ('error' in creds) {
    console.error(`meshglass: refusing requests: ${creds.error}`);
    return Response.json({ error: 'server misconfigured: no access setting' }, { status: 500, headers: { 'Cache-Control': 'no-store' } });
  }
  const loopback = isLoopbackHost(request.nextUrl.hostname);
  const cookieName = sessionCookieName({ secure, loopback });
  const now = Math.floor(Date.now() / 1000);
  const req = {
    pathname,
    search: new URL(request.url).search,
    basePath,
    method: request.method,
    authorization: request.headers.get('authorization'),
    // Only the cookie name that fits this transport: a plain-HTTP cookie is never accepted over HTTPS.
    sessionCookie: request.cookies.get(cookieName)?.value ?? (cookieName === SESSION_COOKIE ? null : (request.cookies.get(SESSION_COOKIE)?.value ?? null)),
    identity: creds.mode === 'trusted-proxy' ? request.headers.get(creds.header) : null,
    secFetchSite: request.headers.get('sec-fetch-site'),
    secFetchMode: request.headers.get('sec-fetch-mode'),
    secure,
    loopback,
    now,
  };
  const decision = decideAccess(req, creds);
  const unauthorized = { 'WWW-Authenticate': 'Bearer realm="meshglass"' };

  switch (decision.action) {
    case 'deny':
      if (decision.kind === 'api') {
        return Response.json(
          { error: decision.reason === 'missing-token' ? 'access token required' : denyMessage(decision.reason) },
          { status: 401, headers: { 'Cache-Control': 'no-store', ...unauthorized } },
        );
      }
      if (creds.mode === 'token') {
        const message = decision.reason === 'missing-token' ? undefined : denyMessage(decision.reason);
        return html(loginPageHtml({ basePath, next: decision.next, ...(message ? { message } : {}) }), 401, unauthorized);
      }
      return html(unauthorizedPageHtml(decision.reason), 401, unauthorized);
    case 'login-form':
      return html(loginPageHtml({ basePath, next: decision.next }), 200);
    case 'login-submit': {
      if (creds.mode !== 'token') return new Response(null, { status: 404 });
      const length = Number(request.headers.get('content-length') ?? '0');
      if (!Number.isFinite(length) || length > MAX_LOGIN_BODY_BYTES) return html(loginPageHtml({ basePath, next: '/', message: 'Request too large.' }), 413);
      const type = request.headers.get('content-type') ?? '';
      if (!type.startsWith('application/x-www-form-urlencoded')) {
        return html(loginPageHtml({ basePath, next: '/', message: 'Use the sign-in form.' }), 415);
      }
      const text = await request.text();
      if (text.length > MAX_LOGIN_BODY_BYTES) return html(loginPageHtml({ basePath, next: '/', message: 'Request too large.' }), 413);
      const params = new URLSearchParams(text);
      const form = loginForm.safeParse({ token: params.get('token') ?? '', next: params.get('next') ?? undefined });
      if (!form.success) return html(loginPageHtml({ basePath, next: '/', message: 'Enter the access token.' }), 400);
      const result = completeLogin(form.data, req, creds.token);
      if (!result.ok) return html(loginPageHtml({ basePath, next: result.next, message: result.message }), result.status, unauthorized);
      // Next requires an absolute Location in Proxy responses; it turns a same-origin one back into
      // a relative Location on the wire, so this works behind any ingress or port-forward.
      const headers = new Headers({
        'Cache-Control': 'no-store',
        Location: new URL(result.location, request.url).toString(),
        'Referrer-Policy': 'no-referrer',
      });
      headers.append('Set-Cookie', serializeCookie(result.cookie));
      return new Response(null, { status: 303, headers });
    }
    case 'logout': {
      const headers = new Headers({ 'Cache-Control': 'no-store', Location: new URL(decision.location, request.url).toString() });
      for (const c of clearedSessionCookies()) headers.append('Set-Cookie', serializeCookie(c));
      return new Response(null, { status: 303, headers });
    }
    case 'reload-same-site':
      return html(reloadPageHtml(decision.location), 200);
    case 'allow':
      break;
  }

  // The client key for rate limits: set here only (an incoming header of that name is replaced).
  const requestHeaders = new Headers(request.headers);
  const client = decision.client === 'anonymous' || decision.client === 'bearer' ? `${decision.client}|${addressKey(request)}` : decision.client;
  requestHeaders.set(CLIENT_HEADER, client);
  if (decision.reason !== 'public-path' && (pathname === '/api' || pathname.startsWith('/api/'))) {
    const taken = rateLimiter().take(client);
    if (!taken.ok) {
      return Response.json(
        { error: 'too many requests from this client: retry later' },
        { status: 429, headers: { 'Cache-Control': 'no-store', 'Retry-After': String(taken.retryAfterSeconds) } },
      );
    }
  }
  if (!wantsNonce(pathname)) return NextResponse.next({ request: { headers: requestHeaders } });

  const nonce = generateNonce();
  const csp = contentSecurityPolicy({ nonce, dev: process.env.NODE_ENV === 'development' });
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

export async function proxy(request: NextRequest): Promise<Response> {
  const secure = isSecure(request);
  const response = await handle(request, secure);
  // HSTS only when the client reached us over HTTPS (browsers ignore it on plain HTTP anyway).
  if (secure) response.headers.set('Strict-Transport-Security', HSTS_VALUE);
  return response;
}

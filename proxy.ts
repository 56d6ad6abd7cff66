/**
 * Next 16 Proxy (the former `middleware.ts`). Runs in the Node.js runtime before every route.
 *
 * 1. Optional access token (DASHBOARD_TOKEN, read at request time): decision logic and its tests live
 *    in lib/security/access.ts; this file only maps a decision to a Response.
 * 2. Strict Content-Security-Policy (default; MESHGLASS_CSP_NONCE=off turns it off): a per-request
 *    nonce on page requests. Next reads the nonce from the request's CSP header and applies it to its
 *    own scripts; the baseline policy from next.config `headers()` (securityHeaders(), 'unsafe-inline'
 *    scripts) is replaced on these responses. It REQUIRES every page to be rendered per request: a
 *    prerendered page's HTML carries no nonce, so the browser would block all of its scripts and the
 *    page would never hydrate (verified with Next 16.4.6 + Chromium). app/layout.tsx therefore calls
 *    `await connection()`.
 */
import { NextResponse, type NextRequest } from 'next/server';
import {
  configuredToken,
  decideAccess,
  reloadPageHtml,
  serializeCookie,
  splitBasePath,
  TOKEN_COOKIE,
  unauthorizedPageHtml,
} from '@/lib/security/access';
import { contentSecurityPolicy, generateNonce } from '@/lib/security/headers';

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

export function proxy(request: NextRequest): Response {
  // __NEXT_ROUTER_BASEPATH is Next's build-time define of `basePath`; BASE_PATH is the fallback when
  // the runtime environment carries it (the Dockerfile sets it in the runtime stage too).
  const { pathname, basePath } = splitBasePath(
    request.nextUrl.pathname,
    request.nextUrl.basePath,
    process.env.__NEXT_ROUTER_BASEPATH || process.env.BASE_PATH,
  );
  // Query as Next hands it over (already normalised by Next, e.g. ',' arrives as %2C; both decode the same).
  const search = new URL(request.url).search;
  const decision = decideAccess(
    {
      pathname,
      search,
      basePath,
      method: request.method,
      authorization: request.headers.get('authorization'),
      cookieToken: request.cookies.get(TOKEN_COOKIE)?.value ?? null,
      secFetchSite: request.headers.get('sec-fetch-site'),
      secFetchMode: request.headers.get('sec-fetch-mode'),
      secure: isSecure(request),
    },
    configuredToken(process.env),
  );

  const noStore = { 'Cache-Control': 'no-store' };
  switch (decision.action) {
    case 'deny':
      if (decision.kind === 'api') {
        return Response.json(
          { error: decision.reason === 'invalid-token' ? 'invalid access token' : 'access token required' },
          { status: 401, headers: { ...noStore, 'WWW-Authenticate': 'Bearer realm="meshglass"' } },
        );
      }
      return new Response(unauthorizedPageHtml(decision.reason), {
        status: 401,
        headers: { ...noStore, 'Content-Type': 'text/html; charset=utf-8', 'WWW-Authenticate': 'Bearer realm="meshglass"' },
      });
    case 'set-cookie-and-redirect':
      // Next requires an absolute Location in Proxy responses; it turns a same-origin one back into
      // a relative Location on the wire, so this works behind any ingress or port-forward.
      return new Response(null, {
        status: 303,
        headers: {
          ...noStore,
          Location: new URL(decision.location, request.url).toString(),
          'Set-Cookie': serializeCookie(decision.cookie),
          'Referrer-Policy': 'no-referrer',
        },
      });
    case 'reload-same-site':
      return new Response(reloadPageHtml(decision.location), {
        status: 200,
        headers: { ...noStore, 'Content-Type': 'text/html; charset=utf-8' },
      });
    case 'allow':
      break;
  }

  if (!wantsNonce(pathname)) return NextResponse.next();

  const nonce = generateNonce();
  const csp = contentSecurityPolicy({ nonce, dev: process.env.NODE_ENV === 'development' });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

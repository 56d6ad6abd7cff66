/**
 * HTTP security headers for Meshglass.
 *
 * Two pieces:
 * - `securityHeaders()`: static headers for every response, wired into `next.config.ts` `headers()`.
 *   It includes a baseline Content-Security-Policy that works for every page, static or dynamic
 *   (scripts: 'self' 'unsafe-inline', because Next streams its RSC payload in inline <script> tags).
 * - `contentSecurityPolicy({ nonce })`: the strict per-request policy that `proxy.ts` sets on page
 *   requests (scripts: 'nonce-…' 'strict-dynamic', no 'unsafe-inline'). Next reads the nonce from
 *   the request's CSP header and puts it on every script it renders. The proxy's header replaces the
 *   baseline one on those responses.
 *
 * Styles: 'unsafe-inline' is required and deliberate. Cytoscape injects a <style> element at runtime
 * and React renders `style={{…}}` as style attributes, neither of which can carry a nonce. (A nonce
 * in style-src would make browsers ignore 'unsafe-inline', so style-src never gets one.)
 *
 * Pure module (no Node APIs): imported by next.config.ts and proxy.ts.
 */

export interface HeaderEntry {
  key: string;
  value: string;
}

export interface CspOptions {
  /** Per-request nonce (base64). When absent, inline scripts are allowed via 'unsafe-inline'. */
  nonce?: string;
  /** `next dev` needs 'unsafe-eval' (React reconstructs server error stacks with eval). */
  dev?: boolean;
}

const NONCE_PATTERN = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Builds the Content-Security-Policy value. Throws on a malformed nonce (it would break the header). */
export function contentSecurityPolicy(options: CspOptions = {}): string {
  const { nonce, dev = false } = options;
  if (nonce !== undefined && !NONCE_PATTERN.test(nonce)) {
    throw new Error('contentSecurityPolicy: nonce must be base64/base64url');
  }
  const scriptSrc = nonce !== undefined ? ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"] : ["'self'", "'unsafe-inline'"];
  if (dev) scriptSrc.push("'unsafe-eval'");

  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    ['script-src', scriptSrc],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    // blob:/data: for cytoscape's canvas exports (cy.png()) and inline SVG icons.
    ['img-src', ["'self'", 'blob:', 'data:']],
    ['font-src', ["'self'", 'data:']],
    // The browser talks only to Meshglass' own API (never to Prometheus or the Kubernetes API);
    // dev adds websockets for HMR.
    ['connect-src', dev ? ["'self'", 'ws:', 'wss:'] : ["'self'"]],
    ['worker-src', ["'self'", 'blob:']],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/** Generates a fresh nonce: 128 random bits, base64 (Web Crypto, so it works in any runtime). */
export function generateNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/**
 * HSTS, sent by proxy.ts on every response to a request that arrived over HTTPS (directly or per
 * X-Forwarded-Proto): one year, no includeSubDomains (the dashboard's host does not own its siblings).
 */
export const HSTS_VALUE = 'max-age=31536000';

/** Headers for the pages proxy.ts writes itself (login, 401): no scripts at all, forms only to 'self'. */
export function standalonePageHeaders(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of securityHeaders()) out[h.key] = h.value;
  out['Content-Security-Policy'] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  return out;
}

/**
 * Headers for every response (next.config.ts). HSTS is added per request by proxy.ts (HSTS_VALUE),
 * only over HTTPS: `kubectl port-forward` and the demo are plain HTTP.
 */
export function securityHeaders(options: { dev?: boolean } = {}): HeaderEntry[] {
  return [
    { key: 'Content-Security-Policy', value: contentSecurityPolicy({ dev: options.dev ?? false }) },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'Referrer-Policy', value: 'no-referrer' },
    {
      key: 'Permissions-Policy',
      value: [
        'accelerometer=()',
        'camera=()',
        'geolocation=()',
        'gyroscope=()',
        'magnetometer=()',
        'microphone=()',
        'payment=()',
        'usb=()',
        'browsing-topics=()',
      ].join(', '),
    },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
    { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
  ];
}

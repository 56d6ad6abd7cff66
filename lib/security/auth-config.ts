/**
 * Access settings (issue 14, docs/deploy.md "Access control"): the app refuses to start without one.
 *
 *   DASHBOARD_TOKEN=<≥ 32 random bytes>      token mode (Bearer header for scripts, POST /login for browsers)
 *   DASHBOARD_TOKEN_FILE=/path                token mode, token read from a file (re-read, so rotation works)
 *   MESHGLASS_AUTH=trusted-proxy              an authenticating proxy (oauth2-proxy) in front; every request
 *                                             must carry its identity header (MESHGLASS_TRUSTED_PROXY_HEADER)
 *   MESHGLASS_AUTH=none                       explicitly open: the local demo, or a proxy that does all of it
 *
 * Pure (zod, no I/O unless a readFile function is passed): used by instrumentation.ts at start, and by
 * proxy.ts at request time. Secrets never appear in error messages.
 */
import { z } from 'zod';

export const AUTH_MODES = ['token', 'trusted-proxy', 'none'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export type AuthSettings =
  | { mode: 'none' }
  | { mode: 'token'; token: string; tokenFile?: undefined }
  | { mode: 'token'; tokenFile: string; token?: undefined }
  | { mode: 'trusted-proxy'; header: string };

/** oauth2-proxy passes the signed-in user's e-mail as X-Forwarded-Email (pass_user_headers, its default). */
export const DEFAULT_TRUSTED_PROXY_HEADER = 'X-Forwarded-Email';
/** 32 random bytes = 256 bits: what `openssl rand -hex 32` (64 chars) or `-base64 32` (44 chars) gives. */
export const MIN_TOKEN_BITS = 256;

export const AUTH_VARIABLES = ['MESHGLASS_AUTH', 'DASHBOARD_TOKEN', 'DASHBOARD_TOKEN_FILE', 'MESHGLASS_TRUSTED_PROXY_HEADER'] as const;

export const NO_ACCESS_SETTING =
  'no access setting: set one of DASHBOARD_TOKEN (at least 32 random bytes, e.g. `openssl rand -hex 32`), ' +
  'DASHBOARD_TOKEN_FILE (a file holding such a token), MESHGLASS_AUTH=trusted-proxy (behind an authenticating ' +
  'proxy that sends MESHGLASS_TRUSTED_PROXY_HEADER, default X-Forwarded-Email) or MESHGLASS_AUTH=none ' +
  '(explicitly open: local demo only, or a proxy that authenticates every request). See docs/deploy.md "Access control".';

export type AuthResult = { ok: true; auth: AuthSettings } | { ok: false; error: string };

/**
 * Estimated entropy of a token from its length and character classes. Hex-only tokens count 4 bits a
 * character; otherwise the alphabet is the union of the classes present (26 + 26 + 10 + 32 symbols).
 */
export function estimatedTokenBits(token: string): number {
  if (/^[0-9a-f]+$/i.test(token)) return token.length * 4;
  let alphabet = 0;
  if (/[a-z]/.test(token)) alphabet += 26;
  if (/[A-Z]/.test(token)) alphabet += 26;
  if (/[0-9]/.test(token)) alphabet += 10;
  if (/[^a-zA-Z0-9]/.test(token)) alphabet += 32;
  return token.length * Math.log2(Math.max(alphabet, 2));
}

/** Why a token is not acceptable (message names the variable), or undefined. */
export function tokenProblem(variable: string, token: string): string | undefined {
  if (token.trim() === '') return `${variable} is set but empty: give a token of at least 32 random bytes (e.g. \`openssl rand -hex 32\`), or unset it`;
  if (/[\s\u0000-\u001f\u007f]/.test(token)) return `${variable} must not contain whitespace or control characters`;
  if (estimatedTokenBits(token) < MIN_TOKEN_BITS || new Set(token).size < 12) {
    return `${variable} is too weak: use at least 32 random bytes, e.g. \`openssl rand -hex 32\` (64 hex characters)`;
  }
  return undefined;
}

const modeSchema = z.enum(AUTH_MODES);
const headerName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/, 'must be an HTTP header name such as X-Forwarded-Email');

/** Trims one trailing newline sequence and surrounding blanks (secrets written with `echo`). */
export function normalizeToken(raw: string): string {
  return raw.trim();
}

/**
 * Parses the access settings. With `readFile`, DASHBOARD_TOKEN_FILE is read and its token checked.
 * An explicit MESHGLASS_AUTH wins; without it, a token (or token file) means token mode.
 */
export function parseAuth(env: Record<string, string | undefined>, options: { readFile?: (path: string) => string } = {}): AuthResult {
  const fail = (error: string): AuthResult => ({ ok: false, error });
  const rawMode = env.MESHGLASS_AUTH;
  const rawToken = env.DASHBOARD_TOKEN;
  const rawFile = env.DASHBOARD_TOKEN_FILE;
  const rawHeader = env.MESHGLASS_TRUSTED_PROXY_HEADER;

  // Set-but-empty is a configuration error, never "no auth" (an empty Secret key, `DASHBOARD_TOKEN= npm start`).
  if (rawMode !== undefined && rawMode.trim() === '') return fail('MESHGLASS_AUTH is set but empty: use token, trusted-proxy or none');
  if (rawFile !== undefined && rawFile.trim() === '')
    return fail('DASHBOARD_TOKEN_FILE is set but empty: give the path of a file holding the token, or unset it');
  if (rawToken !== undefined) {
    const problem = tokenProblem('DASHBOARD_TOKEN', normalizeToken(rawToken));
    if (problem) return fail(problem);
  }
  if (rawToken !== undefined && rawFile !== undefined) return fail('DASHBOARD_TOKEN and DASHBOARD_TOKEN_FILE are both set: use one of them');

  let mode: AuthMode;
  if (rawMode !== undefined) {
    const m = modeSchema.safeParse(rawMode.trim().toLowerCase());
    if (!m.success) return fail(`MESHGLASS_AUTH must be token, trusted-proxy or none (got ${JSON.stringify(rawMode.slice(0, 40))})`);
    mode = m.data;
  } else if (rawToken !== undefined || rawFile !== undefined) {
    mode = 'token';
  } else {
    return fail(NO_ACCESS_SETTING);
  }

  if (mode !== 'token' && (rawToken !== undefined || rawFile !== undefined)) {
    return fail(
      `MESHGLASS_AUTH=${mode} and ${rawToken !== undefined ? 'DASHBOARD_TOKEN' : 'DASHBOARD_TOKEN_FILE'} are both set: a token is only used with MESHGLASS_AUTH=token`,
    );
  }
  if (mode !== 'trusted-proxy' && rawHeader !== undefined) {
    return fail('MESHGLASS_TRUSTED_PROXY_HEADER is set but MESHGLASS_AUTH is not trusted-proxy');
  }

  switch (mode) {
    case 'none':
      return { ok: true, auth: { mode: 'none' } };
    case 'trusted-proxy': {
      const h = headerName.safeParse((rawHeader ?? DEFAULT_TRUSTED_PROXY_HEADER).trim());
      if (!h.success) return fail(`MESHGLASS_TRUSTED_PROXY_HEADER ${h.error.issues[0]?.message ?? 'is invalid'}`);
      return { ok: true, auth: { mode: 'trusted-proxy', header: h.data.toLowerCase() } };
    }
    case 'token': {
      if (rawToken !== undefined) return { ok: true, auth: { mode: 'token', token: normalizeToken(rawToken) } };
      if (rawFile === undefined) {
        return fail('MESHGLASS_AUTH=token needs DASHBOARD_TOKEN or DASHBOARD_TOKEN_FILE (at least 32 random bytes, e.g. `openssl rand -hex 32`)');
      }
      const file = rawFile.trim();
      if (options.readFile) {
        let content: string;
        try {
          content = options.readFile(file);
        } catch (e) {
          return fail(`DASHBOARD_TOKEN_FILE names a file that cannot be read: ${file} (${(e as Error).message})`);
        }
        const problem = tokenProblem(`DASHBOARD_TOKEN_FILE (${file})`, normalizeToken(content));
        if (problem) return fail(problem);
      }
      return { ok: true, auth: { mode: 'token', tokenFile: file } };
    }
  }
}

import { describe, expect, it } from 'vitest';
import { estimatedTokenBits, NO_ACCESS_SETTING, parseAuth } from './auth-config';

const HEX = 'a3f1c9e07b5d2468'.repeat(4); // 64 hex characters = 256 bits
const B64 = 'q1Zk8+/Lr0Yt3pW9XcVbN2mE4sAfGhJjKuIoPy7QwR0='; // 44 characters, `openssl rand -base64 32` shape

const err = (env: Record<string, string | undefined>, readFile?: (p: string) => string) => {
  const r = parseAuth(env, readFile ? { readFile } : {});
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.auth)}`);
  return r.error;
};
const ok = (env: Record<string, string | undefined>, readFile?: (p: string) => string) => {
  const r = parseAuth(env, readFile ? { readFile } : {});
  if (!r.ok) throw new Error(r.error);
  return r.auth;
};

describe('parseAuth', () => {
  it('refuses to run without an access setting and names every option', () => {
    const e = err({});
    expect(e).toBe(NO_ACCESS_SETTING);
    for (const option of ['DASHBOARD_TOKEN', 'DASHBOARD_TOKEN_FILE', 'MESHGLASS_AUTH=trusted-proxy', 'MESHGLASS_AUTH=none']) expect(e).toContain(option);
  });

  it.each([
    [{ DASHBOARD_TOKEN: '' }, /^DASHBOARD_TOKEN is set but empty/],
    [{ DASHBOARD_TOKEN: '  \n' }, /^DASHBOARD_TOKEN is set but empty/],
    [{ DASHBOARD_TOKEN_FILE: ' ' }, /^DASHBOARD_TOKEN_FILE is set but empty/],
    [{ MESHGLASS_AUTH: '' }, /^MESHGLASS_AUTH is set but empty/],
    [{ MESHGLASS_AUTH: 'off' }, /^MESHGLASS_AUTH must be token, trusted-proxy or none/],
    [{ MESHGLASS_AUTH: 'token' }, /^MESHGLASS_AUTH=token needs DASHBOARD_TOKEN/],
    [{ MESHGLASS_AUTH: 'none', DASHBOARD_TOKEN: HEX }, /^MESHGLASS_AUTH=none and DASHBOARD_TOKEN are both set/],
    [{ DASHBOARD_TOKEN: HEX, DASHBOARD_TOKEN_FILE: '/t' }, /both set/],
    [{ MESHGLASS_AUTH: 'none', MESHGLASS_TRUSTED_PROXY_HEADER: 'X-User' }, /^MESHGLASS_TRUSTED_PROXY_HEADER is set but/],
    [{ MESHGLASS_AUTH: 'trusted-proxy', MESHGLASS_TRUSTED_PROXY_HEADER: 'X User:' }, /^MESHGLASS_TRUSTED_PROXY_HEADER must be an HTTP header name/],
  ])('rejects %j naming the variable', (env, message) => {
    expect(err(env)).toMatch(message);
  });

  it('rejects weak tokens without echoing them', () => {
    for (const weak of ['short-secret', '0123456789abcdef', 'a'.repeat(200), 'abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc', HEX.slice(0, 60)]) {
      const e = err({ DASHBOARD_TOKEN: weak });
      expect(e).toMatch(/^DASHBOARD_TOKEN is too weak: use at least 32 random bytes/);
      expect(e).not.toContain(weak);
    }
    expect(err({ DASHBOARD_TOKEN: `${HEX.slice(0, 30)} ${HEX.slice(30)}` })).toMatch(/whitespace/);
  });

  it('accepts 32 random bytes as hex or base64 (a trailing newline from `echo` is trimmed)', () => {
    expect(estimatedTokenBits(HEX)).toBe(256);
    expect(ok({ DASHBOARD_TOKEN: `${HEX}\n` })).toEqual({ mode: 'token', token: HEX });
    expect(ok({ DASHBOARD_TOKEN: B64 })).toEqual({ mode: 'token', token: B64 });
    expect(ok({ MESHGLASS_AUTH: 'token', DASHBOARD_TOKEN: HEX })).toEqual({ mode: 'token', token: HEX });
  });

  it('reads and checks DASHBOARD_TOKEN_FILE when given a reader', () => {
    expect(ok({ DASHBOARD_TOKEN_FILE: '/run/t' }, () => `${HEX}\n`)).toEqual({ mode: 'token', tokenFile: '/run/t' });
    expect(err({ DASHBOARD_TOKEN_FILE: '/run/t' }, () => 'weak')).toMatch(/^DASHBOARD_TOKEN_FILE \(\/run\/t\) is too weak/);
    expect(err({ DASHBOARD_TOKEN_FILE: '/run/t' }, () => '\n')).toMatch(/^DASHBOARD_TOKEN_FILE \(\/run\/t\) is set but empty/);
    expect(
      err({ DASHBOARD_TOKEN_FILE: '/nope' }, () => {
        throw new Error('ENOENT');
      }),
    ).toMatch(/^DASHBOARD_TOKEN_FILE names a file that cannot be read: \/nope/);
  });

  it('explicit modes: none, trusted-proxy with its (lower-cased) identity header', () => {
    expect(ok({ MESHGLASS_AUTH: 'none' })).toEqual({ mode: 'none' });
    expect(ok({ MESHGLASS_AUTH: 'trusted-proxy' })).toEqual({ mode: 'trusted-proxy', header: 'x-forwarded-email' });
    expect(ok({ MESHGLASS_AUTH: 'Trusted-Proxy', MESHGLASS_TRUSTED_PROXY_HEADER: 'X-Auth-Request-User' })).toEqual({
      mode: 'trusted-proxy',
      header: 'x-auth-request-user',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, generateNonce, securityHeaders } from './headers';

function directives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name, sources);
  }
  return map;
}

describe('contentSecurityPolicy', () => {
  it('baseline (no nonce): scripts from self plus inline, no eval in production', () => {
    const d = directives(contentSecurityPolicy());
    expect(d.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(contentSecurityPolicy()).not.toContain('unsafe-eval');
  });

  it('nonce mode: nonce + strict-dynamic and no unsafe-inline for scripts', () => {
    const d = directives(contentSecurityPolicy({ nonce: 'abc123==' }));
    expect(d.get('script-src')).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
  });

  it('styles allow inline (cytoscape <style> injection, React style attributes) and never carry a nonce', () => {
    for (const csp of [contentSecurityPolicy(), contentSecurityPolicy({ nonce: 'abc' })]) {
      const style = directives(csp).get('style-src') ?? [];
      expect(style).toContain("'unsafe-inline'");
      expect(style.some((s) => s.startsWith("'nonce-"))).toBe(false);
    }
  });

  it('dev mode adds unsafe-eval and HMR websockets', () => {
    const d = directives(contentSecurityPolicy({ dev: true }));
    expect(d.get('script-src')).toContain("'unsafe-eval'");
    expect(d.get('connect-src')).toContain('ws:');
  });

  it('is a single header line with well-formed directives', () => {
    const csp = contentSecurityPolicy({ nonce: generateNonce() });
    expect(csp).not.toMatch(/[\r\n]/);
    for (const part of csp.split('; ')) expect(part).toMatch(/^[a-z-]+( [^\s;]+)+$/);
  });

  it('rejects a nonce that could inject directives', () => {
    expect(() => contentSecurityPolicy({ nonce: "x'; script-src *" })).toThrow(/nonce/);
  });
});

describe('generateNonce', () => {
  it('returns 128-bit base64 values that differ per call', () => {
    const a = generateNonce();
    const b = generateNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(a).not.toBe(b);
  });
});

describe('securityHeaders', () => {
  const headers = new Map(securityHeaders().map((h) => [h.key.toLowerCase(), h.value]));

  it('contains the required headers with safe values', () => {
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('permissions-policy')).toMatch(/camera=\(\)/);
    expect(headers.get('content-security-policy')).toBe(contentSecurityPolicy());
  });

  it('has unique keys and single-line values (valid for next.config headers())', () => {
    const list = securityHeaders();
    expect(new Set(list.map((h) => h.key.toLowerCase())).size).toBe(list.length);
    for (const h of list) {
      expect(h.key).toMatch(/^[A-Za-z-]+$/);
      expect(h.value).not.toMatch(/[\r\n]/);
      expect(h.value.length).toBeGreaterThan(0);
    }
  });
});

import { expect, test } from '@playwright/test';
import { GraphPage } from './pages/graph-page';

// The strict Content-Security-Policy (per-request nonce, no 'unsafe-inline' scripts) is the default:
// every page must carry it and still hydrate, with no CSP violation in the console.

function scriptSrc(csp: string): string {
  return (
    csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('script-src ')) ?? ''
  );
}

for (const path of ['/', '/graph']) {
  test(`${path} is served with a per-request nonce policy and hydrates under it`, async ({ page }) => {
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const first = await page.goto(path);
    const csp1 = first?.headers()['content-security-policy'] ?? '';
    expect(scriptSrc(csp1)).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=_-]+' 'strict-dynamic'$/);
    expect(csp1).toContain("frame-ancestors 'none'");

    // The nonce in the header is the one on the page's scripts, and a second load gets a new one.
    const nonce = /'nonce-([^']+)'/.exec(csp1)?.[1];
    const scriptNonces = await page.locator('script[nonce]').evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
    expect(scriptNonces.length).toBeGreaterThan(0);
    expect(new Set(scriptNonces)).toEqual(new Set([nonce]));
    const second = await page.request.get(path);
    expect(second.headers()['content-security-policy']).not.toBe(csp1);

    // Hydrated: client-side behaviour works.
    if (path === '/graph') {
      const graph = new GraphPage(page);
      await graph.waitForGraph();
    } else {
      await expect(page.getByTestId('namespace-table')).toBeVisible();
      await expect(page.getByTestId('namespace-row-shop')).toBeVisible();
    }
    expect(violations).toEqual([]);
  });
}

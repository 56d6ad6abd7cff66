import fs from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { GraphPage } from './pages/graph-page';

// The Policy overlay on the demo mesh (docs/classification.md §8, docs/demo-mesh.md "Policy"): edges coloured by
// verdict with legend entries, and the side panel's policies with where each is enforced and why not.

test.beforeAll(async () => {
  await fs.mkdir('test-results/screenshots', { recursive: true });
});

test('the Policy overlay colours edges by verdict and the side panel explains each policy', async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto('range=15m');
  await graph.waitForGraph();
  await page.getByTestId('policy-toggle').click();
  await expect(page).toHaveURL(/overlay=policy/);
  await expect(page.getByTestId('policy-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('policy-key')).toBeVisible();
  for (const v of ['allowed', 'denied', 'not-enforced', 'none']) await expect(page.getByTestId(`legend-policy-${v}`)).toBeVisible();
  await expect(page.getByTestId('legend-policy-not-enforced')).toHaveText('policy not enforced');

  const verdictOf = async (from: string, to: string) => {
    const e = await graph.findEdge(from, to);
    expect(e, `edge ${from} → ${to}`).toBeDefined();
    return e!.classes.filter((c) => c.startsWith('policy-'));
  };
  await expect.poll(() => verdictOf('shop/cart', 'inventory/postgres')).toEqual(['policy-denied']);
  expect(await verdictOf('shop/pricing', 'inventory/redis')).toEqual(['policy-denied']);
  expect(await verdictOf('shop/cart', 'inventory/inventory-api')).toEqual(['policy-not-enforced']);
  expect(await verdictOf('inventory/inventory-api', 'inventory/postgres')).toEqual(['policy-allowed']);
  expect(await verdictOf('shop/web', 'shop/cart')).toEqual(['policy-none']);
  // The verdict is in words on the canvas too.
  const label = await page.evaluate(() => {
    const cy = window.__meshglassCy!;
    return cy.edges('.policy-not-enforced').map((e) => e.data('label') as string);
  });
  expect(label.some((l) => l.includes('policy not enforced'))).toBe(true);
  await graph.fit();
  await graph.screenshot('graph-policy');

  // A NetworkPolicy drop: the policy, its enforcer and the attributed CONNECT failures.
  const drop = (await graph.findEdge('shop/cart', 'inventory/postgres'))!;
  await graph.clickElement(drop.id);
  const policies = page.getByTestId('panel-policies');
  await expect(policies.getByTestId('panel-policy-verdict')).toHaveText('denied');
  await expect(policies.getByTestId('panel-dropped')).toContainText('likely dropped by NetworkPolicy inventory/postgres-from-inventory-api');
  await expect(policies.getByTestId('panel-policy')).toContainText(['NetworkPolicyinventory/postgres-from-inventory-apiDENY']);
  await expect(policies.getByTestId('panel-policy').first()).toContainText('enforced by CNI');
  await policies.scrollIntoViewIfNeeded();
  await graph.screenshot('graph-policy-dropped');

  // The HTTP-attribute policy without a waypoint: why it is not enforced.
  const gap = (await graph.findEdge('shop/cart', 'inventory/inventory-api'))!;
  await graph.clickElement(gap.id);
  await expect(policies.getByTestId('panel-policy-verdict')).toHaveText('policy not enforced');
  const notEnforced = policies.locator('[data-testid="panel-policy"][data-enforced="false"]');
  await expect(notEnforced).toHaveCount(1);
  await expect(notEnforced).toContainText('inventory/inventory-api-http-rules');
  await expect(notEnforced).toContainText('enforced by ztunnel (L4): not enforced');
  await expect(notEnforced).toContainText('ztunnel is L4 only');
  await policies.scrollIntoViewIfNeeded();
  await graph.screenshot('graph-policy-panel');

  // The ztunnel DENY.
  const deny = (await graph.findEdge('shop/pricing', 'inventory/redis'))!;
  await graph.clickElement(deny.id);
  await expect(policies.getByTestId('panel-denied')).toContainText('connections/s (response_flags DENY)');
  await expect(policies.getByTestId('panel-policy')).toContainText(['inventory/redis-deny-shop']);

  // Off again: no policy classes.
  await page.getByTestId('policy-toggle').click();
  await expect
    .poll(() => page.evaluate(() => window.__meshglassCy!.edges('[id]').filter((e) => e.classes().some((c: string) => c.startsWith('policy-'))).length))
    .toBe(0);
  await expect(page.getByTestId('legend-policy')).toHaveCount(0);
});

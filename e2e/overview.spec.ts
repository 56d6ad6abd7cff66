import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';

// The mesh overview (`/`) against the real demo (docs/demo-mesh.md): namespaces with their modes,
// the demo's findings, the migration view, and drill-down to a namespace graph.

class OverviewPage {
  constructor(readonly page: Page) {}

  async open(query = '') {
    await this.page.goto(`/${query}`);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Mesh overview' })).toBeVisible();
    await expect(this.namespaceTable).toBeVisible();
  }

  get namespaceTable(): Locator {
    return this.page.getByTestId('namespace-table');
  }

  row(namespace: string): Locator {
    return this.page.getByTestId(`namespace-row-${namespace}`);
  }

  async mode(namespace: string): Promise<string> {
    return (await this.row(namespace).getByTestId('ns-mode').textContent())?.trim() ?? '';
  }

  findings(kind: string, text?: string | RegExp): Locator {
    const all = this.page.getByTestId(`finding-${kind}`);
    return text === undefined ? all : all.filter({ hasText: text });
  }
}

test.describe('mesh overview', () => {
  test('lists namespaces with their modes and coverage', async ({ page }) => {
    const o = new OverviewPage(page);
    await o.open();
    for (const ns of ['payments', 'shop', 'inventory', 'orders', 'legacy']) {
      await expect(o.row(ns)).toBeVisible();
    }
    expect(await o.mode('shop')).toBe('ambient');
    expect(await o.mode('inventory')).toBe('ambient');
    expect(await o.mode('legacy')).toBe('none');
    // orders-api runs sidecar and ambient pods (migration in progress)
    expect(await o.mode('orders')).toBe('mixed');
    await expect(o.row('orders')).toContainText('1 mixed');
    // payments: sidecar workloads (batch-export opted out, so the namespace may read mixed)
    await expect(o.row('payments')).toContainText(/\d+ sidecar/);
    await expect(o.row('payments')).toContainText('istio-injection=enabled');
    await expect(o.row('shop')).toContainText('shop/shop-waypoint');
    // inventory serves HTTP without a waypoint: at least one L7 gap in its row
    await expect(o.row('inventory').getByTestId('ns-l7gaps')).toHaveText(/^[1-9]\d*$/);
    // mesh-wide summary
    await expect(page.getByTestId('stat-ztunnels')).toContainText('3');
    await expect(page.getByTestId('stat-waypoints')).toContainText('shop/shop-waypoint');
    await expect(page.getByTestId('stat-l7')).toContainText('%');
  });

  test('headline figures: the change since 24 h ago and a trend line over the range', async ({ page }) => {
    // The last hour of the demo's history: a day earlier shop/catalog still ran its 2 sidecars (docs/demo-mesh.md "History").
    const { anchor } = JSON.parse(fs.readFileSync(path.join(__dirname, '../.demo/e2e/anchor.json'), 'utf8')) as { anchor: string };
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
    const T = Date.parse(anchor);
    const o = new OverviewPage(page);
    await o.open(`?start=${iso(T - 3600_000)}&end=${iso(T)}`);
    const sidecars = page.getByTestId('stat-sidecars');
    await expect(sidecars.getByTestId('stat-delta')).toHaveText('▼ −2 since 24 h ago');
    await expect(page.getByTestId('stat-ztunnels').getByTestId('stat-delta')).toHaveText('no change since 24 h ago');
    for (const id of ['stat-l7', 'stat-mtls']) {
      await expect(page.getByTestId(id).getByTestId('stat-delta')).toHaveText(/^(▲ \+|▼ −)\d+\.\d pp since 24 h ago$|^no change since 24 h ago$/);
    }
    // One line per card, drawn from the points (13 over the hour, 5-minute steps), with a text summary.
    for (const id of ['stat-sidecars', 'stat-ztunnels', 'stat-l7', 'stat-mtls']) {
      const trend = page.getByTestId(id).getByTestId('stat-trend');
      await expect(trend.locator('polyline')).toHaveCount(1);
      expect((await trend.locator('polyline').getAttribute('points'))!.split(' ')).toHaveLength(13);
      await expect(trend.getByRole('img')).toHaveAttribute('aria-label', /over the selected range .*last/);
    }
    await page.getByTestId('stat-sidecars').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/screenshots/overview-trends.png', clip: { x: 0, y: 0, width: 1440, height: 330 } });
    // Six hours: the migration step (T−3h) is inside the range, the sidecar line steps down.
    await o.open(`?start=${iso(T - 6 * 3600_000)}&end=${iso(T)}`);
    await expect(sidecars.getByTestId('stat-trend').getByRole('img')).toHaveAttribute('aria-label', /min 11, max 13, last 11/);
    await page.screenshot({ path: 'test-results/screenshots/overview-trends-6h.png', clip: { x: 0, y: 0, width: 1440, height: 330 } });
  });

  test("shows the demo's findings with evidence and a fix", async ({ page }) => {
    const o = new OverviewPage(page);
    await o.open();
    await expect(page.getByTestId('findings-list')).toBeVisible();

    const gap = o.findings('l7-gap', 'inventory/inventory-api');
    await expect(gap).toHaveCount(1);
    await expect(gap).toContainText('istioctl waypoint apply -n inventory');

    await expect(o.findings('l7-policy-not-enforced', 'inventory/inventory-api-http-rules')).toHaveCount(1);
    await expect(o.findings('waypoint-bypass', 'payments/payments-api → shop/cart')).toHaveCount(1);
    await expect(o.findings('plaintext', 'legacy/legacy-reporting').first()).toBeVisible();
    await expect(o.findings('mixed-workload', 'orders/orders-api')).toHaveCount(1);
    await expect(o.findings('mode-mismatch', /orders\/orders-worker.*pending/)).toHaveCount(1);
    const drift = o.findings('version-drift', 'payments/ledger');
    await expect(drift).toHaveCount(1);
    await expect(drift).toContainText('1.26.3');

    // Severity is written out, not only coloured; fixes can be copied.
    await expect(gap.locator('[data-severity]').first()).toHaveText(/Critical|Warning|Info/);
    await expect(gap.getByRole('button', { name: /Copy fix/ })).toBeVisible();
    // Evidence names the edges that prove it.
    await gap.getByText(/^Evidence/).click();
    await expect(gap).toContainText('shop/cart->');
  });

  test('shows what moving payments to ambient would change', async ({ page }) => {
    const o = new OverviewPage(page);
    await o.open();
    const plan = page.getByTestId('migration-payments');
    await expect(plan).toBeVisible();
    await expect(plan).toContainText('Sidecars retired');
    await expect(plan).toContainText('payments/ledger');
    await expect(plan).toContainText('istioctl waypoint apply -n payments');
  });

  test('a namespace row links to its graph with the same window', async ({ page }) => {
    const o = new OverviewPage(page);
    await o.open();
    await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '6h' }).click();
    await expect(page).toHaveURL(/[?&]range=6h/);
    const link = o.row('shop').getByRole('link', { name: 'shop' });
    await expect(link).toHaveAttribute('href', '/graph?namespaces=shop&range=6h');
    await link.click();
    await expect(page).toHaveURL(/\/graph\?namespaces=shop&range=6h/, { timeout: 30_000 });
  });

  test('keyboard users can reach the namespace links', async ({ page }) => {
    const o = new OverviewPage(page);
    await o.open();
    const link = o.row('inventory').getByRole('link', { name: 'inventory' });
    await link.focus();
    await expect(link).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/graph\?namespaces=inventory/, { timeout: 30_000 });
  });
});

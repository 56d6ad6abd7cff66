import fs from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { GraphPage } from './pages/graph-page';

// The versioned view (group=version) on the demo canary (docs/demo-mesh.md rows 24–25): shop/recommendations
// v1 and v2 in one box, the versions side by side in the side panel beside HTTPRoute recommendations-canary's
// weights (90/10, observed 70/30, flagged), and the trace links (the e2e server runs with TRACING_URL set to a
// Jaeger address, playwright.config.ts).
const V1 = 'workload:Kubernetes/shop/recommendations-v1';
const V2 = 'workload:Kubernetes/shop/recommendations-v2';
const APP = 'app:Kubernetes/shop/recommendations';

test.beforeAll(async () => {
  await fs.mkdir('test-results/screenshots', { recursive: true });
});

test('the Versions toggle groups an app’s versions in a box and the side panel compares them with the configured split', async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto('range=15m&namespaces=shop');
  await graph.waitForGraph();
  expect(await graph.appBoxes()).toEqual({});

  await page.getByTestId('versions-toggle').click();
  await expect(page).toHaveURL(/group=version/);
  await expect.poll(async () => Object.keys(await graph.appBoxes())).toEqual([APP]);
  const box = (await graph.appBoxes())[APP]!;
  expect(box).toEqual({ label: 'recommendations · 2 versions', parent: 'ns:shop', children: [V1, V2] });
  // single-version apps stay plain nodes in their namespace box
  expect(await page.evaluate(() => window.__meshglassCy!.getElementById('workload:Kubernetes/shop/cart').data('parent'))).toBe('ns:shop');
  expect(await page.evaluate((id) => window.__meshglassCy!.getElementById(id).data('label'), V2)).toContain('version v2');

  await graph.clickElement(V2);
  await expect(page).toHaveURL(new RegExp(`selected=${encodeURIComponent(V2)}`));
  const table = page.getByTestId('versions-table');
  await expect(table).toBeVisible();
  const v1 = table.getByTestId('version-v1');
  const v2 = table.getByTestId('version-v2');
  await expect(v1.getByTestId('version-weight')).toHaveText('90.0%');
  await expect(v2.getByTestId('version-weight')).toHaveText('10.0%');
  // observed about 70/30 (one wave for both edges: the ratio holds in any window)
  const share = async (row: typeof v1) => parseFloat((await row.getByTestId('version-share').textContent()) ?? '');
  expect(await share(v1)).toBeCloseTo(70, 0);
  expect(await share(v2)).toBeCloseTo(30, 0);
  // the canary is the worse one: its error rate and p95 are marked
  await expect(v2.getByTestId('version-errors')).toHaveClass(/text-red-800/);
  await expect(v2.getByTestId('version-p95')).toHaveClass(/text-red-800/);
  await expect(v1.getByTestId('version-errors')).not.toHaveClass(/text-red-800/);
  await expect(page.getByTestId('split-details')).toContainText('HTTPRoute shop/recommendations-canary');
  await expect(page.getByTestId('split-drift')).toContainText(/differs from the weights by 2\d points \(more than 10 points\)/);

  // traces: an L7 node links to Jaeger for the window, opened safely
  const link = graph.panel.getByTestId('trace-link').getByRole('link');
  await expect(link).toHaveText('Traces of recommendations.shop in Jaeger');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  const href = new URL((await link.getAttribute('href'))!);
  expect(href.pathname).toBe('/search');
  expect(href.searchParams.get('service')).toBe('recommendations.shop');
  expect(href.searchParams.get('lookback')).toBe('custom');
  expect(Number(href.searchParams.get('end')) - Number(href.searchParams.get('start'))).toBeGreaterThanOrEqual(14 * 60 * 1e6);
  await graph.fit();
  await graph.screenshot('versions');

  // the app box itself selects the app
  await page.goto(`/graph?range=15m&namespaces=shop&group=version&selected=${encodeURIComponent(APP)}`);
  await graph.waitForGraph();
  await expect(graph.panel.getByTestId('panel-title')).toHaveText('App shop/recommendations');
  await expect(page.getByTestId('versions-table').getByRole('row')).toHaveCount(3);

  // back to the workload view: no boxes
  await page.getByTestId('versions-toggle').click();
  await expect(page).not.toHaveURL(/group=version/);
  await expect.poll(async () => Object.keys(await graph.appBoxes())).toEqual([]);
});

test('a split no proxy can apply is shown with the clients that escape it', async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto(`range=15m&namespaces=inventory&group=version&selected=${encodeURIComponent('workload:Kubernetes/inventory/inventory-api')}`);
  await graph.waitForGraph();
  await expect(page.getByTestId('legend-app-box')).toBeVisible();
  const details = page.locator('[data-split-id="VirtualService:inventory/inventory-api#0"]');
  await expect(details).toContainText('VirtualService inventory/inventory-api');
  await expect(details.getByTestId('split-not-applied')).toContainText('shop/cart: reaches it through ztunnel without a waypoint');
  await expect(details.getByTestId('split-not-applied')).toContainText('legacy/legacy-reporting: the client is outside the mesh');
  await expect(details.getByTestId('split-unjudged')).toHaveText('Not compared: inventory/inventory-api subset v2 selects no pods.');
  await graph.screenshot('versions-split-not-applied');
});

test('an L4 edge says why it has no traces and what would create them; an L7 edge links to the pair', async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto(`range=15m&selected=${encodeURIComponent('workload:Kubernetes/shop/cart->workload:Kubernetes/inventory/inventory-api')}`);
  await graph.waitForGraph();
  await expect(graph.panel.getByTestId('trace-unavailable')).toContainText('Only ztunnel carried this traffic');
  await expect(graph.panel.getByTestId('trace-unavailable')).toContainText('istioctl waypoint apply -n inventory');
  await expect(graph.panel.getByTestId('trace-link').getByRole('link')).toHaveCount(0);

  await page.goto(`/graph?range=15m&selected=${encodeURIComponent(`workload:Kubernetes/shop/web->${V2}`)}`);
  await graph.waitForGraph();
  const link = graph.panel.getByTestId('trace-link').getByRole('link');
  await expect(link).toHaveText('Traces web.shop → recommendations.shop in Jaeger');
});

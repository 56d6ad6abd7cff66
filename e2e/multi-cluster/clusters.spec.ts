import fs from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { GraphPage } from '../pages/graph-page';

// Two clusters (issue #6): the real demo (cluster "Kubernetes": simulator, proxies, Prometheus) plus a
// second Kubernetes API simulator, cluster "east" (demo/east-cluster.ts: ambient inventory/inventory-api
// and billing/ledger, idle: the demo telemetry only knows "Kubernetes"), behind KUBE_CONTEXTS.
// Started by playwright.multi-cluster.config.ts (`demo/cli.ts serve --second-cluster`).

const EAST_API = 'workload:east/inventory/inventory-api';
const DEMO_API = 'workload:Kubernetes/inventory/inventory-api';
const EAST_LEDGER = 'workload:east/billing/ledger';

test.beforeAll(async () => {
  await fs.mkdir('test-results/screenshots', { recursive: true });
});

/** Drawn nodes: id → { parent, label }. */
async function drawnNodes(page: Page): Promise<Record<string, { parent?: string; label: string }>> {
  return page.evaluate(() =>
    Object.fromEntries(
      window.__meshglassCy!.nodes().map((n) => [n.id(), { parent: (n.data('parent') as string | undefined) ?? undefined, label: String(n.data('label')) }]),
    ),
  );
}

async function waitForNodes(page: Page, pred: (ids: string[]) => boolean): Promise<void> {
  await expect.poll(async () => pred(Object.keys(await drawnNodes(page))), { timeout: 60_000 }).toBe(true);
}

test('the whole mesh shows both clusters, one namespace box per cluster', async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto('range=15m&refresh=off');
  await graph.waitForGraph();
  await waitForNodes(page, (ids) => ids.includes(EAST_API));
  const nodes = await drawnNodes(page);
  // Two clusters' "inventory" namespaces are two boxes.
  expect(nodes['ns:east/inventory']?.label).toBe('east/inventory');
  expect(nodes['ns:Kubernetes/inventory']?.label).toBe('Kubernetes/inventory');
  expect(nodes['ns:inventory']).toBeUndefined();
  expect(nodes[EAST_API]?.parent).toBe('ns:east/inventory');
  expect(nodes[DEMO_API]?.parent).toBe('ns:Kubernetes/inventory');
  expect(nodes[EAST_LEDGER]?.parent).toBe('ns:east/billing');

  // The node panel names the cluster.
  await graph.clickElement(EAST_API);
  await expect(graph.panel.getByTestId('panel-title')).toHaveText('inventory/inventory-api');
  await expect(graph.panel.locator('dt:text-is("Cluster") + dd')).toHaveText('east');
});

test('the Clusters menu narrows the graph through the URL, and Share keeps the choice', async ({ page, browser }) => {
  const graph = new GraphPage(page);
  await graph.goto('range=15m&refresh=off');
  await graph.waitForGraph();
  const menu = page.getByTestId('cluster-menu');
  await expect(menu).toBeVisible();
  await menu.locator('summary').click();
  await expect(menu.getByRole('checkbox')).toHaveCount(2);
  await expect(menu.getByLabel('east')).not.toBeChecked();
  await expect(menu.getByLabel('Kubernetes')).not.toBeChecked();
  await graph.screenshot('clusters-menu');

  await menu.getByLabel('east').check();
  await expect(page).toHaveURL(/[?&]clusters=east(&|$)/);
  await expect(page.getByTestId('breadcrumb-clusters')).toHaveText('· cluster east');
  // Only east's objects: no edge of the demo cluster touches them.
  await waitForNodes(page, (ids) => ids.includes(EAST_API) && !ids.some((id) => id.startsWith('workload:Kubernetes/')));
  const east = await drawnNodes(page);
  expect(Object.keys(east).filter((id) => id.startsWith('workload:')).sort()).toEqual([EAST_LEDGER, EAST_API]);
  expect(await page.evaluate(() => window.__meshglassCy!.edges().length)).toBe(0);
  // The Namespaces menu asks for the same clusters.
  const nsMenu = page.getByTestId('namespace-menu');
  await nsMenu.locator('summary').click();
  await expect(nsMenu.getByRole('checkbox')).toHaveCount(2);
  await expect(nsMenu).toContainText('billing');
  await expect(nsMenu).toContainText('inventory');
  await nsMenu.locator('summary').click();

  // Share → the same view in another browser.
  const link = await graph.share();
  expect(new URL(link).searchParams.get('clusters')).toBe('east');
  await graph.closeShareDialog();
  const other = await browser.newContext();
  try {
    const page2 = await other.newPage();
    await page2.goto(link);
    await waitForNodes(page2, (ids) => ids.includes(EAST_API) && ids.includes(EAST_LEDGER) && !ids.some((id) => id.startsWith('workload:Kubernetes/')));
    await expect(page2.getByTestId('cluster-menu')).toContainText('1');
  } finally {
    await other.close();
  }

  // Back to every cluster: the parameter goes away and the demo cluster comes back.
  await menu.getByRole('button', { name: 'All clusters' }).click();
  await expect(page).not.toHaveURL(/clusters=/);
  await waitForNodes(page, (ids) => ids.includes(DEMO_API) && ids.includes(EAST_API));
});

test('an edge panel names the clusters of its ends; the list view qualifies names by cluster', async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto('range=15m&refresh=off');
  await graph.waitForGraph();
  await waitForNodes(page, (ids) => ids.includes(EAST_API));
  const edge = await graph.findEdge('shop/web', 'shop/cart');
  expect(edge).toBeDefined();
  await graph.clickElement(edge!.id);
  await expect(graph.panel.getByTestId('panel-title')).toHaveText('shop/web → shop/cart');
  // The demo telemetry has no cross-cluster traffic: both ends are in "Kubernetes".
  await expect(graph.panel.getByTestId('panel-clusters')).toHaveText('Kubernetes → Kubernetes');
  await expect(graph.panel.getByTestId('panel-cross-cluster')).toHaveCount(0);
  await graph.screenshot('clusters-edge-panel');

  await graph.showList();
  const row = graph.tableRow(edge!.id);
  await expect(row).toContainText('Kubernetes/shop/web');
  await expect(row).toContainText('Kubernetes/shop/cart');
  await expect(row.locator('[data-col="cross-cluster"]')).toHaveCount(0);
});

test('a bad clusters parameter is named in the banner and ignored', async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto(`range=15m&refresh=off&clusters=${encodeURIComponent('east"} or vector(1)')}`);
  await expect(graph.urlError).toContainText('clusters');
  await expect(graph.urlError).toContainText('is not a valid cluster name');
  await graph.waitForGraph();
  await waitForNodes(page, (ids) => ids.includes(EAST_API) && ids.includes(DEMO_API));
});

import fs from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import type { GraphEdge, MeshGraph } from '@/lib/mesh/types';
import { GraphPage } from '../pages/graph-page';

// Two clusters (issue #6): the real demo (cluster "Kubernetes": simulator, proxies, Prometheus) plus a
// second Kubernetes API simulator, cluster "east" (demo/model/east-cluster.ts: ambient inventory/inventory-api,
// billing/ledger out of the mesh, and east's ztunnel), behind KUBE_CONTEXTS. With --second-cluster the
// simulated proxies also carry shop/cart (Kubernetes, ambient) → east inventory-api over HBONE: ztunnel
// series with source_cluster="Kubernetes", destination_cluster="east", live and in the backfilled history.
// Started by playwright.multi-cluster.config.ts (`demo/cli.ts serve --second-cluster`).

const EAST_API = 'workload:east/inventory/inventory-api';
const DEMO_API = 'workload:Kubernetes/inventory/inventory-api';
const EAST_LEDGER = 'workload:east/billing/ledger';
const CART = 'workload:Kubernetes/shop/cart';
const STATE = '.demo/e2e-multi';

async function apiGraph(page: Page, query: string): Promise<MeshGraph> {
  const r = await page.request.get(`/api/graph?${query}`);
  expect(r.status()).toBe(200);
  return (await r.json()) as MeshGraph;
}

const crossEdge = (g: MeshGraph): GraphEdge | undefined => g.edges.find((e) => e.source === CART && e.target === EAST_API);

test.beforeAll(async () => {
  await fs.mkdir('test-results/screenshots', { recursive: true });
});

/** Drawn nodes: id → { parent, label } (none while the graph is not mounted yet, e.g. a freshly opened link). */
async function drawnNodes(page: Page): Promise<Record<string, { parent?: string; label: string }>> {
  return page.evaluate(() => {
    const cy = window.__meshglassCy;
    if (!cy) return {};
    return Object.fromEntries(
      cy.nodes().map((n) => [n.id(), { parent: (n.data('parent') as string | undefined) ?? undefined, label: String(n.data('label')) }]),
    );
  });
}

async function waitForNodes(page: Page, pred: (ids: string[]) => boolean): Promise<void> {
  await expect.poll(async () => pred(Object.keys(await drawnNodes(page))), { timeout: 60_000 }).toBe(true);
}

test('the whole mesh shows both clusters, one namespace box per cluster', async ({ page }) => {
  const graph = new GraphPage(page);
  // Polling on for the first test: on a reused demo state the last 15 min may only just be filling with live data.
  await graph.goto('range=15m');
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

  // click, not check(): the box follows the URL (router.push), so its state changes a moment after the click
  await menu.getByLabel('east').click();
  await expect(page).toHaveURL(/[?&]clusters=east(&|$)/);
  await expect(page.getByTestId('breadcrumb-clusters')).toHaveText('· cluster east');
  // East's objects and the edges touching them, with their peers: the cross-cluster call keeps shop/cart;
  // no other workload of the demo cluster stays.
  await waitForNodes(page, (ids) => ids.includes(EAST_API) && ids.includes(CART) && !ids.includes(DEMO_API));
  const east = await drawnNodes(page);
  expect(
    Object.keys(east)
      .filter((id) => id.startsWith('workload:'))
      .sort(),
  ).toEqual([CART, EAST_LEDGER, EAST_API].sort());
  const edges = await page.evaluate(() => window.__meshglassCy!.edges().map((e) => [e.data('source') as string, e.data('target') as string]));
  expect(edges).toEqual([[CART, EAST_API]]);
  // The Namespaces menu asks for the same clusters.
  const nsMenu = page.getByTestId('namespace-menu');
  await nsMenu.locator('summary').click();
  await expect(nsMenu).toContainText('billing');
  await expect(nsMenu).toContainText('inventory');
  await expect(nsMenu).not.toContainText('payments');
  await nsMenu.locator('summary').click();

  // Share → the same view in another browser.
  const link = await graph.share();
  expect(new URL(link).searchParams.get('clusters')).toBe('east');
  await graph.closeShareDialog();
  const other = await browser.newContext();
  try {
    const page2 = await other.newPage();
    await page2.goto(link);
    await waitForNodes(page2, (ids) => ids.includes(EAST_API) && ids.includes(EAST_LEDGER) && ids.includes(CART) && !ids.includes(DEMO_API));
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

test('/api/graph: shop/cart → east inventory-api is an ambient L4 mTLS cross-cluster edge, live and in the backfilled history', async ({ page }) => {
  const anchor = JSON.parse(await fs.readFile(`${STATE}/anchor.json`, 'utf8')) as { anchorUnix: number };
  const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
  for (const query of ['range=15m', `start=${iso(anchor.anchorUnix - 3 * 3600)}&end=${iso(anchor.anchorUnix - 2 * 3600)}`]) {
    const g = await apiGraph(page, query);
    const e = crossEdge(g);
    expect(e, query).toBeDefined();
    expect(e).toMatchObject({ path: 'ambient', telemetry: 'l4', mtls: 'mutual', crossCluster: true, protocol: 'http', l7Gap: true });
    // ztunnels only: the client's (cluster Kubernetes) reported source, east's ztunnel pod reported destination
    expect(e!.reporters!.map((r) => [r.reporter, r.proxy]).sort()).toEqual([
      ['destination', 'ztunnel'],
      ['source', 'ztunnel'],
    ]);
    expect(e!.reporters!.find((r) => r.reporter === 'destination')!.targets).toEqual(['ztunnel-e4x7k']);
    expect(e!.rates.connectionsPerSec ?? 0).toBeGreaterThan(0);
    const nodes = new Map(g.nodes.map((n) => [n.id, n]));
    expect(nodes.get(CART)).toMatchObject({ cluster: 'Kubernetes', namespace: 'shop', mode: 'ambient' });
    expect(nodes.get(EAST_API)).toMatchObject({ cluster: 'east', namespace: 'inventory', mode: 'ambient' });
    // every other edge stays inside one cluster
    expect(g.edges.filter((x) => x.crossCluster).map((x) => x.id)).toEqual([e!.id]);
  }
  // clusters=east keeps the edge and its peer in the demo cluster
  const eastOnly = await apiGraph(page, 'range=15m&clusters=east');
  expect(eastOnly.edges.map((x) => [x.source, x.target])).toEqual([[CART, EAST_API]]);
  expect(eastOnly.nodes.map((n) => n.id).sort()).toEqual([EAST_LEDGER, EAST_API, CART].sort());
});

test('the cross-cluster edge joins the Kubernetes/shop and east/inventory boxes; panel and list view mark it', async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto('range=15m&refresh=off');
  await graph.waitForGraph();
  await waitForNodes(page, (ids) => ids.includes(EAST_API) && ids.includes(CART));
  const edge = (await graph.drawnEdges()).find((e) => e.source === CART && e.target === EAST_API);
  expect(edge).toBeDefined();
  expect(edge).toMatchObject({ path: 'ambient', telemetry: 'l4', mtls: 'mutual', l7Gap: true });
  expect(edge!.classes).toContain('cross-cluster');
  // Drawn cased (line outline), and the legend explains the casing in a multi-cluster graph.
  const outline = await page.evaluate((id) => window.__meshglassCy!.getElementById(id).style('line-outline-width') as string, edge!.id);
  expect(parseFloat(outline)).toBeGreaterThan(0);
  await expect(page.getByTestId('legend-cross-cluster')).toContainText('cross-cluster');
  const nodes = await drawnNodes(page);
  expect(nodes[CART]?.parent).toBe('ns:Kubernetes/shop');
  expect(nodes[EAST_API]?.parent).toBe('ns:east/inventory');

  await graph.clickElement(edge!.id);
  await expect(graph.panel.getByTestId('panel-title')).toHaveText('shop/cart → inventory/inventory-api');
  await expect(graph.panel.getByTestId('panel-clusters')).toHaveText('Kubernetes → east');
  await expect(graph.panel.getByTestId('panel-cross-cluster')).toHaveText('· cross-cluster');
  await expect(graph.panel.getByTestId('panel-telemetry')).toHaveText('L4 only (TCP)');
  await expect(graph.panel.getByTestId('panel-mtls')).not.toHaveText(/plaintext/i);
  await graph.screenshot('clusters-cross-cluster-edge-panel');

  await graph.showList();
  const row = graph.tableRow(edge!.id);
  await expect(row).toContainText('Kubernetes/shop/cart');
  await expect(row).toContainText('east/inventory/inventory-api');
  await expect(row.locator('[data-col="cross-cluster"]')).toHaveText('(cross-cluster)');
  // the same-named demo-cluster edge is not marked
  const local = (await graph.drawnEdges()).find((e) => e.source === CART && e.target === DEMO_API);
  if (local) await expect(graph.tableRow(local.id).locator('[data-col="cross-cluster"]')).toHaveCount(0);
});

test('selecting cluster east in the Clusters menu keeps the cross-cluster edge with its peer', async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto('range=15m&refresh=off');
  await graph.waitForGraph();
  const menu = page.getByTestId('cluster-menu');
  await menu.locator('summary').click();
  await expect(menu.getByRole('checkbox')).toHaveCount(2);
  // click, not check(): the box follows the URL (router.push), so its state changes a moment after the click
  await menu.getByLabel('east').click();
  await expect(page).toHaveURL(/[?&]clusters=east(&|$)/);
  await waitForNodes(page, (ids) => ids.includes(EAST_API) && ids.includes(CART) && !ids.includes(DEMO_API));
  const edge = (await graph.drawnEdges()).find((e) => e.source === CART && e.target === EAST_API);
  expect(edge).toBeDefined();
  await graph.clickElement(edge!.id);
  await expect(graph.panel.getByTestId('panel-clusters')).toHaveText('Kubernetes → east');
  await expect(graph.panel.getByTestId('panel-cross-cluster')).toBeVisible();
});

test('a bad clusters parameter is named in the banner and ignored', async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto(`range=15m&refresh=off&clusters=${encodeURIComponent('east"} or vector(1)')}`);
  await expect(graph.urlError).toContainText('clusters');
  await expect(graph.urlError).toContainText('is not a valid cluster name');
  await graph.waitForGraph();
  await waitForNodes(page, (ids) => ids.includes(EAST_API) && ids.includes(DEMO_API));
});

test("double-clicking a cluster's namespace box drills into that cluster's namespace", async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto('range=15m');
  await graph.waitForGraph();
  await waitForNodes(page, (ids) => ids.includes(EAST_API) && ids.includes(DEMO_API));
  await page.evaluate(() => {
    window.__meshglassCy!.getElementById('ns:east/inventory').emit('dbltap');
  });
  await expect(page).toHaveURL(/namespaces=inventory/);
  await expect(page).toHaveURL(/clusters=east/);
  await waitForNodes(page, (ids) => ids.includes(EAST_API) && !ids.includes(DEMO_API));
});

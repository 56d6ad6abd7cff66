import fs from 'node:fs/promises';
import { expect, test, type Route } from '@playwright/test';
import type { EdgeRates, MeshGraph } from '@/lib/mesh/types';
import { GraphPage } from './pages/graph-page';

// The demo mesh (docs/demo-mesh.md): every traffic-model entry with the path, telemetry and mTLS
// Meshglass must show for it in the folded view. Destination matched by suffix so peers outside
// namespaces (api.stripe.com, the unknown 203.0.113.10 peer) match however the API labels them.
const matches = (drawnTo: string, want: string | string[]) => (Array.isArray(want) ? want : [want]).some((w) => drawnTo.endsWith(w));
const EXPECTED: { from: string; to: string | string[]; path: string; telemetry: string; mtls: string; l7Gap: boolean }[] = [
  { from: 'istio-system/istio-ingressgateway', to: 'shop/web', path: 'mixed', telemetry: 'l7', mtls: 'mutual', l7Gap: false },
  { from: 'shop/web', to: 'shop/cart', path: 'waypoint', telemetry: 'l7', mtls: 'mutual', l7Gap: false },
  { from: 'shop/web', to: 'shop/catalog', path: 'waypoint', telemetry: 'l7', mtls: 'mutual', l7Gap: false },
  { from: 'shop/cart', to: 'payments/payments-api', path: 'mixed', telemetry: 'l7', mtls: 'mutual', l7Gap: false },
  { from: 'payments/payments-api', to: 'payments/ledger', path: 'sidecar', telemetry: 'l7', mtls: 'mutual', l7Gap: false },
  { from: 'payments/payments-api', to: 'shop/cart', path: 'mixed', telemetry: 'l7', mtls: 'mutual', l7Gap: false },
  { from: 'shop/cart', to: 'inventory/inventory-api', path: 'ambient', telemetry: 'l4', mtls: 'mutual', l7Gap: true },
  { from: 'inventory/inventory-api', to: 'inventory/postgres', path: 'ambient', telemetry: 'l4', mtls: 'mutual', l7Gap: false },
  { from: 'inventory/inventory-api', to: 'inventory/redis', path: 'ambient', telemetry: 'l4', mtls: 'mutual', l7Gap: false },
  { from: 'legacy/legacy-reporting', to: 'inventory/inventory-api', path: 'ambient', telemetry: 'l4', mtls: 'plaintext', l7Gap: true },
  { from: 'legacy/legacy-reporting', to: 'shop/catalog', path: 'ambient', telemetry: 'l4', mtls: 'plaintext', l7Gap: true },
  { from: 'legacy/legacy-reporting', to: 'orders/orders-api', path: 'mixed', telemetry: 'l7', mtls: 'plaintext', l7Gap: false },
  { from: 'shop/web', to: 'orders/orders-api', path: 'mixed', telemetry: 'l7', mtls: 'mutual', l7Gap: false },
  { from: 'payments/payments-api', to: 'api.stripe.com', path: 'sidecar', telemetry: 'l4', mtls: 'unknown', l7Gap: false },
  { from: 'inventory/inventory-api', to: ['unknown/unknown', '203.0.113.10'], path: 'ambient', telemetry: 'l4', mtls: 'plaintext', l7Gap: false },
  { from: 'payments/batch-export', to: 'payments/ledger', path: 'sidecar', telemetry: 'l7', mtls: 'plaintext', l7Gap: false },
  // docs/demo-mesh.md rows 17–21: a half-migrated client (waypoint + direct slices), gRPC, empty low buckets, named egress
  { from: 'checkout/checkout', to: 'shop/pricing', path: 'mixed', telemetry: 'l7', mtls: 'mutual', l7Gap: false },
  { from: 'payments/payments-api', to: 'fraud/fraud-check', path: 'sidecar', telemetry: 'l7', mtls: 'mutual', l7Gap: false },
  { from: 'fraud/fraud-check', to: 'fraud/risk-model', path: 'sidecar', telemetry: 'l7', mtls: 'mutual', l7Gap: false },
  { from: 'fraud/fraud-check', to: 'unknown/PassthroughCluster', path: 'sidecar', telemetry: 'l4', mtls: 'unknown', l7Gap: false },
  { from: 'fraud/risk-model', to: 'unknown/BlackHoleCluster', path: 'sidecar', telemetry: 'l4', mtls: 'unknown', l7Gap: false },
  // rows 22–23: refused by policy (a NetworkPolicy drop seen only by the client ztunnel; a ztunnel DENY)
  { from: 'shop/cart', to: 'inventory/postgres', path: 'ambient', telemetry: 'l4', mtls: 'mutual', l7Gap: false },
  { from: 'shop/pricing', to: 'inventory/redis', path: 'ambient', telemetry: 'l4', mtls: 'mutual', l7Gap: false },
  // rows 24–25: the canary (two versions of shop/recommendations through the waypoint)
  { from: 'shop/web', to: 'shop/recommendations-v1', path: 'waypoint', telemetry: 'l7', mtls: 'mutual', l7Gap: false },
  { from: 'shop/web', to: 'shop/recommendations-v2', path: 'waypoint', telemetry: 'l7', mtls: 'mutual', l7Gap: false },
];

const PATH_WORDS: Record<string, string> = { sidecar: 'sidecar', ambient: 'ambient (L4)', waypoint: 'via waypoint', mixed: 'mixed' };
const MTLS_WORDS: Record<string, string> = { mutual: 'mTLS', plaintext: 'plaintext', unknown: 'unknown' };

test.beforeAll(async () => {
  await fs.mkdir('test-results/screenshots', { recursive: true });
});

test('draws every demo edge with its path, telemetry and mTLS, in the graph and in the list view', async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto('range=15m');
  await graph.waitForGraph();
  await graph.screenshot('graph');
  await page.getByTestId('coverage-toggle').click();
  await expect.poll(() => page.evaluate(() => window.__meshglassCy!.edges('.blind').length)).toBeGreaterThan(0);
  await expect(page).toHaveURL(/overlay=coverage/);
  await graph.screenshot('graph-coverage');
  await page.getByTestId('coverage-toggle').click();

  const drawn = await graph.drawnEdges();
  for (const want of EXPECTED) {
    const edge = drawn.find((e) => e.from === want.from && matches(e.to, want.to));
    expect(edge, `edge ${want.from} → ${String(want.to)} is drawn`).toBeDefined();
    expect({ path: edge!.path, telemetry: edge!.telemetry, mtls: edge!.mtls, l7Gap: edge!.l7Gap }, `${want.from} → ${String(want.to)}`).toEqual({
      path: want.path,
      telemetry: want.telemetry,
      mtls: want.mtls,
      l7Gap: want.l7Gap,
    });
    expect(edge!.classes).toContain(`path-${want.path}`);
    if (want.mtls === 'plaintext') expect(edge!.classes).toContain('mtls-plaintext');
  }

  // Workload modes are on the canvas as classes and as words in the label.
  const modes = await page.evaluate(() =>
    Object.fromEntries(
      window
        .__meshglassCy!.nodes('.kind-workload')
        .map((n) => [`${n.data('namespace')}/${n.data('name')}`, { mode: n.data('mode') as string, label: n.data('label') as string }]),
    ),
  );
  expect(modes['orders/orders-api']?.mode).toBe('mixed');
  expect(modes['orders/orders-api']?.label).toContain('[mixed]');
  expect(modes['payments/ledger']?.label).toContain('[sidecar]');
  expect(modes['legacy/legacy-reporting']?.label).toContain('[out of mesh]');

  await graph.showList();
  for (const want of EXPECTED) {
    const edge = drawn.find((e) => e.from === want.from && matches(e.to, want.to))!;
    const row = graph.tableRow(edge.id);
    await expect(row).toHaveCount(1);
    await expect(row.locator('[data-col="path"]')).toHaveText(PATH_WORDS[want.path]!);
    await expect(row.locator('[data-col="mtls"]')).toHaveText(MTLS_WORDS[want.mtls]!);
    await expect(row.locator('[data-col="telemetry"]')).toContainText(want.telemetry.toUpperCase());
  }
  await expect(page).toHaveURL(/view=list/);
  await graph.screenshot('list');
});

test('clicking an edge opens its explanation with the fix', async ({ page }) => {
  const graph = new GraphPage(page);
  const edge = await graph.openEdge('range=15m', 'shop/cart', 'inventory/inventory-api');
  await expect(graph.panel).toBeVisible();
  await expect(graph.panel.getByTestId('panel-title')).toHaveText('shop/cart → inventory/inventory-api');
  await expect(graph.panel.getByTestId('panel-path')).toHaveText('ambient (L4)');
  await expect(graph.panel.getByTestId('panel-explanation')).toContainText('only ztunnel');
  await expect(graph.panel).toContainText('L7 gap');
  await expect(graph.panel).toContainText('istioctl waypoint apply -n inventory --enroll-namespace');
  await expect.poll(() => new URL(page.url()).searchParams.get('selected')).toBe(edge.id);
  expect(await graph.selectedIds()).toEqual([edge.id]);
  await expect(graph.panel.getByRole('img', { name: /bytes\/s client → server/ })).toBeVisible(); // sparkline from /api/edge-series
  await graph.fit();
  await graph.screenshot('panel');
});

test('a shared link opened in another browser shows the same selection and numbers', async ({ page, browser }) => {
  const graph = new GraphPage(page);
  const edge = await graph.openEdge('range=15m&refresh=off', 'payments/payments-api', 'payments/ledger');
  await expect(graph.panel.getByTestId('panel-title')).toHaveText('payments/payments-api → payments/ledger');
  // The graph is drawn from a request without latency and the edges' detail (omit=detail,latency); the follow-up fills the panel.
  await expect(graph.panel.getByTestId('panel-rates')).toContainText(/Latency p50\/p95\/p99\s*[\d.]+ ?m?s/);
  await expect(graph.panel.getByText('Seen by', { exact: true })).toBeVisible();
  await expect(graph.panel.getByTestId('panel-reporters-loading')).toHaveCount(0);
  await expect(graph.panel.getByTestId('panel-latency-loading')).toHaveCount(0);
  const rates = await graph.panel.getByTestId('panel-rates').innerText();
  // the status breakdown (HTTP codes; gRPC codes by name on gRPC edges) is part of the rates
  await expect(graph.panel.getByTestId('panel-statuses-http')).toContainText('200');
  const windowLabel = await page.getByTestId('window-label').innerText();

  const link = await graph.share();
  const url = new URL(link);
  expect(url.searchParams.get('range')).toBeNull();
  expect(url.searchParams.get('start')).toBeTruthy();
  expect(url.searchParams.get('end')).toBeTruthy();
  expect(url.searchParams.get('selected')).toBe(edge.id);
  await graph.closeShareDialog();

  const other = await browser.newContext();
  try {
    const page2 = await other.newPage();
    const graph2 = new GraphPage(page2);
    await page2.goto(link);
    await graph2.waitForGraph();
    await expect(graph2.panel.getByTestId('panel-title')).toHaveText('payments/payments-api → payments/ledger');
    await expect.poll(() => graph2.panel.getByTestId('panel-rates').innerText()).toBe(rates);
    expect(await graph2.selectedIds()).toEqual([edge.id]);
    expect(await page2.getByTestId('window-label').innerText()).toContain(windowLabel.split(' (')[0]!);
  } finally {
    await other.close();
  }
});

// The graph is drawn from the omit=latency request; the follow-up latency request fails until told otherwise:
// as an HTTP error, or as a 200 whose latency queries failed in Prometheus (docs/api.md §4.1 "Latency on demand").
const LATENCY_FAILURES: { name: string; shows: string; detailLent: boolean; fail: (route: Route) => Promise<void> }[] = [
  {
    name: 'the latency request fails',
    detailLent: false,
    shows: 'unavailable: Neither Prometheus nor the Kubernetes API answered',
    fail: (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: 'Neither Prometheus nor the Kubernetes API answered', warnings: [] }),
      }),
  },
  {
    name: 'the latency queries fail in Prometheus',
    detailLent: true,
    shows: 'unavailable: latency queries failed: query timed out in expression evaluation; these numbers are missing',
    fail: async (route) => {
      // As JSON, to edit it (the page asks for the compressed graph, docs/api.md §4.2; it takes either).
      const response = await route.fetch({ headers: { ...route.request().headers(), accept: 'application/json' } });
      const body = (await response.json()) as MeshGraph;
      const strip = (r: EdgeRates) => ({ ...r, p50Ms: undefined, p95Ms: undefined, p99Ms: undefined, meanMs: undefined });
      body.edges = body.edges.map((e) => ({
        ...e,
        rates: strip(e.rates),
        ...(e.slices ? { slices: e.slices.map((x) => ({ ...x, rates: strip(x.rates) })) } : {}),
      }));
      body.warnings.push({ source: 'prometheus', message: 'latency queries failed: query timed out in expression evaluation; these numbers are missing' });
      await route.fulfill({ response, json: body });
    },
  },
];

for (const failure of LATENCY_FAILURES) {
  test(`${failure.name}: the panel says latency is unavailable and why; Retry reads it again`, async ({ page }) => {
    let fail = true;
    await page.route(/\/api\/graph\?/, async (route) => {
      // The follow-up is the request without `omit` (the page's own asks omit=detail,latency).
      if (fail && new URL(route.request().url()).searchParams.get('omit') === null) return failure.fail(route);
      await route.continue();
    });
    const graph = new GraphPage(page);
    await graph.openEdge('range=15m&refresh=off', 'payments/payments-api', 'payments/ledger');
    await expect(graph.panel.getByTestId('panel-title')).toHaveText('payments/payments-api → payments/ledger');
    const unavailable = graph.panel.getByTestId('panel-latency-error');
    await expect(unavailable).toContainText(failure.shows);
    await expect(graph.panel.getByTestId('panel-latency-loading')).toHaveCount(0);
    await expect(graph.panel.getByTestId('panel-rates')).not.toContainText('Latency p50/p95/p99');
    // The edge's detail (reporters, principals) comes with the same follow-up: missing with it when the request
    // failed; lent by it when only its latency queries failed (its traffic queries answered).
    if (failure.detailLent) {
      await expect(graph.panel.getByTestId('panel-reporters-error')).toHaveCount(0);
      await expect(graph.panel.getByText('Seen by', { exact: true })).toBeVisible();
      await expect(graph.panel.getByText('Client principal')).toBeVisible();
    } else {
      await expect(graph.panel.getByTestId('panel-reporters-error')).toContainText(failure.shows);
      await expect(graph.panel.getByTestId('panel-detail-error')).toContainText(failure.shows);
    }
    await graph.screenshot(`panel-latency-error-${LATENCY_FAILURES.indexOf(failure)}`);
    fail = false;
    await unavailable.getByRole('button', { name: 'Retry' }).click();
    await expect(graph.panel.getByTestId('panel-rates')).toContainText(/Latency p50\/p95\/p99\s*[\d.]+ ?m?s/);
    await expect(graph.panel.getByTestId('panel-latency-error')).toHaveCount(0);
    await expect(graph.panel.getByText('Seen by', { exact: true })).toBeVisible();
    await expect(graph.panel.getByTestId('panel-reporters-error')).toHaveCount(0);
  });
}

test('the namespace picker reads the Kubernetes inventory: no request but the graph reads Prometheus', async ({ page }) => {
  const api: URL[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/')) api.push(u);
  });
  const graph = new GraphPage(page);
  await graph.goto('range=15m&refresh=off');
  await graph.waitForGraph();
  await page.getByTestId('namespace-menu').locator('summary').click();
  const payments = page.getByTestId('namespace-menu').locator('label', { hasText: 'payments' });
  await expect(payments).toContainText('[mixed]');
  await expect(page.getByTestId('namespace-menu').locator('label', { hasText: 'inventory' })).toContainText('[ambient]');
  await graph.screenshot('namespace-picker');
  // /api/config reads the Kubernetes API only; /api/namespaces is asked for the inventory alone (docs/api.md §4.3).
  expect([...new Set(api.map((u) => u.pathname))].sort()).toEqual(['/api/config', '/api/graph', '/api/namespaces']);
  for (const u of api.filter((x) => x.pathname === '/api/namespaces')) expect(u.searchParams.get('omit')).toBe('traffic');
  // A controlled checkbox: its state follows the URL a moment later, so click and wait for both (check() wants it at once).
  await payments.locator('input').click();
  await expect(payments.locator('input')).toBeChecked();
  await expect.poll(() => new URL(page.url()).searchParams.get('namespaces')).toBe('payments');
  await graph.waitForGraph();
  expect(api.filter((u) => u.pathname === '/api/namespaces').length).toBe(1);
});

test('a poll updates numbers without re-running the layout', async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto('range=15m&refresh=off');
  await graph.waitForGraph();
  const runs = await graph.layoutRuns();
  const before = await graph.nodePositions();
  await graph.refreshNow();
  expect(await graph.layoutRuns()).toBe(runs);
  const after = await graph.nodePositions();
  for (const [id, p] of Object.entries(before)) {
    if (after[id]) expect(after[id]).toEqual(p);
  }
});

// cytoscape moves the viewport by blitting cached layers of the drawing unless drawing itself dirties elements.
// Any `style` event while only the viewport moves means every frame redraws every element, label and dash
// pattern (lib/graph/stylesheet.ts, first rule; bench/results.md "Panning one namespace"). Counted per frame,
// not timed.
test('panning restyles nothing: the namespace boxes are drawn without marking them dirty', async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto('range=15m&refresh=off');
  await graph.waitForGraph();
  await page.waitForFunction(() => window.__meshglassLayoutPending !== true);
  const result = await page.evaluate(
    () =>
      new Promise<{ boxes: number; restyled: string[] }>((resolve) => {
        const cy = window.__meshglassCy!;
        const restyled = new Set<string>();
        const onStyle = (e: { target: { id(): string } }) => void restyled.add(e.target.id());
        cy.on('style', onStyle);
        let frames = 0;
        const tick = () => {
          cy.panBy({ x: 5, y: 2 });
          if (++frames < 30) requestAnimationFrame(tick);
          else {
            cy.off('style', onStyle);
            resolve({ boxes: cy.nodes(':parent').length, restyled: [...restyled].slice(0, 10) });
          }
        };
        requestAnimationFrame(tick);
      }),
  );
  expect(result.boxes).toBeGreaterThan(0);
  expect(result.restyled).toEqual([]);
});

test('PNG export downloads a non-empty image, JSON export the MeshGraph', async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto('range=15m');
  await graph.waitForGraph();
  const download = await graph.exportPng();
  expect(download.suggestedFilename()).toMatch(/\.png$/);
  const file = await download.path();
  const bytes = await fs.readFile(file);
  expect(bytes.length).toBeGreaterThan(5_000);
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');

  const json = await graph.exportJson();
  const exported = JSON.parse(await fs.readFile(await json.path(), 'utf8')) as { window: { start: string }; nodes: unknown[]; edges: { id: string }[] };
  const drawn = await graph.drawnEdges();
  expect(exported.edges.map((e) => e.id).sort()).toEqual(drawn.map((e) => e.id).sort());
  expect(exported.window.start).toMatch(/^\d{4}-\d{2}-\d{2}T/);
});

test('double-clicking a namespace drills down, the breadcrumb goes back', async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto('range=15m');
  await graph.waitForGraph();
  await graph.doubleTapNamespace('inventory');
  await expect(page).toHaveURL(/namespaces=inventory/);
  await expect(page.getByTestId('breadcrumb-current')).toHaveText('inventory');
  await graph.waitForGraph();
  const edges = await graph.drawnEdges();
  expect(edges.length).toBeGreaterThan(0);
  for (const e of edges) expect(e.from.startsWith('inventory/') || e.to.startsWith('inventory/')).toBe(true);
  await page.getByTestId('breadcrumb-mesh').click();
  await expect(page).not.toHaveURL(/namespaces=/);
});

test('a bad URL parameter shows a message naming it instead of crashing', async ({ page }) => {
  const graph = new GraphPage(page);
  await graph.goto('range=banana&view=list');
  await expect(graph.urlError).toBeVisible();
  await expect(graph.urlError).toContainText('range');
  await expect(graph.table).toBeVisible(); // the rest of the link still applies
  await graph.goto('start=yesterday&end=2026-01-01T00:00:00Z');
  await expect(graph.urlError).toContainText('start');
});

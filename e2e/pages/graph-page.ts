import { expect, type Locator, type Page } from '@playwright/test';

interface DrawnEdge {
  id: string;
  source: string;
  target: string;
  /** "namespace/name" of each end (name only for peers without a namespace box). */
  from: string;
  to: string;
  path: string;
  telemetry: string;
  mtls: string;
  l7Gap: boolean;
  classes: string[];
}

/** Page object for /graph (Headlamp-style e2e: specs never touch selectors directly). */
export class GraphPage {
  readonly panel: Locator;
  readonly table: Locator;
  readonly urlError: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('side-panel');
    this.table = page.getByTestId('edge-table');
    this.urlError = page.getByTestId('url-error');
  }

  async goto(query = ''): Promise<void> {
    await this.page.goto(`/graph${query ? `?${query}` : ''}`);
  }

  /** Wait until cytoscape holds the graph and no fetch is running. */
  async waitForGraph(): Promise<void> {
    await this.page.waitForFunction(() => (window.__meshglassCy?.edges().length ?? 0) > 0, null, { timeout: 60_000 });
    await expect(this.page.getByRole('button', { name: 'Refresh now' })).toBeEnabled({ timeout: 60_000 });
  }

  async drawnEdges(): Promise<DrawnEdge[]> {
    return this.page.evaluate(() => {
      const cy = window.__meshglassCy!;
      const label = (id: string) => {
        const n = cy.getElementById(id);
        return `${n.data('namespace')}/${n.data('name')}`;
      };
      return cy.edges().map((e) => ({
        id: e.id(),
        source: e.data('source') as string,
        target: e.data('target') as string,
        from: label(e.data('source') as string),
        to: label(e.data('target') as string),
        path: e.data('path') as string,
        telemetry: e.data('telemetry') as string,
        mtls: e.data('mtls') as string,
        l7Gap: e.data('l7Gap') as boolean,
        classes: e.classes() as unknown as string[],
      }));
    });
  }

  async findEdge(from: string, to: string): Promise<DrawnEdge | undefined> {
    return (await this.drawnEdges()).find((e) => e.from === from && e.to.endsWith(to));
  }

  /** Load the graph with `query`, then click the drawn edge from → to (by suffix) and return it. */
  async openEdge(query: string, from: string, to: string): Promise<DrawnEdge> {
    await this.goto(query);
    await this.waitForGraph();
    const edge = await this.findEdge(from, to);
    expect(edge, `edge ${from} → ${to} is drawn`).toBeDefined();
    await this.clickElement(edge!.id);
    return edge!;
  }

  async selectedIds(): Promise<string[]> {
    return this.page.evaluate(() => window.__meshglassCy!.$(':selected').map((e) => e.id()));
  }

  async layoutRuns(): Promise<number> {
    return this.page.evaluate(() => window.__meshglassLayoutRuns ?? 0);
  }

  async nodePositions(): Promise<Record<string, { x: number; y: number }>> {
    return this.page.evaluate(() =>
      Object.fromEntries(window.__meshglassCy!.nodes(':childless').map((n) => [n.id(), { x: n.position('x'), y: n.position('y') }])),
    );
  }

  /** Click an element with the mouse where cytoscape draws it (edge midpoint / node centre). */
  async clickElement(id: string): Promise<void> {
    const point = await this.page.evaluate((elId) => {
      const cy = window.__meshglassCy!;
      const el = cy.getElementById(elId);
      cy.zoom(1.6);
      cy.center(el);
      const p = el.isEdge() ? cy.edges().getElementById(elId).renderedMidpoint() : cy.nodes().getElementById(elId).renderedPosition();
      return { x: p.x, y: p.y };
    }, id);
    const box = await this.page.getByTestId('graph-canvas').boundingBox();
    if (!box) throw new Error('graph canvas not visible');
    await this.page.mouse.click(box.x + point.x, box.y + point.y);
  }

  // The evaluated functions below return nothing: Playwright would otherwise serialise the cytoscape object
  // that fit()/emit() return, a walk over every element and renderer cache that takes minutes on a loaded machine.
  async fit(): Promise<void> {
    await this.page.evaluate(() => {
      window.__meshglassCy!.fit(undefined, 30);
    });
  }

  async doubleTapNamespace(ns: string): Promise<void> {
    await this.page.evaluate((n) => {
      window.__meshglassCy!.getElementById(`ns:${n}`).emit('dbltap');
    }, ns);
  }

  async showList(): Promise<void> {
    await this.page.getByRole('button', { name: 'List', exact: true }).click();
    await expect(this.table).toBeVisible();
  }

  tableRow(edgeId: string): Locator {
    return this.table.locator(`tr[data-edge-id="${edgeId.replace(/"/g, '\\"')}"]`);
  }

  async share(): Promise<string> {
    await this.page.getByTestId('share').click();
    const input = this.page.getByTestId('share-url');
    await expect(input).toHaveValue(/^https?:\/\//);
    return input.inputValue();
  }

  async closeShareDialog(): Promise<void> {
    await this.page.getByTestId('share-dialog').getByRole('button', { name: 'Close' }).click();
  }

  async exportPng() {
    const download = this.page.waitForEvent('download');
    await this.page.getByTestId('export-png').click();
    return download;
  }

  async exportJson() {
    const download = this.page.waitForEvent('download');
    await this.page.getByTestId('export-json').click();
    return download;
  }

  async refreshNow(): Promise<void> {
    const button = this.page.getByRole('button', { name: 'Refresh now' });
    await button.click();
    await expect(button).toBeEnabled({ timeout: 60_000 });
  }

  /** The versioned view: the compound app boxes and the ids of the workloads inside each. */
  async appBoxes(): Promise<Record<string, { label: string; parent: string; children: string[] }>> {
    return this.page.evaluate(() => {
      const out: Record<string, { label: string; parent: string; children: string[] }> = {};
      window.__meshglassCy!.nodes('.app-box').forEach((n) => {
        out[n.id()] = {
          label: String(n.data('label')),
          parent: String(n.data('parent') ?? ''),
          children: n
            .children()
            .map((c) => c.id())
            .sort(),
        };
      });
      return out;
    });
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `test-results/screenshots/${name}.png` });
  }
}

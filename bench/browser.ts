// Chromium measurements of /graph: data arrival → interactive graph, panning frame rate, JS bytes.
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';

export interface PageMeasurement {
  url: string;
  /** ms from the end of the /api/graph response to the first layoutstop */
  dataToLayoutMs: number;
  /** ms from the end of the /api/graph response to the second animation frame after layoutstop (drawn) */
  dataToInteractiveMs: number;
  /** ms from navigation start to the end of the /api/graph response */
  navToDataMs: number;
  apiGraphBytes: number;
  nodes: number;
  edges: number;
  fps: number;
  panFrames: number;
  js: { files: number; rawBytes: number; gzipBytes: number; transferredBytes: number };
}

// Hooks the test handle window.__meshglassCy as soon as the page assigns it: records each layoutstop
// and the frames after it, in the page's performance.now() timebase.
const INIT = `
(() => {
  const b = (window.__bench = { layoutstops: [], drawn: [] });
  let cy;
  Object.defineProperty(window, '__meshglassCy', {
    configurable: true,
    get() { return cy; },
    set(v) {
      cy = v;
      if (!v) return;
      v.on('layoutstop', () => {
        b.layoutstops.push(performance.now());
        requestAnimationFrame(() => requestAnimationFrame(() => b.drawn.push(performance.now())));
      });
    },
  });
})();
`;

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export async function measureGraphPage(browser: Browser, url: string, timeoutMs = 180_000): Promise<PageMeasurement> {
  // bypassCSP: the app's Content-Security-Policy has no 'unsafe-eval', which string predicates of waitForFunction need.
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 }, bypassCSP: true });
  await ctx.addInitScript(INIT);
  const page = await ctx.newPage();
  const js = { files: 0, rawBytes: 0, gzipBytes: 0, transferredBytes: 0 };
  const pending: Promise<void>[] = [];
  page.on('response', (res) => {
    if (res.request().resourceType() !== 'script') return;
    pending.push(
      (async () => {
        try {
          const body = await res.body();
          const sizes = await res.request().sizes();
          js.files++;
          js.rawBytes += body.length;
          js.gzipBytes += gzipSync(body, { level: 9 }).length;
          js.transferredBytes += sizes.responseBodySize;
        } catch {
          // redirected or aborted
        }
      })(),
    );
  });
  let apiGraphBytes = 0;
  page.on('response', (res) => {
    if (!res.url().includes('/api/graph')) return;
    pending.push(res.body().then((b) => void (apiGraphBytes = b.length), () => undefined));
  });
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction('window.__bench.drawn.length > 0', undefined, { timeout: timeoutMs, polling: 100 });
  const timing = (await page.evaluate(`(() => {
    const b = window.__bench;
    const stop = b.layoutstops[0];
    const entries = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/graph'));
    const before = entries.filter((e) => e.responseEnd <= stop);
    const data = before[before.length - 1];
    const cy = window.__meshglassCy;
    return { stop, drawn: b.drawn[0], dataEnd: data ? data.responseEnd : NaN, nodes: cy.nodes().length, edges: cy.edges().length };
  })()`)) as { stop: number; drawn: number; dataEnd: number; nodes: number; edges: number };
  // Panning: a requestAnimationFrame loop that pans on every frame for 3 s; the frame count is the rate
  // the main thread (cytoscape redraws included) keeps up with.
  const pan = (await page.evaluate(`new Promise((resolve) => {
    const cy = window.__meshglassCy;
    let frames = 0;
    const t0 = performance.now();
    const tick = () => {
      frames++;
      const dir = Math.floor(frames / 60) % 2 === 0 ? 1 : -1;
      cy.panBy({ x: 6 * dir, y: 3 * dir });
      const t = performance.now();
      if (t - t0 < 3000) requestAnimationFrame(tick);
      else resolve({ frames, seconds: (t - t0) / 1000 });
    };
    requestAnimationFrame(tick);
  })`)) as { frames: number; seconds: number };
  await Promise.all(pending);
  await ctx.close();
  return {
    url,
    dataToLayoutMs: timing.stop - timing.dataEnd,
    dataToInteractiveMs: timing.drawn - timing.dataEnd,
    navToDataMs: timing.dataEnd,
    apiGraphBytes,
    nodes: timing.nodes,
    edges: timing.edges,
    fps: pan.frames / pan.seconds,
    panFrames: pan.frames,
    js,
  };
}

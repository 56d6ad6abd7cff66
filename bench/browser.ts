// Chromium measurements of /graph: data arrival → interactive graph, panning frame rate, JS bytes.
import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * In-page panning measure: a requestAnimationFrame loop that pans on every frame for 3 s; the frame count is
 * the rate the main thread (cytoscape redraws included) keeps up with. Shared with bench/render-lab.ts.
 */
export const PAN_SCRIPT = `new Promise((resolve) => {
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
})`;

export interface PageMeasurement {
  url: string;
  /** ms from the end of the /api/graph response to the first layoutstop */
  dataToLayoutMs: number;
  /** ms from the end of the /api/graph response to the second animation frame after the first layoutstop (drawn) */
  dataToInteractiveMs: number;
  /** same, after the last layoutstop once no layout is pending (the worker's layout applied; = interactive without one) */
  dataToFinalMs: number;
  /** ms from navigation start to the end of the /api/graph response */
  navToDataMs: number;
  /** ms from navigation start: the HTML's end, the last script's end, DOM interactive, the graph request's fetch and request starts, its end. */
  navBreakdown: { htmlEnd: number; scriptsEnd: number; domInteractive: number; graphFetchStart: number; graphRequestStart: number; graphEnd: number };
  apiGraphBytes: number;
  nodes: number;
  edges: number;
  /** rAF frames per second while a rAF loop calls cy.panBy every frame (programmatic; no gesture-only optimisations) */
  fps: number;
  panFrames: number;
  /** cytoscape 'render' events per second while page.mouse drags the background (a user's pan gesture) */
  dragFps: number;
  /** rAF frames per second during that drag (≥ dragFps; equal when every frame redraws) */
  dragFrames: number;
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

interface MeasureOptions {
  timeoutMs?: number;
  /** Assigned to window.__meshglassCyOptions before the app runs (renderer experiments, e.g. {"webgl":true}). */
  cyOptions?: Record<string, unknown>;
  /** Write cy.json() (elements with positions, style) here after the layout (bench/render-lab.ts input). */
  dumpPath?: string;
  /** Save a screenshot of the page after the measurement. */
  screenshotPath?: string;
  /** After measuring: press Re-layout and expand one collapsed namespace, log what the layout bookkeeping did. */
  checkFlows?: boolean;
  /** Record a CPU profile (CDP Profiler) of a second cy.panBy run here (.cpuprofile, opens in Chrome DevTools) and log its top functions. */
  profilePath?: string;
}

export async function measureGraphPage(browser: Browser, url: string, mo: MeasureOptions = {}): Promise<PageMeasurement> {
  const timeoutMs = mo.timeoutMs ?? 180_000;
  // The app's own Content-Security-Policy applies (it decides whether the layout worker may start); waits poll
  // with page.evaluate, which CSP does not restrict (waitForFunction's predicates would need 'unsafe-eval').
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await ctx.addInitScript(INIT);
  if (mo.cyOptions) await ctx.addInitScript(`window.__meshglassCyOptions = ${JSON.stringify(mo.cyOptions)};`);
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
    pending.push(
      res.body().then(
        (b) => void (apiGraphBytes = b.length),
        () => undefined,
      ),
    );
  });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  const poll = async (expr: string) => {
    const t0 = Date.now();
    while (!(await page.evaluate(expr))) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`timeout waiting for ${expr}`);
      await page.waitForTimeout(100);
    }
  };
  // First drawing, then the final layout (a worker layout is applied with a second layoutstop).
  await poll('!!(window.__bench && window.__bench.drawn.length > 0)');
  await poll('!window.__meshglassLayoutPending && window.__bench.drawn.length === window.__bench.layoutstops.length');
  const timing = (await page.evaluate(`(() => {
    const b = window.__bench;
    const stop = b.layoutstops[0];
    const graphs = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/graph'));
    // The page draws from its first request (omit=detail,latency); the follow-up (latency, detail) is not the drawing's data.
    const lean = graphs.filter((e) => new URL(e.name).searchParams.has('omit'));
    const entries = lean.length ? lean : graphs;
    const before = entries.filter((e) => e.responseEnd <= stop);
    const data = before[before.length - 1];
    const cy = window.__meshglassCy;
    const nav = performance.getEntriesByType('navigation')[0];
    const scripts = performance.getEntriesByType('resource').filter((e) => e.initiatorType === 'script' || e.name.endsWith('.js'));
    return {
      stop, drawn: b.drawn[0], final: b.drawn[b.drawn.length - 1], dataEnd: data ? data.responseEnd : NaN, nodes: cy.nodes().length, edges: cy.edges().length,
      htmlEnd: nav ? nav.responseEnd : NaN,
      scriptsEnd: scripts.length ? Math.max(...scripts.map((e) => e.responseEnd)) : NaN,
      domInteractive: nav ? nav.domInteractive : NaN,
      dataStart: data ? data.requestStart : NaN,
      dataFetchStart: data ? data.startTime : NaN,
    };
  })()`)) as {
    stop: number;
    drawn: number;
    final: number;
    dataEnd: number;
    nodes: number;
    edges: number;
    htmlEnd: number;
    scriptsEnd: number;
    domInteractive: number;
    dataStart: number;
    dataFetchStart: number;
  };
  const pan = (await page.evaluate(PAN_SCRIPT)) as { frames: number; seconds: number };
  const drag = await measureDrag(page);
  if (mo.profilePath) await profilePan(page, mo.profilePath);
  if (mo.dumpPath) writeFileSync(mo.dumpPath, JSON.stringify(await page.evaluate('window.__meshglassCy.json()')));
  if (mo.screenshotPath) {
    await page.evaluate('window.__meshglassCy.fit(undefined, 30)');
    await page.waitForTimeout(500);
    await page.screenshot({ path: mo.screenshotPath });
  }
  if (mo.checkFlows) console.log(`[browser] flows on ${url}: ${JSON.stringify(await checkLayoutFlows(page))}`);
  await Promise.all(pending);
  await ctx.close();
  if (consoleErrors.length) console.log(`[browser] ${consoleErrors.length} console errors on ${url}: ${consoleErrors.slice(0, 3).join(' | ').slice(0, 600)}`);
  return {
    url,
    dataToLayoutMs: timing.stop - timing.dataEnd,
    dataToInteractiveMs: timing.drawn - timing.dataEnd,
    dataToFinalMs: timing.final - timing.dataEnd,
    navToDataMs: timing.dataEnd,
    navBreakdown: {
      htmlEnd: timing.htmlEnd,
      scriptsEnd: timing.scriptsEnd,
      domInteractive: timing.domInteractive,
      graphFetchStart: timing.dataFetchStart,
      graphRequestStart: timing.dataStart,
      graphEnd: timing.dataEnd,
    },
    apiGraphBytes,
    nodes: timing.nodes,
    edges: timing.edges,
    fps: pan.frames / pan.seconds,
    panFrames: pan.frames,
    dragFps: drag.renders / drag.seconds,
    dragFrames: drag.frames / drag.seconds,
    js,
  };
}

/**
 * Panning as a user does it: the mouse pressed on empty background and moved for 3 s (page.mouse, so
 * cytoscape sees a real drag gesture and its gesture-only shortcuts — hideEdgesOnViewport,
 * textureOnViewport — apply). Each move waits for the renderer to take the input event, so a busy main
 * thread slows the moves down as it would a real mouse's coalesced events. Counts cytoscape 'render'
 * events (frames that redrew the graph) and rAF frames in the page.
 */
export async function measureDrag(page: Page, seconds = 3): Promise<{ renders: number; frames: number; seconds: number }> {
  const box = await page.locator('[data-testid="graph-canvas"]').boundingBox();
  if (!box) throw new Error('graph canvas not found');
  // A start point on empty background: fit leaves a 30 px margin; pick the first grid point no element covers.
  const start = (await page.evaluate(`(() => {
    const cy = window.__meshglassCy;
    const boxes = cy.elements().map((e) => e.renderedBoundingBox());
    const w = cy.width(), h = cy.height();
    const host = cy.container();
    const rect = host.getBoundingClientRect();
    // not under an element, and not under an overlay (hint, panel) that would take the mouse instead
    for (let y = 12; y < h; y += 24) for (let x = 12; x < w; x += 24) {
      if (boxes.some((b) => x >= b.x1 - 4 && x <= b.x2 + 4 && y >= b.y1 - 4 && y <= b.y2 + 4)) continue;
      const hit = document.elementFromPoint(rect.left + x, rect.top + y);
      if (hit && host.contains(hit)) return { x, y };
    }
    return { x: 5, y: 5 };
  })()`)) as { x: number; y: number };
  await page.evaluate(`(() => {
    const cy = window.__meshglassCy;
    window.__drag = { renders: 0, frames: 0, on: true };
    cy.on('render', () => { window.__drag.renders++; });
    const tick = () => { if (!window.__drag.on) return; window.__drag.frames++; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  const x0 = box.x + start.x;
  const y0 = box.y + start.y;
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  await page.evaluate('window.__drag.renders = 0; window.__drag.frames = 0; window.__drag.t0 = performance.now();');
  const t0 = Date.now();
  let i = 0;
  while (Date.now() - t0 < seconds * 1000) {
    i++;
    // 60 px out and back (small steps, like a hand-held mouse at ~60 Hz)
    const phase = i % 20;
    const d = phase < 10 ? phase * 6 : (20 - phase) * 6;
    await page.mouse.move(x0 + d, y0 + d / 2);
  }
  const r = (await page.evaluate(
    '(() => { const d = window.__drag; d.on = false; return { renders: d.renders, frames: d.frames, seconds: (performance.now() - d.t0) / 1000 }; })()',
  )) as { renders: number; frames: number; seconds: number };
  await page.mouse.up();
  return r;
}

/** Re-layout (worker path keeps the drawing until the result arrives) and expanding a collapsed namespace. */
async function checkLayoutFlows(page: Page): Promise<Record<string, unknown>> {
  const state = () =>
    page.evaluate(
      `(() => { const cy = window.__meshglassCy; const n = cy.nodes(':childless')[0]; return { runs: window.__meshglassLayoutRuns, pending: !!window.__meshglassLayoutPending, nodes: cy.nodes().length, first: n ? n.id() + '@' + Math.round(n.position().x) + ',' + Math.round(n.position().y) : '' }; })()`,
    ) as Promise<{ runs: number; pending: boolean; nodes: number; first: string }>;
  const out: Record<string, unknown> = { start: await state() };
  await page.getByRole('button', { name: 'Re-layout' }).click();
  out.afterClick = await state();
  const t0 = Date.now();
  while ((await state()).pending && Date.now() - t0 < 60_000) await page.waitForTimeout(100);
  out.relayoutDone = { ...(await state()), ms: Date.now() - t0 };
  const agg = (await page.evaluate(
    `(() => { const n = window.__meshglassCy.nodes('.aggregate').filter((x) => x.data('workloads') > 0)[0]; return n ? n.id() : ''; })()`,
  )) as string;
  if (agg) {
    await page.evaluate(`window.__meshglassCy.getElementById(${JSON.stringify(agg)}).emit('tap')`);
    await page.waitForTimeout(3000);
    out.expanded = { id: agg, url: page.url().replace(/^.*\?/, '?').slice(0, 200), ...(await state()) };
  }
  return out;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * A second 3 s cy.panBy run under the CDP sampling profiler: writes the profile and logs the functions with the
 * most self time, and how many of the run's frames cytoscape drew from its layered texture cache (whole layers
 * blitted) rather than element by element (cytoscape src/extensions/renderer/canvas/layered-texture-cache.mjs).
 */
export async function profilePan(page: Page, outPath: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await page.evaluate(`(() => {
    const lyr = window.__meshglassCy.renderer().data.lyrTxrCache;
    const orig = lyr.getLayers.bind(lyr);
    window.__lyr = { layered: 0, direct: 0 };
    lyr.getLayers = (...a) => { const l = orig(...a); window.__lyr[l ? 'layered' : 'direct']++; return l; };
  })()`);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const pan = (await page.evaluate(PAN_SCRIPT)) as { frames: number; seconds: number };
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  const lyr = (await page.evaluate('window.__lyr')) as { layered: number; direct: number };
  writeFileSync(outPath, JSON.stringify(profile));
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  let total = 0;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}`;
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 18);
  console.log(
    `[browser] profiled pan: ${(pan.frames / pan.seconds).toFixed(1)} fps, frames drawn from layers ${lyr.layered}, element by element ${lyr.direct}; ${outPath}\n` +
      top.map(([k, us]) => `  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(5)} ms  ${k}`).join('\n'),
  );
  await cdp.detach();
}

// Render lab: cytoscape drawing cost of a dumped graph (cy.json() saved by `bench/run.ts --dump`)
// under renderer/style variants, in the same headless software-rendered Chromium as bench/browser.ts,
// without the app (no rebuild per experiment).
//   npx tsx bench/render-lab.ts bench/out/cy-whole-mesh.json [variant …] [--runs 3]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { launch, measureDrag, PAN_SCRIPT } from './browser';
import { median } from './util';

interface Variant {
  options?: Record<string, unknown>;
  /** extra style rules appended to the dumped stylesheet */
  style?: unknown[];
  /** keep only the first N edges */
  maxEdges?: number;
  /** keep only the first N nodes (edges between kept nodes only) */
  maxNodes?: number;
  /** drop one edge of every drawn reverse pair */
  mergeReverse?: boolean;
  /** drop the compound parents (namespace boxes): children keep their positions */
  flatten?: boolean;
}

const VARIANTS: Record<string, Variant> = {
  base: {},
  texture: { options: { textureOnViewport: true } },
  hideedges: { options: { hideEdgesOnViewport: true } },
  webgl: { options: { webgl: true } },
  'webgl-texture': { options: { webgl: true, textureOnViewport: true } },
  nolabels: { style: [{ selector: 'node', style: { label: '' } }] },
  noborder: { style: [{ selector: 'node', style: { 'border-width': 0 } }] },
  plainnodes: { style: [{ selector: 'node', style: { 'border-width': 0, label: '', shape: 'rectangle' } }] },
  noedges: { maxEdges: 0 },
  onenode: { maxEdges: 0, maxNodes: 1 },
  'onenode-px1': { maxEdges: 0, maxNodes: 1, options: { pixelRatio: 1 } },
  e800: { maxEdges: 800 },
  e500: { maxEdges: 500 },
  merge: { mergeReverse: true },
  solid: { style: [{ selector: 'edge', style: { 'line-style': 'solid', 'mid-target-arrow-shape': 'none', 'line-outline-width': 0 } }] },
  nodash: { style: [{ selector: 'edge', style: { 'line-style': 'solid' } }] },
  nomid: { style: [{ selector: 'edge', style: { 'mid-target-arrow-shape': 'none' } }] },
  nooutline: { style: [{ selector: 'edge', style: { 'line-outline-width': 0 } }] },
  opaque: {
    style: [
      { selector: 'edge', style: { opacity: 1 } },
      { selector: 'node', style: { opacity: 1, 'text-background-opacity': 0 } },
    ],
  },
  flat: { flatten: true },
  'bg-empty': { style: [{ selector: 'node', style: { 'background-image': [] } }] },
  'bg-empty-parent': { style: [{ selector: ':parent', style: { 'background-image': [] } }] },
  'compound-exclude-labels': { style: [{ selector: ':parent', style: { 'compound-sizing-wrt-labels': 'exclude' } }] },
  'no-compound-label': { style: [{ selector: ':parent', style: { label: '' } }] },
  'no-child-label': { style: [{ selector: 'node:childless', style: { label: '' } }] },
  'no-compound-style': { style: [{ selector: ':parent', style: { 'background-opacity': 0, 'border-width': 0, label: '' } }] },
  cheap: {
    style: [
      { selector: 'edge', style: { 'line-style': 'solid', 'mid-target-arrow-shape': 'none', 'line-outline-width': 0, opacity: 1, 'underlay-opacity': 0 } },
      { selector: 'node', style: { 'border-style': 'solid', 'text-background-opacity': 0, 'outline-width': 0 } },
    ],
  },
  'bezier-off': {
    style: [{ selector: 'edge', style: { 'curve-style': 'straight', 'target-arrow-shape': 'none', 'mid-target-arrow-shape': 'none', label: '' } }],
  },
};

// Counts the frames cytoscape drew from its layered texture cache (whole cached layers blitted) and those it drew
// element by element (cytoscape src/extensions/renderer/canvas/layered-texture-cache.mjs getLayers() → null).
const LAYER_COUNTER = `(() => {
  const lyr = window.__meshglassCy.renderer().data.lyrTxrCache;
  const orig = lyr.getLayers.bind(lyr);
  window.__lyr = { layered: 0, direct: 0 };
  lyr.getLayers = (...a) => { const l = orig(...a); window.__lyr[l ? 'layered' : 'direct']++; return l; };
})()`;

async function main() {
  const args = process.argv.slice(2);
  const runsI = args.indexOf('--runs');
  const runs = runsI >= 0 ? Number(args[runsI + 1]) : 3;
  const pos = args.filter((a, i) => !a.startsWith('--') && (runsI < 0 || i !== runsI + 1));
  const [dumpPath, ...names] = pos;
  if (!dumpPath) throw new Error('usage: render-lab.ts <cy.json> [variant…]');
  const dump = JSON.parse(readFileSync(dumpPath, 'utf8')) as {
    elements: { nodes: unknown[]; edges: { data: { source: string; target: string } }[] };
    style: unknown[];
  };
  const cyJs = path.resolve(__dirname, '../node_modules/cytoscape/dist/cytoscape.min.js');
  const browser = await launch();
  for (const name of names.length ? names : Object.keys(VARIANTS)) {
    const v = VARIANTS[name];
    if (!v) throw new Error(`unknown variant ${name}`);
    let edges = dump.elements.edges;
    if (v.mergeReverse) {
      const seen = new Set<string>();
      edges = edges.filter((e) => {
        const k = [e.data.source, e.data.target].sort().join('|');
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    }
    if (v.maxEdges !== undefined) edges = edges.slice(0, v.maxEdges);
    let nodes =
      v.maxNodes !== undefined
        ? dump.elements.nodes.filter((n) => !(n as { data: { parent?: string } }).data.parent).slice(0, v.maxNodes)
        : dump.elements.nodes;
    if (v.flatten) {
      const parents = new Set(nodes.map((n) => (n as { data: { parent?: string } }).data.parent).filter(Boolean));
      nodes = nodes
        .filter((n) => !parents.has((n as { data: { id: string } }).data.id))
        .map((n) => ({ ...(n as object), data: { ...(n as { data: object }).data, parent: undefined } }));
    }
    const fps: number[] = [];
    const drag: number[] = [];
    const layers: { layered: number; direct: number }[] = [];
    for (let i = 0; i < runs; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.setContent(
        '<html><body style="margin:0"><div id="cy" data-testid="graph-canvas" style="position:absolute;top:140px;left:0;width:1600px;height:820px"></div></body></html>',
      );
      await page.addScriptTag({ path: cyJs });
      await page.evaluate(
        `(({ nodes, edges, style, options }) => {
          const cy = cytoscape({ container: document.getElementById('cy'), style, elements: { nodes, edges }, layout: { name: 'preset' }, ...options });
          cy.fit(undefined, 30);
          window.__meshglassCy = cy;
        })(${JSON.stringify({ nodes, edges, style: [...dump.style, ...(v.style ?? [])], options: v.options ?? {} })})`,
      );
      await page.waitForTimeout(800);
      if (i === 0 && process.env.LAB_SHOT) await page.screenshot({ path: `${process.env.LAB_SHOT}-${name}.png` });
      await page.evaluate(LAYER_COUNTER);
      const measured = (await page.evaluate(PAN_SCRIPT)) as { frames: number; seconds: number };
      layers.push((await page.evaluate('window.__lyr')) as { layered: number; direct: number });
      const pan = measured.frames / measured.seconds;
      const d = await measureDrag(page);
      fps.push(pan);
      drag.push(d.renders / d.seconds);
      if (errors.length) console.log(`  ${name}: page errors: ${errors.slice(0, 2).join(' | ')}`);
      await ctx.close();
    }
    console.log(
      `${name.padEnd(14)} edges ${String(edges.length).padStart(5)}  panBy ${median(fps).toFixed(1).padStart(5)} fps (${fps.map((x) => x.toFixed(1)).join(' ')})  drag ${median(drag).toFixed(1).padStart(5)} renders/s (${drag.map((x) => x.toFixed(1)).join(' ')})  layered/direct frames ${layers.map((l) => `${l.layered}/${l.direct}`).join(' ')}  load ${os.loadavg()[0]!.toFixed(2)}`,
    );
  }
  await browser.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import type { Position } from './layout';

// A layout computed on a headless cytoscape instance from plain data (ids, sizes, parents, edges),
// so it can run in a Web Worker (layout-worker.ts) while the page stays usable, or on the main
// thread as a fallback. Only the geometry travels: node sizes are measured by the page's renderer.

interface LayoutJobNode {
  id: string;
  parent?: string;
  /** Rendered size in model units, label included (leaves only; parents are sized by their children). */
  w: number;
  h: number;
}

export interface LayoutJob {
  seq: number;
  nodes: LayoutJobNode[];
  edges: { id: string; source: string; target: string }[];
  /** cytoscape layout options (JSON: no functions). */
  options: Record<string, unknown>;
}

export type LayoutJobResult = { seq: number; positions: Record<string, Position>; ms: number } | { seq: number; error: string };

let registered = false;

/** Compound padding of the page stylesheet's namespace boxes (stylesheet.ts). */
const PARENT_PADDING = '18px';

export function runLayoutJob(job: LayoutJob): LayoutJobResult {
  const t0 = Date.now();
  try {
    if (!registered) {
      cytoscape.use(fcose);
      registered = true;
    }
    const ids = new Set(job.nodes.map((n) => n.id));
    const cy = cytoscape({
      headless: true,
      styleEnabled: true,
      style: [
        { selector: 'node', style: { width: 'data(w)', height: 'data(h)', label: '' } },
        { selector: ':parent', style: { padding: PARENT_PADDING } },
      ],
      elements: [
        ...job.nodes.map((n) => ({
          group: 'nodes' as const,
          data: { id: n.id, w: n.w, h: n.h, ...(n.parent && ids.has(n.parent) ? { parent: n.parent } : {}) },
        })),
        ...job.edges
          .filter((e) => ids.has(e.source) && ids.has(e.target))
          .map((e) => ({ group: 'edges' as const, data: { id: e.id, source: e.source, target: e.target } })),
      ],
    });
    // Labels cannot be measured without a DOM: the page sends sizes that already include them.
    cy.layout({ ...job.options, animate: false, fit: false, nodeDimensionsIncludeLabels: false } as unknown as cytoscape.LayoutOptions).run();
    const positions: Record<string, Position> = {};
    cy.nodes().forEach((n) => {
      if (n.isParent()) return;
      const p = n.position();
      positions[n.id()] = { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
    });
    cy.destroy();
    return { seq: job.seq, positions, ms: Date.now() - t0 };
  } catch (e) {
    return { seq: job.seq, error: e instanceof Error ? e.message : String(e) };
  }
}

import type cytoscape from 'cytoscape';
import type { Core } from 'cytoscape';
import { useEffect, useState } from 'react';
import { placeNewNodes, type Position } from '@/lib/graph/layout';
import type { LayoutJob, LayoutJobResult } from '@/lib/graph/layout-job';
import { initialLayoutMachine, layoutStep, type LayoutEffect, type LayoutEvent } from '@/lib/graph/layout-machine';
import { WORKER_LAYOUT_MIN_NODES, layoutOptionsFor, quickPlacementOptions } from '@/lib/graph/layout-scale';
import type { LayoutName } from '@/lib/graph/url-state';
import { measurement } from './measurement';

/**
 * Full layouts. fcose on more than WORKER_LAYOUT_MIN_NODES leaves runs in a Web Worker: the page shows a
 * grid (ordered by namespace) at once — or keeps the current drawing (keepPositions: re-layout button,
 * layout change, an update with some new nodes) — and applies the worker's positions when they arrive;
 * a newer request makes an older result stale (lib/graph/layout-machine.ts). Everything else runs here.
 */
class LayoutRunner {
  private machine = initialLayoutMachine();
  private worker: Worker | null = null;
  private cy: Core | null = null;
  /** A snapshot's stored positions (docs/snapshots.md): used instead of the first full layout, then forgotten. */
  private pinned: Record<string, Position> | undefined;
  constructor(private layout: LayoutName | undefined) {}

  setPinnedPositions(positions: Record<string, Position> | undefined): void {
    this.pinned = positions;
  }

  setLayout(layout: LayoutName | undefined): void {
    this.layout = layout;
  }

  /** The canvas's cytoscape instance; null when it goes away (the worker stops, pending results are dropped). */
  attach(cy: Core | null): void {
    this.cy = cy;
    if (cy) return;
    this.worker?.terminate();
    this.worker = null;
    this.machine = layoutStep(this.machine, { type: 'reset' }).state;
  }

  run(cy: Core, keepPositions = false): void {
    const leaves = cy.nodes().filter((n) => !n.isParent());
    if (leaves.length === 0) return;
    cy.resize(); // banners/panels may have changed the container size since the last render
    measurement.layoutStarted();
    const pinned = this.pinned;
    this.pinned = undefined;
    // The drawing as it was pinned, when it covers most of what is drawn now (nodes it lacks go beside their neighbours).
    if (pinned && !keepPositions && leaves.filter((n) => pinned[n.id()] !== undefined).length * 2 >= leaves.length) {
      applyPositions(cy, pinned);
      return;
    }
    const edgeCount = cy.edges().length;
    const aggregates = cy.nodes('.aggregate').length > 0;
    const main = layoutOptionsFor(this.layout, leaves.length, edgeCount, { aggregates });
    const offMainThread = main.name === 'fcose' && leaves.length > measurement.workerMinNodes(WORKER_LAYOUT_MIN_NODES);
    const job = (): LayoutJob => ({
      seq: this.machine.seq,
      nodes: cy.nodes().map((n) => {
        const parent = n.data('parent') as string | undefined;
        if (n.isParent()) return { id: n.id(), ...(parent ? { parent } : {}), w: 0, h: 0 };
        // Body plus label (the worker cannot measure text): namespace boxes then leave room for the
        // "name [mode]" lines under each node instead of overlapping where the labels are.
        const d = n.layoutDimensions({ nodeDimensionsIncludeLabels: true });
        return { id: n.id(), ...(parent ? { parent } : {}), w: d.w, h: d.h };
      }),
      edges: cy.edges().map((e) => ({ id: e.id(), source: e.data('source') as string, target: e.data('target') as string })),
      options: layoutOptionsFor(this.layout, leaves.length, edgeCount, { aggregates, offMainThread: true }),
    });
    this.dispatch({ type: 'request', main, offMainThread }, job, keepPositions);
  }

  private dispatch(event: LayoutEvent, job?: () => LayoutJob, keepPositions = false): void {
    const { state, effect } = layoutStep(this.machine, event);
    this.machine = state;
    this.perform(effect, job, keepPositions);
  }

  private perform(effect: LayoutEffect, job: (() => LayoutJob) | undefined, keepPositions: boolean): void {
    const cy = this.cy;
    if (effect.kind === 'none' || !cy) return;
    measurement.layoutPending(this.machine.pending !== null);
    if (effect.kind === 'run-on-main-thread') {
      cy.layout(effect.options as unknown as cytoscape.LayoutOptions).run();
    } else if (effect.kind === 'apply-positions') {
      measurement.workerLayoutApplied();
      applyPositions(cy, effect.positions);
    } else {
      const w = this.workerOrNull();
      if (!w) return this.dispatch({ type: 'worker-failed' });
      if (!keepPositions) {
        const leaves = cy.nodes().filter((n) => !n.isParent());
        leaves.layout({ ...quickPlacementOptions(), sort: byNamespace } as unknown as cytoscape.LayoutOptions).run();
      }
      w.postMessage(job!());
    }
  }

  private workerOrNull(): Worker | null {
    if (this.worker) return this.worker;
    try {
      // Literal `new URL(…, import.meta.url)`: the form Next/turbopack bundles as a worker chunk.
      const w = new Worker(new URL('../../../lib/graph/layout-worker.ts', import.meta.url));
      w.onmessage = (ev: MessageEvent<LayoutJobResult>) => this.dispatch({ type: 'result', result: ev.data });
      w.onerror = (ev) => {
        ev.preventDefault();
        // e.g. a Content-Security-Policy that refuses the worker script: lay out on the main thread from now on.
        w.terminate();
        this.worker = null;
        this.dispatch({ type: 'worker-failed' });
      };
      this.worker = w;
    } catch {
      this.worker = null;
    }
    return this.worker;
  }
}

/** The layout runner of one canvas, following the chosen layout; `pinned` = a snapshot's positions for its first layout. */
export function useLayoutWorker(layout: LayoutName | undefined, pinned?: Record<string, Position>): LayoutRunner {
  const [runner] = useState(() => {
    const r = new LayoutRunner(layout);
    r.setPinnedPositions(pinned);
    return r;
  });
  useEffect(() => runner.setLayout(layout), [runner, layout]);
  return runner;
}

/** Where each drawn node is (leaves only: namespace boxes follow their members), rounded to 0.1 px: what a snapshot stores. */
export function leafPositions(cy: Core | null): Record<string, Position> | undefined {
  if (!cy) return undefined;
  const out: Record<string, Position> = {};
  cy.nodes()
    .filter((n) => !n.isParent())
    .forEach((n) => {
      const p = n.position();
      out[n.id()] = { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
    });
  return out;
}

function byNamespace(a: cytoscape.NodeSingular, b: cytoscape.NodeSingular): number {
  return String(a.data('parent') ?? '').localeCompare(String(b.data('parent') ?? '')) || a.id().localeCompare(b.id());
}

/** The worker's positions; nodes added by polls while it ran are placed beside their neighbours. */
function applyPositions(cy: Core, positions: Record<string, Position>) {
  const missing = cy
    .nodes()
    .filter((n) => !n.isParent() && positions[n.id()] === undefined)
    .map((n) => n.id());
  const edges = cy.edges().map((e) => ({ source: e.data('source') as string, target: e.data('target') as string }));
  const placed = missing.length ? placeNewNodes(missing, edges, new Map(Object.entries(positions))) : new Map<string, Position>();
  cy.layout({
    name: 'preset',
    animate: false,
    fit: true,
    padding: 30,
    positions: (n: cytoscape.NodeSingular) => positions[n.id()] ?? placed.get(n.id()) ?? n.position(),
  } as unknown as cytoscape.LayoutOptions).run();
}

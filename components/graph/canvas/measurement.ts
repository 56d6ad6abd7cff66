import type { Core } from 'cytoscape';

// Measurement hooks: what the end-to-end tests (e2e/pages/graph-page.ts, e2e/layout-worker.spec.ts) and
// the bench (bench/browser.ts, bench/render-lab.ts) read from, or set on, `window`. The app touches them
// only through `measurement` below, so this file lists every one.
declare global {
  interface Window {
    /** Read: the live cytoscape instance (e2e asserts on its data and classes). */
    __meshglassCy?: Core;
    /** Read: how many full layouts ran (a poll must not add one). */
    __meshglassLayoutRuns?: number;
    /** Read: true while a layout computed off the main thread has not been applied yet. */
    __meshglassLayoutPending?: boolean;
    /** Read: layouts whose positions came from the Web Worker. */
    __meshglassWorkerLayouts?: number;
    /** Set by the bench: extra cytoscape init options (renderer experiments such as { webgl: true }). */
    __meshglassCyOptions?: Record<string, unknown>;
    /** Set by tests: leaf count above which fcose runs in the Web Worker (default WORKER_LAYOUT_MIN_NODES). */
    __meshglassWorkerMinNodes?: number;
  }
}

export const measurement = {
  cyCreated(cy: Core): void {
    window.__meshglassCy = cy;
  },
  cyDestroyed(cy: Core): void {
    if (window.__meshglassCy === cy) delete window.__meshglassCy;
  },
  layoutStarted(): void {
    window.__meshglassLayoutRuns = (window.__meshglassLayoutRuns ?? 0) + 1;
  },
  layoutPending(pending: boolean): void {
    window.__meshglassLayoutPending = pending;
  },
  workerLayoutApplied(): void {
    window.__meshglassWorkerLayouts = (window.__meshglassWorkerLayouts ?? 0) + 1;
  },
  /** Extra cytoscape init options set by the bench, if any. */
  cyOptions(): Record<string, unknown> | undefined {
    return window.__meshglassCyOptions;
  },
  workerMinNodes(fallback: number): number {
    return window.__meshglassWorkerMinNodes ?? fallback;
  },
};

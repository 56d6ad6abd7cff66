import { FCOSE_PROOF_MAX_NODES, layoutOptions } from './layout';
import type { LayoutName } from './url-state';

// Layout choice by node AND edge count. fcose's force phase costs grow with edges as well as nodes:
// the whole bench mesh collapsed to 206 namespace nodes still has 8,487 namespace-pair edges
// (bench/results.md), and default quality took ~3.8 s there. Spectral-only 'draft' is linear-ish.

/** Above this many edges fcose runs in 'draft' quality whatever the node count (main thread only). */
export const FCOSE_DRAFT_MIN_EDGES = 1500;
/**
 * Above this many leaf nodes fcose runs in a Web Worker (layout-worker.ts) and the page shows a quick
 * grid placement meanwhile. At or below it, fcose on the main thread is fast (≈0.1–0.3 s) and can
 * count label sizes, which a worker cannot measure.
 */
export const WORKER_LAYOUT_MIN_NODES = 60;
/**
 * Force iterations off the main thread when the graph has many edges. Measured headless (bench
 * whole mesh collapsed: 204 nodes, 1,654 edges): 100 → 1.7 s, 150 → 2.1 s, 300 → 4.4 s, 600 → 6.2 s;
 * fcose's default 2,500 ran for over 10 min. 150 already separates the nodes ('draft' leaves them in a
 * 440 × 290 heap where 200 boxes overlap).
 */
const WORKER_FCOSE_MAX_ITER_MANY_EDGES = 150;

interface LayoutScaleOptions {
  /** The layout runs in a Web Worker: afford fcose's force phase for larger graphs. */
  offMainThread?: boolean;
  /** The graph has collapsed namespaces (large boxes, dense links): spread them further apart. */
  aggregates?: boolean;
}

export function layoutOptionsFor(name: LayoutName | undefined, nodeCount: number, edgeCount: number, o: LayoutScaleOptions = {}): Record<string, unknown> {
  const opts = layoutOptions(name, nodeCount);
  if (opts.name !== 'fcose') return opts;
  const spread = o.aggregates ? { nodeRepulsion: 40000, idealEdgeLength: 200 } : {};
  if (o.offMainThread && nodeCount <= FCOSE_PROOF_MAX_NODES) {
    return {
      ...opts,
      ...spread,
      quality: 'default',
      animate: false,
      ...(edgeCount > FCOSE_DRAFT_MIN_EDGES / 2 ? { numIter: WORKER_FCOSE_MAX_ITER_MANY_EDGES } : {}),
    };
  }
  if (nodeCount > FCOSE_PROOF_MAX_NODES || edgeCount > FCOSE_DRAFT_MIN_EDGES) return { ...opts, ...spread, quality: 'draft', animate: false };
  return { ...opts, ...spread };
}

/** Instant placement shown while the worker computes the real layout: a grid ordered by namespace, so namespace boxes stay compact. */
export function quickPlacementOptions(): Record<string, unknown> {
  return { name: 'grid', animate: false, fit: true, padding: 30, avoidOverlap: true, avoidOverlapPadding: 10, condense: true };
}

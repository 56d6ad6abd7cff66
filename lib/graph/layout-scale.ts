import { FCOSE_PROOF_MAX_NODES, layoutOptions } from './layout';
import type { LayoutName } from './url-state';

// Layout choice by node AND edge count. fcose's force phase costs grow with edges as well as nodes:
// the whole bench mesh collapsed to 206 namespace nodes still has 8,487 namespace-pair edges
// (bench/results.md), and default quality took ~3.8 s there. Spectral-only 'draft' is linear-ish.

/** Above this many edges fcose runs in 'draft' quality whatever the node count. */
export const FCOSE_DRAFT_MIN_EDGES = 1500;

export function layoutOptionsFor(name: LayoutName | undefined, nodeCount: number, edgeCount: number): Record<string, unknown> {
  const opts = layoutOptions(name, nodeCount);
  if (opts.name !== 'fcose') return opts;
  if (nodeCount > FCOSE_PROOF_MAX_NODES || edgeCount > FCOSE_DRAFT_MIN_EDGES) return { ...opts, quality: 'draft', animate: false };
  return opts;
}

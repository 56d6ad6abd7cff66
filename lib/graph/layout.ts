import type { LayoutName } from './url-state';

// Layout choice by graph size (docs/engineering.md B2): fcose default quality is ~1 s at 500 nodes on our
// 2-core machines and grows super-linearly (11.7 s at 1,000); its spectral-only 'draft' stays
// under 1 s up to 2,000 nodes.
export const FCOSE_PROOF_MAX_NODES = 500;
/** Above this share of new nodes in one update, re-run the whole layout instead of placing them. */
export const RELAYOUT_NEW_NODE_SHARE = 0.3;

export interface Position {
  x: number;
  y: number;
}

export function layoutOptions(name: LayoutName | undefined, nodeCount: number): Record<string, unknown> {
  const common = { animate: false, fit: true, padding: 30 };
  switch (name ?? 'fcose') {
    case 'grid':
      return { ...common, name: 'grid', avoidOverlap: true, avoidOverlapPadding: 20 };
    case 'concentric':
      return { ...common, name: 'concentric', minNodeSpacing: 40, avoidOverlap: true };
    case 'breadthfirst':
      return { ...common, name: 'breadthfirst', directed: true, spacingFactor: 1.2, avoidOverlap: true };
    case 'fcose':
    default:
      return {
        ...common,
        name: 'fcose',
        quality: nodeCount > FCOSE_PROOF_MAX_NODES ? 'draft' : 'default',
        randomize: true,
        // Labels are wide (name + [mode]); counting them makes fcose push namespace boxes into each other.
        nodeDimensionsIncludeLabels: nodeCount <= 60,
        // Tuned on synthetic meshes of 5–300 workloads in up to 20 namespaces (headless cytoscape):
        // soft edges + strong compound gravity keep namespace boxes from overlapping even with
        // random cross-namespace traffic (overlap share 0–3% vs 27–82% with stiffer edges), ≈1.5 s at 300.
        // Repulsion doubled (6000 → 12000) when the demo grew to 12 namespaces: e2e/layout-worker.spec.ts found
        // overlapping namespace boxes in 4 of 7 runs before, 0 of 7 after (2026-12-02).
        idealEdgeLength: 100,
        nodeRepulsion: 12000,
        nestingFactor: 0.1,
        edgeElasticity: 0.05,
        gravity: 0.3,
        gravityCompound: 3.0,
        numIter: 2500,
        tile: true,
        packComponents: true,
        uniformNodeDimensions: false,
      };
  }
}

/**
 * Place new nodes next to their already-positioned neighbours (centroid + a small deterministic
 * offset) so a poll that adds a peer does not move everything else. Nodes without a positioned
 * neighbour are returned without a position; the caller puts them beside the drawing.
 */
export function placeNewNodes(
  newIds: readonly string[],
  edges: readonly { source: string; target: string }[],
  positions: ReadonlyMap<string, Position>,
): Map<string, Position> {
  const known = new Map(positions);
  const placed = new Map<string, Position>();
  const adj = new Map<string, string[]>();
  for (const e of edges) {
    adj.set(e.source, [...(adj.get(e.source) ?? []), e.target]);
    adj.set(e.target, [...(adj.get(e.target) ?? []), e.source]);
  }
  let pending = [...newIds];
  // Repeat so chains of new nodes are placed from the already-placed end.
  for (let round = 0; round < 3 && pending.length; round++) {
    const rest: string[] = [];
    pending.forEach((id, i) => {
      const ns = (adj.get(id) ?? []).map((n) => known.get(n)).filter((p): p is Position => p !== undefined);
      if (!ns.length) {
        rest.push(id);
        return;
      }
      const cx = ns.reduce((s, p) => s + p.x, 0) / ns.length;
      const cy = ns.reduce((s, p) => s + p.y, 0) / ns.length;
      const angle = ((i * 137.5) % 360) * (Math.PI / 180); // golden angle: new siblings do not overlap
      const p = { x: Math.round(cx + 80 * Math.cos(angle)), y: Math.round(cy + 80 * Math.sin(angle)) };
      known.set(id, p);
      placed.set(id, p);
    });
    pending = rest;
  }
  return placed;
}

import type { GraphElement } from './to-elements';

// previous vs next element lists → the minimal change set applied inside cy.batch().
// Structural fields (parent of a node, source/target of an edge) cannot be changed in place
// by data() in cytoscape, so a change there becomes remove + add.

interface ElementUpdate {
  id: string;
  data: GraphElement['data'];
  classes: string;
}

interface ElementsDiff {
  add: GraphElement[];
  /** Ids to remove. Removing a compound parent in cytoscape also removes children: callers remove children first or re-add them (we re-add). */
  remove: string[];
  update: ElementUpdate[];
  /** True when nodes or edges appeared or disappeared (placement/layout needed). */
  topologyChanged: boolean;
}

const STRUCTURAL = ['parent', 'source', 'target'] as const;

function shallowEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.is(a[k], b[k]));
}

export function diffElements(prev: readonly GraphElement[], next: readonly GraphElement[]): ElementsDiff {
  const before = new Map(prev.map((e) => [e.data.id, e]));
  const after = new Map(next.map((e) => [e.data.id, e]));
  const add: GraphElement[] = [];
  const remove: string[] = [];
  const update: ElementUpdate[] = [];
  const removedParents = new Set<string>();

  for (const [id, old] of before) {
    const nu = after.get(id);
    if (!nu || nu.group !== old.group || STRUCTURAL.some((k) => old.data[k] !== nu.data[k])) {
      remove.push(id);
      if (old.group === 'nodes') removedParents.add(id);
    }
  }
  for (const [id, nu] of after) {
    const old = before.get(id);
    const replaced = old !== undefined && remove.includes(id);
    // A node whose parent is being removed and re-created is removed with it by cytoscape: re-add it.
    const orphaned = old !== undefined && !replaced && typeof nu.data.parent === 'string' && removedParents.has(nu.data.parent);
    if (!old || replaced || orphaned) {
      if (orphaned) remove.push(id);
      add.push(nu);
    } else if (old.classes !== nu.classes || !shallowEqual(old.data, nu.data)) {
      update.push({ id, data: nu.data, classes: nu.classes });
    }
  }
  // Edges attached to removed nodes vanish in cytoscape too; re-add the surviving ones.
  const removedSet = new Set(remove);
  for (const [id, nu] of after) {
    if (nu.group !== 'edges' || removedSet.has(id) || !before.has(id)) continue;
    if (removedSet.has(nu.data.source as string) || removedSet.has(nu.data.target as string)) {
      remove.push(id);
      removedSet.add(id);
      add.push(nu);
      const i = update.findIndex((u) => u.id === id);
      if (i >= 0) update.splice(i, 1);
    }
  }
  // Parents before children, nodes before edges.
  add.sort((a, b) => rank(a) - rank(b));
  const topologyChanged = add.length > 0 || remove.length > 0;
  return { add, remove, update, topologyChanged };
}

function rank(e: GraphElement): number {
  if (e.group === 'edges') return 2;
  return e.data.parent ? 1 : 0;
}

/** Ids of non-compound nodes added by a diff (the ones that need a position). */
export function addedLeafNodes(diff: ElementsDiff, next: readonly GraphElement[]): string[] {
  const parents = new Set(next.filter((e) => e.group === 'nodes' && typeof e.data.parent === 'string').map((e) => e.data.parent as string));
  return diff.add.filter((e) => e.group === 'nodes' && !parents.has(e.data.id)).map((e) => e.data.id);
}

/**
 * True when the diff adds or removes an app box (the versioned view, lib/graph/app-boxes.ts): its members
 * change parent, and a box placed around nodes laid out without it overlaps its neighbours — lay out again.
 */
export function appBoxesChanged(diff: ElementsDiff, prev: readonly GraphElement[]): boolean {
  const wasBox = new Set(prev.filter((e) => e.group === 'nodes' && e.data.kind === 'app').map((e) => e.data.id));
  return diff.add.some((e) => e.group === 'nodes' && e.data.kind === 'app' && !wasBox.has(e.data.id)) || diff.remove.some((id) => wasBox.has(id));
}

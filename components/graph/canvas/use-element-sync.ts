import type { Core, ElementDefinition } from 'cytoscape';
import { useEffect, useRef, type RefObject } from 'react';
import { addedLeafNodes, appBoxesChanged, diffElements } from '@/lib/graph/diff';
import { RELAYOUT_NEW_NODE_SHARE, placeNewNodes, type Position } from '@/lib/graph/layout';
import type { GraphElement } from '@/lib/graph/to-elements';
import { applyRendererSettings } from './renderer-settings';

/** A re-layout with at most this share of new leaves keeps the current drawing until the worker's layout arrives (no grid flash). */
const KEEP_POSITIONS_MAX_NEW_SHARE = 0.5;

/**
 * Applies each new element list as a diff in cy.batch(). A full layout runs on the first data or when a
 * large share of the nodes is new; otherwise new nodes are placed beside their neighbours and everything
 * else keeps its position.
 */
export function useElementSync(cyRef: RefObject<Core | null>, elements: GraphElement[], layouts: { run(cy: Core, keepPositions: boolean): void }): void {
  const prevRef = useRef<GraphElement[]>([]);
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    // A new instance (remount) starts empty: diff against nothing.
    const prev = cy.elements().length === 0 ? [] : prevRef.current;
    const diff = diffElements(prev, elements);
    prevRef.current = elements;
    if (!diff.topologyChanged && diff.update.length === 0) return;
    const hadNodes = cy.nodes().length > 0;
    const leavesBefore = cy.nodes(':childless').length;
    const removedLeaves = prev.filter(
      (e) => e.group === 'nodes' && diff.remove.includes(e.data.id) && !elements.some((n) => n.data.parent === e.data.id),
    ).length;
    cy.batch(() => {
      for (const id of diff.remove) cy.getElementById(id).remove();
      if (diff.add.length) cy.add(diff.add.map(toDefinition));
      for (const u of diff.update) {
        const el = cy.getElementById(u.id);
        el.data(u.data);
        el.classes(u.classes);
      }
    });
    if (!diff.topologyChanged) return;
    applyRendererSettings(cy);
    const newLeaves = addedLeafNodes(diff, elements);
    const leafCount = cy.nodes().filter((n) => !n.isParent()).length;
    if (!hadNodes || newLeaves.length > RELAYOUT_NEW_NODE_SHARE * leafCount || appBoxesChanged(diff, prev)) {
      // While a worker lays out: keep what is on screen (new nodes beside their neighbours) unless most of it is new.
      const keepPositions = hadNodes && newLeaves.length <= KEEP_POSITIONS_MAX_NEW_SHARE * leafCount;
      if (keepPositions) placeBesideNeighbours(cy, newLeaves);
      layouts.run(cy, keepPositions);
      return;
    }
    if (removedLeaves > RELAYOUT_NEW_NODE_SHARE * leavesBefore && !newLeaves.length) {
      cy.fit(undefined, 30); // e.g. drill-down to one namespace: keep positions, zoom to what is left
    }
    if (newLeaves.length) placeBesideNeighbours(cy, newLeaves);
  }, [cyRef, elements, layouts]);
}

function toDefinition(e: GraphElement): ElementDefinition {
  return { group: e.group, data: { ...e.data }, classes: e.classes };
}

/** Place new leaves beside their already positioned neighbours (or in a column right of the drawing). */
function placeBesideNeighbours(cy: Core, newLeaves: readonly string[]) {
  const newSet = new Set(newLeaves);
  const positions = new Map<string, Position>();
  cy.nodes().forEach((n) => {
    if (!n.isParent() && !newSet.has(n.id())) positions.set(n.id(), { ...n.position() });
  });
  const edges = cy.edges().map((e) => ({ source: e.data('source') as string, target: e.data('target') as string }));
  const placed = placeNewNodes(newLeaves, edges, positions);
  const bb = cy
    .nodes()
    .filter((n) => !newSet.has(n.id()))
    .boundingBox();
  let k = 0;
  cy.batch(() => {
    for (const id of newLeaves) {
      const p = placed.get(id) ?? { x: bb.x2 + 80, y: bb.y1 + 70 * k++ };
      cy.getElementById(id).position(p);
    }
  });
}

import type { Core } from 'cytoscape';
import type { KeyboardEvent, RefObject } from 'react';

interface KeyboardTargets {
  selectedId?: string;
  onSelect: (id: string | undefined) => void;
  onExpandAggregate?: (id: string) => void;
}

/**
 * Keyboard use of the canvas: arrow keys move the selection through the nodes then the edges (sorted by
 * id), Enter expands a collapsed namespace, Escape clears the selection, + and - zoom, f fits.
 */
/** The element after (step 1) or before (step -1) the selected one, wrapping; nothing selected: the first forwards, the last backwards. */
export function nextInOrder(order: readonly string[], selectedId: string | undefined, step: 1 | -1): string | undefined {
  if (order.length === 0) return undefined;
  const i = selectedId ? order.indexOf(selectedId) : -1;
  if (i < 0) return order[step > 0 ? 0 : order.length - 1];
  return order[(i + step + order.length) % order.length];
}

export function useKeyboardNavigation(cyRef: RefObject<Core | null>, { selectedId, onSelect, onExpandAggregate }: KeyboardTargets) {
  return function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const cy = cyRef.current;
    if (!cy) return;
    const order = [
      ...cy
        .nodes()
        .filter((n) => !n.isParent())
        .map((n) => n.id())
        .sort(),
      ...cy
        .edges()
        .map((x) => x.id())
        .sort(),
    ];
    if (e.key === 'Enter' && selectedId && cy.getElementById(selectedId).data('aggregate') !== undefined && onExpandAggregate) {
      onExpandAggregate(selectedId);
    } else if (e.key === 'Escape') {
      onSelect(undefined);
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowDown' || e.key === 'ArrowLeft' || e.key === 'ArrowUp') {
      if (!order.length) return;
      const next = nextInOrder(order, selectedId, e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : -1);
      onSelect(next);
      const el = next ? cy.getElementById(next) : undefined;
      if (el?.nonempty()) cy.center(el);
    } else if (e.key === '+' || e.key === '=') {
      cy.zoom({ level: cy.zoom() * 1.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    } else if (e.key === '-') {
      cy.zoom({ level: cy.zoom() / 1.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    } else if (e.key === 'f') {
      cy.fit(undefined, 30);
    } else {
      return;
    }
    e.preventDefault();
  };
}

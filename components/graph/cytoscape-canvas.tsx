'use client';

import { useEffect, useRef } from 'react';
import type { Position } from '@/lib/graph/layout';
import type { GraphElement } from '@/lib/graph/to-elements';
import type { LayoutName } from '@/lib/graph/url-state';
import { useCytoscape, type CanvasEvents } from './canvas/use-cytoscape';
import { useElementSync } from './canvas/use-element-sync';
import { useKeyboardNavigation } from './canvas/use-keyboard-navigation';
import { useLayoutWorker } from './canvas/use-layout-worker';

interface CytoscapeCanvasProps extends CanvasEvents {
  elements: GraphElement[];
  layout: LayoutName | undefined;
  /** Bumped by the "Re-layout" button. */
  layoutNonce: number;
  selectedId?: string;
  /** Covered by the list view: keep the instance, drop it from the tab order and the a11y tree. */
  inactive?: boolean;
  /** A snapshot's stored node positions, drawn instead of the first layout. */
  pinnedPositions?: Record<string, Position>;
}

/**
 * The graph canvas, composed of one hook per concern (components/graph/canvas/): the cytoscape instance's
 * lifecycle, the element diff, full layouts (Web Worker, lib/graph/layout-machine.ts), renderer settings,
 * keyboard navigation. Measurement hooks for tests and the bench: canvas/measurement.ts.
 */
export function CytoscapeCanvas({
  elements,
  layout,
  layoutNonce,
  selectedId,
  onSelect,
  onDrillNamespace,
  onExpandAggregate,
  onReady,
  inactive,
  pinnedPositions,
}: CytoscapeCanvasProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const layouts = useLayoutWorker(layout, pinnedPositions);
  const cyRef = useCytoscape(containerRef, { onSelect, onDrillNamespace, onExpandAggregate, onReady }, (cy) => layouts.attach(cy));
  useElementSync(cyRef, elements, layouts);

  // Layout choice or explicit re-layout (the first data gets its layout from the element sync).
  const firstLayoutEffect = useRef(true);
  useEffect(() => {
    if (firstLayoutEffect.current) {
      firstLayoutEffect.current = false;
      return;
    }
    if (cyRef.current) layouts.run(cyRef.current, true);
  }, [cyRef, layouts, layout, layoutNonce]);

  // Selection from the URL.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      cy.$(':selected').unselect();
      if (selectedId) cy.getElementById(selectedId).select();
    });
  }, [cyRef, selectedId, elements]);

  const onKeyDown = useKeyboardNavigation(cyRef, { selectedId, onSelect, onExpandAggregate });

  return (
    <div className="absolute inset-0 bg-white" aria-hidden={inactive || undefined}>
      <div
        ref={containerRef}
        data-testid="graph-canvas"
        role="application"
        aria-roledescription="service graph"
        aria-label="Service graph. Arrow keys move between nodes and edges, Escape clears the selection, + and - zoom, f fits. The list view shows the same data as a table."
        tabIndex={inactive ? -1 : 0}
        onKeyDown={onKeyDown}
        className="h-full w-full"
      />
    </div>
  );
}

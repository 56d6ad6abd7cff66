import cytoscape, { type Core } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { useEffect, useRef, type RefObject } from 'react';
import { buildStylesheet } from '@/lib/graph/stylesheet';
import { parseNamespaceElementId } from '@/lib/graph/to-elements';
import { measurement } from './measurement';

let fcoseRegistered = false;

export interface CanvasEvents {
  onSelect: (id: string | undefined) => void;
  onDrillNamespace: (namespace: string, cluster?: string) => void;
  /** Click of a collapsed namespace or an edge between collapsed ones (data.aggregate). */
  onExpandAggregate?: (id: string) => void;
  onReady?: (cy: Core | null) => void;
}

/**
 * One long-lived cytoscape instance (kiali-ui CytoscapeReactWrapper): created once on the container,
 * destroyed on unmount; taps and double taps go to the latest callbacks; the container's size is followed.
 * `onAttach` hears about the instance (and null when it goes away) before `onReady`.
 */
export function useCytoscape(
  containerRef: RefObject<HTMLDivElement | null>,
  events: CanvasEvents,
  onAttach: (cy: Core | null) => void,
): RefObject<Core | null> {
  const cyRef = useRef<Core | null>(null);
  const callbacks = useRef({ ...events, onAttach });
  useEffect(() => {
    callbacks.current = { ...events, onAttach };
  });

  useEffect(() => {
    if (!containerRef.current) return;
    if (!fcoseRegistered) {
      cytoscape.use(fcose);
      fcoseRegistered = true;
    }
    const cy = cytoscape({
      container: containerRef.current,
      style: buildStylesheet(),
      elements: [],
      minZoom: 0.08,
      maxZoom: 4,
      selectionType: 'single',
      boxSelectionEnabled: false,
      ...(measurement.cyOptions() ?? {}),
    });
    cyRef.current = cy;
    callbacks.current.onAttach(cy);
    cy.on('tap', (evt) => {
      if (evt.target === cy) callbacks.current.onSelect(undefined);
      else if (evt.target.data('aggregate') !== undefined && callbacks.current.onExpandAggregate) callbacks.current.onExpandAggregate(evt.target.id());
      else callbacks.current.onSelect(evt.target.id());
    });
    cy.on('dbltap', 'node.namespace', (evt) => {
      // A per-cluster box (`ns:<cluster>/<ns>`, two or more clusters) drills into that cluster's namespace.
      const parsed = parseNamespaceElementId(evt.target.id());
      callbacks.current.onDrillNamespace(String(evt.target.data('namespace')), parsed?.cluster);
    });
    measurement.cyCreated(cy);
    callbacks.current.onReady?.(cy);
    const ro = new ResizeObserver(() => cy.resize());
    ro.observe(containerRef.current);
    return () => {
      ro.disconnect();
      callbacks.current.onReady?.(null);
      measurement.cyDestroyed(cy);
      callbacks.current.onAttach(null);
      cy.destroy();
      cyRef.current = null;
    };
  }, [containerRef]);

  return cyRef;
}

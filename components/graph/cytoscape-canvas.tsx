'use client';

import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { addedLeafNodes, diffElements } from '@/lib/graph/diff';
import { RELAYOUT_NEW_NODE_SHARE, placeNewNodes, type Position } from '@/lib/graph/layout';
import type { LayoutJob, LayoutJobResult } from '@/lib/graph/layout-job';
import { WORKER_LAYOUT_MIN_NODES, layoutOptionsFor, quickPlacementOptions } from '@/lib/graph/layout-scale';
import { LARGE_GRAPH_ELEMENTS } from '@/lib/graph/scaled-elements';
import { buildStylesheet } from '@/lib/graph/stylesheet';
import { parseNamespaceElementId, type GraphElement } from '@/lib/graph/to-elements';
import type { LayoutName } from '@/lib/graph/url-state';

let fcoseRegistered = false;

/**
 * From this many elements a pan/zoom gesture moves a cached bitmap of the graph instead of redrawing it
 * (cytoscape textureOnViewport). Render lab, one-namespace bench graph (172 nodes, 90 dashed/marked edges),
 * headless software rendering: mouse-drag redraws 22.5 → 46.9 per second.
 */
const TEXTURE_ON_VIEWPORT_MIN_ELEMENTS = 100;
/** A re-layout with at most this share of new leaves keeps the current drawing until the worker's layout arrives (no grid flash). */
const KEEP_POSITIONS_MAX_NEW_SHARE = 0.5;

declare global {
  interface Window {
    /** Test hook: the live cytoscape instance (e2e asserts on its data and classes). */
    __meshglassCy?: Core;
    /** Test hook: how many full layouts ran (a poll must not add one). */
    __meshglassLayoutRuns?: number;
    /** Test hook: true while a layout computed off the main thread has not been applied yet. */
    __meshglassLayoutPending?: boolean;
    /** Bench hook: extra cytoscape init options (renderer experiments such as { webgl: true }). */
    __meshglassCyOptions?: Record<string, unknown>;
    /** Test hook: leaf count above which fcose runs in the Web Worker (default WORKER_LAYOUT_MIN_NODES). */
    __meshglassWorkerMinNodes?: number;
    /** Test hook: layouts whose positions came from the Web Worker. */
    __meshglassWorkerLayouts?: number;
  }
}

interface RendererKnobs {
  hideEdgesOnViewport?: boolean;
  textureOnViewport?: boolean;
  forcedPixelRatio?: number | null;
}

export interface CytoscapeCanvasProps {
  elements: GraphElement[];
  layout: LayoutName | undefined;
  /** Bumped by the "Re-layout" button. */
  layoutNonce: number;
  selectedId?: string;
  onSelect: (id: string | undefined) => void;
  onDrillNamespace: (namespace: string, cluster?: string) => void;
  /** Click, or Enter on the selection, of a collapsed namespace or an edge between collapsed ones (data.aggregate). */
  onExpandAggregate?: (id: string) => void;
  onReady?: (cy: Core | null) => void;
  /** Covered by the list view: keep the instance, drop it from the tab order and the a11y tree. */
  inactive?: boolean;
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
  const bb = cy.nodes().filter((n) => !newSet.has(n.id())).boundingBox();
  let k = 0;
  cy.batch(() => {
    for (const id of newLeaves) {
      const p = placed.get(id) ?? { x: bb.x2 + 80, y: bb.y1 + 70 * k++ };
      cy.getElementById(id).position(p);
    }
  });
}

/** Layout bookkeeping shared by the effects and the worker callbacks (held in a ref). */
interface LayoutState {
  /** undefined = not started yet; null = unavailable (lay out on the main thread). */
  worker: Worker | null | undefined;
  seq: number;
  /** The layout the worker is computing, with the options to use on the main thread if it fails. */
  pending: { seq: number; main: Record<string, unknown> } | null;
  cy: Core | null;
  layout: LayoutName | undefined;
}

function layoutWorker(st: LayoutState): Worker | null {
  if (st.worker !== undefined) return st.worker;
  try {
    // Literal `new URL(…, import.meta.url)`: the form Next/turbopack bundles as a worker chunk.
    const w = new Worker(new URL('../../lib/graph/layout-worker.ts', import.meta.url));
    w.onmessage = (ev: MessageEvent<LayoutJobResult>) => applyJobResult(st, ev.data);
    w.onerror = (ev) => {
      ev.preventDefault();
      // e.g. a Content-Security-Policy that refuses the worker script: lay out on the main thread from now on.
      w.terminate();
      st.worker = null;
      if (st.pending && st.cy) finishOnMainThread(st, st.cy, st.pending.main);
    };
    st.worker = w;
  } catch {
    st.worker = null;
  }
  return st.worker;
}

function finishOnMainThread(st: LayoutState, cy: Core, main: Record<string, unknown>) {
  st.pending = null;
  window.__meshglassLayoutPending = false;
  cy.layout(main as unknown as cytoscape.LayoutOptions).run();
}

function applyJobResult(st: LayoutState, r: LayoutJobResult) {
  const cy = st.cy;
  const job = st.pending;
  if (!cy || !job || r.seq !== job.seq) return; // a newer layout was requested meanwhile
  if ('error' in r) {
    finishOnMainThread(st, cy, job.main);
    return;
  }
  st.pending = null;
  window.__meshglassLayoutPending = false;
  window.__meshglassWorkerLayouts = (window.__meshglassWorkerLayouts ?? 0) + 1;
  // Nodes added by polls while the worker ran have no position in the result: place them beside their neighbours.
  const missing = cy.nodes().filter((n) => !n.isParent() && r.positions[n.id()] === undefined).map((n) => n.id());
  const edges = cy.edges().map((e) => ({ source: e.data('source') as string, target: e.data('target') as string }));
  const placed = missing.length ? placeNewNodes(missing, edges, new Map(Object.entries(r.positions))) : new Map<string, Position>();
  cy.layout({
    name: 'preset',
    animate: false,
    fit: true,
    padding: 30,
    positions: (n: cytoscape.NodeSingular) => r.positions[n.id()] ?? placed.get(n.id()) ?? n.position(),
  } as unknown as cytoscape.LayoutOptions).run();
}

/**
 * A full layout. fcose on more than WORKER_LAYOUT_MIN_NODES leaves runs in a Web Worker: the page
 * shows a grid (ordered by namespace) at once — or keeps the current drawing (keepPositions: re-layout
 * button, layout change, an update with some new nodes) — and applies the worker's positions when they arrive;
 * a newer layout request makes an older result stale. Everything else runs here.
 */
function runLayout(st: LayoutState, cy: Core, keepPositions = false) {
  const leaves = cy.nodes().filter((n) => !n.isParent());
  if (leaves.length === 0) return;
  cy.resize(); // banners/panels may have changed the container size since the last render
  window.__meshglassLayoutRuns = (window.__meshglassLayoutRuns ?? 0) + 1;
  const seq = ++st.seq;
  const edgeCount = cy.edges().length;
  const aggregates = cy.nodes('.aggregate').length > 0;
  const main = layoutOptionsFor(st.layout, leaves.length, edgeCount, { aggregates });
  const worker = main.name === 'fcose' && leaves.length > (window.__meshglassWorkerMinNodes ?? WORKER_LAYOUT_MIN_NODES) ? layoutWorker(st) : null;
  if (!worker) {
    finishOnMainThread(st, cy, main);
    return;
  }
  const job: LayoutJob = {
    seq,
    nodes: cy.nodes().map((n) => {
      const parent = n.data('parent') as string | undefined;
      if (n.isParent()) return { id: n.id(), ...(parent ? { parent } : {}), w: 0, h: 0 };
      // Body plus label (the worker cannot measure text): namespace boxes then leave room for the
      // "name [mode]" lines under each node instead of overlapping where the labels are.
      const d = n.layoutDimensions({ nodeDimensionsIncludeLabels: true });
      return { id: n.id(), ...(parent ? { parent } : {}), w: d.w, h: d.h };
    }),
    edges: cy.edges().map((e) => ({ id: e.id(), source: e.data('source') as string, target: e.data('target') as string })),
    options: layoutOptionsFor(st.layout, leaves.length, edgeCount, { aggregates, offMainThread: true }),
  };
  st.pending = { seq, main };
  window.__meshglassLayoutPending = true;
  if (!keepPositions) {
    const byNamespace = (a: cytoscape.NodeSingular, b: cytoscape.NodeSingular) => String(a.data('parent') ?? '').localeCompare(String(b.data('parent') ?? '')) || a.id().localeCompare(b.id());
    leaves.layout({ ...quickPlacementOptions(), sort: byNamespace } as unknown as cytoscape.LayoutOptions).run();
  }
  worker.postMessage(job);
}

/**
 * One long-lived cytoscape instance (kiali-ui CytoscapeReactWrapper): React renders the container
 * once; data changes arrive as diffs applied in cy.batch(). A full layout runs on the first data,
 * on a layout change, or when a large share of the nodes is new; otherwise new nodes are placed
 * beside their neighbours and everything else keeps its position.
 */
export function CytoscapeCanvas({ elements, layout, layoutNonce, selectedId, onSelect, onDrillNamespace, onExpandAggregate, onReady, inactive }: CytoscapeCanvasProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const prevRef = useRef<GraphElement[]>([]);
  const callbacks = useRef({ onSelect, onDrillNamespace, onExpandAggregate, onReady });
  useEffect(() => {
    callbacks.current = { onSelect, onDrillNamespace, onExpandAggregate, onReady };
  });

  const layoutState = useRef<LayoutState>({ worker: undefined, seq: 0, pending: null, cy: null, layout });

  // Create once.
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
      ...(window.__meshglassCyOptions ?? {}),
    });
    cyRef.current = cy;
    const st = layoutState.current;
    st.cy = cy;
    prevRef.current = [];
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
    window.__meshglassCy = cy;
    callbacks.current.onReady?.(cy);
    const ro = new ResizeObserver(() => cy.resize());
    ro.observe(containerRef.current);
    return () => {
      ro.disconnect();
      callbacks.current.onReady?.(null);
      if (window.__meshglassCy === cy) delete window.__meshglassCy;
      st.worker?.terminate();
      st.worker = undefined;
      st.pending = null;
      st.cy = null;
      cy.destroy();
      cyRef.current = null;
    };
  }, []);

  // Apply data as a diff.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const prev = prevRef.current;
    const diff = diffElements(prev, elements);
    prevRef.current = elements;
    if (!diff.topologyChanged && diff.update.length === 0) return;
    const hadNodes = cy.nodes().length > 0;
    const leavesBefore = cy.nodes(':childless').length;
    const removedLeaves = prev.filter((e) => e.group === 'nodes' && diff.remove.includes(e.data.id) && !elements.some((n) => n.data.parent === e.data.id)).length;
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
    // Renderer knobs (init-only options in the typings; the canvas renderer reads these fields on every frame,
    // style.md B1): while the user drags or zooms, draw one cached bitmap of the graph (textureOnViewport)
    // instead of every element; large graphs: pixel ratio 1 on high-density screens, no edges while dragging
    // when the texture is not used.
    const r = (cy as unknown as { renderer(): RendererKnobs }).renderer();
    const count = cy.elements().length;
    const large = count > LARGE_GRAPH_ELEMENTS;
    if (typeof r.hideEdgesOnViewport === 'boolean') r.hideEdgesOnViewport = large;
    if (typeof r.textureOnViewport === 'boolean') r.textureOnViewport = count >= TEXTURE_ON_VIEWPORT_MIN_ELEMENTS;
    if (window.__meshglassCyOptions?.pixelRatio === undefined) r.forcedPixelRatio = large ? 1 : null;
    const newLeaves = addedLeafNodes(diff, elements);
    const leafCount = cy.nodes().filter((n) => !n.isParent()).length;
    if (!hadNodes || newLeaves.length > RELAYOUT_NEW_NODE_SHARE * leafCount) {
      // While a worker lays out: keep what is on screen (new nodes beside their neighbours) unless most of it is new.
      const keepPositions = hadNodes && newLeaves.length <= KEEP_POSITIONS_MAX_NEW_SHARE * leafCount;
      if (keepPositions) placeBesideNeighbours(cy, newLeaves);
      runLayout(layoutState.current, cy, keepPositions);
      return;
    }
    if (removedLeaves > RELAYOUT_NEW_NODE_SHARE * leavesBefore && !newLeaves.length) {
      cy.fit(undefined, 30); // e.g. drill-down to one namespace: keep positions, zoom to what is left
    }
    if (newLeaves.length) placeBesideNeighbours(cy, newLeaves);
  }, [elements]);

  // Layout choice or explicit re-layout.
  const firstLayoutEffect = useRef(true);
  useEffect(() => {
    layoutState.current.layout = layout;
    if (firstLayoutEffect.current) {
      firstLayoutEffect.current = false;
      return;
    }
    if (cyRef.current) runLayout(layoutState.current, cyRef.current, true);
  }, [layout, layoutNonce]);

  // Selection from the URL.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      cy.$(':selected').unselect();
      if (selectedId) cy.getElementById(selectedId).select();
    });
  }, [selectedId, elements]);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const cy = cyRef.current;
    if (!cy) return;
    const order = [...cy.nodes().filter((n) => !n.isParent()).map((n) => n.id()).sort(), ...cy.edges().map((x) => x.id()).sort()];
    if (e.key === 'Enter' && selectedId && cy.getElementById(selectedId).data('aggregate') !== undefined && onExpandAggregate) {
      onExpandAggregate(selectedId);
    } else if (e.key === 'Escape') {
      onSelect(undefined);
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowDown' || e.key === 'ArrowLeft' || e.key === 'ArrowUp') {
      if (!order.length) return;
      const i = selectedId ? order.indexOf(selectedId) : -1;
      const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : -1;
      const next = order[(i + step + order.length) % order.length];
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
  }

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

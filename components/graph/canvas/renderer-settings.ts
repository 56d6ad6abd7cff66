import type { Core } from 'cytoscape';
import { LARGE_GRAPH_ELEMENTS } from '@/lib/graph/scaled-elements';
import { measurement } from './measurement';

/**
 * From this many elements a pan/zoom gesture moves a cached bitmap of the graph instead of redrawing it
 * (cytoscape textureOnViewport). Render lab, one-namespace bench graph (172 nodes, 90 dashed/marked edges),
 * headless software rendering: 46.9 mouse-drag redraws per second with the texture, 22.5 without (bench/results.md).
 */
const TEXTURE_ON_VIEWPORT_MIN_ELEMENTS = 100;

interface RendererKnobs {
  hideEdgesOnViewport?: boolean;
  textureOnViewport?: boolean;
  forcedPixelRatio?: number | null;
}

/**
 * Renderer settings for the current element count (init-only options in the typings; the canvas renderer
 * reads these fields on every frame, docs/engineering.md B1): while the user drags or zooms, draw one cached bitmap of
 * the graph (textureOnViewport) rather than every element; large graphs: pixel ratio 1 on high-density
 * screens, no edges while dragging when the texture is not used.
 */
export function applyRendererSettings(cy: Core): void {
  const r = (cy as unknown as { renderer(): RendererKnobs }).renderer();
  const count = cy.elements().length;
  const large = count > LARGE_GRAPH_ELEMENTS;
  if (typeof r.hideEdgesOnViewport === 'boolean') r.hideEdgesOnViewport = large;
  if (typeof r.textureOnViewport === 'boolean') r.textureOnViewport = count >= TEXTURE_ON_VIEWPORT_MIN_ELEMENTS;
  if (measurement.cyOptions()?.pixelRatio === undefined) r.forcedPixelRatio = large ? 1 : null;
}

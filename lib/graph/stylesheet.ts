import type { StylesheetJson } from 'cytoscape';
import { CROSS_CLUSTER_CASING, HEALTH_COLORS, KIND_SHAPES, MODE_STYLES, PATH_STYLES, POLICY_STYLES } from './style-mapping';
import type { EdgePath, NodeKind, WorkloadMode } from '@/lib/mesh/types';

// Cytoscape stylesheet: classes and data() mappers only (no function styles — cytoscape
// performance.md). Labels vanish below a readable zoom (min-zoomed-font-size) so 300-node graphs
// stay legible and fast.

const SELECT_COLOR = '#1D4ED8';

export function buildStylesheet(): StylesheetJson {
  const s: StylesheetJson = [
    {
      // No background-image slots at all, instead of cytoscape's default single 'none' slot. With that slot,
      // cytoscape 3.34–3.35 flips a node's `:backgrounding` state on each of the two image passes of every
      // direct draw and calls updateStyle() (src/extensions/renderer/canvas/drawing-nodes.mjs, drawImages). A
      // compound parent (the namespace boxes) is always drawn directly, so every frame restyled it and its
      // children, dirtied their bounds and invalidated the layered texture cache: panning redrew every element,
      // label and dash pattern on each frame instead of moving cached layers (docs/engineering.md B1;
      // bench/results.md "Panning one namespace").
      selector: 'node',
      style: { 'background-image': [] },
    },
    {
      selector: 'node.mesh-node',
      style: {
        label: 'data(label)',
        'text-wrap': 'wrap',
        'text-max-width': '160px',
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'font-size': 13,
        'font-family': 'ui-sans-serif, system-ui, sans-serif',
        color: '#111827',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': '2px',
        // Level of detail: labels vanish when zoomed out below ~0.6 (13 px × zoom < 8 px).
        'min-zoomed-font-size': 8,
        width: 38,
        height: 38,
        'background-color': MODE_STYLES.infra.fill,
        'border-color': MODE_STYLES.infra.borderColor,
        'border-width': MODE_STYLES.infra.borderWidth,
      },
    },
    {
      selector: 'node.namespace',
      style: {
        shape: 'round-rectangle',
        label: 'data(label)',
        'text-valign': 'top',
        'text-halign': 'center',
        'font-size': 15,
        'font-weight': 'bold',
        color: '#374151',
        'background-color': '#F9FAFB',
        'background-opacity': 1,
        'border-color': '#9CA3AF',
        'border-width': 1.5,
        'border-style': 'solid',
        padding: '18px',
        'min-zoomed-font-size': 6,
      },
    },
    {
      // The versioned view: one app's versions side by side (lib/graph/app-boxes.ts).
      selector: 'node.app-box',
      style: {
        shape: 'round-rectangle',
        label: 'data(label)',
        'text-valign': 'top',
        'text-halign': 'center',
        'font-size': 13,
        'font-weight': 'bold',
        color: '#1E3A8A',
        'background-color': '#EFF6FF',
        'background-opacity': 1,
        'border-color': '#3B82F6',
        'border-width': 1.5,
        'border-style': 'dashed',
        padding: '14px',
        'min-zoomed-font-size': 6,
      },
    },
  ];
  for (const [kind, shape] of Object.entries(KIND_SHAPES) as [NodeKind, string][]) {
    s.push({ selector: `node.kind-${kind}`, style: { shape: shape as 'ellipse' } });
  }
  s.push(
    {
      selector: 'node.kind-waypoint',
      style: { 'background-color': '#EDE4F6', 'border-color': PATH_STYLES.waypoint.color, 'border-width': 3, width: 38, height: 34 },
    },
    { selector: 'node.kind-gateway', style: { 'background-color': '#E5E7EB', width: 40, height: 40 } },
    { selector: 'node.kind-service', style: { 'background-color': '#FFFFFF', 'border-style': 'dashed' } },
    { selector: 'node.kind-unknown', style: { 'background-color': '#FFFFFF', 'border-style': 'dotted', 'border-color': '#6B7280' } },
  );
  for (const mode of ['sidecar', 'ambient', 'mixed', 'none'] as WorkloadMode[]) {
    const m = MODE_STYLES[mode];
    s.push({
      selector: `node.mode-${mode}`,
      style: { 'border-style': m.borderStyle, 'border-width': m.borderWidth, 'border-color': m.borderColor, 'background-color': m.fill },
    });
  }
  s.push(
    {
      selector: 'node.mode-changed',
      style: { 'outline-color': '#B26A00', 'outline-width': 3, 'outline-offset': 3, 'outline-style': 'dashed', color: '#7C2D12' },
    },
    { selector: 'node.search-match', style: { 'overlay-color': '#FACC15', 'overlay-opacity': 0.35, 'overlay-padding': 8, 'font-weight': 'bold' } },
    { selector: 'node.search-miss', style: { opacity: 0.35 } },
    {
      selector: 'edge.mesh-edge',
      style: {
        width: 'data(width)',
        'curve-style': 'bezier',
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.9,
        label: 'data(label)',
        'font-size': 12,
        'font-weight': 'bold',
        color: '#111827',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.9,
        'text-background-padding': '2px',
        'text-rotation': 'none',
        'min-zoomed-font-size': 9,
      },
    },
  );
  for (const [path, p] of Object.entries(PATH_STYLES) as [EdgePath, (typeof PATH_STYLES)[EdgePath]][]) {
    s.push({
      selector: `edge.path-${path}`,
      style: {
        'line-color': p.color,
        'target-arrow-color': p.color,
        'mid-target-arrow-color': p.color,
        'line-style': p.lineStyle,
        ...(p.lineStyle === 'dashed' ? { 'line-dash-pattern': [9, 5] } : {}),
        ...(p.lineStyle === 'dotted' ? { 'line-dash-pattern': [2, 4] } : {}),
        'mid-target-arrow-shape': p.midMarker === 'none' ? 'none' : p.midMarker,
        'mid-target-arrow-fill': 'filled',
        // "Double" line: a light core between two dark outlines (cytoscape has no double line-style).
        ...(p.cased ? { 'line-color': '#D4C2EA', 'line-outline-width': 2, 'line-outline-color': p.color } : {}),
      },
    });
  }
  s.push(
    // Health: colour the line, keep the path's dash pattern and marker; the label repeats it in words.
    {
      selector: 'edge.health-warn',
      style: { 'line-color': HEALTH_COLORS.warn, 'mid-target-arrow-color': HEALTH_COLORS.warn, 'target-arrow-color': HEALTH_COLORS.warn },
    },
    {
      selector: 'edge.health-error',
      style: { 'line-color': HEALTH_COLORS.error, 'mid-target-arrow-color': HEALTH_COLORS.error, 'target-arrow-color': HEALTH_COLORS.error },
    },
    // Plaintext: a hollow red "tee" at the target plus the word "plaintext" in the label.
    {
      selector: 'edge.mtls-plaintext',
      style: { 'target-arrow-shape': 'tee', 'target-arrow-color': HEALTH_COLORS.error, 'arrow-scale': 1.3, color: HEALTH_COLORS.error },
    },
    { selector: 'edge.mtls-unknown', style: { 'target-arrow-shape': 'triangle-tee' } },
    // Cross-cluster: a dark casing around the line (readable in greyscale, independent of path colour).
    { selector: 'edge.cross-cluster', style: { 'line-outline-width': 1.5, 'line-outline-color': CROSS_CLUSTER_CASING } },
    { selector: 'edge.idle', style: { opacity: 0.5 } },
    // Coverage overlay.
    { selector: 'edge.covered', style: { opacity: 0.15, label: '' } },
    { selector: 'edge.l4-only', style: { opacity: 0.45 } },
    { selector: 'edge.blind', style: { opacity: 1, 'underlay-color': '#F59E0B', 'underlay-opacity': 0.45, 'underlay-padding': 6, 'z-index': 10 } },
    // Policy overlay: the verdict replaces the path's colour and line style (docs/classification.md §8.4).
    ...(Object.entries(POLICY_STYLES).map(([verdict, p]) => ({
      selector: `edge.policy-${verdict}`,
      style: {
        'line-color': p.color,
        'mid-target-arrow-color': p.color,
        'target-arrow-color': p.color,
        'line-style': p.lineStyle,
        ...(p.dash ? { 'line-dash-pattern': p.dash.split(' ').map(Number) } : {}),
        'line-outline-width': 0,
        ...(verdict === 'none' ? { opacity: 0.35 } : { opacity: 1, color: p.color, 'z-index': verdict === 'denied' ? 12 : 11 }),
        ...(verdict === 'denied' ? { 'underlay-color': p.color, 'underlay-opacity': 0.3, 'underlay-padding': 5 } : {}),
      },
    })) as StylesheetJson),
    // Collapsed namespace (lib/graph/collapse.ts): a rounded box sized by its member count; the
    // border keeps the namespace mode's style (mode-* classes above). Click expands it.
    {
      selector: 'node.aggregate',
      style: {
        shape: 'round-rectangle',
        width: 'mapData(members, 2, 60, 56, 120)',
        height: 'mapData(members, 2, 60, 34, 64)',
        'text-valign': 'center',
        'text-halign': 'center',
        'text-margin-y': 0,
        'text-max-width': '110px',
        'font-size': 12,
        'font-weight': 'bold',
        'text-background-opacity': 0,
      },
    },
    // Large graphs (> LARGE_GRAPH_ELEMENTS drawn elements, scaled-elements.ts): the cheap edge of
    // docs/engineering.md B1 — haystack (straight, no arrow), solid, opaque, no labels, markers or casings; node
    // labels only when zoomed in.
    {
      selector: 'edge.lod-low',
      style: {
        'curve-style': 'haystack',
        'haystack-radius': 0,
        'line-style': 'solid',
        'line-outline-width': 0,
        // thin lines: software rasterising thousands of 9 px lines is what costs frames
        width: 1,
        'mid-target-arrow-shape': 'none',
        label: '',
        opacity: 1,
        'underlay-opacity': 0,
      },
    },
    { selector: 'node.lod-low', style: { 'min-zoomed-font-size': 11, 'text-background-opacity': 0 } },
    // Collapsed namespaces keep their names in the whole-mesh overview: 200 boxes spread out by the worker
    // layout fit at zoom ≈ 0.45, where the 12 px "ns (N workloads)" label would be 5 px and hidden. Wider
    // boxes with the bare namespace name in 22 px (≈ 10 px on screen); the side panel has the counts.
    {
      selector: 'node.aggregate.lod-low',
      style: { label: 'data(name)', 'font-size': 22, width: 120, height: 46, 'text-max-width': '116px', 'text-wrap': 'ellipsis', 'min-zoomed-font-size': 7 },
    },
    // Compare ("what changed?", lib/compare/elements.ts): added = green halo, changed = magenta halo and
    // a worded label, removed = faded grey dashes. The label carries the change in words (greyscale).
    { selector: 'edge.diff-added', style: { 'underlay-color': '#16A34A', 'underlay-opacity': 0.4, 'underlay-padding': 7, 'z-index': 9 } },
    { selector: 'edge.diff-changed', style: { 'underlay-color': '#C026D3', 'underlay-opacity': 0.4, 'underlay-padding': 7, 'z-index': 9 } },
    {
      selector: 'edge.diff-removed',
      style: {
        width: 2,
        'curve-style': 'bezier',
        'line-color': '#9CA3AF',
        'line-style': 'dashed',
        'line-dash-pattern': [4, 6],
        opacity: 0.6,
        'target-arrow-shape': 'triangle',
        'target-arrow-color': '#9CA3AF',
        label: 'data(label)',
        'font-size': 11,
        color: '#4B5563',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.8,
      },
    },
    {
      selector: ':selected',
      style: { 'overlay-color': SELECT_COLOR, 'overlay-opacity': 0.18, 'overlay-padding': 8 },
    },
    { selector: 'node.mesh-node:selected', style: { 'border-color': SELECT_COLOR, 'border-width': 5 } },
    { selector: 'edge:selected', style: { 'z-index': 20 } },
    { selector: 'node.namespace:selected', style: { 'border-color': SELECT_COLOR, 'border-width': 3 } },
  );
  return s;
}

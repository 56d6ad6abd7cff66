import type { EdgePath, EdgeRates, GraphEdge, GraphNode, Mtls, NodeKind, PolicyVerdict, WorkloadMode } from '@/lib/mesh/types';
import type { Overlay } from './url-state';

// Visual encoding choices, kept pure so they can be unit-tested and shared by the canvas, the
// legend and the list view. Every path/mode is encoded by line style (or border style) AND a
// marker AND colour, so the graph reads in greyscale and for colour-blind users.

interface PathStyle {
  label: string;
  /** Okabe–Ito palette, distinguishable with the common colour-vision deficiencies. */
  color: string;
  lineStyle: 'solid' | 'dashed' | 'dotted';
  /** Dash pattern for the legend's SVG sample (cytoscape draws its own). */
  dash?: string;
  /** Marker in the middle of the edge. */
  midMarker: 'none' | 'diamond' | 'square' | 'circle';
  /** Drawn with a wide translucent casing (looks like a double/thick line). */
  cased: boolean;
  description: string;
}

export const PATH_STYLES: Record<EdgePath, PathStyle> = {
  sidecar: {
    label: 'sidecar',
    color: '#0072B2',
    lineStyle: 'solid',
    midMarker: 'none',
    cased: false,
    description: 'Envoy sidecars/gateways on both ends (full L7)',
  },
  ambient: {
    label: 'ambient (L4)',
    color: '#009E73',
    lineStyle: 'dashed',
    dash: '8 5',
    midMarker: 'none',
    cased: false,
    description: 'only ztunnel saw it: bytes and connections, no requests',
  },
  waypoint: {
    label: 'via waypoint',
    color: '#6A3D9A',
    lineStyle: 'solid',
    midMarker: 'diamond',
    cased: true,
    description: 'a waypoint carried it (L7 in ambient)',
  },
  mixed: {
    label: 'mixed',
    color: '#B8578F',
    lineStyle: 'dotted',
    dash: '2 4',
    midMarker: 'square',
    cased: false,
    description: 'Envoy on one end, ztunnel on the other',
  },
};

export type Health = 'error' | 'warn' | 'ok' | 'none';
/** Casing of an edge whose ends are in different clusters. */
export const CROSS_CLUSTER_CASING = '#111827';

export const HEALTH_COLORS: Record<Exclude<Health, 'ok' | 'none'>, string> = { error: '#C62828', warn: '#B26A00' };

/** Failed-request share (HTTP 5xx/no response, gRPC status ≠ OK; lib/mesh/rates.ts isFailedRequest) above which an L7 edge is red / amber. */
const ERROR_RATE_CRITICAL = 0.05;
const ERROR_RATE_WARN = 0.01;
/** Share of failed connections (ztunnel response_flags ≠ "-") above which an L4 edge is red. */
const FAILED_CONN_CRITICAL = 0.05;

export function edgeHealth(edge: Pick<GraphEdge, 'rates'>): Health {
  const { errorRate, failedConnectionsPerSec, connectionsPerSec } = edge.rates;
  let l7: Health = 'none';
  if (errorRate !== undefined) l7 = errorRate >= ERROR_RATE_CRITICAL ? 'error' : errorRate >= ERROR_RATE_WARN ? 'warn' : 'ok';
  let l4: Health = 'none';
  if (failedConnectionsPerSec !== undefined) {
    if (failedConnectionsPerSec <= 0) l4 = 'ok';
    else if (!connectionsPerSec || failedConnectionsPerSec / connectionsPerSec >= FAILED_CONN_CRITICAL) l4 = 'error';
    else l4 = 'warn';
  }
  const rank: Health[] = ['none', 'ok', 'warn', 'error'];
  return rank.indexOf(l7) >= rank.indexOf(l4) ? l7 : l4;
}

/**
 * One number for "how much traffic": requests/s when L7 exists, else connections/s, else a
 * bytes-derived figure (1 KiB/s counts like 1 req/s). Undefined = no traffic numbers at all.
 */
export function trafficAmount(rates: EdgeRates): number | undefined {
  const known = [rates.rps, rates.connectionsPerSec, rates.requestBytesPerSec, rates.responseBytesPerSec].some((v) => v !== undefined);
  if (!known) return undefined;
  if ((rates.rps ?? 0) > 0) return rates.rps;
  const bytes = (rates.requestBytesPerSec ?? 0) + (rates.responseBytesPerSec ?? 0);
  return Math.max(rates.connectionsPerSec ?? 0, bytes / 1024);
}

export function isIdle(edge: Pick<GraphEdge, 'rates'>): boolean {
  const t = trafficAmount(edge.rates);
  return t === undefined || t <= 0;
}

export const MIN_EDGE_WIDTH = 1.5;
export const MAX_EDGE_WIDTH = 9;

/** Log-scale width: 0.01/s → thin, 1/s → ~3.5px, 100/s → ~7.5px, capped. */
export function edgeWidth(rates: EdgeRates): number {
  const t = trafficAmount(rates) ?? 0;
  if (t <= 0) return MIN_EDGE_WIDTH;
  const w = MIN_EDGE_WIDTH + 2 * Math.log10(1 + t * 10);
  return Math.round(Math.min(MAX_EDGE_WIDTH, Math.max(MIN_EDGE_WIDTH, w)) * 10) / 10;
}

function formatPercentShort(x: number): string {
  const p = x * 100;
  if (p === 0) return '0%';
  if (p < 0.1) return '<0.1%';
  return p < 10 ? `${p.toFixed(1)}%` : `${Math.round(p)}%`;
}

/**
 * The Policy overlay (docs/classification.md §8.4): colour, line style and a word for each verdict, so it reads
 * without colour. Okabe–Ito: bluish green / vermillion / orange; grey for no policy.
 */
export const POLICY_STYLES: Record<
  PolicyVerdict,
  { label: string; color: string; lineStyle: 'solid' | 'dashed' | 'dotted'; dash?: string; description: string }
> = {
  allowed: { label: 'allowed', color: '#009E73', lineStyle: 'solid', description: 'policies select it and every one is enforced on its path' },
  denied: { label: 'denied', color: '#D55E00', lineStyle: 'solid', description: 'ztunnel refused connections (DENY) or a NetworkPolicy likely dropped them' },
  'not-enforced': {
    label: 'policy not enforced',
    color: '#E69F00',
    lineStyle: 'dashed',
    dash: '6 4',
    description: 'a policy selects it but cannot take effect on this path (e.g. HTTP rules on ztunnel)',
  },
  none: { label: 'no policy', color: '#9CA3AF', lineStyle: 'dotted', dash: '2 4', description: 'no AuthorizationPolicy or NetworkPolicy selects it' },
};

export function policyVerdict(edge: Pick<GraphEdge, 'policyVerdict'>): PolicyVerdict {
  return edge.policyVerdict ?? 'none';
}

/** Short on-canvas label: only what needs attention (health, plaintext, L7 gap), never colour alone. */
export function edgeLabel(edge: GraphEdge, overlay: Overlay): string {
  if (overlay === 'policy') {
    const v = policyVerdict(edge);
    const parts: string[] = [];
    if (edge.deniedPerSec) parts.push(`denied ${edge.deniedPerSec.toPrecision(2)}/s`);
    if (edge.droppedBy) parts.push(`dropped ${edge.droppedBy.perSec.toPrecision(2)}/s`);
    if (v === 'not-enforced') parts.push('policy not enforced');
    if (edge.forbiddenPerSec) parts.push(`403 ${edge.forbiddenPerSec.toPrecision(2)}/s`);
    return parts.join(' · ');
  }
  const parts: string[] = [];
  const h = edgeHealth(edge);
  if (h === 'error' || h === 'warn') {
    if (edge.rates.errorRate !== undefined && edge.rates.errorRate >= ERROR_RATE_WARN) parts.push(`${formatPercentShort(edge.rates.errorRate)} errors`);
    if (edge.rates.failedConnectionsPerSec) parts.push(`${edge.rates.failedConnectionsPerSec.toPrecision(2)} failed conn/s`);
  }
  if (edge.mtls === 'plaintext') parts.push('plaintext');
  if (edge.l7Gap) parts.push(overlay === 'coverage' ? 'L7 GAP (blind)' : 'L7 gap');
  return parts.join(' · ');
}

export const MODE_LABELS: Record<WorkloadMode, string> = {
  sidecar: 'sidecar',
  ambient: 'ambient',
  mixed: 'mixed',
  none: 'out of mesh',
};

interface ModeStyle {
  borderStyle: 'solid' | 'double' | 'dashed' | 'dotted';
  borderWidth: number;
  borderColor: string;
  fill: string;
}

export const MODE_STYLES: Record<WorkloadMode | 'infra', ModeStyle> = {
  sidecar: { borderStyle: 'double', borderWidth: 5, borderColor: '#0072B2', fill: '#E3F0FA' },
  ambient: { borderStyle: 'dashed', borderWidth: 3, borderColor: '#007A5A', fill: '#E0F4EE' },
  mixed: { borderStyle: 'dotted', borderWidth: 4, borderColor: '#B8578F', fill: '#F8E6F0' },
  none: { borderStyle: 'solid', borderWidth: 1.5, borderColor: '#6B7280', fill: '#FFFFFF' },
  infra: { borderStyle: 'solid', borderWidth: 2, borderColor: '#374151', fill: '#F3F4F6' },
};

export const KIND_SHAPES: Record<NodeKind, string> = {
  workload: 'ellipse',
  waypoint: 'hexagon',
  gateway: 'round-diamond',
  service: 'round-triangle',
  unknown: 'octagon',
};

export const KIND_LABELS: Record<NodeKind, string> = {
  workload: 'workload',
  waypoint: 'waypoint',
  gateway: 'gateway',
  service: 'service',
  unknown: 'unknown peer',
};

/** The mode that applies to the shown window (telemetry proof wins, docs/classification.md §3.6). */
export function effectiveMode(node: GraphNode): WorkloadMode | undefined {
  return node.modeInWindow ?? node.mode;
}

/** Node label: name plus a text tag for kind/mode, so mode never relies on colour. */
export function nodeLabel(node: GraphNode): string {
  const lines = [node.name];
  if (node.kind === 'workload') {
    const m = effectiveMode(node);
    lines.push(m ? `[${MODE_LABELS[m]}]` : '[mode ?]');
  } else if (node.egress) {
    lines.push(node.egress === 'passthrough' ? '[passthrough to outside the mesh]' : '[blocked: REGISTRY_ONLY]');
  } else {
    lines.push(`[${KIND_LABELS[node.kind]}]`);
  }
  if (node.modeChanged) lines.push(`⚠ mode changed since${node.mode ? ` (now ${MODE_LABELS[node.mode]})` : ''}`);
  return lines.join('\n');
}

export const MTLS_LABELS: Record<Mtls, string> = { mutual: 'mTLS', plaintext: 'plaintext', unknown: 'unknown' };

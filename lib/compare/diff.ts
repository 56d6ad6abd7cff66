import type { EdgePath, GraphEdge, GraphNode, MeshGraph, Mtls, Telemetry, WorkloadMode } from '@/lib/mesh/types';

// "What changed?" between two windows of the mesh graph (docs/compare.md). Pure: two graphs in, the
// changes that matter out, node and edge ids being the graphs' own. Every threshold is a named constant
// with its reason: noise (a 0.1 % error blip on 3 requests) is not a change.

/** Fewer requests than this on a side make its error rate and p95 anecdotes, not measurements. */
export const MIN_REQUESTS_FOR_RATES = 100;
/** An error-rate move below 1 percentage point is within a healthy service's variation (a 99 % SLO's whole budget). */
export const ERROR_RATE_DELTA = 0.01;
/** … and it must at least double (or start from zero), so 40 % → 41.5 % on a sick edge is not news. */
export const ERROR_RATE_FACTOR = 2;
/**
 * p95 from Istio's histogram buckets (…, 25, 50, 100, 250 ms …) moves by up to a bucket width by
 * interpolation alone: only ×1.5 and at least 20 ms is a latency change.
 */
export const P95_FACTOR = 1.5;
export const P95_MIN_DELTA_MS = 20;
/** Failed connections (ztunnel response_flags ≠ "-") need a handful in the window to count… */
export const MIN_FAILED_CONNECTIONS = 10;
/** … and a rise of at least ×2 (or from none). */
export const FAILED_CONNECTIONS_FACTOR = 2;

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface FieldChange {
  field: 'path' | 'telemetry' | 'mtls' | 'errorRate' | 'p95Ms' | 'failedConnectionsPerSec' | 'traffic' | 'mode' | 'waypoint';
  before: unknown;
  after: unknown;
  text: string;
  /** Higher = listed first: lost L7 or mTLS on top. */
  severity: number;
}

export interface EdgeDiff {
  id: string;
  source: string;
  target: string;
  change: ChangeKind;
  before?: GraphEdge;
  after?: GraphEdge;
  changes: FieldChange[];
  severity: number;
}

export interface NodeDiff {
  id: string;
  change: ChangeKind;
  before?: GraphNode;
  after?: GraphNode;
  changes: FieldChange[];
  severity: number;
}

export interface GraphDiff {
  base: { start: string; end: string };
  current: { start: string; end: string };
  edges: EdgeDiff[];
  nodes: NodeDiff[];
}

/** Severity scale (docs/compare.md): what an on-call engineer must see first. */
export const SEVERITY = {
  l7Lost: 100,
  mtlsLost: 95,
  errorsRose: 80,
  failedConnectionsRose: 75,
  trafficVanished: 60,
  pathChanged: 55,
  latencyRose: 50,
  waypointRemoved: 45,
  modeChanged: 40,
  trafficAppeared: 30,
  waypointEnrolled: 25,
  improved: 10,
} as const;

const PATH_WORDS: Record<EdgePath, string> = { sidecar: 'sidecar', ambient: 'ambient (L4)', waypoint: 'via waypoint', mixed: 'mixed' };
const pct = (v: number) => `${(v * 100).toFixed(v < 0.1 ? 2 : 1)} %`;
const ms = (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;

function seconds(w: { start: string; end: string }): number {
  return Math.max(1, (Date.parse(w.end) - Date.parse(w.start)) / 1000);
}

function requests(e: GraphEdge, windowSeconds: number): number {
  return (e.rates.rps ?? 0) * windowSeconds;
}

function edgeChanges(b: GraphEdge, a: GraphEdge, bSec: number, aSec: number): FieldChange[] {
  const out: FieldChange[] = [];
  if (b.path !== a.path) {
    out.push({ field: 'path', before: b.path, after: a.path, text: `path ${PATH_WORDS[b.path]} → ${PATH_WORDS[a.path]}`, severity: SEVERITY.pathChanged });
  }
  if (b.telemetry !== a.telemetry) {
    const lost = (b.telemetry as Telemetry) === 'l7';
    out.push({
      field: 'telemetry',
      before: b.telemetry,
      after: a.telemetry,
      text: lost ? 'L7 telemetry lost: only TCP metrics now (no requests, errors or latency)' : 'L7 telemetry gained',
      severity: lost ? SEVERITY.l7Lost : SEVERITY.improved,
    });
  }
  if (b.mtls !== a.mtls) {
    const lost = (b.mtls as Mtls) === 'mutual';
    out.push({
      field: 'mtls',
      before: b.mtls,
      after: a.mtls,
      text: lost ? `mTLS lost: now ${a.mtls}` : a.mtls === 'mutual' ? `mTLS gained (was ${b.mtls})` : `mTLS ${b.mtls} → ${a.mtls}`,
      severity: lost ? SEVERITY.mtlsLost : SEVERITY.improved,
    });
  }
  const enough = requests(b, bSec) >= MIN_REQUESTS_FOR_RATES && requests(a, aSec) >= MIN_REQUESTS_FOR_RATES;
  const be = b.rates.errorRate;
  const ae = a.rates.errorRate;
  if (enough && be !== undefined && ae !== undefined && Math.abs(ae - be) >= ERROR_RATE_DELTA) {
    const rose = ae > be;
    const [lo, hi] = rose ? [be, ae] : [ae, be];
    if (lo === 0 || hi / lo >= ERROR_RATE_FACTOR) {
      const pp = Math.abs(ae - be) * 100;
      out.push({
        field: 'errorRate',
        before: be,
        after: ae,
        text: `error rate ${pct(be)} → ${pct(ae)} (${rose ? '+' : '−'}${pp.toFixed(1)} pp)`,
        severity: rose ? SEVERITY.errorsRose : SEVERITY.improved,
      });
    }
  }
  const bp = b.rates.p95Ms;
  const ap = a.rates.p95Ms;
  if (enough && bp !== undefined && ap !== undefined && bp > 0 && ap > 0) {
    const rose = ap > bp;
    const factor = rose ? ap / bp : bp / ap;
    if (factor >= P95_FACTOR && Math.abs(ap - bp) >= P95_MIN_DELTA_MS) {
      out.push({
        field: 'p95Ms',
        before: bp,
        after: ap,
        text: `p95 latency ${ms(bp)} → ${ms(ap)} (×${(ap / bp).toFixed(1)})`,
        severity: rose ? SEVERITY.latencyRose : SEVERITY.improved,
      });
    }
  }
  const bf = b.rates.failedConnectionsPerSec ?? 0;
  const af = a.rates.failedConnectionsPerSec ?? 0;
  const bCount = bf * bSec;
  const aCount = af * aSec;
  if (Math.max(bCount, aCount) >= MIN_FAILED_CONNECTIONS) {
    const rose = af > bf;
    const [lo, hi] = rose ? [bf, af] : [af, bf];
    if (lo === 0 || hi / lo >= FAILED_CONNECTIONS_FACTOR) {
      out.push({
        field: 'failedConnectionsPerSec',
        before: bf,
        after: af,
        text: `failed connections ${Math.round(bCount)} → ${Math.round(aCount)} in the window`,
        severity: rose ? SEVERITY.failedConnectionsRose : SEVERITY.improved,
      });
    }
  }
  if ((b.waypoint ?? null) !== (a.waypoint ?? null)) {
    out.push({
      field: 'waypoint',
      before: b.waypoint ?? null,
      after: a.waypoint ?? null,
      text: a.waypoint
        ? b.waypoint
          ? `waypoint ${b.waypoint} → ${a.waypoint}`
          : `now through waypoint ${a.waypoint}`
        : `no longer through waypoint ${b.waypoint}`,
      severity: a.waypoint ? SEVERITY.waypointEnrolled : SEVERITY.waypointRemoved,
    });
  }
  return out;
}

function modeOf(n: GraphNode): WorkloadMode | undefined {
  return n.modeInWindow ?? n.mode;
}

function nodeChanges(b: GraphNode, a: GraphNode): FieldChange[] {
  const out: FieldChange[] = [];
  const bm = modeOf(b);
  const am = modeOf(a);
  if (bm && am && bm !== am) out.push({ field: 'mode', before: bm, after: am, text: `workload mode ${bm} → ${am}`, severity: SEVERITY.modeChanged });
  if ((b.waypoint ?? null) !== (a.waypoint ?? null)) {
    out.push({
      field: 'waypoint',
      before: b.waypoint ?? null,
      after: a.waypoint ?? null,
      text: a.waypoint ? `enrolled in waypoint ${a.waypoint}` : `waypoint ${b.waypoint} removed`,
      severity: a.waypoint ? SEVERITY.waypointEnrolled : SEVERITY.waypointRemoved,
    });
  }
  return out;
}

const top = (cs: FieldChange[]) => cs.reduce((m, c) => Math.max(m, c.severity), 0);

function bySeverity<T extends { severity: number; id: string }>(a: T, b: T): number {
  return b.severity - a.severity || a.id.localeCompare(b.id);
}

export function diffGraphs(base: Pick<MeshGraph, 'window' | 'nodes' | 'edges'>, current: Pick<MeshGraph, 'window' | 'nodes' | 'edges'>): GraphDiff {
  const bSec = seconds(base.window);
  const aSec = seconds(current.window);
  const edges: EdgeDiff[] = [];
  const before = new Map(base.edges.map((e) => [e.id, e]));
  const after = new Map(current.edges.map((e) => [e.id, e]));
  for (const [id, a] of after) {
    const b = before.get(id);
    if (!b) {
      edges.push({
        id,
        source: a.source,
        target: a.target,
        change: 'added',
        after: a,
        changes: [{ field: 'traffic', before: null, after: 'present', text: 'traffic appeared', severity: SEVERITY.trafficAppeared }],
        severity: SEVERITY.trafficAppeared,
      });
      continue;
    }
    const changes = edgeChanges(b, a, bSec, aSec).sort((x, y) => y.severity - x.severity);
    if (changes.length) edges.push({ id, source: a.source, target: a.target, change: 'changed', before: b, after: a, changes, severity: top(changes) });
  }
  for (const [id, b] of before) {
    if (after.has(id)) continue;
    edges.push({
      id,
      source: b.source,
      target: b.target,
      change: 'removed',
      before: b,
      changes: [{ field: 'traffic', before: 'present', after: null, text: 'traffic vanished', severity: SEVERITY.trafficVanished }],
      severity: SEVERITY.trafficVanished,
    });
  }

  const nodes: NodeDiff[] = [];
  const nb = new Map(base.nodes.map((n) => [n.id, n]));
  const na = new Map(current.nodes.map((n) => [n.id, n]));
  for (const [id, a] of na) {
    const b = nb.get(id);
    if (!b) {
      nodes.push({ id, change: 'added', after: a, changes: [], severity: SEVERITY.trafficAppeared });
      continue;
    }
    const changes = nodeChanges(b, a);
    if (changes.length) nodes.push({ id, change: 'changed', before: b, after: a, changes, severity: top(changes) });
  }
  for (const [id, b] of nb) if (!na.has(id)) nodes.push({ id, change: 'removed', before: b, changes: [], severity: SEVERITY.trafficVanished });

  return { base: { ...base.window }, current: { ...current.window }, edges: edges.sort(bySeverity), nodes: nodes.sort(bySeverity) };
}

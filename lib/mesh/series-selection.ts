// Which series a sparkline sums (docs/classification.md §7): exactly the series groups the graph counted for
// an edge — per slice, from the reporter the rules chose, folded legs included — so a sparkline's mean is the
// edge's rate and never a second opinion. A node's inbound series are the union over the edges into it.
import { assignEdges, buildMeshContexts, groupSeries } from './build';
import { sliceEdge } from './edge/slice';
import type { EdgeAcc } from './model';
import { emptySnapshot } from './merge';
import { windowSeconds } from './rates';
import { EDGE_LABELS, type KubeSnapshot, type Labels, type TelemetryInput } from './types';

export interface SeriesSelection {
  /** Label sets (every EDGE_LABELS name; "" = absent) of the request series counted, one per series group. */
  l7: Labels[];
  /** Label sets of the TCP series counted. */
  l4: Labels[];
}

function full(labels: Labels): Labels {
  return Object.fromEntries(EDGE_LABELS.map((l) => [l, labels[l] ?? '']));
}

function key(labels: Labels): string {
  return EDGE_LABELS.map((l) => labels[l] ?? '').join('\u0001');
}

/**
 * Grouping and folding of one telemetry result, shared by the sparkline requests of the same cached window (a side
 * panel asks for an edge's and a node's series at once): memoised on the samples array and the snapshots.
 */
const FOLDED = new WeakMap<object, { snapshots: KubeSnapshot[]; expand: boolean; accs: EdgeAcc[] }[]>();

function foldedEdges(snapshots: KubeSnapshot[], telemetry: TelemetryInput, expand: boolean): EdgeAcc[] {
  const memo = FOLDED.get(telemetry.samples) ?? [];
  const hit = memo.find((m) => m.expand === expand && m.snapshots.length === snapshots.length && m.snapshots.every((s, i) => s === snapshots[i]));
  if (hit) return hit.accs;
  const ctx = buildMeshContexts(snapshots)[0]!;
  const accs = assignEdges(ctx, groupSeries(ctx, telemetry), expand, []);
  FOLDED.set(telemetry.samples, [...memo.slice(-3), { snapshots, expand, accs }]);
  return accs;
}

/**
 * The series behind the edges whose id is in `edgeIds` (or, with `target`, every edge into that node).
 * Undefined when no such edge exists in the window.
 */
export function seriesSelection(
  kube: KubeSnapshot | KubeSnapshot[],
  telemetry: TelemetryInput,
  which: { edgeId: string } | { target: string },
  options: { expandWaypoints?: boolean } = {},
): SeriesSelection | undefined {
  const snapshots = Array.isArray(kube) ? (kube.length > 0 ? kube : [emptySnapshot()]) : [kube];
  const accs = foldedEdges(snapshots, telemetry, options.expandWaypoints === true).filter((e) =>
    'edgeId' in which ? e.id === which.edgeId : e.dst.id === which.target,
  );
  if (accs.length === 0) return undefined;
  const seconds = windowSeconds(telemetry.window);
  const l7 = new Map<string, Labels>();
  const l4 = new Map<string, Labels>();
  for (const acc of accs) {
    for (const v of sliceEdge(acc, seconds)) {
      for (const g of v.counted) {
        if (g.hasRequests && g.rank === v.l7Reporter) l7.set(key(g.labels), full(g.labels));
        if (g.hasTcp && g.rank === v.l4Reporter) l4.set(key(g.labels), full(g.labels));
      }
    }
  }
  const sorted = (m: Map<string, Labels>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  return { l7: sorted(l7), l4: sorted(l4) };
}

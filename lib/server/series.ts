import 'server-only';
import { z } from 'zod';
import { ParamError, parseWindow } from '@/lib/api/params';
import { CLUSTER_NAME } from '@/lib/api/scope';
import { parseNodeId } from '@/lib/mesh/ids';
import { seriesSelection } from '@/lib/mesh/series-selection';
import { getPrometheusClient } from '@/lib/prometheus/client';
import type { SeriesName, SeriesResponse } from '@/lib/api/types';
import { buildSelectionSeriesQueries, chooseStep, MIN_RATE_WINDOW_SECONDS } from '@/lib/prometheus/queries';
import { Coalescer } from './coalesce';
import { upstreamGate } from './guard';
import { alignWindow } from './limits';
import { getMeshData } from './mesh-data';

/** Sparklines never need more points than a side panel is wide. */
const MAX_POINTS = 400;
const DEFAULT_POINTS = 120;

/** Series results are shared like graphs: identical concurrent requests run once, results live one poll. */
const g = globalThis as unknown as { __meshglassSeriesCoalescer?: Coalescer<SeriesResponse> };
const seriesCoalescer = (g.__meshglassSeriesCoalescer ??= new Coalescer<SeriesResponse>({ ttlMs: 5_000, maxEntries: 500, gate: upstreamGate }));

/** Longest node id accepted: cluster (≤ 63) + namespace (≤ 63) + name (≤ 253) + kind and separators. */
const MAX_NODE_ID_LENGTH = 400;
const k8sName = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/**
 * A node id as the graph produces it (lib/mesh/ids.ts), validated before any part reaches a query or a
 * graph build (issue 14): Kubernetes names for namespace and workload, an Istio cluster name (or
 * "unknown"), bounded length. Service and unknown nodes keep free-form names (hosts, addresses).
 */
const nodeIdSchema = z
  .string()
  .max(MAX_NODE_ID_LENGTH)
  .transform((id, ctx) => {
    const n = parseNodeId(id);
    const ok =
      n !== undefined &&
      (n.cluster === 'unknown' || n.cluster === '' || CLUSTER_NAME.test(n.cluster)) &&
      (n.kind === 'service' || n.kind === 'unknown' || n.namespace === 'unknown' || dnsLabel.test(n.namespace)) &&
      (n.kind === 'service' || n.kind === 'unknown' || n.name === 'unknown' || k8sName.test(n.name));
    if (!ok) {
      ctx.addIssue({ code: 'custom', message: 'not a node id' });
      return z.NEVER;
    }
    return n;
  });

function parsePoints(params: URLSearchParams): number {
  const raw = params.get('points');
  if (raw === null) return DEFAULT_POINTS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 2 || n > MAX_POINTS) throw new ParamError('points', `points must be a whole number between 2 and ${MAX_POINTS}`);
  return n;
}

/**
 * Range series for one edge (`edge=<edge id>`) or one node's inbound traffic (`node=<node id>`): the series
 * the graph counted for it (lib/mesh/series-selection.ts), so a sparkline's mean is the edge's rate.
 */
export async function getSeries(kind: 'edge' | 'node', params: URLSearchParams, signal: AbortSignal): Promise<SeriesResponse> {
  for (const key of params.keys()) {
    if (![kind, 'start', 'end', 'range', 'points'].includes(key)) throw new ParamError(key, `unknown parameter "${key.slice(0, 40)}"`);
  }
  const id = params.get(kind);
  if (!id) throw new ParamError(kind, `${kind} is required`);
  if (id.length > 2 * MAX_NODE_ID_LENGTH + 2) throw new ParamError(kind, `${kind} is too long`);
  const requested = parseWindow(params, Date.now() / 1000);
  const points = parsePoints(params);
  // Aligned to the step: nearby requests share one cache key (lib/server/limits.ts alignWindow).
  const step = chooseStep(requested.end - requested.start, points);
  const window = alignWindow(requested, step);
  // Only the namespaces of the edge's (or node's) ends: its classification does not depend on the filter, and
  // a whole-mesh graph per sparkline would cost seconds on a large mesh.
  const ends = kind === 'edge' ? id.split('->') : [id];
  if (ends.length !== (kind === 'edge' ? 2 : 1) || ends.some((e) => !e))
    throw new ParamError(kind, kind === 'edge' ? 'edge must be "<source node id>-><target node id>"' : 'node must be a node id');
  const parsed = ends.map((e) => nodeIdSchema.safeParse(e));
  if (parsed.some((r) => !r.success)) throw new ParamError(kind, `${kind} is not ${kind === 'edge' ? 'an edge' : 'a node'} id of this graph`);
  const namespaces = [...new Set(parsed.map((r) => r.data!.namespace))].sort();
  // The graph first (its own cached, gated run), so a series run never holds a slot while waiting for another.
  // The selection reads request and TCP series only: no latency histogram.
  const data = await getMeshData({ window, namespaces, expandWaypoints: false, omit: ['latency'] }, signal);
  const key = JSON.stringify([kind, id, window.start, window.end, points]);
  // A namespace-scoped result keeps its telemetry (lib/server/mesh-data.ts MeshData.telemetry).
  const telemetry = data.telemetry ?? { samples: [], reporterTargets: [], warnings: [], available: data.telemetryAvailable };
  return seriesCoalescer.get(key, signal, async (shared) => {
    const selection = seriesSelection(data.snapshots, { ...telemetry, window: data.graph.window }, kind === 'edge' ? { edgeId: id } : { target: id }) ?? {
      l7: [],
      l4: [],
    };
    // rate() needs two samples in its window: 2 × step, and at least 2 minutes, so data scraped (or
    // backfilled) every 60 s still gives a value at every point instead of gaps.
    const rateWindow = Math.max(2 * step, 2 * MIN_RATE_WINDOW_SECONDS);
    const client = getPrometheusClient();
    const qs = buildSelectionSeriesQueries(selection, rateWindow, client.metricPrefix);
    const names = Object.keys(qs) as SeriesName[];
    const results = await Promise.all(
      names.map((n) => client.rangeQuery(qs[n]!, window.start, window.end, step, { signal: shared }).then((r) => r.series[0]?.points ?? [])),
    );
    const t: number[] = [];
    for (let x = window.start; x <= window.end; x += step) t.push(x);
    const series: SeriesResponse['series'] = { t };
    names.forEach((n, i) => {
      const byT = new Map(results[i]!.map((p) => [Math.round(p.t), p.v]));
      if (byT.size === 0) return;
      series[n] = t.map((x) => {
        const v = byT.get(x);
        return v === undefined || !Number.isFinite(v) ? null : v;
      });
    });
    return { window: { start: window.start, end: window.end, step }, series };
  });
}

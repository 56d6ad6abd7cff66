import 'server-only';
import { ParamError, parseWindow } from '@/lib/api/params';
import { parseNodeId } from '@/lib/mesh/ids';
import type { Reporter } from '@/lib/mesh/types';
import { getPrometheusClient } from '@/lib/prometheus/client';
import { getConfig } from '@/lib/config/env';
import { chooseStep, metricName, MIN_RATE_WINDOW_SECONDS, regexEscape, selector, type Matcher } from '@/lib/prometheus/queries';
import { getMeshData } from './mesh-data';

/** Sparklines never need more points than a side panel is wide. */
const MAX_POINTS = 400;
const DEFAULT_POINTS = 120;

export type SeriesName = 'rps' | 'errorRate' | 'requestBytesPerSec' | 'responseBytesPerSec' | 'connectionsPerSec' | 'failedConnectionsPerSec';

export interface SeriesResponse {
  window: { start: number; end: number; step: number };
  series: { t: number[] } & Partial<Record<SeriesName, (number | null)[]>>;
}

interface Side {
  namespace: string;
  workload: string;
  cluster: string;
}

function sideOf(param: string, id: string): Side {
  const n = parseNodeId(id);
  if (!n) throw new ParamError(param, `${param} is not a node id of this graph`);
  if (n.kind === 'service' || n.kind === 'unknown') return { namespace: 'unknown', workload: 'unknown', cluster: n.cluster };
  return { namespace: n.namespace, workload: n.name, cluster: n.cluster };
}

/**
 * With several clusters (KUBE_CONTEXTS), equal namespace/workload names in two clusters are different
 * nodes: match the side's cluster label too. The first cluster also owns series without a cluster label
 * (the graph puts them there). One cluster: no cluster matcher, as before.
 */
function clusterMatchers(label: 'source_cluster' | 'destination_cluster', side: Side): Matcher[] {
  const contexts = getConfig().kube.contexts;
  if (!contexts || contexts.length < 2) return [];
  if (side.cluster === contexts[0]!.cluster) return [{ label, op: '=~', value: `${regexEscape(side.cluster)}|unknown|` }];
  return [{ label, op: '=', value: side.cluster }];
}

function parsePoints(params: URLSearchParams): number {
  const raw = params.get('points');
  if (raw === null) return DEFAULT_POINTS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 2 || n > MAX_POINTS) throw new ParamError('points', `points must be a whole number between 2 and ${MAX_POINTS}`);
  return n;
}

function queriesFor(matchers: Matcher[], l7: Reporter | undefined, l4: Reporter | undefined, rateWindow: number, prefix: string) {
  const r = `[${rateWindow}s]`;
  const l7m = l7 ? [{ label: 'reporter', op: '=' as const, value: l7 }, ...matchers] : matchers;
  const l4m = l4 ? [{ label: 'reporter', op: '=' as const, value: l4 }, ...matchers] : matchers;
  const req = metricName('requests', prefix);
  const errors = selector([...l7m, { label: 'response_code', op: '=~', value: '5..|0' }]);
  return {
    rps: `sum(rate(${req}${selector(l7m)}${r}))`,
    errorRate: `(sum(rate(${req}${errors}${r})) or on() vector(0)) / sum(rate(${req}${selector(l7m)}${r}))`,
    requestBytesPerSec: `sum(rate(${metricName('tcpReceivedBytes', prefix)}${selector(l4m)}${r}))`,
    responseBytesPerSec: `sum(rate(${metricName('tcpSentBytes', prefix)}${selector(l4m)}${r}))`,
    connectionsPerSec: `sum(rate(${metricName('tcpOpened', prefix)}${selector(l4m)}${r}))`,
    failedConnectionsPerSec: `sum(rate(${metricName('tcpClosed', prefix)}${selector([...l4m, { label: 'response_flags', op: '!=', value: '-' }])}${r}))`,
  } satisfies Record<SeriesName, string>;
}

/**
 * Range series for one edge (`edge=<edge id>`) or one node's inbound traffic (`node=<node id>`).
 * The reporter is the one the graph used for the edge's numbers, so sparklines never double count.
 */
export async function getSeries(kind: 'edge' | 'node', params: URLSearchParams, signal: AbortSignal): Promise<SeriesResponse> {
  for (const key of params.keys()) {
    if (![kind, 'start', 'end', 'range', 'points'].includes(key)) throw new ParamError(key, `unknown parameter "${key.slice(0, 40)}"`);
  }
  const id = params.get(kind);
  if (!id) throw new ParamError(kind, `${kind} is required`);
  const window = parseWindow(params, Date.now() / 1000);
  const points = parsePoints(params);
  let matchers: Matcher[];
  let l7: Reporter | undefined;
  let l4: Reporter | undefined;
  if (kind === 'edge') {
    const [src, dst, ...rest] = id.split('->');
    if (!src || !dst || rest.length > 0) throw new ParamError('edge', 'edge must be "<source node id>-><target node id>"');
    const s = sideOf('edge', src);
    const d = sideOf('edge', dst);
    matchers = [
      { label: 'source_workload_namespace', op: '=', value: s.namespace },
      { label: 'source_workload', op: '=', value: s.workload },
      { label: 'destination_workload_namespace', op: '=', value: d.namespace },
      { label: 'destination_workload', op: '=', value: d.workload },
      ...clusterMatchers('source_cluster', s),
      ...clusterMatchers('destination_cluster', d),
    ];
    // Only the edge's own namespaces: its classification does not depend on the filter, and a
    // whole-mesh graph per sparkline would cost seconds on a large mesh.
    const namespaces = [...new Set([parseNodeId(src)!.namespace, parseNodeId(dst)!.namespace])].sort();
    const { graph } = await getMeshData({ window, namespaces, expandWaypoints: false }, signal);
    const edge = graph.edges.find((e) => e.id === id);
    l7 = edge?.rateSources?.l7;
    l4 = edge?.rateSources?.l4;
  } else {
    const d = sideOf('node', id);
    matchers = [
      { label: 'destination_workload_namespace', op: '=', value: d.namespace },
      { label: 'destination_workload', op: '=', value: d.workload },
      ...clusterMatchers('destination_cluster', d),
    ];
    // Inbound traffic is best seen by the server side; waypoints report for ambient servers behind them.
    l7 = undefined;
    l4 = 'destination';
  }
  const step = chooseStep(window.end - window.start, points);
  // rate() needs two samples in its window: 2 × step, and at least 2 minutes, so data scraped (or
  // backfilled) every 60 s still gives a value at every point instead of gaps.
  const rateWindow = Math.max(2 * step, 2 * MIN_RATE_WINDOW_SECONDS);
  const client = getPrometheusClient();
  const qs = queriesFor(matchers, l7, l4, rateWindow, client.metricPrefix);
  const names = Object.keys(qs) as SeriesName[];
  const results = await Promise.all(
    names.map((n) => client.rangeQuery(qs[n], window.start, window.end, step, { signal }).then((r) => r.series[0]?.points ?? [])),
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
}

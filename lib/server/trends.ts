import 'server-only';
// The overview's trend lines and "since 24 h ago" deltas (docs/api.md "trends"), computed server-side
// from few Prometheus queries: the graph's six traffic queries as range queries (each point is rebuilt
// with the same pure model as the graph, so a point means what the headline figure means), one range
// query and one instant query of the proxies' `istio_build` gauge, and the graph of the window 24 h
// earlier (the same cached mesh-data run as the overview of that window: whole mesh, without latency).
import { toRfc3339 } from '@/lib/api/params';
import type { MeshTrendPoint, MeshTrends } from '@/lib/api/types';
import { buildMeshGraph } from '@/lib/mesh/build';
import { inventoryOf } from '@/lib/mesh/inventory';
import { trafficShares, type MeshSummary } from '@/lib/mesh/namespaces';
import { countProxies, delta } from '@/lib/mesh/trends';
import type { KubeSnapshot, Labels, Warning } from '@/lib/mesh/types';
import { getPrometheusClient, PrometheusError } from '@/lib/prometheus/client';
import { buildProxyBuildQuery, chooseStep, TREND_MAX_POINTS } from '@/lib/prometheus/queries';
import { fetchTelemetrySteps } from '@/lib/prometheus/telemetry';
import { Coalescer } from './coalesce';
import { upstreamGate } from './guard';
import { getMeshData } from './mesh-data';

/** "Since 24 h ago": the comparison the overview states beside each headline figure. */
export const TREND_BASE_OFFSET_SECONDS = 24 * 3600;

interface TrendLines {
  step: number;
  pointWindowSeconds: number;
  points: MeshTrendPoint[];
  proxiesDayAgo: { sidecars: number; ztunnels: number } | null;
  warnings: Warning[];
}

const g = globalThis as unknown as { __meshglassTrendsCoalescer?: Coalescer<TrendLines> };
const trendsCoalescer = (g.__meshglassTrendsCoalescer ??= new Coalescer<TrendLines>({ ttlMs: 5_000, maxEntries: 100, gate: upstreamGate }));

/** For tests: forget cached trend lines. */
export function resetTrendsCacheForTests(): void {
  trendsCoalescer.clear();
}

const proxyTargets = (series: { labels: Labels }[]) => series.map((s) => s.labels);

async function trendLines(window: { start: number; end: number }, snapshots: KubeSnapshot[], kube: KubeSnapshot, signal: AbortSignal): Promise<TrendLines> {
  const client = getPrometheusClient();
  const rangeSeconds = window.end - window.start;
  const step = chooseStep(rangeSeconds, TREND_MAX_POINTS);
  // Points end exactly at the window end (the last point is "now" of the headline figures).
  const start = window.end - Math.floor(rangeSeconds / step) * step;
  const proxyQuery = buildProxyBuildQuery();
  const opts = { signal };
  const [traffic, proxiesRange, proxiesThen] = await Promise.allSettled([
    fetchTelemetrySteps(client, { start, end: window.end, rangeSeconds, signal }),
    client.rangeQuery(proxyQuery, start, window.end, step, opts),
    client.instantQuery(proxyQuery, new Date((window.end - TREND_BASE_OFFSET_SECONDS) * 1000), opts),
  ]);
  signal.throwIfAborted();
  const warnings: Warning[] = [];
  const fail = (what: string, r: PromiseRejectedResult) =>
    warnings.push({
      source: 'prometheus',
      message: `trend of ${what} unavailable: ${r.reason instanceof PrometheusError ? r.reason.message : String(r.reason)}`,
    });
  const index = inventoryOf(kube).workloads;

  const proxiesAt = new Map<number, Labels[]>();
  if (proxiesRange.status === 'fulfilled') {
    for (const s of proxiesRange.value.series) for (const p of s.points) (proxiesAt.get(p.t) ?? proxiesAt.set(p.t, []).get(p.t)!).push(s.labels);
  } else fail('running proxies', proxiesRange);

  const points: MeshTrendPoint[] = [];
  let pointWindowSeconds = step;
  if (traffic.status === 'fulfilled') {
    pointWindowSeconds = traffic.value.pointWindowSeconds;
    for (const p of traffic.value.points) {
      const shares = p.telemetry.available
        ? trafficShares(buildMeshGraph(snapshots.length === 1 ? snapshots[0]! : snapshots, p.telemetry, { expandWaypoints: false }))
        : undefined;
      const counts = proxiesRange.status === 'fulfilled' ? countProxies(proxiesAt.get(p.time) ?? [], index) : undefined;
      points.push({
        time: toRfc3339(p.time),
        l7Share: shares?.l7.share ?? null,
        mtlsShare: shares?.mtls.share ?? null,
        sidecars: counts?.sidecars ?? null,
        ztunnels: counts?.ztunnels ?? null,
      });
    }
    if (traffic.value.points.every((p) => !p.telemetry.available)) warnings.push(...(traffic.value.points[0]?.telemetry.warnings ?? []));
  } else {
    fail('L7 and mTLS shares', traffic);
  }
  let proxiesDayAgo: TrendLines['proxiesDayAgo'] = null;
  if (proxiesThen.status === 'fulfilled') {
    // No proxy at all 24 h ago means Prometheus holds no history that far back, not an empty mesh.
    if (proxiesThen.value.samples.length > 0) proxiesDayAgo = countProxies(proxyTargets(proxiesThen.value.samples), index);
  } else fail('running proxies 24 h ago', proxiesThen);
  return { step, pointWindowSeconds, points, proxiesDayAgo, warnings };
}

/**
 * Trend lines over the (whole-mesh) query's window and the change since the same window 24 h earlier.
 * `mesh` is the headline summary of the window; `snapshots`/`kube` the Kubernetes state it was built from.
 * Prometheus failing leaves nulls and a warning, never an error.
 */
export async function meshTrends(
  clusters: string[] | undefined,
  current: { mesh: MeshSummary; snapshots: KubeSnapshot[]; kube: KubeSnapshot; window: { start: number; end: number } },
  signal: AbortSignal,
): Promise<{ trends: MeshTrends; warnings: Warning[] }> {
  const w = current.window;
  const before = { start: w.start - TREND_BASE_OFFSET_SECONDS, end: w.end - TREND_BASE_OFFSET_SECONDS };
  const key = JSON.stringify([w.start, w.end, clusters ?? []]);
  const [lines, dayAgoData] = await Promise.all([
    trendsCoalescer.get(key, signal, (shared) => trendLines(w, current.snapshots, current.kube, shared)),
    // Not nested in the trend run: a run never holds a gate slot while waiting for another.
    getMeshData({ window: { ...before, relative: false }, expandWaypoints: false, omit: ['latency'], ...(clusters ? { clusters } : {}) }, signal).catch(
      (e: unknown) => {
        if (signal.aborted) throw e;
        return undefined;
      },
    ),
  ]);
  const dayAgoShares = dayAgoData && dayAgoData.telemetryAvailable ? trafficShares(dayAgoData.graph) : undefined;
  const last = lines.points.at(-1);
  const dayAgo = {
    window: { start: toRfc3339(before.start), end: toRfc3339(before.end) },
    l7Share: dayAgoShares?.l7.share ?? null,
    mtlsShare: dayAgoShares?.mtls.share ?? null,
    sidecars: lines.proxiesDayAgo?.sidecars ?? null,
    ztunnels: lines.proxiesDayAgo?.ztunnels ?? null,
  };
  return {
    trends: {
      step: lines.step,
      pointWindowSeconds: lines.pointWindowSeconds,
      points: lines.points,
      dayAgo,
      delta: {
        l7Share: delta(current.mesh.l7.share, dayAgo.l7Share),
        mtlsShare: delta(current.mesh.mtls.share, dayAgo.mtlsShare),
        sidecars: delta(last?.sidecars, dayAgo.sidecars),
        ztunnels: delta(last?.ztunnels, dayAgo.ztunnels),
      },
    },
    warnings: lines.warnings,
  };
}

import 'server-only';
import { GRAPH_ALIGN_POINTS, graphQueryKey, toRfc3339, type GraphQuery } from '@/lib/api/params';
import { getConfig } from '@/lib/config/env';
import { getKubeSnapshots } from '@/lib/kube/cache';
import { buildMeshGraph } from '@/lib/mesh/build';
import { resolveClusterNames } from '@/lib/mesh/cluster-name';
import { mergeSnapshots } from '@/lib/mesh/merge';
import { windowSeconds } from '@/lib/mesh/rates';
import { buildSplits } from '@/lib/mesh/split';
import { buildVersionedView, withAppNames } from '@/lib/mesh/versions';
import type { KubeSnapshot, MeshGraph, TelemetryInput, Warning } from '@/lib/mesh/types';
import { getPrometheusClient } from '@/lib/prometheus/client';
import { fetchTelemetry, fetchVersionSamples } from '@/lib/prometheus/telemetry';
import { chooseStep, GRAPH_QUERY_PARTS, type GraphQueryPart } from '@/lib/prometheus/queries';
import { Coalescer } from './coalesce';
import { graphJsonChunks, servedGraph } from './graph-json';
import { SWR_WAIT_MS, waitForRunning } from './swr-wait';
import { RecentStore } from './recent';
import { upstreamGate } from './guard';
import { alignWindow } from './limits';
import { UpstreamUnavailableError } from './http';

/** Results are shared for one relative-window step (RELATIVE_END_ALIGN_SECONDS): 50 dashboards polling every 5 s cost one upstream round-trip per step. */
const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 200;

interface MeshData {
  /** One snapshot (single cluster) or the selected clusters' snapshots merged (for summaries and findings). */
  kube: KubeSnapshot;
  /** One snapshot per configured cluster, each with its `cluster` (one entry in single-cluster mode). */
  snapshots: KubeSnapshot[];
  /** Whether Prometheus answered. */
  telemetryAvailable: boolean;
  /**
   * The raw telemetry the graph was built from, kept with the result only for a namespace-scoped query (the
   * sparklines select their series from it, lib/server/series.ts). A whole mesh's is ~65 MB of samples and
   * label sets at 2,000 workloads, held for the result cache's 5 s after every whole-mesh graph (heap snapshot,
   * bench/results.md): it is let go once the graph is built.
   */
  telemetry?: TelemetryInput;
  graph: MeshGraph;
  /** Milliseconds of the shared upstream run this result came from (Server-Timing). */
  /** ms: kube snapshot, Prometheus, cluster naming + inventory (between both and the build), model build, the whole run. */
  timings: { kube: number; prometheus: number; names: number; build: number; run: number };
}

const g = globalThis as unknown as { __meshglassCoalescer?: Coalescer<MeshData>; __meshglassTelemetryCoalescer?: Coalescer<TelemetryInput> };
const meshDataCoalescer: Coalescer<MeshData> = (g.__meshglassCoalescer ??= new Coalescer<MeshData>({
  ttlMs: CACHE_TTL_MS,
  maxEntries: CACHE_MAX_ENTRIES,
  gate: upstreamGate,
}));
/**
 * Telemetry per query part (traffic, latency) and window: a graph asked `omit=latency` and the same window
 * asked whole a moment later (the graph page's two requests, docs/api.md `omit`) read the traffic queries once.
 * No gate of its own: only mesh-data runs, which hold a gate slot, call it.
 */
/** Above this many samples + reporter label sets, a telemetry part is shared only while it is read (telemetryCoalescer). */
export const TELEMETRY_KEEP_MAX_ITEMS = 50_000;
const telemetryCoalescer: Coalescer<TelemetryInput> = (g.__meshglassTelemetryCoalescer ??= new Coalescer<TelemetryInput>({
  ttlMs: CACHE_TTL_MS,
  maxEntries: CACHE_MAX_ENTRIES,
  // A large part is not kept past its computation: the whole mesh of 2,000 workloads is ~110k samples and 32k
  // reporter label sets (~60 MB of heap for 5 s after every whole-mesh graph; heap snapshot, bench/results.md),
  // and the follow-up that would reuse it — the whole mesh in full — is asked only when nothing is collapsed,
  // i.e. on small meshes (lib/graph/latency.ts latencyScope).
  keep: (t) => t.samples.length + t.reporterTargets.length <= TELEMETRY_KEEP_MAX_ITEMS,
}));

/**
 * The query as computed: `omit=detail` changes what is sent, not what is read or built (lib/server/graph-json.ts
 * servedGraph), so it is no part of the computation or of its cache keys.
 */
function computedQuery(q: GraphQuery): GraphQuery {
  if (!q.omit?.includes('detail')) return q;
  const omit = q.omit.filter((p) => p !== 'detail');
  return { ...q, omit: omit.length > 0 ? omit : undefined };
}

export function alignGraphQuery<Q extends GraphQuery>(q: Q): Q {
  return { ...q, window: alignWindow(q.window, chooseStep(q.window.end - q.window.start, GRAPH_ALIGN_POINTS)) };
}

/** For tests: forget cached/in-flight results so the next call asks the upstreams again (and the answers kept for stale-while-revalidate, unless keepRecent). */
export function resetMeshDataCacheForTests(opts: { keepRecent?: boolean } = {}): void {
  meshDataCoalescer.clear();
  telemetryCoalescer.clear();
  running.clear();
  lastRuns.clear();
  if (!opts.keepRecent) recent.clear();
}

/** One query part of one window's telemetry, shared by every graph that needs it while it is fresh. */
function telemetryPart(part: GraphQueryPart, q: GraphQuery, signal: AbortSignal): Promise<TelemetryInput> {
  const key = JSON.stringify([part, q.window.start, q.window.end, q.namespaces ?? []]);
  return telemetryCoalescer.get(key, signal, (shared) =>
    fetchTelemetry(getPrometheusClient(), { window: q.window, namespaces: q.namespaces, signal: shared, parts: [part] }),
  );
}

/** The parts' telemetry as one input: samples and targets side by side, available when any part answered. */
function mergeTelemetry(parts: { part: GraphQueryPart; input: TelemetryInput }[]): TelemetryInput {
  if (parts.length === 1) return parts[0]!.input;
  const anyAvailable = parts.some((p) => p.input.available);
  // A part that failed whole says "Prometheus unavailable"; when another part answered, that is a partial answer.
  // The page reads `latency queries failed: …` as "latency unavailable" (docs/api.md §4.1, lib/graph/latency.ts latencyFailure).
  const warnings = parts.flatMap(({ part, input }) =>
    anyAvailable && !input.available
      ? input.warnings.map((w) => ({
          ...w,
          message: w.message.replace(/^Prometheus unavailable: /, `${part} queries failed: `) + '; these numbers are missing',
        }))
      : input.warnings,
  );
  return {
    window: parts[0]!.input.window,
    samples: parts.flatMap((p) => p.input.samples),
    reporterTargets: parts.flatMap((p) => p.input.reporterTargets),
    warnings: dedupeWarnings(warnings),
    available: anyAvailable,
  };
}

function dedupeWarnings(ws: Warning[]): Warning[] {
  const seen = new Set<string>();
  return ws.filter((w) => {
    const k = `${w.source}\u0000${w.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Kubernetes snapshot + Prometheus telemetry for one window, in parallel, then the pure model.
 * One upstream failing → what the other gives plus warnings; both failing → UpstreamUnavailableError (503).
 */
export async function getMeshData(query: GraphQuery, signal: AbortSignal): Promise<MeshData> {
  const q = alignGraphQuery(computedQuery(query));
  return meshDataCoalescer.get(graphQueryKey(q), signal, async (shared) => {
    const config = getConfig();
    const window = { start: toRfc3339(q.window.start), end: toRfc3339(q.window.end) };
    const t0 = performance.now();
    const since = (t: number) => Math.round((performance.now() - t) * 10) / 10;
    const timings = { kube: 0, prometheus: 0, names: 0, build: 0, run: 0 };
    const parts = GRAPH_QUERY_PARTS.filter((p) => !(q.omit ?? []).includes(p as 'latency'));
    const versioned = q.group === 'version';
    const [configured, telemetry, versionData] = await Promise.all([
      getKubeSnapshots({ signal: shared, timeoutMs: config.kube.timeoutMs }).finally(() => (timings.kube = since(t0))),
      Promise.all(parts.map(async (part) => ({ part, input: await telemetryPart(part, q, shared) })))
        .then(mergeTelemetry)
        .finally(() => (timings.prometheus = since(t0))),
      // The version queries run only for the versioned view and the whole-mesh reads (docs/classification.md §9.1),
      // their latency part only when latency is asked for.
      versioned ? fetchVersionSamples(getPrometheusClient(), { window: q.window, namespaces: q.namespaces, signal: shared, parts }) : undefined,
    ]);
    shared.throwIfAborted();
    const tn = performance.now();
    const named = resolveClusterNames(configured, telemetry);
    const snapshots = named.snapshots;
    // `clusters` narrows the Kubernetes objects the summaries and findings see; the graph filters itself.
    const selected = q.clusters ? snapshots.filter((s) => q.clusters!.includes(s.cluster)) : snapshots;
    const kube = snapshots.length === 1 && !q.clusters ? snapshots[0]! : mergeSnapshots(selected);
    const anyKube = snapshots.some((s) => s.available);
    const upstreamWarnings = [...snapshots.flatMap((s) => s.warnings), ...telemetry.warnings, ...named.warnings];
    if (!anyKube && !telemetry.available) {
      throw new UpstreamUnavailableError('Neither Prometheus nor the Kubernetes API answered', upstreamWarnings);
    }
    const t1 = performance.now();
    timings.names = since(tn);
    const graph = buildMeshGraph(
      snapshots.length === 1 ? snapshots[0]! : snapshots,
      { ...telemetry, window },
      {
        namespaces: q.namespaces,
        expandWaypoints: q.expandWaypoints,
        ...(q.clusters ? { clusters: q.clusters } : {}),
      },
    );
    if (versionData) {
      const view = buildVersionedView(snapshots, graph, versionData.samples, windowSeconds(window));
      graph.nodes = view.nodes;
      graph.apps = view.apps;
      graph.splits = buildSplits(kube, graph, view.apps);
      if (telemetry.available) upstreamWarnings.push(...versionData.warnings);
    } else {
      graph.nodes = withAppNames(snapshots, graph.nodes);
    }
    graph.warnings = dedupeWarnings([...upstreamWarnings, ...graph.warnings]);
    if (q.omit && q.omit.length > 0) graph.omitted = [...q.omit];
    timings.build = since(t1);
    timings.run = since(t0);
    const scoped = q.namespaces !== undefined && q.namespaces.length > 0;
    return { kube, snapshots, telemetryAvailable: telemetry.available, ...(scoped ? { telemetry } : {}), graph, timings };
  });
}

/**
 * Stale-while-revalidate for rolling windows (`range=15m`): the last answer of the same query (same length,
 * scope and options) is served when the next computation has not finished within SWR_WAIT_MS, for at most
 * SWR_MAX_AGE_MS, and the computation goes on for the next poll. Every dashboard polling "the last 15
 * minutes" then waits milliseconds while one computation per step runs; the answer says how old it is
 * (`graph.stale`). Absolute windows (share links, snapshots, diffs) always get their exact answer.
 */
/** A rolling window older than this is not served: twice the slowest default poll (30 s) of the graph page. */
const SWR_MAX_AGE_MS = 60_000;
const SWR_MAX_ENTRIES = 20;
/**
 * Graphs kept for stale-while-revalidate, counted by the JSON bytes the graph page is served (`omit=detail`, held
 * besides the graph, lib/server/graph-json.ts; the heap holds a few times that): room for three whole-mesh graphs
 * of 2,000 workloads (~5.5 MB each without the edges' detail) besides the small ones.
 */
export const SWR_MAX_BYTES = 20 * 1024 * 1024;

/**
 * What a stale answer keeps: the graph and the Kubernetes side, not the raw telemetry (memory). `stale` is
 * set on an answer served from this store; the graph object itself is the stored one, unchanged, so the
 * route encodes it once for every poller it is served to (lib/server/graph-json.ts graphJsonChunks).
 */
export type RecentMeshData = Pick<MeshData, 'kube' | 'snapshots' | 'graph' | 'timings'> & { stale?: NonNullable<MeshGraph['stale']> };
const gr = globalThis as unknown as { __meshglassRecentStore?: RecentStore<RecentMeshData> };
// Only the graph is counted: the Kubernetes snapshots are shared with the kube cache and every other answer.
const recent = (gr.__meshglassRecentStore ??= new RecentStore<RecentMeshData>({
  maxEntries: SWR_MAX_ENTRIES,
  maxBytes: SWR_MAX_BYTES,
  maxAgeMs: SWR_MAX_AGE_MS,
  // The JSON bytes of the graph as the page's polls are served (without the edges' detail), made here once and
  // reused for every answer that serves it (lib/server/graph-json.ts): walking a whole-mesh graph to estimate its
  // size took ~1 s of the thread (CPU profile of the 20-poller bench).
  sizeOf: (d) => graphJsonChunks(servedGraph(d.graph, true))[0].byteLength,
}));

function remember(key: string, d: MeshData): void {
  recent.set(key, { kube: d.kube, snapshots: d.snapshots, graph: d.graph, timings: d.timings });
}

/**
 * The computation in flight per rolling query (same key as `recent`): at most one at a time. A whole-mesh
 * graph can take longer than a window step (bench/results.md: ~10 s against a 15 s step for 15 minutes, more
 * under load); starting the next step's computation beside it made them share the CPU and pile up (the
 * 20-poller bench run: 7 overlapping computations, p50 15 s). Polls of a newer step meanwhile get the last
 * answer (stale) or, without one, join the running computation.
 */
const running = new Map<string, { query: GraphQuery; startedAt: number }>();

/**
 * How long the last computation of each rolling query took and when it ended. A rolling query's next
 * computation starts no sooner than COOLDOWN_FACTOR × its last duration after that one ended, while an answer
 * is in hand: a query that takes 10 s (the whole mesh of 2,000 workloads on two cores) then runs at most a
 * third of the time instead of back to back, and the polls between get the last answer (stale, its age shown)
 * at once instead of waiting behind a computation that holds the CPU (bench/results.md, rolling window).
 * A one-namespace graph (~0.1 s) is held back 0.2 s: no difference a user sees.
 */
const COOLDOWN_FACTOR = 2;
const LAST_RUNS_MAX = 200;
const lastRuns = new Map<string, { endedAt: number; durationMs: number }>();

function recordRun(key: string, startedAt: number): void {
  const endedAt = Date.now();
  lastRuns.delete(key);
  lastRuns.set(key, { endedAt, durationMs: endedAt - startedAt });
  if (lastRuns.size > LAST_RUNS_MAX) lastRuns.delete(lastRuns.keys().next().value!);
}

/** Seconds until the next answer of `key` is expected (the `stale` hint that tells pollers when to ask again). */
function nextAnswerInSeconds(key: string, now: number): number {
  const last = lastRuns.get(key);
  const run = running.get(key);
  const duration = last?.durationMs ?? 0;
  const readyAt = run ? run.startedAt + duration : last ? Math.max(now, last.endedAt + COOLDOWN_FACTOR * duration) + duration : now;
  // Never sooner than 2 s (the page's follow-up) nor later than the longest an answer is kept.
  return Math.min(SWR_MAX_AGE_MS / 1000, Math.max(2, Math.ceil((readyAt - now) / 1000)));
}

function staleAnswer(key: string, usable: { data: RecentMeshData; at: number }): RecentMeshData {
  const now = Date.now();
  const ageSeconds = Math.round((now - usable.at) / 100) / 10;
  const computedAt = new Date(usable.at).toISOString().replace(/\.\d+Z$/, 'Z');
  return { ...usable.data, stale: { computedAt, ageSeconds, retryAfterSeconds: nextAnswerInSeconds(key, now) } };
}

/** getMeshData, or — for a rolling window whose next answer is still computing — the previous answer, marked stale. */
export async function getMeshDataOrRecent(asked: GraphQuery, signal: AbortSignal): Promise<RecentMeshData> {
  const query = computedQuery(asked);
  if (!query.window.relative) return getMeshData(query, signal);
  const key = graphQueryKey({ ...query, window: { start: 0, end: query.window.end - query.window.start, relative: true } });
  const usable = recent.get(key);
  // The answer of this very step (windows are aligned to ≥ 15 s, the result cache lives 5 s): the same numbers,
  // served as they are rather than computed again (one computation per step; bench/results.md finding 8).
  const aligned = alignGraphQuery(query).window;
  const w = usable?.data.graph.window;
  if (w && Date.parse(w.start) / 1000 === aligned.start && Date.parse(w.end) / 1000 === aligned.end) return usable!.data;
  const inflight = running.get(key);
  if (inflight && alignGraphQuery(inflight.query).window.end !== aligned.end) {
    if (usable) return staleAnswer(key, usable);
    return getMeshData(inflight.query, signal);
  }
  const last = lastRuns.get(key);
  if (!inflight && usable && last && Date.now() < last.endedAt + COOLDOWN_FACTOR * last.durationMs) return staleAnswer(key, usable);
  // With an answer in hand, the computation must outlive this request: it is the next poll's answer.
  const fresh = getMeshData(query, usable ? new AbortController().signal : signal);
  if (!inflight) {
    const run = { query, startedAt: Date.now() };
    running.set(key, run);
    fresh.then(
      () => {
        recordRun(key, run.startedAt);
        if (running.get(key) === run) running.delete(key);
      },
      () => {
        if (running.get(key) === run) running.delete(key);
      },
    );
  }
  fresh.then(
    (d) => remember(key, d),
    () => undefined,
  );
  if (!usable) return fresh;
  // A computation expected to outlast the wait (a whole mesh: seconds) is not waited for (lib/server/swr-wait.ts).
  if (!waitForRunning(Date.now(), running.get(key)?.startedAt ?? Date.now(), last?.durationMs)) return staleAnswer(key, usable);
  const timer = new Promise<undefined>((resolve) => setTimeout(resolve, SWR_WAIT_MS, undefined));
  const first = await Promise.race([fresh.catch(() => undefined), timer]);
  if (first) return first;
  signal.throwIfAborted();
  return staleAnswer(key, usable);
}

/**
 * `Server-Timing` value for a graph response: where the time of its upstream run went (kube snapshot,
 * Prometheus queries + parsing, model build). Shown by browser dev tools; a coalesced or cached
 * response repeats the timings of the run it shares.
 */
export function serverTiming(t: MeshData['timings']): string {
  return (
    `kube;dur=${t.kube};desc="Kubernetes snapshot", prom;dur=${t.prometheus};desc="Prometheus queries", ` +
    `names;dur=${t.names};desc="cluster names and inventory", build;dur=${t.build};desc="mesh model", run;dur=${t.run};desc="whole upstream run"`
  );
}

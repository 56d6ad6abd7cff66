import 'server-only';
import { graphQueryKey, toRfc3339, type GraphQuery } from '@/lib/api/params';
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
import { chooseStep } from '@/lib/prometheus/queries';
import { Coalescer } from './coalesce';
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
  telemetry: TelemetryInput;
  graph: MeshGraph;
  /** Milliseconds of the shared upstream run this result came from (Server-Timing). */
  timings: { kube: number; prometheus: number; build: number };
}

const g = globalThis as unknown as { __meshglassCoalescer?: Coalescer<MeshData> };
const meshDataCoalescer: Coalescer<MeshData> = (g.__meshglassCoalescer ??= new Coalescer<MeshData>({
  ttlMs: CACHE_TTL_MS,
  maxEntries: CACHE_MAX_ENTRIES,
  gate: upstreamGate,
}));

/**
 * Graph windows are aligned to the step a 240-point series of the same length would use (at least
 * 15 s; lib/prometheus/queries.ts chooseStep), so requests a few seconds apart — or hammering unique
 * windows — share one cache key and one upstream run. The shift is under 1/240 of the window and
 * deterministic (a pinned share link keeps its numbers); the response's `window` is the aligned one.
 */
export const GRAPH_ALIGN_POINTS = 240;

export function alignGraphQuery<Q extends GraphQuery>(q: Q): Q {
  return { ...q, window: alignWindow(q.window, chooseStep(q.window.end - q.window.start, GRAPH_ALIGN_POINTS)) };
}

/** For tests: forget cached/in-flight results so the next call asks the upstreams again. */
export function resetMeshDataCacheForTests(): void {
  meshDataCoalescer.clear();
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
  const q = alignGraphQuery(query);
  return meshDataCoalescer.get(graphQueryKey(q), signal, async (shared) => {
    const config = getConfig();
    const window = { start: toRfc3339(q.window.start), end: toRfc3339(q.window.end) };
    const t0 = performance.now();
    const since = (t: number) => Math.round((performance.now() - t) * 10) / 10;
    const timings = { kube: 0, prometheus: 0, build: 0 };
    const versioned = q.group === 'version';
    const [configured, telemetry, versionData] = await Promise.all([
      getKubeSnapshots({ signal: shared, timeoutMs: config.kube.timeoutMs }).finally(() => (timings.kube = since(t0))),
      fetchTelemetry(getPrometheusClient(), {
        window: q.window,
        namespaces: q.namespaces,
        signal: shared,
      }).finally(() => (timings.prometheus = since(t0))),
      // The version queries run only for the versioned view and the whole-mesh reads (docs/classification.md §9.1).
      versioned ? fetchVersionSamples(getPrometheusClient(), { window: q.window, namespaces: q.namespaces, signal: shared }) : undefined,
    ]);
    shared.throwIfAborted();
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
    timings.build = since(t1);
    return { kube, snapshots, telemetry, graph, timings };
  });
}

/**
 * `Server-Timing` value for a graph response: where the time of its upstream run went (kube snapshot,
 * Prometheus queries + parsing, model build). Shown by browser dev tools; a coalesced or cached
 * response repeats the timings of the run it shares.
 */
export function serverTiming(t: MeshData['timings']): string {
  return `kube;dur=${t.kube};desc="Kubernetes snapshot", prom;dur=${t.prometheus};desc="Prometheus queries", build;dur=${t.build};desc="mesh model"`;
}

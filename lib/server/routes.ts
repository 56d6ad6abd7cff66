import 'server-only';
// What each API route answers, from its query string: the route handlers in app/api only call these
// (and getSeries / getHealth), wrap the result with json() and map errors with errorResponse().
import { ParamError, parseBoolean, parseGraphQuery, parseNamespacesOmit, toRfc3339 } from '@/lib/api/params';
import type { ConfigResponse, FindingsResponse, GraphResponse, MigrationResponse, NamespaceInventoryResponse, NamespacesResponse } from '@/lib/api/types';
import { getConfig } from '@/lib/config/env';
import { runFindings } from '@/lib/mesh/findings';
import { planMigrations } from '@/lib/mesh/migration';
import { summarizeMesh, summarizeNamespaceInventory, summarizeNamespaces } from '@/lib/mesh/namespaces';
import { kubeOnly, knownClusterNames } from './clusters';
import { graphGzip, graphJsonChunks, servedGraph } from './graph-json';
import { UpstreamUnavailableError } from './http';
import { getMeshDataOrRecent, serverTiming } from './mesh-data';
import { meshTrends } from './trends';

const nowSeconds = () => Date.now() / 1000;

/** The graph (as an object and as JSON) and its Server-Timing header value. */
export async function graphResponse(
  params: URLSearchParams,
  signal: AbortSignal,
): Promise<{ body: GraphResponse; chunks: () => Buffer[]; gzip: () => Promise<Buffer>; stale?: GraphResponse['stale']; serverTiming: string }> {
  const q = parseGraphQuery(params, nowSeconds());
  const { graph: computed, timings, stale } = await getMeshDataOrRecent(q, signal);
  const graph = servedGraph(computed, q.omit?.includes('detail') ?? false);
  return {
    body: stale ? { ...graph, stale } : graph,
    chunks: () => graphJsonChunks(graph, stale),
    // The shared compressed bytes carry no `stale`: the route sends it in a header (docs/api.md §4.2).
    gzip: () => graphGzip(graph),
    ...(stale ? { stale } : {}),
    serverTiming: serverTiming(timings),
  };
}

/**
 * The overview reads (namespaces, findings, migration) are computed on the whole mesh (a policy problem
 * needs both ends), then filtered by namespace. None of them reads latency, so none pays for the histogram.
 */
async function wholeMesh(params: URLSearchParams, signal: AbortSignal) {
  const q = parseGraphQuery(params, nowSeconds());
  // group=version: the findings compare configured traffic splits with the observed shares per version.
  const data = await getMeshDataOrRecent({ ...q, namespaces: undefined, expandWaypoints: false, omit: ['latency'], group: 'version' }, signal);
  return { namespaces: q.namespaces, clusters: q.clusters, ...data };
}

/**
 * `trends=true` adds the overview's trend lines and "since 24 h ago" deltas (lib/server/trends.ts);
 * `omit=traffic` answers from the Kubernetes inventory alone, without a Prometheus call (docs/api.md §4.3).
 */
export async function namespacesResponse(params: URLSearchParams, signal: AbortSignal): Promise<NamespacesResponse | NamespaceInventoryResponse> {
  const withTrends = parseBoolean(params, 'trends');
  const omit = parseNamespacesOmit(params);
  const query = new URLSearchParams(params);
  query.delete('trends');
  query.delete('omit');
  if (omit?.includes('traffic')) {
    if (withTrends) throw new ParamError('trends', 'trends are read from Prometheus: not with omit=traffic');
    return namespaceInventory(query, signal);
  }
  const { namespaces: only, kube, snapshots, graph, clusters } = await wholeMesh(query, signal);
  const all = summarizeNamespaces(kube, graph);
  const namespaces = only ? all.filter((n) => only.includes(n.name)) : all;
  const mesh = summarizeMesh(kube, graph, all);
  if (!withTrends) return { window: graph.window, namespaces, mesh, warnings: graph.warnings };
  const window = { start: Date.parse(graph.window.start) / 1000, end: Date.parse(graph.window.end) / 1000 };
  const { trends, warnings } = await meshTrends(clusters, { mesh, snapshots, kube, window }, signal);
  return { window: graph.window, namespaces, mesh, trends, warnings: [...graph.warnings, ...warnings] };
}

/** The namespace rows of the Kubernetes inventory: same parameters, no Prometheus call (the graph page's namespace picker). */
async function namespaceInventory(params: URLSearchParams, signal: AbortSignal): Promise<NamespaceInventoryResponse> {
  const q = parseGraphQuery(params, nowSeconds());
  const { kube, available, warnings } = await kubeOnly(q.clusters, signal);
  if (!available) throw new UpstreamUnavailableError('The Kubernetes API did not answer (omit=traffic reads nothing else)', warnings);
  const window = { start: toRfc3339(q.window.start), end: toRfc3339(q.window.end) };
  const all = summarizeNamespaceInventory(kube, window);
  const namespaces = q.namespaces ? all.filter((n) => q.namespaces!.includes(n.name)) : all;
  return { window, namespaces, omitted: ['traffic'], warnings };
}

export async function findingsResponse(params: URLSearchParams, signal: AbortSignal): Promise<FindingsResponse> {
  const { namespaces: only, kube, graph } = await wholeMesh(params, signal);
  const all = runFindings(kube, graph);
  const findings = only ? all.filter((f) => only.includes(f.namespace)) : all;
  return { window: graph.window, findings, warnings: graph.warnings };
}

export async function migrationResponse(params: URLSearchParams, signal: AbortSignal): Promise<MigrationResponse> {
  const { kube, graph } = await wholeMesh(params, signal);
  return { window: graph.window, migrations: planMigrations(kube, graph), warnings: graph.warnings };
}

export async function configResponse(signal: AbortSignal): Promise<ConfigResponse> {
  const c = getConfig();
  const clusters = await knownClusterNames(signal).catch(() => [] as string[]);
  return { grafanaUrl: c.grafanaUrl ?? null, tracing: c.tracing ?? null, cluster: clusters[0] ?? c.clusterName, clusters };
}

import { z } from 'zod';
import { ParamError } from '@/lib/api/params';
import { apiWindowParams } from '@/lib/api/scope';
import { diffSearchParams } from '@/lib/compare/url';
import { parseUrlState, serializeUrlState, shareState, type GraphUrlState } from '@/lib/graph/url-state';
import packageJson from '@/package.json';
import { newSnapshotId } from './id';
import type { SnapshotDocument, StoredSeries } from './types';

// What "Pin as snapshot" stores (docs/snapshots.md): the bodies the graph page reads, fetched through
// the real route handlers (passed in by app/api/snapshots/route.ts) so a snapshot holds exactly what the
// API returned, kept as opaque JSON.

/** Longest state string accepted: a graph URL with 200 namespaces and a long selection fits in 16 KiB. */
export const MAX_STATE_LENGTH = 16_384;
export const MAX_TITLE_LENGTH = 200;
/** Sparklines stored per snapshot: 6 range queries each, so a whole-mesh pin stays within seconds. */
export const MAX_SERIES_EDGES = 300;
export const MAX_SERIES_NODES = 100;
/** Points per stored sparkline: the API default, ≈ a side panel's width. */
export const SNAPSHOT_SERIES_POINTS = 120;
/** Range queries in flight per pin, so one pin cannot monopolise Prometheus. */
const SERIES_CONCURRENCY = 4;

/** Drawn nodes whose positions a pin keeps: the graph page draws at most a few thousand (larger meshes fold namespaces). */
export const MAX_PINNED_POSITIONS = 20_000;
/** A position farther out than this is not a drawing (cytoscape model coordinates stay within ± a few 10⁵ px). */
const MAX_COORDINATE = 1e7;

const coordinate = z.number().finite().min(-MAX_COORDINATE).max(MAX_COORDINATE);

export const pinRequestSchema = z
  .object({
    state: z.string({ error: 'state must be the graph page query string' }).max(MAX_STATE_LENGTH, `state is longer than ${MAX_STATE_LENGTH} characters`),
    title: z.string().trim().max(MAX_TITLE_LENGTH, `title is longer than ${MAX_TITLE_LENGTH} characters`).optional(),
    /** The drawing's node positions by node id (Share → Pin sends them; the snapshot opens laid out the same). */
    positions: z
      .record(z.string().max(1024), z.object({ x: coordinate, y: coordinate }).strict())
      .refine((p) => Object.keys(p).length <= MAX_PINNED_POSITIONS, `at most ${MAX_PINNED_POSITIONS} positions`)
      .optional(),
  })
  .strict();

export type ApiCall = (path: string, signal: AbortSignal) => Promise<{ status: number; body: unknown }>;

export interface CaptureDeps {
  /** GET on one of our routes, e.g. "/api/graph?…" → status + parsed JSON. */
  call: ApiCall;
  now?: () => Date;
}

export class CaptureUpstreamError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'CaptureUpstreamError';
  }
}

/** The graph page's parser decides; its first complaint becomes a 400 naming `state.<param>`. */
export function parsePinnedState(state: string): GraphUrlState {
  const qs = state.startsWith('?') ? state.slice(1) : state;
  const { state: parsed, errors } = parseUrlState(new URLSearchParams(qs));
  const first = errors[0];
  if (first) throw new ParamError(`state.${first.param}`, `state: ${first.param} ${first.message}`);
  return parsed;
}

// Only what choosing the sparklines needs; the rest of the body stays opaque.
const graphShape = z.object({
  window: z.object({ start: z.string(), end: z.string() }),
  nodes: z.array(z.object({ id: z.string(), kind: z.string().optional() }).loose()),
  edges: z.array(
    z
      .object({
        id: z.string(),
        l7Gap: z.boolean().optional(),
        mtls: z.string().optional(),
        rates: z
          .object({
            rps: z.number().optional(),
            errorRate: z.number().optional(),
            failedConnectionsPerSec: z.number().optional(),
            connectionsPerSec: z.number().optional(),
          })
          .loose()
          .optional(),
      })
      .loose(),
  ),
});
type GraphShape = z.infer<typeof graphShape>;

function edgePriority(e: GraphShape['edges'][number]): number {
  const r = e.rates ?? {};
  const problem = (r.errorRate ?? 0) > 0 || (r.failedConnectionsPerSec ?? 0) > 0 || e.l7Gap || e.mtls === 'plaintext' ? 1e12 : 0;
  return problem + (r.rps ?? 0) + (r.connectionsPerSec ?? 0);
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

async function getOk(call: ApiCall, path: string, signal: AbortSignal): Promise<unknown> {
  const r = await call(path, signal);
  if (r.status === 200) return r.body;
  const msg = typeof (r.body as { error?: unknown })?.error === 'string' ? (r.body as { error: string }).error : `status ${r.status}`;
  if (r.status === 400) throw new ParamError('state', `state: ${msg}`);
  throw new CaptureUpstreamError(`cannot pin: ${path.split('?')[0]} answered ${r.status}: ${msg}`, r.status === 503 ? 503 : 502);
}

export async function captureSnapshot(
  input: { state: string; title?: string; positions?: Record<string, { x: number; y: number }> },
  deps: CaptureDeps,
  signal: AbortSignal,
): Promise<SnapshotDocument> {
  const view = parsePinnedState(input.state);
  const scope = new URLSearchParams();
  if (view.namespaces.length) scope.set('namespaces', view.namespaces.join(','));
  if (view.clusters.length) scope.set('clusters', view.clusters.join(','));
  const graphParams = new URLSearchParams({ ...apiWindowParams(view.window), ...Object.fromEntries(scope) });
  if (view.expandWaypoints) graphParams.set('expandWaypoints', 'true');
  // A pinned versioned view keeps its apps, versions and splits (the stored graph is drawn as is).
  if (view.group === 'version') graphParams.set('group', 'version');
  const graph = await getOk(deps.call, `/api/graph?${graphParams}`, signal);
  const shape = graphShape.safeParse(graph);
  if (!shape.success) throw new CaptureUpstreamError('cannot pin: /api/graph answered an unexpected body', 502);
  // A relative window becomes the absolute window the graph was computed for (as Share does).
  const window = { start: shape.data.window.start, end: shape.data.window.end };
  const abs = new URLSearchParams(window);
  const clusterParams = view.clusters.length ? `&clusters=${encodeURIComponent(view.clusters.join(','))}` : '';
  const [namespaces, findings] = await Promise.all([
    getOk(deps.call, `/api/namespaces?${abs}${clusterParams}`, signal),
    getOk(deps.call, `/api/findings?${abs}&${scope}`, signal),
  ]);

  // "What changed?" as the view showed it (docs/compare.md): the same diff request as the page's.
  const diffQuery = diffSearchParams({ compare: view.compare, window, namespaces: view.namespaces, clusters: view.clusters });
  const diff = view.compare && diffQuery ? { compare: view.compare, body: await getOk(deps.call, `/api/graph/diff?${diffQuery}`, signal) } : undefined;

  const edges = [...shape.data.edges].sort((a, b) => (a.id === view.selected ? -1 : b.id === view.selected ? 1 : edgePriority(b) - edgePriority(a)));
  const chosenEdges = edges.slice(0, MAX_SERIES_EDGES);
  const nodes = shape.data.nodes.filter((n) => n.kind === 'workload' || n.kind === 'gateway' || n.kind === 'waypoint');
  nodes.sort((a, b) => (a.id === view.selected ? -1 : b.id === view.selected ? 1 : 0));
  const chosenNodes = nodes.slice(0, MAX_SERIES_NODES);
  const seriesOf = async (kind: 'edge' | 'node', id: string): Promise<[string, unknown] | undefined> => {
    const q = new URLSearchParams({ [kind]: id, ...window, points: String(SNAPSHOT_SERIES_POINTS) });
    const r = await deps.call(`/api/${kind}-series?${q}`, signal);
    return r.status === 200 ? [id, r.body] : undefined;
  };
  const edgeSeries = await mapLimit(chosenEdges, SERIES_CONCURRENCY, (e) => seriesOf('edge', e.id));
  const nodeSeries = await mapLimit(chosenNodes, SERIES_CONCURRENCY, (n) => seriesOf('node', n.id));
  signal.throwIfAborted();
  const storedEdges: StoredSeries = Object.fromEntries(edgeSeries.filter((x) => x !== undefined));
  const storedNodes: StoredSeries = Object.fromEntries(nodeSeries.filter((x) => x !== undefined));

  const pinned: GraphUrlState = { ...shareState(view, window), refresh: 0 };
  // Positions of nodes the pinned graph holds (a node id is the graph's own; anything else is dropped).
  const nodeIds = new Set(shape.data.nodes.map((n) => n.id));
  const kept = Object.entries(input.positions ?? {}).filter(([id]) => nodeIds.has(id));
  const positions = kept.length ? Object.fromEntries(kept) : undefined;
  const now = (deps.now ?? (() => new Date()))();
  return {
    id: newSnapshotId(),
    title: input.title ? input.title : null,
    createdAt: now.toISOString(),
    version: packageJson.version,
    window,
    state: serializeUrlState(pinned).toString(),
    graph,
    namespaces,
    findings,
    series: {
      edges: storedEdges,
      nodes: storedNodes,
      points: SNAPSHOT_SERIES_POINTS,
      omitted: shape.data.edges.length + nodes.length - Object.keys(storedEdges).length - Object.keys(storedNodes).length,
    },
    ...(positions ? { positions } : {}),
    ...(diff ? { diff } : {}),
  };
}

// The HTTP API's response bodies: one definition shared by the route handlers (through lib/server),
// the query hooks (lib/query) and the pages. README "HTTP API" describes the endpoints.
import type { MigrationPlan } from '@/lib/mesh/migration';
import type { MeshSummary, NamespaceRow } from '@/lib/mesh/namespaces';
import type { Finding, MeshGraph, Warning, Window } from '@/lib/mesh/types';

/** GET /api/graph */
export type GraphResponse = MeshGraph;
/** Policy fields of a graph edge (docs/api.md §4.2: policies, deniedPerSec, forbiddenPerSec, droppedBy, policyVerdict). */
export type { EdgeDrop, EdgePolicy, PolicyEnforcer, PolicyVerdict } from '@/lib/mesh/types';

/** GET /api/namespaces */
export interface NamespacesResponse {
  window: Window;
  namespaces: NamespaceRow[];
  mesh: MeshSummary;
  warnings?: Warning[];
}

/** GET /api/findings */
export interface FindingsResponse {
  window: Window;
  findings: Finding[];
  warnings?: Warning[];
}

/** GET /api/migration */
export interface MigrationResponse {
  window: Window;
  migrations: MigrationPlan[];
  warnings?: Warning[];
}

export type SeriesName = 'rps' | 'errorRate' | 'requestBytesPerSec' | 'responseBytesPerSec' | 'connectionsPerSec' | 'failedConnectionsPerSec';

/** GET /api/edge-series and /api/node-series */
export interface SeriesResponse {
  window: { start: number; end: number; step: number };
  series: { t: number[] } & Partial<Record<SeriesName, (number | null)[]>>;
}

/** GET /api/config: public settings (never tokens). `clusters` lists the configured clusters (one entry unless KUBE_CONTEXTS names several). */
export interface ConfigResponse {
  grafanaUrl: string | null;
  /** TRACING_URL / TRACING_KIND / TRACING_GRAFANA_DATASOURCE (lib/graph/traces.ts builds the links); null when unset. */
  tracing: { kind: 'jaeger' | 'tempo' | 'zipkin'; url: string; grafanaDatasource?: string } | null;
  cluster: string;
  clusters: string[];
}

/** GET /api/healthz (always 200; `status` says whether an upstream is down). */
export interface HealthResponse {
  status: 'ok' | 'degraded';
  prometheus: { ok: boolean; url?: string; version?: string; error?: string };
  kubernetes: { ok: boolean; version?: string; error?: string; warnings?: string[] };
}

// ---------------------------------------------------------------------------
// /api/snapshots/<id> (docs/snapshots.md)
// ---------------------------------------------------------------------------

/** Edge or node id → the range series the side panel draws (the /api/edge-series body). */
export type StoredSeries = Record<string, unknown>;

export interface SnapshotDocument {
  id: string;
  title: string | null;
  createdAt: string;
  /** Meshglass version that pinned it (package.json). */
  version: string;
  window: { start: string; end: string };
  /** The graph page's query string, window absolute (parseUrlState accepts it). */
  state: string;
  graph: unknown;
  namespaces: unknown;
  findings: unknown;
  /** Sparkline series by edge id (`edges`) and node id (`nodes`), as /api/edge-series returned them. */
  series: { edges: StoredSeries; nodes: StoredSeries; points: number; omitted: number };
}

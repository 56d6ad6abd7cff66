// Links from an L7 node or edge to its traces in Jaeger, Zipkin or Grafana Tempo, for the graph's window
// (docs/classification.md §9.3). Pure: the UI renders the URL as an <a href> (React escapes it) with
// rel="noopener noreferrer"; every value from the graph is URL-encoded here.
import type { GraphEdge, GraphNode } from '@/lib/mesh/types';

export type TracingKind = 'jaeger' | 'tempo' | 'zipkin';

/** /api/config `tracing` (lib/config/parse.ts TracingSettings). */
export interface TracingLinkSettings {
  kind: TracingKind;
  url: string;
  grafanaDatasource?: string;
}

/** Results per search: enough to pick an example, small enough to load fast. */
export const TRACE_SEARCH_LIMIT = 20;

/**
 * The service name Istio's proxies give their spans: `<app>.<namespace>` (meshConfig
 * `tracingServiceName: APP_LABEL_AND_NAMESPACE`, the default), the app being the canonical service —
 * in the graph the versioned view's `app`, else the workload name.
 */
export function traceServiceName(node: Pick<GraphNode, 'name' | 'namespace' | 'app'>): string {
  return `${node.app ?? node.name}.${node.namespace}`;
}

export interface TraceQuery {
  /** The service whose spans are searched (the client of an edge, or the node). */
  service: string;
  /** The other end of an edge (the server). */
  peer?: string;
  /** Window, ms since the epoch. */
  startMs: number;
  endMs: number;
}

/** TraceQL for Tempo: spans of the service, or — for an edge — a server span below a client span. */
export function traceQl(q: Pick<TraceQuery, 'service' | 'peer'>): string {
  const sel = (s: string) => `{ resource.service.name = ${JSON.stringify(s)} }`;
  return q.peer ? `${sel(q.service)} >> ${sel(q.peer)}` : sel(q.service);
}

/**
 * The search URL of the tracing UI:
 * - Jaeger UI: `/search?service=&start=&end=` in microseconds with `lookback=custom` (without it the UI
 *   ignores start/end); Jaeger has no peer filter, so an edge searches the client's traces, which contain
 *   the server's spans.
 * - Zipkin UI: `/?serviceName=&remoteServiceName=&startTs=&endTs=` in milliseconds, `lookback=custom`.
 * - Tempo through Grafana Explore: `/explore?schemaVersion=1&panes=…` with a TraceQL query on the
 *   configured data source and the window as `from`/`to` in milliseconds.
 */
export function tracesUrl(s: TracingLinkSettings, q: TraceQuery): string {
  const base = s.url.replace(/\/+$/, '');
  const start = Math.floor(q.startMs);
  const end = Math.ceil(q.endMs);
  switch (s.kind) {
    case 'jaeger': {
      const p = new URLSearchParams({
        service: q.service,
        start: String(start * 1000),
        end: String(end * 1000),
        lookback: 'custom',
        limit: String(TRACE_SEARCH_LIMIT),
      });
      return `${base}/search?${p.toString()}`;
    }
    case 'zipkin': {
      const p = new URLSearchParams({ serviceName: q.service });
      if (q.peer) p.set('remoteServiceName', q.peer);
      p.set('lookback', 'custom');
      p.set('startTs', String(start));
      p.set('endTs', String(end));
      p.set('limit', String(TRACE_SEARCH_LIMIT));
      return `${base}/?${p.toString()}`;
    }
    case 'tempo': {
      const uid = s.grafanaDatasource ?? '';
      const panes = {
        traces: {
          datasource: uid,
          queries: [{ refId: 'A', datasource: { type: 'tempo', uid }, queryType: 'traceql', query: traceQl(q), limit: TRACE_SEARCH_LIMIT }],
          range: { from: String(start), to: String(end) },
        },
      };
      const p = new URLSearchParams({ schemaVersion: '1', panes: JSON.stringify(panes), orgId: '1' });
      return `${base}/explore?${p.toString()}`;
    }
  }
}

export type TraceLink = { available: true; href: string; label: string } | { available: false; reason: string; create?: string };

const KIND_NAMES: Record<TracingKind, string> = { jaeger: 'Jaeger', zipkin: 'Zipkin', tempo: 'Grafana Tempo' };

function windowMs(window: { start: string; end: string }) {
  return { startMs: Date.parse(window.start), endMs: Date.parse(window.end) };
}

/**
 * The trace link of an edge, or why there can be none: only requests seen by an Envoy (sidecar, gateway,
 * waypoint) produce spans — ztunnel moves bytes at L4 and creates none.
 */
export function edgeTraceLink(
  s: TracingLinkSettings,
  edge: GraphEdge,
  source: GraphNode | undefined,
  target: GraphNode | undefined,
  window: { start: string; end: string },
): TraceLink {
  if (edge.telemetry !== 'l7') {
    if (edge.protocol === 'tcp') return { available: false, reason: 'TCP traffic carries no requests, so no proxy creates spans for it.' };
    return {
      available: false,
      reason: 'Only ztunnel carried this traffic: it works at L4 (connections, bytes) and creates no spans, so no trace of these requests can exist.',
      create: target
        ? `a waypoint for ${target.namespace}: istioctl waypoint apply -n ${target.namespace} --enroll-namespace`
        : 'a waypoint in front of the server',
    };
  }
  if (!target || target.kind === 'unknown') return { available: false, reason: 'The server is unknown to the mesh: its spans cannot be named.' };
  const server = traceServiceName(target);
  const known = source && source.kind !== 'unknown';
  const q = known ? { service: traceServiceName(source), peer: server, ...windowMs(window) } : { service: server, ...windowMs(window) };
  return {
    available: true,
    href: tracesUrl(s, q),
    label: known ? `Traces ${q.service} → ${server} in ${KIND_NAMES[s.kind]}` : `Traces of ${server} in ${KIND_NAMES[s.kind]}`,
  };
}

/** The trace link of a node: only when some edge of it carried L7 traffic in the window. */
export function nodeTraceLink(s: TracingLinkSettings, node: GraphNode, edges: readonly GraphEdge[], window: { start: string; end: string }): TraceLink {
  if (node.kind === 'unknown' || node.kind === 'service') return { available: false, reason: 'Outside the mesh: no proxy of ours names its spans.' };
  const l7 = edges.some((e) => (e.source === node.id || e.target === node.id) && e.telemetry === 'l7');
  if (!l7) {
    return {
      available: false,
      reason: 'No L7 traffic in this window: only ztunnel (L4) saw its connections, and ztunnel creates no spans.',
      create: `a waypoint for ${node.namespace}: istioctl waypoint apply -n ${node.namespace} --enroll-namespace`,
    };
  }
  const service = traceServiceName(node);
  return { available: true, href: tracesUrl(s, { service, ...windowMs(window) }), label: `Traces of ${service} in ${KIND_NAMES[s.kind]}` };
}

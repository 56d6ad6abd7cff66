'use client';

import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { GraphEdge, GraphNode, MeshGraph, VersionedApp } from '@/lib/mesh/types';
import type { TracingLinkSettings } from '@/lib/graph/traces';
import type { AggregateEdge } from '@/lib/graph/collapse';
import { edgeClusters } from '@/lib/graph/clusters';
import { isErrorCode } from '@/lib/mesh/rates';
import { explainEdge, explainNode, type Fix } from '@/lib/graph/explain';
import { KIND_LABELS, MODE_LABELS, MTLS_LABELS, PATH_STYLES, edgeHealth, effectiveMode } from '@/lib/graph/style-mapping';
import { configQueryOptions } from '@/lib/query/graph';
import { detailMissing, latencyMissing } from '@/lib/graph/latency';
import { formatBytesPerSec, formatInstantUtc, formatMs, formatPercent, formatRate } from '@/lib/utils/format';
import { Button } from '@/components/ui/button';
import { EdgePolicies } from './edge-policies';
import { EdgeSlices } from './edge-slices';
import { SeriesCharts } from './series-charts';
import { EdgeTraces, NodeTraces, VersionsTable, appOfNode } from './versions-panel';

// Istio's published Grafana dashboards (uids as shipped in istio/istio manifests/addons).
const GRAFANA_WORKLOAD_DASHBOARD = 'd/UbsSZTDik/istio-workload-dashboard';
const GRAFANA_SERVICE_DASHBOARD = 'd/LJ_uJAvmk/istio-service-dashboard';

export type Selection =
  | { kind: 'node'; node: GraphNode }
  | { kind: 'edge'; edge: GraphEdge }
  | { kind: 'namespace'; namespace: string; cluster?: string }
  | { kind: 'app'; app: VersionedApp }
  /** The summed link between two collapsed namespaces (or a collapsed one and a node), lib/graph/collapse.ts. */
  | { kind: 'links'; edge: AggregateEdge }
  | { kind: 'missing'; id: string };

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[8.5rem_1fr] gap-2 py-0.5">
      <dt className="text-gray-600">{term}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

/** Requests/s per status, busiest first; failed statuses in red (HTTP 5xx/0, gRPC other than OK). */
function StatusList({ statuses, failed, testId }: { statuses: Record<string, number>; failed: (status: string) => boolean; testId: string }) {
  const entries = Object.entries(statuses).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  return (
    <span data-testid={testId}>
      {entries.map(([status, rps], i) => (
        <span key={status} className={failed(status) ? 'font-semibold text-red-800' : undefined}>
          {i > 0 && ', '}
          {status} {formatRate(rps)}
        </span>
      ))}
    </span>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="border-t border-gray-200 pt-2">
      <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-gray-700">{title}</h3>
      {children}
    </section>
  );
}

function Fixes({ fixes }: { fixes: Fix[] }) {
  if (!fixes.length) return null;
  return (
    <Section title="Fix">
      <ul className="space-y-2">
        {fixes.map((f, i) => (
          <li key={i}>
            <p>{f.text}:</p>
            {f.command && (
              <div className="mt-1 flex items-start gap-1">
                <code className="block flex-1 break-all rounded bg-gray-900 px-2 py-1 font-mono text-xs text-gray-50">{f.command}</code>
                <Button
                  className="text-xs"
                  aria-label={`Copy command ${f.command}`}
                  onClick={() => {
                    void navigator.clipboard?.writeText(f.command ?? '').catch(() => undefined);
                  }}
                >
                  Copy
                </Button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </Section>
  );
}

function grafanaRange(window: { start: string; end: string }): string {
  return `from=${Date.parse(window.start)}&to=${Date.parse(window.end)}`;
}

function GrafanaLinks({
  grafanaUrl,
  window,
  workload,
  service,
}: {
  grafanaUrl?: string;
  window: { start: string; end: string };
  workload?: GraphNode;
  service?: string;
}) {
  if (!grafanaUrl) return null;
  const base = grafanaUrl.replace(/\/$/, '');
  const links: { href: string; text: string }[] = [];
  if (workload && (workload.kind === 'workload' || workload.kind === 'gateway' || workload.kind === 'waypoint')) {
    links.push({
      href: `${base}/${GRAFANA_WORKLOAD_DASHBOARD}?var-namespace=${encodeURIComponent(workload.namespace)}&var-workload=${encodeURIComponent(workload.name)}&${grafanaRange(window)}`,
      text: `Istio workload dashboard: ${workload.namespace}/${workload.name}`,
    });
  }
  if (service) {
    const [ns, name] = service.includes('/') ? service.split('/', 2) : [undefined, service];
    const host = ns && name ? `${name}.${ns}.svc.cluster.local` : service;
    links.push({
      href: `${base}/${GRAFANA_SERVICE_DASHBOARD}?var-service=${encodeURIComponent(host)}&${grafanaRange(window)}`,
      text: `Istio service dashboard: ${host}`,
    });
  }
  if (!links.length) return null;
  return (
    <Section title="Grafana (same window)">
      <ul className="space-y-1">
        {links.map((l) => (
          <li key={l.href}>
            <a className="text-blue-800 underline" href={l.href} target="_blank" rel="noreferrer noopener">
              {l.text}
            </a>
          </li>
        ))}
      </ul>
    </Section>
  );
}

/** The latency follow-up request (docs/api.md §4.1 "Latency on demand"): its error, whether it runs, and a retry. */
export interface LatencyStatus {
  error?: string | undefined;
  retrying: boolean;
  retry: () => void;
}

/** An L7 edge whose latency was not read yet: loading, or — when the latency request failed — unavailable, why, and a retry. */
/** What the follow-up request (latency and the edges' detail, lib/graph/latency.ts) has not brought yet: loading, or its error with a retry. */
function LatencyPending({ status, testId = 'panel-latency' }: { status: LatencyStatus | undefined; testId?: string }) {
  if (!status?.error) {
    return (
      <span className="text-gray-600" data-testid={`${testId}-loading`}>
        loading…
      </span>
    );
  }
  return (
    <span data-testid={`${testId}-error`}>
      <span className="text-red-800">unavailable: {status.error}</span>{' '}
      <Button className="ml-1 px-1.5 py-0 text-xs" onClick={status.retry} disabled={status.retrying}>
        {status.retrying ? 'Retrying…' : 'Retry'}
      </Button>
    </span>
  );
}

function EdgeDetails({
  edge,
  graph,
  grafanaUrl,
  tracing,
  latency,
}: {
  edge: GraphEdge;
  graph: MeshGraph;
  grafanaUrl?: string;
  tracing?: TracingLinkSettings | null;
  latency?: LatencyStatus;
}) {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const src = nodes.get(edge.source);
  const dst = nodes.get(edge.target);
  const x = explainEdge(edge, nodes);
  const clusters = edgeClusters(edge, nodes);
  const r = edge.rates;
  const health = edgeHealth(edge);
  // Reporters, principals and rate sources not read yet (the page's first request omits them, docs/api.md "Detail on demand").
  const detailPending = detailMissing(graph, edge);
  return (
    <>
      <h2 className="text-base font-semibold" data-testid="panel-title">
        {src ? `${src.namespace}/${src.name}` : edge.source} → {dst ? `${dst.namespace}/${dst.name}` : edge.target}
      </h2>
      <dl className="text-sm">
        <Row term="Path">
          <span data-testid="panel-path">{PATH_STYLES[edge.path].label}</span>
          {edge.leg && ` (${edge.leg === 'to-waypoint' ? 'client → waypoint leg' : 'waypoint → server leg'})`}
        </Row>
        <Row term="Telemetry">
          <span data-testid="panel-telemetry">{edge.telemetry === 'l7' ? 'L7 (requests)' : 'L4 only (TCP)'}</span>
          {edge.l7Gap && <strong className="ml-1 text-red-800">· L7 gap</strong>}
          {edge.partialL7 && ' · partial'}
        </Row>
        <Row term="Protocol">
          {edge.protocol}
          {edge.protocolSource && edge.protocolSource !== 'none' && (
            <span className="text-gray-600">
              {' '}
              (from {edge.protocolSource === 'telemetry' ? 'telemetry' : edge.protocolSource === 'peer-telemetry' ? "other clients' requests" : 'service port'})
            </span>
          )}
        </Row>
        <Row term="mTLS">
          <span data-testid="panel-mtls" className={edge.mtls === 'plaintext' ? 'font-semibold text-red-800' : undefined}>
            {MTLS_LABELS[edge.mtls]}
          </span>
        </Row>
        <Row term="Clusters">
          <span data-testid="panel-clusters">
            {clusters.source ?? 'unknown'} → {clusters.target ?? 'unknown'}
          </span>
          {clusters.crossCluster && (
            <strong className="ml-1 text-purple-900" data-testid="panel-cross-cluster">
              · cross-cluster
            </strong>
          )}
        </Row>
        {detailPending && (
          <Row term="Principals">
            <LatencyPending status={latency} testId="panel-detail" />
          </Row>
        )}
        {edge.principals?.source && <Row term="Client principal">{edge.principals.source}</Row>}
        {edge.principals?.destination && <Row term="Server principal">{edge.principals.destination}</Row>}
        {edge.waypoint && <Row term="Waypoint">{edge.waypoint}</Row>}
        {edge.services.length > 0 && <Row term="Services">{edge.services.join(', ')}</Row>}
        <Row term="Health">{health === 'none' ? 'no health data' : health === 'ok' ? 'ok' : health === 'warn' ? 'degraded' : 'failing'}</Row>
      </dl>
      <EdgeSlices edge={edge} />

      <Section title={`Rates (average over the window)`}>
        <dl className="text-sm" data-testid="panel-rates">
          {r.rps !== undefined && <Row term="Requests/s">{formatRate(r.rps)}</Row>}
          {r.errorRate !== undefined && <Row term="Error rate">{formatPercent(r.errorRate)}</Row>}
          {(r.p50Ms ?? r.p95Ms ?? r.p99Ms) !== undefined && (
            <Row term="Latency p50/p95/p99">
              {formatMs(r.p50Ms)} / {formatMs(r.p95Ms)} / {formatMs(r.p99Ms)}
            </Row>
          )}
          {r.meanMs !== undefined && <Row term="Latency mean">{formatMs(r.meanMs)}</Row>}
          {latencyMissing(graph, edge) && (
            <Row term="Latency">
              <LatencyPending status={latency} />
            </Row>
          )}
          {edge.statuses?.http && (
            <Row term="HTTP codes">
              <StatusList testId="panel-statuses-http" statuses={edge.statuses.http} failed={(code) => isErrorCode(code)} />
            </Row>
          )}
          {edge.statuses?.grpc && (
            <Row term="gRPC codes">
              <StatusList testId="panel-statuses-grpc" statuses={edge.statuses.grpc} failed={(name) => name !== 'OK'} />
            </Row>
          )}
          {r.requestBytesPerSec !== undefined && <Row term="Bytes/s →">{formatBytesPerSec(r.requestBytesPerSec)}</Row>}
          {r.responseBytesPerSec !== undefined && <Row term="Bytes/s ←">{formatBytesPerSec(r.responseBytesPerSec)}</Row>}
          {r.connectionsPerSec !== undefined && <Row term="Connections/s">{formatRate(r.connectionsPerSec)}</Row>}
          {r.failedConnectionsPerSec !== undefined && (
            <Row term="Failed conn/s">
              {formatRate(r.failedConnectionsPerSec)}
              {edge.failuresByFlag && Object.keys(edge.failuresByFlag).length > 0 && (
                <span className="text-gray-700">
                  {' '}
                  (
                  {Object.entries(edge.failuresByFlag)
                    .map(([flag, v]) => `${flag} ${formatRate(v)}`)
                    .join(', ')}
                  )
                </span>
              )}
            </Row>
          )}
          {edge.rateSources && (
            <Row term="Numbers from">
              {[edge.rateSources.l7 && `L7: ${edge.rateSources.l7} reporter`, edge.rateSources.l4 && `L4: ${edge.rateSources.l4} reporter`]
                .filter(Boolean)
                .join('; ')}
            </Row>
          )}
        </dl>
        <div className="mt-2">
          <SeriesCharts kind="edge" id={edge.id} window={graph.window} />
        </div>
      </Section>

      <Section title="What carried this traffic">
        <p className="text-sm" data-testid="panel-explanation">
          {x.path}
        </p>
        <p className="mt-1 text-sm">{x.telemetry}</p>
        <p className="mt-1 text-sm">{x.mtls}</p>
        {x.seenBy === undefined ? (
          <p className="mt-2 text-sm">
            Seen by: <LatencyPending status={latency} testId="panel-reporters" />
          </p>
        ) : x.seenBy.length > 0 ? (
          <>
            <p className="mt-2 text-sm font-medium">Seen by</p>
            <ul className="list-disc pl-5 text-sm">
              {x.seenBy.map((s, i) => (
                <li key={i}>{s}</li>
              ))}
            </ul>
          </>
        ) : (
          <p className="mt-1 text-sm text-gray-700">No reporter in this window.</p>
        )}
        <Notes notes={x.notes} />
      </Section>
      <EdgePolicies edge={edge} />
      <Fixes fixes={x.fixes} />
      <EdgeTraces tracing={tracing} edge={edge} graph={graph} />
      <GrafanaLinks grafanaUrl={grafanaUrl} window={graph.window} workload={dst} service={edge.services[0]} />
    </>
  );
}

function Notes({ notes }: { notes: string[] }) {
  if (notes.length === 0) return null;
  return (
    <ul className="mt-2 space-y-1 text-sm">
      {notes.map((n, i) => (
        <li key={i} className="rounded border border-amber-300 bg-amber-50 px-2 py-1">
          {n}
        </li>
      ))}
    </ul>
  );
}

function NodeDetails({ node, graph, grafanaUrl, tracing }: { node: GraphNode; graph: MeshGraph; grafanaUrl?: string; tracing?: TracingLinkSettings | null }) {
  const x = explainNode(node);
  const app = appOfNode(graph, node);
  const mode = effectiveMode(node);
  const inbound = graph.edges.filter((e) => e.target === node.id).length;
  const outbound = graph.edges.filter((e) => e.source === node.id).length;
  return (
    <>
      <h2 className="text-base font-semibold" data-testid="panel-title">
        {node.namespace}/{node.name}
      </h2>
      <dl className="text-sm">
        <Row term="Kind">{KIND_LABELS[node.kind]}</Row>
        {node.versions?.length ? (
          <Row term="Version">
            <span data-testid="panel-versions">{node.versions.join(', ')}</span>
            {node.app && node.app !== node.name && <span className="text-gray-600"> of app {node.app}</span>}
          </Row>
        ) : null}
        {mode && (
          <Row term="Mode">
            <span data-testid="panel-mode">{MODE_LABELS[mode]}</span>
            {node.modeChanged && <strong className="ml-1 text-amber-900">⚠ mode changed since (now {node.mode ? MODE_LABELS[node.mode] : 'unknown'})</strong>}
          </Row>
        )}
        {node.pods && (
          <Row term="Pods">
            {node.pods.total} total · {node.pods.sidecar} sidecar · {node.pods.ambient} ambient · {node.pods.none} none
          </Row>
        )}
        {node.waypoint && <Row term="Waypoint">{node.waypoint}</Row>}
        {node.services?.length ? <Row term="Services">{node.services.join(', ')}</Row> : null}
        {node.host && <Row term="Host">{node.host}</Row>}
        {node.proxyVersions?.length ? <Row term="Proxy versions">{node.proxyVersions.join(', ')}</Row> : null}
        <Row term="Cluster">{node.cluster}</Row>
        <Row term="Edges">
          {inbound} in · {outbound} out
        </Row>
      </dl>
      {app && <VersionsTable app={app} splits={graph.splits} />}
      <Section title="Explanation">
        <p className="text-sm" data-testid="panel-explanation">
          {x.summary}
        </p>
        <Notes notes={[...(node.issues ?? []), ...x.notes]} />
      </Section>
      <Fixes fixes={x.fixes} />
      {node.kind !== 'unknown' && (
        <Section title="Inbound traffic over the window">
          <SeriesCharts kind="node" id={node.id} window={graph.window} />
        </Section>
      )}
      <NodeTraces tracing={tracing} node={node} graph={graph} />
      <GrafanaLinks grafanaUrl={grafanaUrl} window={graph.window} workload={node} service={node.services?.[0]} />
    </>
  );
}

/** An end of an aggregate link: a collapsed namespace's label, or the node's "ns/name". */
function endLabel(id: string, graph: MeshGraph): string {
  if (id.startsWith('ns-agg:')) return `namespace ${id.slice(id.indexOf('/') + 1)}`;
  const n = graph.nodes.find((x) => x.id === id);
  return n ? `${n.namespace}/${n.name}` : id;
}

/**
 * The links between collapsed namespaces, summed (lib/graph/collapse.ts): how many, which paths carried them,
 * their traffic and errors. Per-link detail needs the namespaces expanded, which the button does.
 */
function AggregateLinkDetails({ edge, graph, onExpand }: { edge: AggregateEdge; graph: MeshGraph; onExpand?: (id: string) => void }) {
  const a = edge.aggregate;
  const r = edge.rates;
  const paths = Object.entries(a.paths).sort(([, x], [, y]) => (y?.count ?? 0) - (x?.count ?? 0));
  return (
    <>
      <h2 className="text-base font-semibold" data-testid="panel-title">
        {endLabel(edge.source, graph)} → {endLabel(edge.target, graph)}
      </h2>
      <dl className="text-sm" data-testid="panel-links">
        <Row term="Links">{a.count}</Row>
        <Row term="Paths">{paths.map(([p, share]) => `${PATH_STYLES[p as keyof typeof PATH_STYLES].label} ${share?.count ?? 0}`).join(', ')}</Row>
        <Row term="Telemetry">{edge.telemetry === 'l7' ? 'L7 on at least one link' : 'L4 only (TCP)'}</Row>
        <Row term="mTLS">{MTLS_LABELS[edge.mtls]}</Row>
        {r.rps !== undefined && <Row term="Requests/s">{formatRate(r.rps)}</Row>}
        {r.errorRate !== undefined && (
          <Row term="Error rate">
            {formatPercent(r.errorRate)}
            {a.maxErrorRate !== undefined && a.maxErrorRate > r.errorRate && (
              <span className="text-gray-700"> (worst link {formatPercent(a.maxErrorRate)})</span>
            )}
          </Row>
        )}
        {r.connectionsPerSec !== undefined && <Row term="Connections/s">{formatRate(r.connectionsPerSec)}</Row>}
        {edge.services.length > 0 && (
          <Row term="Services">
            {edge.services.slice(0, 8).join(', ')}
            {edge.services.length > 8 ? ` and ${edge.services.length - 8} more` : ''}
          </Row>
        )}
      </dl>
      {onExpand && (
        <Button variant="primary" onClick={() => onExpand(edge.id)}>
          Expand to see each link
        </Button>
      )}
    </>
  );
}

export function SidePanel({
  selection,
  graph,
  onClose,
  onDrill,
  onExpand,
  latency,
}: {
  selection: Selection;
  graph: MeshGraph;
  onClose: () => void;
  onDrill: (ns: string, cluster?: string) => void;
  /** Expand the collapsed namespaces at the ends of an aggregate link (its id). */
  onExpand?: (id: string) => void;
  /** The latency follow-up request, for edges whose latency the drawn graph omitted. */
  latency?: LatencyStatus;
}) {
  const config = useQuery(configQueryOptions());
  const grafanaUrl = config.data?.grafanaUrl ?? undefined;
  const tracing = config.data?.tracing ?? null;
  return (
    <aside aria-label="Details" data-testid="side-panel" className="flex h-full w-[26rem] max-w-[45vw] shrink-0 flex-col border-l border-gray-300 bg-white">
      <div className="flex items-center justify-between border-b border-gray-200 px-3 py-2">
        <span className="text-xs font-semibold uppercase tracking-wide text-gray-600">
          {selection.kind === 'edge'
            ? 'Edge'
            : selection.kind === 'links'
              ? 'Links'
              : selection.kind === 'namespace'
                ? 'Namespace'
                : selection.kind === 'app'
                  ? 'App'
                  : 'Node'}
        </span>
        <Button variant="ghost" onClick={onClose} aria-label="Close details">
          ✕ Close
        </Button>
      </div>
      <div className="min-h-0 flex-1 space-y-3 overflow-y-auto px-3 py-2">
        <p className="text-xs text-gray-600">
          Window {formatInstantUtc(graph.window.start)} → {formatInstantUtc(graph.window.end)}
        </p>
        {selection.kind === 'edge' && <EdgeDetails edge={selection.edge} graph={graph} grafanaUrl={grafanaUrl} tracing={tracing} latency={latency} />}
        {selection.kind === 'node' && <NodeDetails node={selection.node} graph={graph} grafanaUrl={grafanaUrl} tracing={tracing} />}
        {selection.kind === 'app' && (
          <>
            <h2 className="text-base font-semibold" data-testid="panel-title">
              App {selection.app.namespace}/{selection.app.app}
            </h2>
            <VersionsTable app={selection.app} splits={graph.splits} />
          </>
        )}
        {selection.kind === 'namespace' && (
          <>
            <h2 className="text-base font-semibold" data-testid="panel-title">
              Namespace {selection.cluster ? `${selection.cluster}/${selection.namespace}` : selection.namespace}
            </h2>
            {selection.cluster && <p className="text-sm">Cluster {selection.cluster}</p>}
            <p className="text-sm">
              {graph.nodes.filter((n) => n.namespace === selection.namespace && (selection.cluster === undefined || n.cluster === selection.cluster)).length}{' '}
              nodes in this view.
            </p>
            <Button variant="primary" onClick={() => onDrill(selection.namespace, selection.cluster)}>
              Show {selection.namespace} with its neighbours
            </Button>
          </>
        )}
        {selection.kind === 'links' && <AggregateLinkDetails edge={selection.edge} graph={graph} onExpand={onExpand} />}
        {selection.kind === 'missing' && (
          <p className="text-sm" data-testid="panel-missing">
            <strong>{selection.id}</strong> is not in this graph (no traffic in this window, or hidden by a filter).
          </p>
        )}
      </div>
    </aside>
  );
}

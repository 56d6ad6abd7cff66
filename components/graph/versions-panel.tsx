'use client';

import type { GraphEdge, GraphNode, MeshGraph, TrafficSplit, VersionedApp } from '@/lib/mesh/types';
import { edgeTraceLink, nodeTraceLink, type TraceLink, type TracingLinkSettings } from '@/lib/graph/traces';
import { formatMs, formatPercent, formatRate } from '@/lib/utils/format';

// The versioned view's side panel parts (group=version): an app's versions side by side, the configured
// splits beside the observed shares with their flags, and the trace links of L7 nodes and edges.

/**
 * A version is marked when its number is this many times the best version's: error rates are noisy at low
 * values (half again as many errors is the least worth a look), a p95 a quarter higher is already a
 * regression users notice.
 */
const WORSE_ERRORS_FACTOR = 1.5;
const WORSE_P95_FACTOR = 1.25;

function worst(values: (number | undefined)[], floor: number, factor: number): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  if (known.length < 2) return undefined;
  const max = Math.max(...known);
  const min = Math.min(...known);
  return max > floor && max >= min * factor ? max : undefined;
}

function appSplits(app: VersionedApp, splits: readonly TrafficSplit[] | undefined): TrafficSplit[] {
  return (splits ?? []).filter((s) => s.app === app.id);
}

/** Configured share per version from the app's first split (each backend's share over its versions). */
function configuredByVersion(split: TrafficSplit | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const b of split?.backends ?? []) for (const v of b.versions) m.set(v, (m.get(v) ?? 0) + b.configuredShare / b.versions.length);
  return m;
}

export function VersionsTable({ app, splits }: { app: VersionedApp; splits?: readonly TrafficSplit[] }) {
  const own = appSplits(app, splits);
  const configured = configuredByVersion(own[0]);
  const badErrors = worst(
    app.versions.map((v) => v.errorRate),
    0.001,
    WORSE_ERRORS_FACTOR,
  );
  const badP95 = worst(
    app.versions.map((v) => v.p95Ms),
    1,
    WORSE_P95_FACTOR,
  );
  return (
    <section className="border-t border-gray-200 pt-2" data-testid="versions-panel">
      <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-gray-700">
        Versions of {app.namespace}/{app.app}
      </h3>
      <table className="w-full text-left text-sm" data-testid="versions-table">
        <thead className="text-xs text-gray-600">
          <tr>
            <th className="pr-2 font-medium">Version</th>
            <th className="pr-2 text-right font-medium">Req/s</th>
            <th className="pr-2 text-right font-medium" title="Share of the app's requests in the window">
              Share
            </th>
            {configured.size > 0 && (
              <th className="pr-2 text-right font-medium" title={`Weight configured in ${own[0]!.kind} ${own[0]!.namespace}/${own[0]!.name}`}>
                Weight
              </th>
            )}
            <th className="pr-2 text-right font-medium">Errors</th>
            <th className="text-right font-medium">p95</th>
          </tr>
        </thead>
        <tbody>
          {app.versions.map((v) => {
            const w = configured.get(v.version);
            const off = w !== undefined && v.share !== undefined && own[0]?.judged && Math.abs(v.share - w) > own[0].driftThreshold;
            return (
              <tr key={v.version} data-testid={`version-${v.version}`}>
                <td className="pr-2">
                  <span className="font-medium">{v.version}</span>
                  {v.pods !== undefined && <span className="text-xs text-gray-600"> · {v.pods === 1 ? '1 pod' : `${v.pods} pods`}</span>}
                </td>
                <td className="whitespace-nowrap pr-2 text-right">{formatRate(v.rps, '')}</td>
                <td className={`whitespace-nowrap pr-2 text-right ${off ? 'font-semibold text-amber-900' : ''}`} data-testid="version-share">
                  {formatPercent(v.share)}
                </td>
                {configured.size > 0 && (
                  <td className="whitespace-nowrap pr-2 text-right" data-testid="version-weight">
                    {w !== undefined ? formatPercent(w) : '–'}
                  </td>
                )}
                <td
                  className={`whitespace-nowrap pr-2 text-right ${badErrors !== undefined && v.errorRate === badErrors ? 'font-semibold text-red-800' : ''}`}
                  data-testid="version-errors"
                >
                  {formatPercent(v.errorRate)}
                </td>
                <td
                  className={`whitespace-nowrap text-right ${badP95 !== undefined && v.p95Ms === badP95 ? 'font-semibold text-red-800' : ''}`}
                  data-testid="version-p95"
                >
                  {formatMs(v.p95Ms)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="mt-1 text-xs text-gray-600">
        {app.versions.some((v) => v.rps !== undefined)
          ? 'Inbound requests over the window, each counted once (server sidecar, else waypoint and client proxies).'
          : 'No request metrics in the window: only ztunnel (L4) saw this traffic, or none arrived.'}
        {app.versions.length > 1 && ` Red: clearly worse than the other version${app.versions.length > 2 ? 's' : ''}.`}
      </p>
      {own.map((s) => (
        <SplitDetails key={s.id} split={s} />
      ))}
    </section>
  );
}

/** Why a split was not compared with its weights. */
function unjudgedReason(split: TrafficSplit): string {
  const empty = split.backends.filter((b) => b.versions.length === 0);
  if (empty.length > 0) return `${empty.map((b) => b.ref).join(', ')} ${empty.length === 1 ? 'selects' : 'select'} no pods`;
  if (split.backends.some((b) => b.observedShare === undefined) && split.requests > 0) return 'backends share versions, so their traffic cannot be told apart';
  return `${Math.round(split.requests).toLocaleString('en-US')} requests in the window (at least ${split.minRequests} needed)`;
}

function SplitDetails({ split }: { split: TrafficSplit }) {
  const pts = (x: number) => `${Math.round(x * 100)} points`;
  return (
    <div className="mt-2 rounded border border-gray-200 p-2 text-sm" data-testid="split-details" data-split-id={split.id}>
      <p className="font-medium">
        {split.kind} {split.namespace}/{split.name}
      </p>
      <p className="text-xs text-gray-600">
        Splits {split.parent}; applied by {split.appliedBy === 'mesh' ? 'the waypoint or the clients’ sidecars' : 'the gateway'}.
      </p>
      <table className="mt-1 w-full text-left text-xs">
        <thead className="text-gray-600">
          <tr>
            <th className="pr-2 font-medium">Backend</th>
            <th className="pr-2 text-right font-medium">Configured</th>
            <th className="text-right font-medium">Observed</th>
          </tr>
        </thead>
        <tbody>
          {split.backends.map((b) => (
            <tr key={b.ref}>
              <td className="break-all pr-2">
                {b.ref}
                {b.versions.length > 0 && <span className="text-gray-600"> ({b.versions.join(', ')})</span>}
              </td>
              <td className="whitespace-nowrap pr-2 text-right">{formatPercent(b.configuredShare)}</td>
              <td className="whitespace-nowrap text-right">{formatPercent(b.observedShare)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {split.drift && split.maxDelta !== undefined && (
        <p className="mt-1 rounded border border-amber-300 bg-amber-50 px-2 py-1" data-testid="split-drift">
          Observed split differs from the weights by {pts(split.maxDelta)} (more than {pts(split.driftThreshold)}) over{' '}
          {Math.round(split.requests).toLocaleString('en-US')} requests.
        </p>
      )}
      {!split.judged && (
        <p className="mt-1 text-xs text-gray-600" data-testid="split-unjudged">
          Not compared: {unjudgedReason(split)}.
        </p>
      )}
      {split.notApplied.length > 0 && (
        <div className="mt-1 rounded border border-amber-300 bg-amber-50 px-2 py-1" data-testid="split-not-applied">
          <p>This split cannot apply to:</p>
          <ul className="list-disc pl-5">
            {split.notApplied.map((p) => (
              <li key={p.edge}>
                {p.source.replace(/^[a-z]+:[^/]*\//, '')}: {p.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** The app of a node in the versioned view, if any. */
export function appOfNode(graph: MeshGraph, node: GraphNode): VersionedApp | undefined {
  if (!node.app) return undefined;
  return graph.apps?.find((a) => a.namespace === node.namespace && a.cluster === node.cluster && a.app === node.app);
}

function TraceLinkView({ link }: { link: TraceLink }) {
  return (
    <section className="border-t border-gray-200 pt-2" data-testid="trace-link">
      <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-gray-700">Traces (same window)</h3>
      {link.available ? (
        <a className="text-sm text-blue-800 underline" href={link.href} target="_blank" rel="noopener noreferrer">
          {link.label}
        </a>
      ) : (
        <p className="text-sm" data-testid="trace-unavailable">
          {link.reason}
          {link.create && <span> What would create them: {link.create}.</span>}
        </p>
      )}
    </section>
  );
}

export function EdgeTraces({ tracing, edge, graph }: { tracing: TracingLinkSettings | null | undefined; edge: GraphEdge; graph: MeshGraph }) {
  if (!tracing) return null;
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  return <TraceLinkView link={edgeTraceLink(tracing, edge, nodes.get(edge.source), nodes.get(edge.target), graph.window)} />;
}

export function NodeTraces({ tracing, node, graph }: { tracing: TracingLinkSettings | null | undefined; node: GraphNode; graph: MeshGraph }) {
  if (!tracing) return null;
  return <TraceLinkView link={nodeTraceLink(tracing, node, graph.edges, graph.window)} />;
}

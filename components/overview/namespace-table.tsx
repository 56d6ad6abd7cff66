import Link from 'next/link';
import type { NamespaceRow } from '@/lib/mesh/namespaces';
import type { TimeWindow } from '@/lib/api/scope';
import { namespaceGraphHref, type SeverityCounts } from './overview-model';

function FindingCounts({ c }: { c: SeverityCounts }) {
  const parts = (['critical', 'warning', 'info'] as const).filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`);
  return <span>{parts.length ? parts.join(', ') : 'none'}</span>;
}

function intentText(r: NamespaceRow): string {
  const parts: string[] = [];
  if (r.intent.istioInjection !== undefined) parts.push(`istio-injection=${r.intent.istioInjection}`);
  if (r.intent.istioRev !== undefined) parts.push(`istio.io/rev=${r.intent.istioRev}`);
  if (r.intent.dataplaneMode !== undefined) parts.push(`dataplane-mode=${r.intent.dataplaneMode}`);
  return parts.join(', ');
}

function byMode(r: NamespaceRow): string {
  const w = r.workloads;
  const parts = (['sidecar', 'ambient', 'mixed', 'none'] as const).filter((m) => w[m] > 0).map((m) => `${w[m]} ${m}`);
  return parts.length ? parts.join(', ') : '0';
}

export function NamespaceTable({ rows, window, findings }: { rows: NamespaceRow[]; window: TimeWindow; findings: Map<string, SeverityCounts> | undefined }) {
  return (
    <section aria-labelledby="ns-h">
      <h2 id="ns-h" className="mb-1 text-base font-semibold">
        Namespaces
      </h2>
      <div className="overflow-x-auto rounded border border-gray-300 bg-white">
        <table className="min-w-full text-left text-sm" data-testid="namespace-table">
          <caption className="sr-only">
            Namespaces with their data-plane mode, workloads by mode, waypoints, edge coverage of traffic they serve, and findings. Each name links to the
            namespace graph.
          </caption>
          <thead className="border-b border-gray-300 bg-gray-50 text-xs uppercase tracking-wide text-gray-700">
            <tr>
              <th scope="col" className="px-2 py-1.5">
                Namespace
              </th>
              <th scope="col" className="px-2 py-1.5">
                Mode
              </th>
              <th scope="col" className="px-2 py-1.5">
                Workloads by mode
              </th>
              <th scope="col" className="px-2 py-1.5">
                Waypoints
              </th>
              <th scope="col" className="px-2 py-1.5 text-right">
                Edges with L7 / total
              </th>
              <th scope="col" className="px-2 py-1.5 text-right">
                L7 gaps
              </th>
              <th scope="col" className="px-2 py-1.5 text-right">
                Plaintext edges
              </th>
              <th scope="col" className="px-2 py-1.5">
                Findings
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const c = findings?.get(r.name);
              const intent = intentText(r);
              return (
                <tr key={r.name} className="border-b border-gray-200 align-top last:border-0" data-testid={`namespace-row-${r.name}`} data-mode={r.mode}>
                  <th scope="row" className="px-2 py-1.5 font-medium">
                    <Link href={namespaceGraphHref(r.name, window)} className="text-blue-800 underline underline-offset-2 hover:text-blue-950">
                      {r.name}
                    </Link>
                    {r.system ? <span className="ml-1 text-xs font-normal text-gray-600">(Istio system)</span> : null}
                    {r.telemetryOnly ? <span className="ml-1 text-xs font-normal text-gray-600">(telemetry only)</span> : null}
                    {r.issues.length > 0 ? (
                      <details className="mt-1 text-xs font-normal text-gray-800">
                        <summary className="cursor-pointer">
                          {r.issues.length} issue{r.issues.length > 1 ? 's' : ''}
                        </summary>
                        <ul className="ml-4 list-disc">
                          {r.issues.map((i) => (
                            <li key={i}>{i}</li>
                          ))}
                        </ul>
                      </details>
                    ) : null}
                  </th>
                  <td className="px-2 py-1.5">
                    <span data-testid="ns-mode">{r.mode}</span>
                    {intent ? <div className="text-xs text-gray-600">intent: {intent}</div> : null}
                  </td>
                  <td className="px-2 py-1.5">{byMode(r)}</td>
                  <td className="px-2 py-1.5">{r.waypoints.length ? r.waypoints.join(', ') : <span className="text-gray-600">none</span>}</td>
                  <td className="px-2 py-1.5 text-right tabular-nums">
                    {r.edges.l7} / {r.edges.total}
                  </td>
                  <td className="px-2 py-1.5 text-right tabular-nums" data-testid="ns-l7gaps">
                    {r.edges.l7Gaps}
                  </td>
                  <td className="px-2 py-1.5 text-right tabular-nums">{r.edges.plaintext}</td>
                  <td className="px-2 py-1.5 text-xs">{c === undefined ? findings ? 'none' : '…' : <FindingCounts c={c} />}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="mt-1 text-xs text-gray-600">
        Mode counts application workloads only (waypoints, gateways, ztunnel and istio-cni excluded). Edge counts cover traffic whose destination is in the
        namespace.
      </p>
    </section>
  );
}

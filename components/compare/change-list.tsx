'use client';

import type { EdgeDiff, GraphDiff, NodeDiff } from '@/lib/compare/diff';
import { REMOVED_EDGE_PREFIX } from '@/lib/compare/elements';
import { SEVERITY } from '@/lib/compare/diff';
import { formatInstantUtc } from '@/lib/utils/format';

const CHANGE_WORDS = { added: 'new', removed: 'removed', changed: 'changed' } as const;

function tone(severity: number): string {
  if (severity >= SEVERITY.mtlsLost) return 'border-l-red-700';
  if (severity >= SEVERITY.latencyRose) return 'border-l-amber-600';
  return 'border-l-gray-400';
}

/** The change list beside the graph, most severe first (lost L7 or mTLS on top); a row selects its edge or node. */
export function ChangeList({
  diff,
  names,
  selectedId,
  onSelect,
  error,
  loading,
}: {
  diff: GraphDiff | undefined;
  names: Map<string, string>;
  selectedId?: string;
  onSelect: (id: string) => void;
  error?: string;
  loading: boolean;
}) {
  const label = (id: string) => names.get(id) ?? id;
  const rows: ({ kind: 'edge'; d: EdgeDiff } | { kind: 'node'; d: NodeDiff })[] = diff
    ? [
        ...diff.edges.map((d) => ({ kind: 'edge' as const, d })),
        ...diff.nodes.filter((d) => d.changes.length > 0).map((d) => ({ kind: 'node' as const, d })),
      ].sort((a, b) => b.d.severity - a.d.severity)
    : [];
  return (
    <aside className="flex w-96 shrink-0 flex-col border-l border-gray-300 bg-white" aria-label="What changed" data-testid="change-list">
      <h2 className="border-b border-gray-200 px-3 py-2 text-sm font-semibold">
        What changed?
        {diff && (
          <span className="block text-xs font-normal text-gray-600">
            {formatInstantUtc(diff.base.start)} → {formatInstantUtc(diff.base.end)} vs this window
          </span>
        )}
      </h2>
      <div className="min-h-0 flex-1 overflow-auto">
        {loading && <p className="p-3 text-sm text-gray-600">Comparing the two windows…</p>}
        {error && (
          <p className="p-3 text-sm text-red-800" role="alert">
            Could not compare: {error}
          </p>
        )}
        {diff && rows.length === 0 && (
          <p className="p-3 text-sm text-gray-700">
            Nothing that matters changed: same edges, paths, telemetry and mTLS; error rates, latency and failed connections within their thresholds.
          </p>
        )}
        <ul>
          {rows.map(({ kind, d }) => {
            const id = kind === 'edge' && d.change === 'removed' ? `${REMOVED_EDGE_PREFIX}${d.id}` : d.id;
            const title = kind === 'edge' ? `${label((d as EdgeDiff).source)} → ${label((d as EdgeDiff).target)}` : label(d.id);
            return (
              <li key={`${kind}:${d.id}`}>
                <button
                  type="button"
                  onClick={() => onSelect(id)}
                  aria-pressed={selectedId === id}
                  data-testid="change-row"
                  data-change={d.change}
                  className={`block w-full border-b border-l-4 border-gray-100 px-3 py-1.5 text-left text-sm hover:bg-gray-50 aria-pressed:bg-blue-50 ${tone(d.severity)}`}
                >
                  <span className="font-medium">{title}</span>{' '}
                  <span className="rounded bg-gray-100 px-1 text-xs text-gray-700">{kind === 'node' ? 'workload' : CHANGE_WORDS[d.change]}</span>
                  <ul className="mt-0.5 text-xs text-gray-800">
                    {d.changes.map((c, i) => (
                      <li key={i}>{c.text}</li>
                    ))}
                  </ul>
                </button>
              </li>
            );
          })}
        </ul>
      </div>
    </aside>
  );
}

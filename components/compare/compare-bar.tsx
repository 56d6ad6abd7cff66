'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { formatCompare, parseCompare } from '@/lib/compare/url';
import { snapshotListQueryOptions } from '@/lib/query/snapshots';
import { formatInstantUtc } from '@/lib/utils/format';
import { Button } from '@/components/ui/button';

/** "Compare with…": 1 h, 24 h or 7 days before, a custom window or a snapshot (docs/compare.md). Writes `compare=` to the URL. */
export function CompareBar({ compare, onChange, summary }: { compare: string | undefined; onChange: (compare: string | undefined) => void; summary?: string }) {
  const spec = compare ? parseCompare(compare) : undefined;
  const initial = !spec ? '' : spec.kind === 'offset' ? spec.offset : spec.kind === 'snapshot' ? 'snapshot' : 'custom';
  const [choice, setChoice] = useState(initial);
  const [start, setStart] = useState(spec?.kind === 'window' ? spec.start.slice(0, 16) : '');
  const [end, setEnd] = useState(spec?.kind === 'window' ? spec.end.slice(0, 16) : '');
  const snapshots = useQuery({ ...snapshotListQueryOptions(), enabled: choice === 'snapshot' });

  function pick(v: string) {
    setChoice(v);
    if (v === '') onChange(undefined);
    else if (v === '1h' || v === '24h' || v === '7d') onChange(v);
  }
  const toIso = (local: string) => (local ? `${local}:00Z` : '');

  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-gray-200 bg-white px-3 py-1 text-sm" data-testid="compare-bar">
      <label className="flex items-center gap-1">
        <span className="font-medium">Compare with…</span>
        <select
          value={choice}
          onChange={(e) => pick(e.currentTarget.value)}
          className="rounded border border-gray-300 px-1 py-0.5"
          data-testid="compare-select"
        >
          <option value="">nothing</option>
          <option value="1h">1 hour before</option>
          <option value="24h">24 hours before</option>
          <option value="7d">7 days before</option>
          <option value="custom">a custom window…</option>
          <option value="snapshot">a snapshot…</option>
        </select>
      </label>
      {choice === 'custom' && (
        <span className="flex items-center gap-1">
          <input
            type="datetime-local"
            aria-label="Base window start (UTC)"
            value={start}
            onChange={(e) => setStart(e.currentTarget.value)}
            className="rounded border border-gray-300 px-1"
          />
          <span aria-hidden="true">→</span>
          <input
            type="datetime-local"
            aria-label="Base window end (UTC)"
            value={end}
            onChange={(e) => setEnd(e.currentTarget.value)}
            className="rounded border border-gray-300 px-1"
          />
          <span className="text-xs text-gray-600">UTC</span>
          <Button
            onClick={() => onChange(formatCompare({ kind: 'window', start: toIso(start), end: toIso(end) }))}
            disabled={!parseCompare(`${toIso(start)}~${toIso(end)}`)}
          >
            Compare
          </Button>
        </span>
      )}
      {choice === 'snapshot' && (
        <select
          aria-label="Snapshot to compare with"
          value={spec?.kind === 'snapshot' ? spec.id : ''}
          onChange={(e) => e.currentTarget.value && onChange(formatCompare({ kind: 'snapshot', id: e.currentTarget.value }))}
          className="max-w-xs rounded border border-gray-300 px-1 py-0.5"
          data-testid="compare-snapshot"
        >
          <option value="">
            {snapshots.isPending ? 'loading snapshots…' : snapshots.data?.snapshots.length ? 'choose a snapshot' : 'no snapshots pinned yet'}
          </option>
          {snapshots.data?.snapshots.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title ?? 'untitled'} — {formatInstantUtc(s.window.start)}
            </option>
          ))}
        </select>
      )}
      {spec && (
        <span className="flex items-center gap-3 text-xs text-gray-700" data-testid="compare-legend">
          <span className="flex items-center gap-1">
            <span aria-hidden="true" className="inline-block h-2 w-6 rounded bg-green-600/40" /> new
          </span>
          <span className="flex items-center gap-1">
            <span aria-hidden="true" className="inline-block h-2 w-6 rounded bg-fuchsia-600/40" /> changed
          </span>
          <span className="flex items-center gap-1">
            <span aria-hidden="true" className="inline-block w-6 border-t-2 border-dashed border-gray-400" /> removed
          </span>
        </span>
      )}
      {summary && (
        <span className="ml-auto text-gray-700" role="status" data-testid="compare-summary">
          {summary}
        </span>
      )}
    </div>
  );
}

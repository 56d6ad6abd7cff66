'use client';

import type { GraphEdge } from '@/lib/mesh/types';
import { PATH_STYLES, MTLS_LABELS } from '@/lib/graph/style-mapping';
import { formatPercent, formatRate } from '@/lib/utils/format';

/**
 * The slices of a pair that took two ways in the window (docs/classification.md §4): which share went
 * through the waypoint and which directly, each with its own path, telemetry, mTLS and numbers.
 */
export function EdgeSlices({ edge }: { edge: GraphEdge }) {
  if (!edge.slices || edge.slices.length < 2) return null;
  return (
    <table className="mt-2 w-full text-left text-sm" data-testid="panel-slices">
      <caption className="mb-1 text-left text-xs font-semibold uppercase tracking-wide text-gray-700">Traffic split</caption>
      <thead className="text-xs text-gray-600">
        <tr>
          <th className="pr-2 font-medium">Way</th>
          <th className="pr-2 text-right font-medium">Share</th>
          <th className="pr-2 font-medium">Seen as</th>
          <th className="text-right font-medium">Rate</th>
        </tr>
      </thead>
      <tbody>
        {edge.slices.map((s) => (
          <tr key={s.via} data-testid={`slice-${s.via}`}>
            <td className="pr-2" title={s.via === 'waypoint' && s.waypoint ? `through ${s.waypoint}` : 'bypassing the waypoint'}>
              {s.via === 'waypoint' ? 'via waypoint' : `direct (${PATH_STYLES[s.path].label})`}
            </td>
            <td className="whitespace-nowrap pr-2 text-right">{s.share !== undefined ? formatPercent(s.share) : '–'}</td>
            <td className="whitespace-nowrap pr-2">
              {s.telemetry === 'l7' ? 'L7' : 'L4 only'} ·{' '}
              <span className={s.mtls === 'plaintext' ? 'font-semibold text-red-800' : undefined}>{MTLS_LABELS[s.mtls]}</span>
            </td>
            <td className="whitespace-nowrap text-right">
              {s.rates.rps !== undefined
                ? `${formatRate(s.rates.rps)} req.`
                : s.rates.connectionsPerSec !== undefined
                  ? `${formatRate(s.rates.connectionsPerSec)} conn.`
                  : '–'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

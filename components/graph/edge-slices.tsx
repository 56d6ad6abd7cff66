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
          <th className="font-medium">Way</th>
          <th className="font-medium">Share</th>
          <th className="font-medium">Path</th>
          <th className="font-medium">Telemetry</th>
          <th className="font-medium">mTLS</th>
          <th className="font-medium">Rate</th>
        </tr>
      </thead>
      <tbody>
        {edge.slices.map((s) => (
          <tr key={s.via} data-testid={`slice-${s.via}`}>
            <td>{s.via === 'waypoint' ? `via ${s.waypoint ?? 'waypoint'}` : 'direct'}</td>
            <td>{s.share !== undefined ? formatPercent(s.share) : '–'}</td>
            <td>{PATH_STYLES[s.path].label}</td>
            <td>{s.telemetry === 'l7' ? 'L7' : 'L4 only'}</td>
            <td className={s.mtls === 'plaintext' ? 'font-semibold text-red-800' : undefined}>{MTLS_LABELS[s.mtls]}</td>
            <td>
              {s.rates.rps !== undefined
                ? `${formatRate(s.rates.rps)} req/s`
                : s.rates.connectionsPerSec !== undefined
                  ? `${formatRate(s.rates.connectionsPerSec)} conn/s`
                  : '–'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

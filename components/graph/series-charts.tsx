'use client';

import { useEffect, useRef, useState } from 'react';
import type { SeriesResponse } from '@/lib/api/types';
import { useSeriesData } from './graph-source';
import { formatBytesPerSec, formatPercent, formatRate } from '@/lib/utils/format';
import { Sparkline } from './sparkline';

/** Keep points ≈ chart width (Grafana maxDataPointsFromWidth) within sane bounds. */
const MIN_POINTS = 20;
const MAX_POINTS = 400;
/** A step shorter than the usual 15–30 s scrape interval only produces empty points. */
const MIN_STEP_SECONDS = 15;

const METRICS: { key: keyof Omit<SeriesResponse['series'], 't'>; label: string; format: (v: number) => string }[] = [
  { key: 'rps', label: 'requests/s', format: (v) => formatRate(v) },
  { key: 'errorRate', label: 'error rate', format: formatPercent },
  { key: 'connectionsPerSec', label: 'connections/s', format: (v) => formatRate(v) },
  { key: 'failedConnectionsPerSec', label: 'failed connections/s', format: (v) => formatRate(v) },
  { key: 'requestBytesPerSec', label: 'bytes/s client → server', format: formatBytesPerSec },
  { key: 'responseBytesPerSec', label: 'bytes/s server → client', format: formatBytesPerSec },
];

export function SeriesCharts({ kind, id, window }: { kind: 'edge' | 'node'; id: string; window: { start: string; end: string } }) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const windowSeconds = Math.max(0, (Date.parse(window.end) - Date.parse(window.start)) / 1000);
  const points = Math.max(MIN_POINTS, Math.min(MAX_POINTS, width, Math.floor(windowSeconds / MIN_STEP_SECONDS)));
  const q = useSeriesData({ kind, id, start: window.start, end: window.end, points }, width > 0);

  return (
    <div ref={ref} className="space-y-2" data-testid="series-charts">
      {q.isPending && width > 0 && <p className="text-xs text-gray-600">Loading rates over time…</p>}
      {q.isError && <p className="text-xs text-red-800">Rates over time unavailable: {q.error.message}</p>}
      {q.data &&
        METRICS.filter((m) => q.data.series[m.key]?.some((v) => v !== null)).map((m) => (
          <Sparkline key={m.key} label={m.label} values={q.data.series[m.key] ?? []} width={width} format={m.format} />
        ))}
      {q.data && !METRICS.some((m) => q.data.series[m.key]?.some((v) => v !== null)) && <p className="text-xs text-gray-600">No samples in this window.</p>}
    </div>
  );
}

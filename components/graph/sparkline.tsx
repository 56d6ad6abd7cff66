'use client';

/** Runs of at most this many missing points between two samples are bridged (step shorter than the scrape interval). */
const BRIDGE_MAX_GAP = 3;

/** Fill short null runs by linear interpolation; long runs stay gaps (no data ≠ zero). */
export function bridgeGaps(values: (number | null)[], maxGap = BRIDGE_MAX_GAP): (number | null)[] {
  const out = [...values];
  let i = 0;
  while (i < out.length) {
    if (out[i] !== null) {
      i++;
      continue;
    }
    let j = i;
    while (j < out.length && out[j] === null) j++;
    const before = i > 0 ? out[i - 1] : null;
    const after = j < out.length ? out[j] : null;
    if (before != null && after != null && j - i <= maxGap) {
      for (let k = i; k < j; k++) out[k] = before + ((after - before) * (k - i + 1)) / (j - i + 1);
    }
    i = j;
  }
  return out;
}

/** Tiny SVG line chart; long null runs break the line (no data ≠ zero). Text summary for screen readers. */
export function Sparkline({
  label,
  values: raw,
  width,
  height = 28,
  format,
  domain,
  caption = true,
}: {
  label: string;
  values: (number | null)[];
  width: number;
  height?: number;
  format: (v: number) => string;
  /** Vertical scale; default 0 … the largest value. */
  domain?: { min: number; max: number };
  /** The label and maximum above the line (off where the surrounding card says what the line is). */
  caption?: boolean;
}) {
  const values = bridgeGaps(raw.map((v) => (v === null || !Number.isFinite(v) ? null : v)));
  const nums = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const dataMax = nums.length ? Math.max(...nums) : 0;
  const max = domain?.max ?? dataMax;
  const min = domain?.min ?? 0;
  const last = [...values].reverse().find((v): v is number => v !== null && Number.isFinite(v));
  const n = values.length;
  const segments: string[] = [];
  let cur: string[] = [];
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (cur.length) segments.push(cur.join(' '));
      cur = [];
      return;
    }
    const x = n <= 1 ? 0 : (i / (n - 1)) * (width - 2) + 1;
    const y = max === min ? height - 2 : height - 2 - ((v - min) / (max - min)) * (height - 4);
    cur.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  if (cur.length) segments.push(cur.join(' '));
  const summary = nums.length
    ? `${label}: ${domain ? `min ${format(Math.min(...nums))}, ` : ''}max ${format(dataMax)}, last ${last !== undefined ? format(last) : 'no data'}`
    : `${label}: no data in this window`;
  return (
    <figure className="m-0">
      {caption ? (
        <figcaption className="flex justify-between text-xs text-gray-700">
          <span>{label}</span>
          <span>{nums.length ? `max ${format(dataMax)}` : 'no data'}</span>
        </figcaption>
      ) : null}
      <svg width={width} height={height} role="img" aria-label={summary} className="block rounded bg-gray-50">
        {segments.map((pts, i) =>
          pts.includes(' ') ? (
            <polyline key={i} points={pts} fill="none" stroke="#1F2937" strokeWidth="1.5" />
          ) : (
            <circle key={i} cx={pts.split(',')[0]} cy={pts.split(',')[1]} r="1.5" fill="#1F2937" />
          ),
        )}
      </svg>
    </figure>
  );
}

// Number formatting for rates shown in panels, tables and tooltips. "–" means "no data", which is
// different from 0 (measured zero).

const NO_DATA = '–';

export function formatRate(v: number | undefined | null, unit = '/s'): string {
  if (v === undefined || v === null || !Number.isFinite(v)) return NO_DATA;
  if (v === 0) return `0${unit}`;
  const a = Math.abs(v);
  const s = a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 0.01 ? v.toFixed(2) : v.toExponential(1);
  return `${s}${unit}`;
}

export function formatPercent(v: number | undefined | null): string {
  if (v === undefined || v === null || !Number.isFinite(v)) return NO_DATA;
  const p = v * 100;
  if (p === 0) return '0%';
  if (p < 0.01) return '<0.01%';
  return `${p < 10 ? p.toFixed(2) : p.toFixed(1)}%`;
}

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

export function formatBytesPerSec(v: number | undefined | null): string {
  if (v === undefined || v === null || !Number.isFinite(v)) return NO_DATA;
  let x = v;
  let i = 0;
  while (Math.abs(x) >= 1000 && i < BYTE_UNITS.length - 1) {
    x /= 1000;
    i++;
  }
  return `${x >= 100 || i === 0 ? x.toFixed(0) : x.toFixed(1)} ${BYTE_UNITS[i]}/s`;
}

export function formatMs(v: number | undefined | null): string {
  if (v === undefined || v === null || !Number.isFinite(v)) return NO_DATA;
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`;
}

/** "2026-11-21 21:00:00 UTC" — windows are shown in UTC so a shared link reads the same everywhere. */
export function formatInstantUtc(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

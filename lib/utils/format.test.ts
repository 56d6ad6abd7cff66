import { describe, expect, it } from 'vitest';
import { formatBytesPerSec, formatInstantUtc, formatMs, formatPercent, formatRate } from './format';

describe('format', () => {
  it('formats rates, percentages, bytes and durations; undefined is "no data"', () => {
    expect(formatRate(undefined)).toBe('–');
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(12.345)).toBe('12.3/s');
    expect(formatRate(0.5)).toBe('0.50/s');
    expect(formatPercent(0.3)).toBe('30.0%');
    expect(formatPercent(0.0123)).toBe('1.23%');
    expect(formatBytesPerSec(60000)).toBe('60.0 kB/s');
    expect(formatBytesPerSec(512)).toBe('512 B/s');
    expect(formatMs(41)).toBe('41 ms');
    expect(formatInstantUtc('2026-11-21T21:00:00Z')).toBe('2026-11-21 21:00:00 UTC');
  });
});

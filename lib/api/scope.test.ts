import { describe, expect, it } from 'vitest';
import { parseTime } from './params';
import { CLUSTER_NAME, NAMESPACE_NAME, parseInstant, rangeToSeconds } from './scope';

// The API parameters and the graph page's URL state read windows and names through these.
describe('scope', () => {
  it('parseInstant: RFC 3339 with offset (seconds optional) or unix seconds; calendar dates checked', () => {
    expect(parseInstant('2026-11-21T21:00Z')).toBe(Date.UTC(2026, 10, 21, 21));
    expect(parseInstant('2026-11-21T22:00:00.5+01:00')).toBe(Date.UTC(2026, 10, 21, 21, 0, 0, 500));
    expect(parseInstant('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    for (const bad of [
      '2025-02-29T00:00:00Z',
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-11-21T25:00:00Z',
      '2026-11-21 21:00:00Z',
      '2026-11-21T21:00:00',
    ]) {
      expect(parseInstant(bad), bad).toBeUndefined();
    }
  });

  it('the API and the URL state agree on instants', () => {
    for (const v of ['2026-11-21T21:00Z', '1795294800', '2026-02-30T00:00:00Z', 'yesterday']) {
      const ms = parseInstant(v);
      if (ms === undefined) expect(() => parseTime('start', v)).toThrow();
      else expect(parseTime('start', v)).toBe(Math.floor(ms / 1000));
    }
  });

  it('durations and names', () => {
    expect(rangeToSeconds('2w')).toBe(1_209_600);
    expect(rangeToSeconds(' 5m')).toBeUndefined();
    expect(NAMESPACE_NAME.test('shop')).toBe(true);
    expect(NAMESPACE_NAME.test('Shop')).toBe(false);
    expect(CLUSTER_NAME.test('Kubernetes')).toBe(true);
    expect(CLUSTER_NAME.test('-east')).toBe(false);
  });
});

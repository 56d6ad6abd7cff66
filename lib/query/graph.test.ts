import { describe, expect, it } from 'vitest';
import { staleFollowUpMs } from './graph';

const none = () => 0;
const most = () => 0.999_999;

describe('staleFollowUpMs (when the page asks again after a stale answer)', () => {
  it("follows the server's hint within 2 s and the refresh interval", () => {
    expect(staleFollowUpMs({ retryAfterSeconds: 12 }, 30, none)).toBe(12_000);
    expect(staleFollowUpMs({ retryAfterSeconds: 45 }, 30, none)).toBe(30_000);
    expect(staleFollowUpMs({ retryAfterSeconds: 0 }, 30, none)).toBe(2_000);
  });
  it('spreads dashboards given the same hint over up to a quarter more, never past the refresh interval', () => {
    expect(staleFollowUpMs({ retryAfterSeconds: 12 }, 30, most)).toBe(15_000);
    expect(staleFollowUpMs({ retryAfterSeconds: 12 }, 30, () => 0.5)).toBe(13_500);
    expect(staleFollowUpMs({ retryAfterSeconds: 28 }, 30, most)).toBe(30_000);
    const spread = new Set(Array.from({ length: 50 }, () => staleFollowUpMs({ retryAfterSeconds: 12 }, 30)));
    expect(spread.size).toBeGreaterThan(10);
    for (const ms of spread) expect(ms >= 12_000 && ms <= 15_000).toBe(true);
  });
  it('asks again after 2 s (spread) without a usable hint (an older server)', () => {
    expect(staleFollowUpMs({}, 30, none)).toBe(2_000);
    expect(staleFollowUpMs({ retryAfterSeconds: Number.NaN }, 30, most)).toBe(2_500);
  });
  it('never waits longer than a short refresh interval', () => {
    expect(staleFollowUpMs({ retryAfterSeconds: 20 }, 1)).toBe(1_000);
  });
});

import { describe, expect, it } from 'vitest';
import { staleFollowUpMs } from './graph';

describe('staleFollowUpMs (when the page asks again after a stale answer)', () => {
  it("follows the server's hint within 2 s and the refresh interval", () => {
    expect(staleFollowUpMs({ retryAfterSeconds: 12 }, 30)).toBe(12_000);
    expect(staleFollowUpMs({ retryAfterSeconds: 45 }, 30)).toBe(30_000);
    expect(staleFollowUpMs({ retryAfterSeconds: 0 }, 30)).toBe(2_000);
  });
  it('asks again after 2 s without a usable hint (an older server)', () => {
    expect(staleFollowUpMs({}, 30)).toBe(2_000);
    expect(staleFollowUpMs({ retryAfterSeconds: Number.NaN }, 30)).toBe(2_000);
  });
  it('never waits longer than a short refresh interval', () => {
    expect(staleFollowUpMs({ retryAfterSeconds: 20 }, 1)).toBe(1_000);
  });
});

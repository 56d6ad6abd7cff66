import { describe, expect, it } from 'vitest';
import { alignWindow, ClientLimiter, UpstreamGate } from './limits';

describe('UpstreamGate', () => {
  it('admits up to max concurrent runs and frees a slot on release (once)', () => {
    const g = new UpstreamGate(2);
    const a = g.tryEnter();
    const b = g.tryEnter();
    expect(a).not.toBeNull();
    expect(b).not.toBeNull();
    expect(g.tryEnter()).toBeNull();
    a!();
    a!(); // a second release must not free another slot
    expect(g.inFlight).toBe(1);
    expect(g.tryEnter()).not.toBeNull();
    expect(g.tryEnter()).toBeNull();
  });
});

describe('ClientLimiter', () => {
  it('token bucket: burst, then refused with a Retry-After until refilled (injected clock)', () => {
    let t = 0;
    const l = new ClientLimiter({ ratePerSecond: 2, burst: 3, maxInFlight: 10, maxClients: 10, now: () => t });
    expect([l.take('a').ok, l.take('a').ok, l.take('a').ok]).toEqual([true, true, true]);
    expect(l.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    // Another client has its own bucket.
    expect(l.take('b').ok).toBe(true);
    t = 500; // 0.5 s × 2/s = 1 token
    expect(l.take('a').ok).toBe(true);
    expect(l.take('a').ok).toBe(false);
  });

  it('caps requests in flight per client', () => {
    const l = new ClientLimiter({ ratePerSecond: 1, burst: 1, maxInFlight: 2, maxClients: 10 });
    const a1 = l.enter('a');
    const a2 = l.enter('a');
    expect(a1.ok && a2.ok).toBe(true);
    expect(l.enter('a')).toMatchObject({ ok: false, reason: 'in-flight' });
    expect(l.enter('b').ok).toBe(true);
    if (a1.ok) a1.release();
    expect(l.enter('a').ok).toBe(true);
  });

  it('remembers at most maxClients (idle ones are forgotten first)', () => {
    const l = new ClientLimiter({ ratePerSecond: 1, burst: 1, maxInFlight: 1, maxClients: 3 });
    const busy = l.enter('busy');
    for (let i = 0; i < 50; i++) l.take(`c${i}`);
    expect(l.size).toBe(3);
    // The busy client kept its in-flight count: a second request is still refused.
    expect(busy.ok).toBe(true);
    expect(l.enter('busy').ok).toBe(false);
  });
});

describe('alignWindow', () => {
  it('moves both ends down to the step, keeping at least one step', () => {
    expect(alignWindow({ start: 1003, end: 1912 }, 15)).toEqual({ start: 990, end: 1905 });
    expect(alignWindow({ start: 1003, end: 1010 }, 15)).toEqual({ start: 990, end: 1005 });
    expect(alignWindow({ start: 1000, end: 1005, relative: true }, 30)).toEqual({ start: 990, end: 1020, relative: true });
  });
  it('nearby windows share one key; already aligned windows are unchanged', () => {
    const a = alignWindow({ start: 100_007, end: 103_607 }, 15);
    const b = alignWindow({ start: 100_011, end: 103_611 }, 15);
    expect(a).toEqual(b);
    expect(alignWindow({ start: 3600, end: 7200 }, 15)).toEqual({ start: 3600, end: 7200 });
  });
});

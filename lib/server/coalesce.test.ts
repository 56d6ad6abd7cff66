import { describe, expect, it, vi } from 'vitest';
import { Coalescer } from './coalesce';
import { OverloadedError, UpstreamGate } from './limits';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Coalescer', () => {
  it('shares one run between concurrent identical requests', async () => {
    const c = new Coalescer<number>({ ttlMs: 1000, maxEntries: 10 });
    const d = deferred<number>();
    let calls = 0;
    const run = () => {
      calls++;
      return d.promise;
    };
    const a = c.get('k', new AbortController().signal, run);
    const b = c.get('k', new AbortController().signal, run);
    d.resolve(42);
    expect(await a).toBe(42);
    expect(await b).toBe(42);
    expect(calls).toBe(1);
  });

  it('serves a cached result within the TTL and refreshes after it', async () => {
    let t = 0;
    const c = new Coalescer<number>({ ttlMs: 100, maxEntries: 10, now: () => t });
    let calls = 0;
    const run = async () => ++calls;
    expect(await c.get('k', undefined, run)).toBe(1);
    t = 50;
    expect(await c.get('k', undefined, run)).toBe(1);
    t = 151;
    expect(await c.get('k', undefined, run)).toBe(2);
    expect(await c.get('other', undefined, run)).toBe(3);
  });

  it('keep: a result it turns down is shared by the callers already waiting, then not served again', async () => {
    const c = new Coalescer<number[]>({ ttlMs: 1000, maxEntries: 10, keep: (v) => v.length <= 2 });
    const d = deferred<number[]>();
    let calls = 0;
    const big = () => {
      calls++;
      return calls === 1 ? d.promise : Promise.resolve([calls, calls, calls]);
    };
    const a = c.get('big', undefined, big);
    const b = c.get('big', undefined, big);
    d.resolve([1, 1, 1]);
    expect(await a).toBe(await b);
    expect(calls).toBe(1);
    expect(await c.get('big', undefined, big)).toEqual([2, 2, 2]);
    expect(calls).toBe(2);
    let small = 0;
    const run = async () => [++small];
    expect(await c.get('small', undefined, run)).toEqual([1]);
    expect(await c.get('small', undefined, run)).toEqual([1]);
    expect(small).toBe(1);
  });

  it('does not cache failures', async () => {
    const c = new Coalescer<number>({ ttlMs: 1000, maxEntries: 10 });
    let calls = 0;
    await expect(
      c.get('k', undefined, async () => {
        calls++;
        throw new Error('down');
      }),
    ).rejects.toThrow('down');
    expect(await c.get('k', undefined, async () => ++calls)).toBe(2);
  });

  it('aborts the shared run only when every waiter has gone', async () => {
    const c = new Coalescer<number>({ ttlMs: 1000, maxEntries: 10 });
    let upstream: AbortSignal | undefined;
    const d = deferred<number>();
    const run = (s: AbortSignal) => {
      upstream = s;
      return d.promise;
    };
    const c1 = new AbortController();
    const c2 = new AbortController();
    const p1 = c.get('k', c1.signal, run);
    const p2 = c.get('k', c2.signal, run);
    c1.abort();
    await expect(p1).rejects.toBeDefined();
    expect(upstream!.aborted).toBe(false);
    c2.abort();
    await expect(p2).rejects.toBeDefined();
    expect(upstream!.aborted).toBe(true);
    // A new caller starts a fresh run instead of joining the aborted one.
    let fresh = 0;
    expect(await c.get('k', undefined, async () => ++fresh + 10)).toBe(11);
  });

  it('evicts settled entries beyond maxEntries', async () => {
    const c = new Coalescer<string>({ ttlMs: 10_000, maxEntries: 2 });
    let calls = 0;
    for (const k of ['a', 'b', 'c']) await c.get(k, undefined, async () => `${k}${++calls}`);
    expect(await c.get('a', undefined, async () => `a${++calls}`)).toBe('a4');
  });

  it('drops stale results instead of holding them until maxEntries new keys arrive', async () => {
    let t = 0;
    const c = new Coalescer<string>({ ttlMs: 100, maxEntries: 200, now: () => t });
    for (const k of ['a', 'b', 'c']) await c.get(k, undefined, async () => k);
    expect(c.size).toBe(3);
    t = 150; // a, b, c are stale; starting 'd' sweeps them
    await c.get('d', undefined, async () => 'd');
    expect(c.size).toBe(1);
  });

  it('forgets a result by itself once its TTL has passed (no later request needed)', async () => {
    vi.useFakeTimers();
    try {
      const c = new Coalescer<string>({ ttlMs: 100, maxEntries: 200 });
      await c.get('k', undefined, async () => 'v');
      expect(c.size).toBe(1);
      await vi.advanceTimersByTimeAsync(150);
      expect(c.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('with a gate: refuses a new run beyond the cap (OverloadedError), but joining a run or a cached result needs no slot', async () => {
    const gate = new UpstreamGate(1);
    const c = new Coalescer<number>({ ttlMs: 1000, maxEntries: 10, gate: () => gate });
    const d = deferred<number>();
    const first = c.get('a', undefined, () => d.promise);
    const joined = c.get('a', undefined, () => Promise.resolve(-1));
    await expect(c.get('b', undefined, async () => 2)).rejects.toBeInstanceOf(OverloadedError);
    d.resolve(1);
    expect(await first).toBe(1);
    expect(await joined).toBe(1);
    expect(gate.inFlight).toBe(0);
    // The slot is free again, and 'a' is served from the cache without one.
    const hold = gate.tryEnter();
    expect(await c.get('a', undefined, async () => 3)).toBe(1);
    hold!();
    expect(await c.get('b', undefined, async () => 2)).toBe(2);
  });

  it('with a gate: a failing run gives its slot back', async () => {
    const gate = new UpstreamGate(1);
    const c = new Coalescer<number>({ ttlMs: 1000, maxEntries: 10, gate: () => gate });
    await expect(
      c.get('a', undefined, async () => {
        throw new Error('down');
      }),
    ).rejects.toThrow('down');
    expect(gate.inFlight).toBe(0);
  });
});

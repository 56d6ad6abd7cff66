import { describe, expect, it } from 'vitest';
import { RecentStore } from './recent';

/** A value whose size is its `bytes` field (the store's estimator is injected). */
type V = { id: string; bytes: number };
function store(opts: { maxEntries?: number; maxBytes?: number; maxAgeMs?: number; now?: () => number } = {}) {
  return new RecentStore<V>({
    maxEntries: opts.maxEntries ?? 20,
    maxBytes: opts.maxBytes ?? 100,
    maxAgeMs: opts.maxAgeMs ?? 60_000,
    sizeOf: (v) => v.bytes,
    ...(opts.now ? { now: opts.now } : {}),
  });
}

describe('RecentStore', () => {
  it('evicts the oldest entries once their bytes exceed the budget', () => {
    const s = store({ maxBytes: 100 });
    s.set('a', { id: 'a', bytes: 40 });
    s.set('b', { id: 'b', bytes: 40 });
    expect(s.bytes).toBe(80);
    s.set('c', { id: 'c', bytes: 40 });
    expect(s.get('a')).toBeUndefined();
    expect(s.get('b')?.data.id).toBe('b');
    expect(s.get('c')?.data.id).toBe('c');
    expect(s.bytes).toBe(80);
    expect(s.size).toBe(2);
  });

  it('does not keep an entry larger than the whole budget, and keeps the others', () => {
    const s = store({ maxBytes: 100 });
    s.set('small', { id: 'small', bytes: 10 });
    s.set('huge', { id: 'huge', bytes: 101 });
    expect(s.get('huge')).toBeUndefined();
    expect(s.get('small')?.data.id).toBe('small');
    expect(s.bytes).toBe(10);
  });

  it('replacing a key counts its new size only and makes it the newest', () => {
    const s = store({ maxBytes: 100 });
    s.set('a', { id: 'a1', bytes: 50 });
    s.set('b', { id: 'b', bytes: 30 });
    s.set('a', { id: 'a2', bytes: 60 });
    expect(s.bytes).toBe(90);
    s.set('c', { id: 'c', bytes: 20 });
    // b is now the oldest: it goes first, a (replaced after b) stays.
    expect(s.get('b')).toBeUndefined();
    expect(s.get('a')?.data.id).toBe('a2');
    expect(s.bytes).toBe(80);
  });

  it('still bounds the number of entries', () => {
    const s = store({ maxEntries: 2, maxBytes: 1000 });
    for (const k of ['a', 'b', 'c']) s.set(k, { id: k, bytes: 1 });
    expect(s.size).toBe(2);
    expect(s.get('a')).toBeUndefined();
  });

  it('does not serve, and forgets, an entry older than maxAgeMs', () => {
    let t = 0;
    const s = store({ maxAgeMs: 1000, now: () => t });
    s.set('a', { id: 'a', bytes: 10 });
    t = 1000;
    expect(s.get('a')?.at).toBe(0);
    t = 1001;
    expect(s.get('a')).toBeUndefined();
    expect(s.size).toBe(0);
    expect(s.bytes).toBe(0);
  });
});

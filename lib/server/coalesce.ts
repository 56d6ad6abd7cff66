// Request coalescing plus a short result cache, keyed by a normalised query.
// Identical concurrent graph requests share one upstream round-trip; the shared work is
// cancelled only when every caller waiting for it has gone away. An optional UpstreamGate caps the
// runs in flight (lib/server/limits.ts): a request that would start one more is refused with
// OverloadedError (→ 429) instead of queueing; joining a run or a cached result needs no slot.
import { OverloadedError, type UpstreamGate } from './limits';

interface Entry<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
  settledAt?: number;
  ok?: boolean;
}

interface CoalescerOptions<T> {
  /** How long a successful result is served to new callers. Short: dashboards poll. */
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
  /** Process-wide cap on concurrent upstream runs (looked up per run: tests and config may replace it). */
  gate?: () => UpstreamGate;
  /** Whether a result is kept for `ttlMs` once settled (default: always); otherwise only callers already waiting share it. */
  keep?: (value: T) => boolean;
}

export class Coalescer<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly now: () => number;
  /** Upstream runs started (for tests and the load benchmark). */
  runs = 0;

  constructor(private readonly opts: CoalescerOptions<T>) {
    this.now = opts.now ?? Date.now;
  }

  async get(key: string, signal: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    signal?.throwIfAborted();
    let entry = this.entries.get(key);
    if (entry && entry.settledAt !== undefined && (!entry.ok || this.now() - entry.settledAt > this.opts.ttlMs)) {
      this.entries.delete(key);
      entry = undefined;
    }
    if (!entry) {
      entry = this.start(key, run);
    }
    return this.wait(key, entry, signal);
  }

  private start(key: string, run: (signal: AbortSignal) => Promise<T>): Entry<T> {
    const gate = this.opts.gate?.();
    const release = gate ? gate.tryEnter() : () => undefined;
    if (!release) {
      throw new OverloadedError(`too many upstream requests in flight (${gate!.max}): retry shortly`, 1);
    }
    const controller = new AbortController();
    this.runs++;
    const entry: Entry<T> = { controller, waiters: 0, promise: Promise.resolve() as Promise<T> };
    let running: Promise<T>;
    try {
      running = run(controller.signal);
    } catch (e) {
      running = Promise.reject(e);
    }
    entry.promise = running.finally(release).then(
      (v) => {
        entry.settledAt = this.now();
        entry.ok = true;
        if (this.opts.keep && !this.opts.keep(v)) {
          if (this.entries.get(key) === entry) this.entries.delete(key);
          return v;
        }
        // Drop the result once it is stale, so memory does not hold up to maxEntries old graphs
        // (a 2,000-workload graph with its telemetry is tens of MB) until new keys push them out.
        const timer = setTimeout(() => {
          if (this.entries.get(key) === entry) this.entries.delete(key);
        }, this.opts.ttlMs + 1);
        timer.unref?.();
        return v;
      },
      (e: unknown) => {
        entry.settledAt = this.now();
        entry.ok = false;
        // Failures are not cached: the next caller retries.
        if (this.entries.get(key) === entry) this.entries.delete(key);
        throw e;
      },
    );
    entry.promise.catch(() => undefined);
    this.entries.set(key, entry);
    this.evict();
    return entry;
  }

  private wait(key: string, entry: Entry<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal || entry.settledAt !== undefined) return entry.promise;
    entry.waiters++;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const onAbort = () => {
        if (done) return;
        done = true;
        entry.waiters--;
        if (entry.waiters === 0 && entry.settledAt === undefined) {
          entry.controller.abort(signal.reason);
          if (this.entries.get(key) === entry) this.entries.delete(key);
        }
        reject(signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      entry.promise.then(
        (v) => {
          if (done) return;
          done = true;
          entry.waiters--;
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e: unknown) => {
          if (done) return;
          done = true;
          entry.waiters--;
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  /** Forgets every entry (tests); callers already waiting still get their result. */
  clear(): void {
    this.entries.clear();
  }

  /** Entries held (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  private evict() {
    const now = this.now();
    for (const [k, e] of this.entries) {
      if (e.settledAt !== undefined && now - e.settledAt > this.opts.ttlMs) this.entries.delete(k);
    }
    if (this.entries.size <= this.opts.maxEntries) return;
    for (const [k, e] of this.entries) {
      if (e.settledAt !== undefined) this.entries.delete(k);
      if (this.entries.size <= this.opts.maxEntries) return;
    }
  }
}

// Abuse and overload limits (issue 14; docs/deploy.md "Limits"). Pure classes (no Next, no I/O), the
// process-wide instances, and the helpers the route handlers and proxy.ts use:
//
// - UpstreamGate: a global cap on concurrent upstream runs (a graph build = 6 Prometheus queries + a
//   Kubernetes snapshot; a series request = 6 range queries). Coalesced waiters and cache hits do not
//   take a slot. Beyond the cap the request is refused at once (429 + Retry-After), never queued, so
//   memory stays bounded however many clients hammer unique windows.
// - ClientLimiter: per client (session, trusted-proxy user, or address; the key comes from proxy.ts),
//   a token bucket of requests and a cap on requests in flight.
// - alignWindow: windows aligned to the query step, so nearby requests share cache keys.

/** Refused for load: the API answers 429 with Retry-After. */
export class OverloadedError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'OverloadedError';
  }
}

export class UpstreamGate {
  private active = 0;
  constructor(readonly max: number) {}

  /** A release function, or null when `max` runs are already active. */
  tryEnter(): (() => void) | null {
    if (this.active >= this.max) return null;
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
    };
  }

  get inFlight(): number {
    return this.active;
  }
}

export interface ClientLimiterOptions {
  /** Sustained requests per second per client. */
  ratePerSecond: number;
  /** Bucket size: requests a client may make at once after being idle. */
  burst: number;
  /** Requests of one client being served at the same time. */
  maxInFlight: number;
  /** Clients tracked; the least recently seen are forgotten beyond this (bounded memory). */
  maxClients: number;
  /** Milliseconds clock (injected for tests). */
  now?: () => number;
}

interface ClientState {
  tokens: number;
  at: number;
  inFlight: number;
}

export type Admission = { ok: true; release: () => void } | { ok: false; retryAfterSeconds: number; reason: 'rate' | 'in-flight' };

export class ClientLimiter {
  private readonly clients = new Map<string, ClientState>();
  private readonly now: () => number;
  constructor(private readonly o: ClientLimiterOptions) {
    this.now = o.now ?? Date.now;
  }

  private state(key: string): ClientState {
    const t = this.now();
    let s = this.clients.get(key);
    if (s) {
      this.clients.delete(key); // re-insert: Map order = least recently seen first
      s.tokens = Math.min(this.o.burst, s.tokens + ((t - s.at) / 1000) * this.o.ratePerSecond);
      s.at = t;
    } else {
      s = { tokens: this.o.burst, at: t, inFlight: 0 };
    }
    this.clients.set(key, s);
    while (this.clients.size > this.o.maxClients) {
      const oldest = this.clients.keys().next().value as string;
      const o = this.clients.get(oldest)!;
      if (o.inFlight > 0 && oldest !== key) {
        // Still busy: keep its in-flight count honest by moving it to the back.
        this.clients.delete(oldest);
        this.clients.set(oldest, o);
        if ([...this.clients.values()].every((c) => c.inFlight > 0)) break;
        continue;
      }
      this.clients.delete(oldest);
    }
    return s;
  }

  /** Spends one request from the client's bucket (no in-flight accounting): for proxy.ts. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const s = this.state(key);
    if (s.tokens < 1) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - s.tokens) / this.o.ratePerSecond)) };
    s.tokens -= 1;
    return { ok: true };
  }

  /** Admits one request of `key` for as long as it runs (in-flight cap); call release() when done. */
  enter(key: string): Admission {
    const s = this.state(key);
    if (s.inFlight >= this.o.maxInFlight) return { ok: false, retryAfterSeconds: 1, reason: 'in-flight' };
    s.inFlight++;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        s.inFlight--;
      },
    };
  }

  get size(): number {
    return this.clients.size;
  }
}

/**
 * Aligns a window to `step` seconds (both ends down to a multiple; at least one step long), so
 * requests a few seconds apart share one cache key and one upstream run. Deterministic: a pinned
 * share link still shows the same numbers every time.
 */
export function alignWindow<W extends { start: number; end: number }>(w: W, step: number): W {
  if (!(step > 0)) return w;
  const start = Math.floor(w.start / step) * step;
  let end = Math.floor(w.end / step) * step;
  if (end <= start) end = start + step;
  return { ...w, start, end };
}

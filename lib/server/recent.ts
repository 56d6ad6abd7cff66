// The answers kept for stale-while-revalidate (lib/server/mesh-data.ts), bounded in bytes as well as in
// entries and age: a whole-mesh graph of 2,000 workloads is ~9 MB of JSON and several times that in the
// heap, so a bound of 20 entries alone could hold hundreds of MB (docs/engineering.md B7).

interface RecentOptions<V> {
  maxEntries: number;
  /** Total of `sizeOf` over the entries kept; the oldest go first. An entry larger than this alone is not kept. */
  maxBytes: number;
  /** An entry older than this is neither served nor kept. */
  maxAgeMs: number;
  sizeOf: (v: V) => number;
  now?: () => number;
}

export interface RecentEntry<V> {
  data: V;
  /** When it was stored (ms, the store's clock). */
  at: number;
  bytes: number;
}

/** Insertion-ordered store of recent answers: least recently stored evicted first. */
export class RecentStore<V> {
  private readonly entries = new Map<string, RecentEntry<V>>();
  private total = 0;
  private readonly now: () => number;

  constructor(private readonly opts: RecentOptions<V>) {
    this.now = opts.now ?? Date.now;
  }

  set(key: string, data: V): void {
    this.delete(key);
    const bytes = this.opts.sizeOf(data);
    if (bytes > this.opts.maxBytes) return;
    const entry: RecentEntry<V> = { data, at: this.now(), bytes };
    this.entries.set(key, entry);
    this.total += bytes;
    for (const [k] of this.entries) {
      if (this.entries.size <= this.opts.maxEntries && this.total <= this.opts.maxBytes) break;
      this.delete(k);
    }
    // Nothing is kept once it is too old to be served (the store may see no other call for a while).
    const timer = setTimeout(() => {
      if (this.entries.get(key) === entry) this.delete(key);
    }, this.opts.maxAgeMs + 1);
    timer.unref?.();
  }

  /** The entry, when it is young enough to be served. */
  get(key: string): RecentEntry<V> | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.now() - e.at > this.opts.maxAgeMs) {
      this.delete(key);
      return undefined;
    }
    return e;
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.total -= e.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Sum of the entries' sizes. */
  get bytes(): number {
    return this.total;
  }
}

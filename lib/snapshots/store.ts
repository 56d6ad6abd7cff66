import type { SnapshotDocument, SnapshotMeta } from './types';

// One interface, two backends (docs/snapshots.md): a directory of gzip files (the default, no server)
// and PostgreSQL (several replicas). Both pass tests/integration/snapshot-store.test.ts.

export interface SnapshotStoreLimits {
  /** Compressed bytes per snapshot; above → SnapshotTooLargeError (413). */
  maxBytes: number;
  /** Snapshots older than this many days are deleted (0 = keep forever). */
  retentionDays: number;
}

/** Test seams: pause a write right before it becomes visible (the crash test kills the writer there). */
export interface SnapshotStoreHooks {
  beforeCommit?: () => Promise<void>;
}

export interface SnapshotStore {
  readonly kind: 'directory' | 'postgres';
  /** Human description for errors and /api/healthz-like output (never a password). */
  readonly location: string;
  /** Stores atomically: after a crash either the whole snapshot is there or nothing is. Returns the stored size. */
  put(doc: SnapshotDocument): Promise<SnapshotMeta>;
  /** undefined when unknown or expired. */
  get(id: string): Promise<SnapshotDocument | undefined>;
  /** Newest first. */
  list(): Promise<SnapshotMeta[]>;
  /** true when it existed. */
  delete(id: string): Promise<boolean>;
  /** Deletes expired snapshots and leftovers of interrupted writes; returns how many snapshots went. */
  prune(now?: Date): Promise<number>;
  close(): Promise<void>;
}

/** The disk (or database) is full: nothing was stored, the store is unchanged (507). */
export class SnapshotStoreFullError extends Error {
  constructor(location: string) {
    super(`the snapshot store (${location}) is full: no space left; nothing was stored. Free space, lower SNAPSHOT_RETENTION_DAYS or delete old snapshots`);
    this.name = 'SnapshotStoreFullError';
  }
}

/** The store cannot be reached or written for another reason (503). */
export class SnapshotStoreUnavailableError extends Error {
  constructor(location: string, reason: string) {
    super(`the snapshot store (${location}) is unavailable: ${reason}`);
    this.name = 'SnapshotStoreUnavailableError';
  }
}

export function isExpired(createdAt: string, retentionDays: number, now: Date): boolean {
  if (retentionDays <= 0) return false;
  const t = Date.parse(createdAt);
  return Number.isFinite(t) && now.getTime() - t > retentionDays * 86_400_000;
}

export function newestFirst(a: SnapshotMeta, b: SnapshotMeta): number {
  return b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id);
}

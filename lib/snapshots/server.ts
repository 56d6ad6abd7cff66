import 'server-only';
import { DirectorySnapshotStore } from './dir-store';
import { parseSnapshotConfig, type SnapshotStoreConfig } from './config';
import { PostgresSnapshotStore } from './pg-store';
import type { SnapshotStore } from './store';

export function createSnapshotStore(config: SnapshotStoreConfig): SnapshotStore {
  const limits = { maxBytes: config.maxBytes, retentionDays: config.retentionDays };
  return config.kind === 'postgres' ? new PostgresSnapshotStore({ url: config.url, ...limits }) : new DirectorySnapshotStore({ dir: config.dir, ...limits });
}

const KEY = Symbol.for('meshglass.snapshotStore');
const g = globalThis as unknown as Record<symbol, { store: SnapshotStore; key: string } | undefined>;

/** The process's store, from SNAPSHOT_* (validated at start by instrumentation.ts); re-created when they change (tests). */
export function getSnapshotStore(): SnapshotStore {
  const r = parseSnapshotConfig(process.env);
  if (!r.ok) throw new Error(r.error);
  const key = JSON.stringify(r.config);
  const cur = g[KEY];
  if (cur && cur.key === key) return cur.store;
  void cur?.store.close().catch(() => undefined);
  const store = createSnapshotStore(r.config);
  g[KEY] = { store, key };
  return store;
}

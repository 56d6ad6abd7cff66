import { z } from 'zod';
import { DEFAULT_SNAPSHOT_MAX_BYTES } from './codec';

// SNAPSHOT_* variables (README "Configuration", docs/snapshots.md). Pure: the caller passes the env.

/** Default directory, relative to the working directory (the image sets SNAPSHOT_STORE=/data/snapshots). */
export const DEFAULT_SNAPSHOT_DIR = '.meshglass/snapshots';
/** 90 days: a quarter's postmortems, far beyond Prometheus' usual 15 days. */
export const DEFAULT_RETENTION_DAYS = 90;
/** Above 100 MB per snapshot the JSON no longer fits a browser tab's comfort. */
const MAX_SNAPSHOT_MAX_BYTES = 100 * 1024 * 1024;

export type SnapshotStoreConfig =
  { kind: 'directory'; dir: string; maxBytes: number; retentionDays: number } | { kind: 'postgres'; url: string; maxBytes: number; retentionDays: number };

export const SNAPSHOT_VARIABLES = ['SNAPSHOT_STORE', 'SNAPSHOT_MAX_BYTES', 'SNAPSHOT_RETENTION_DAYS'] as const;

const intVar = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be between ${min} and ${max}`);

export function parseSnapshotConfig(env: Record<string, string | undefined>): { ok: true; config: SnapshotStoreConfig } | { ok: false; error: string } {
  const raw = (k: string) => {
    const v = env[k]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  let maxBytes = DEFAULT_SNAPSHOT_MAX_BYTES;
  let retentionDays = DEFAULT_RETENTION_DAYS;
  const mb = raw('SNAPSHOT_MAX_BYTES');
  if (mb !== undefined) {
    const r = intVar('SNAPSHOT_MAX_BYTES', 1024, MAX_SNAPSHOT_MAX_BYTES).safeParse(mb);
    if (!r.success) return { ok: false, error: r.error.issues[0]?.message ?? 'SNAPSHOT_MAX_BYTES is invalid' };
    maxBytes = r.data;
  }
  const rd = raw('SNAPSHOT_RETENTION_DAYS');
  if (rd !== undefined) {
    const r = intVar('SNAPSHOT_RETENTION_DAYS', 0, 36500).safeParse(rd);
    if (!r.success) return { ok: false, error: r.error.issues[0]?.message ?? 'SNAPSHOT_RETENTION_DAYS is invalid' };
    retentionDays = r.data;
  }
  const store = raw('SNAPSHOT_STORE');
  if (store === undefined) return { ok: true, config: { kind: 'directory', dir: DEFAULT_SNAPSHOT_DIR, maxBytes, retentionDays } };
  if (/^postgres(ql)?:\/\//i.test(store)) {
    try {
      const u = new URL(store);
      if (!u.hostname && !u.searchParams.get('host')) return { ok: false, error: 'SNAPSHOT_STORE: a postgres:// URL needs a host' };
    } catch {
      return { ok: false, error: 'SNAPSHOT_STORE is not a valid postgres:// URL' };
    }
    return { ok: true, config: { kind: 'postgres', url: store, maxBytes, retentionDays } };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(store) && !store.startsWith('file://')) {
    return { ok: false, error: 'SNAPSHOT_STORE must be a directory path, file:///path or postgres://…' };
  }
  const dir = store.startsWith('file://') ? decodeURIComponent(new URL(store).pathname) : store;
  if (dir.includes('\0')) return { ok: false, error: 'SNAPSHOT_STORE is not a valid path' };
  return { ok: true, config: { kind: 'directory', dir, maxBytes, retentionDays } };
}

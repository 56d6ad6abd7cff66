// The snapshot store contract, run against both backends: a directory of gzip files and a real
// PostgreSQL (started by global-setup.ts). Includes a writer killed mid-snapshot and a full disk (both stores).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { SnapshotTooLargeError } from '@/lib/snapshots/codec';
import { DirectorySnapshotStore } from '@/lib/snapshots/dir-store';
import { newSnapshotId } from '@/lib/snapshots/id';
import { PostgresSnapshotStore } from '@/lib/snapshots/pg-store';
import { SnapshotStoreFullError, type SnapshotStore, type SnapshotStoreHooks } from '@/lib/snapshots/store';
import { sampleSnapshot } from './snapshot-fixtures';

const dirs: string[] = [];
const stores: SnapshotStore[] = [];
afterAll(async () => {
  for (const s of stores) await s.close().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Backend {
  name: 'directory' | 'postgres';
  /** A fresh, empty store location. */
  target: () => Promise<string>;
  open: (target: string, opts?: { maxBytes?: number; retentionDays?: number; hooks?: SnapshotStoreHooks }) => SnapshotStore;
}

let dbCounter = 0;
const backends: Backend[] = [
  {
    name: 'directory',
    target: async () => {
      const d = mkdtempSync(path.join(tmpdir(), 'meshglass-snapstore-'));
      dirs.push(d);
      return path.join(d, 'snapshots');
    },
    open: (dir, o = {}) => track(new DirectorySnapshotStore({ dir, maxBytes: o.maxBytes ?? 5_000_000, retentionDays: o.retentionDays ?? 0, hooks: o.hooks })),
  },
  {
    name: 'postgres',
    target: async () => {
      // One database per test: the suites never see each other's rows.
      const name = `snap_${process.pid}_${++dbCounter}`;
      const admin = new pg.Client({ connectionString: inject('postgresUrl'), connectionTimeoutMillis: 5000 });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      return inject('postgresUrl').replace(/\/postgres$/, `/${name}`);
    },
    open: (url, o = {}) => track(new PostgresSnapshotStore({ url, maxBytes: o.maxBytes ?? 5_000_000, retentionDays: o.retentionDays ?? 0, hooks: o.hooks })),
  },
];

function track(s: SnapshotStore): SnapshotStore {
  stores.push(s);
  return s;
}

describe.each(backends)('snapshot store: $name', (b) => {
  it('stores, reads back, lists newest first with sizes, deletes', async () => {
    const store = b.open(await b.target());
    const older = sampleSnapshot(newSnapshotId(), '2026-11-20T10:00:00.000Z');
    const newer = sampleSnapshot(newSnapshotId(), '2026-11-22T10:00:00.000Z');
    const m1 = await store.put(older);
    const m2 = await store.put(newer);
    expect(m1.size).toBeGreaterThan(0);
    // Compressed: far below the JSON size.
    expect(m1.size).toBeLessThan(JSON.stringify(older).length / 2);
    expect(await store.get(older.id)).toEqual(older);
    const list = await store.list();
    expect(list.map((m) => m.id)).toEqual([newer.id, older.id]);
    expect(list[0]).toMatchObject({ id: newer.id, title: newer.title, createdAt: newer.createdAt, window: newer.window, size: m2.size });
    expect(await store.delete(older.id)).toBe(true);
    expect(await store.delete(older.id)).toBe(false);
    expect(await store.get(older.id)).toBeUndefined();
    expect((await store.list()).map((m) => m.id)).toEqual([newer.id]);
  });

  it('unknown and malformed ids are simply absent', async () => {
    const store = b.open(await b.target());
    expect(await store.get(newSnapshotId())).toBeUndefined();
    expect(await store.get('../../etc/passwd')).toBeUndefined();
    expect(await store.delete('x')).toBe(false);
  });

  it('refuses a snapshot above the size limit and stores nothing', async () => {
    const store = b.open(await b.target(), { maxBytes: 2048 });
    const big = sampleSnapshot(newSnapshotId(), new Date().toISOString(), 5000);
    await expect(store.put(big)).rejects.toBeInstanceOf(SnapshotTooLargeError);
    expect(await store.list()).toEqual([]);
  });

  it('retention: expired snapshots are neither listed nor served, and prune deletes them', async () => {
    const target = await b.target();
    const store = b.open(target, { retentionDays: 30 });
    const old = sampleSnapshot(newSnapshotId(), new Date(Date.now() - 40 * 86_400_000).toISOString());
    const fresh = sampleSnapshot(newSnapshotId(), new Date().toISOString());
    // Written through a store without retention (put prunes), read through one with 30 days.
    await b.open(target).put(old);
    await b.open(target).put(fresh);
    expect((await store.list()).map((m) => m.id)).toEqual([fresh.id]);
    expect(await store.get(old.id)).toBeUndefined();
    expect(await store.prune()).toBe(1);
    expect((await b.open(target).list()).map((m) => m.id)).toEqual([fresh.id]);
  });

  it('a writer killed mid-snapshot leaves the store valid and without the half snapshot', async () => {
    const target = await b.target();
    const store = b.open(target);
    const kept = sampleSnapshot();
    await store.put(kept);
    const id = newSnapshotId();
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/snapshot-writer.ts', b.name, target, id], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('paused') && resolve());
      child.once('exit', () => reject(new Error(`writer exited before pausing: ${stderr}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const after = b.open(target);
    expect(await after.get(id)).toBeUndefined();
    expect((await after.list()).map((m) => m.id)).toEqual([kept.id]);
    expect(await after.get(kept.id)).toEqual(kept);
    if (b.name === 'directory') {
      // The interrupted write's temporary file is ignored, then removed by prune once stale.
      expect(readdirSync(target).some((n) => n.startsWith('.tmp-'))).toBe(true);
      await after.prune(new Date(Date.now() + 3600_000));
      expect(readdirSync(target).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    }
    // The store keeps working.
    const next = sampleSnapshot();
    await after.put(next);
    expect(await after.get(next.id)).toEqual(next);
  });
});

describe('directory store: full disk', () => {
  it('ENOSPC mid-write → a clear SnapshotStoreFullError, nothing half-written, earlier snapshots intact', async () => {
    const target = await backends[0]!.target();
    const ok = backends[0]!.open(target);
    const kept = sampleSnapshot();
    await ok.put(kept);
    const full = new DirectorySnapshotStore({
      dir: target,
      maxBytes: 5_000_000,
      retentionDays: 0,
      hooks: {
        write: async (handle, data) => {
          await handle.write(data, 0, Math.floor(data.length / 2));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
      },
    });
    const err = await full.put(sampleSnapshot()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SnapshotStoreFullError);
    expect((err as Error).message).toMatch(/full: no space left; nothing was stored/);
    expect(readdirSync(target).sort()).toEqual([`${kept.id}.snap`]);
    expect(await ok.get(kept.id)).toEqual(kept);
  });
});

describe('PostgreSQL store: full database', () => {
  it('disk_full (53100) from the server mid-transaction → a clear SnapshotStoreFullError, no row, earlier snapshots intact', async () => {
    const url = await backends[1]!.target();
    const store = backends[1]!.open(url);
    const kept = sampleSnapshot();
    await store.put(kept); // creates the table
    // The real server raises the SQLSTATE a full disk gives, inside the store's INSERT transaction.
    const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    await admin.connect();
    try {
      await admin.query(`CREATE FUNCTION meshglass_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$`);
      await admin.query(
        'CREATE TRIGGER meshglass_test_disk_full BEFORE INSERT ON meshglass_snapshots FOR EACH ROW EXECUTE FUNCTION meshglass_test_disk_full()',
      );
      const err = await store.put(sampleSnapshot()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SnapshotStoreFullError);
      expect((err as Error).message).toMatch(/full: no space left; nothing was stored/);
      expect((err as Error).message).not.toMatch(/password|postgres:\/\/[^@]*:[^@]*@/);
      expect((await admin.query('SELECT id FROM meshglass_snapshots')).rows.map((r: { id: string }) => r.id)).toEqual([kept.id]);
      expect((await store.list()).map((m) => m.id)).toEqual([kept.id]);
      expect(await store.get(kept.id)).toEqual(kept);
    } finally {
      await admin.end();
    }
  });
});

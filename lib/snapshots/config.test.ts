import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION_DAYS, DEFAULT_SNAPSHOT_DIR, parseSnapshotConfig } from './config';
import { DEFAULT_SNAPSHOT_MAX_BYTES } from './codec';
import { newSnapshotId } from './id';

describe('parseSnapshotConfig', () => {
  it('defaults to a directory store that needs no server', () => {
    expect(parseSnapshotConfig({})).toEqual({
      ok: true,
      config: { kind: 'directory', dir: DEFAULT_SNAPSHOT_DIR, maxBytes: DEFAULT_SNAPSHOT_MAX_BYTES, retentionDays: DEFAULT_RETENTION_DAYS },
    });
  });
  it('a path, a file:// URL or a postgres:// URL', () => {
    expect(parseSnapshotConfig({ SNAPSHOT_STORE: '/data/snapshots' })).toMatchObject({ ok: true, config: { kind: 'directory', dir: '/data/snapshots' } });
    expect(parseSnapshotConfig({ SNAPSHOT_STORE: 'file:///data/s%20p' })).toMatchObject({ ok: true, config: { kind: 'directory', dir: '/data/s p' } });
    expect(parseSnapshotConfig({ SNAPSHOT_STORE: 'postgres://u:p@db:5432/meshglass' })).toMatchObject({
      ok: true,
      config: { kind: 'postgres', url: 'postgres://u:p@db:5432/meshglass' },
    });
  });
  it('names the bad variable', () => {
    expect(parseSnapshotConfig({ SNAPSHOT_STORE: 's3://bucket' })).toEqual({ ok: false, error: expect.stringMatching(/^SNAPSHOT_STORE/) });
    expect(parseSnapshotConfig({ SNAPSHOT_MAX_BYTES: '5MB' })).toEqual({ ok: false, error: 'SNAPSHOT_MAX_BYTES must be a whole number' });
    expect(parseSnapshotConfig({ SNAPSHOT_MAX_BYTES: '10' })).toEqual({ ok: false, error: expect.stringMatching(/^SNAPSHOT_MAX_BYTES must be between/) });
    expect(parseSnapshotConfig({ SNAPSHOT_RETENTION_DAYS: '-1' })).toEqual({ ok: false, error: 'SNAPSHOT_RETENTION_DAYS must be a whole number' });
  });
});

describe('snapshot ids', () => {
  it('carry 128 random bits, URL-safe, never repeating', () => {
    const ids = new Set(Array.from({ length: 1000 }, newSnapshotId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(Buffer.from(id, 'base64url').length).toBe(16);
  });
});

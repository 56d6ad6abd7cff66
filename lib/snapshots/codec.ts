import { gunzipSync, gzipSync } from 'node:zlib';
import { snapshotDocumentSchema, type SnapshotDocument } from './types';

/** Stored above this compressed size → 413 (SNAPSHOT_MAX_BYTES overrides; docs/snapshots.md "Sizing"). */
export const DEFAULT_SNAPSHOT_MAX_BYTES = 5 * 1024 * 1024;
/** A decompressed body this many times the limit is a zip bomb, not a snapshot. */
const MAX_INFLATION = 40;

export class SnapshotTooLargeError extends Error {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`the snapshot is ${size} bytes compressed, above the limit of ${limit} bytes (SNAPSHOT_MAX_BYTES)`);
    this.name = 'SnapshotTooLargeError';
  }
}

/** A stored snapshot that cannot be read back (corrupt file or row). */
export class SnapshotCorruptError extends Error {
  constructor(id: string, reason: string) {
    super(`snapshot ${id} is unreadable: ${reason}`);
    this.name = 'SnapshotCorruptError';
  }
}

export function encodeSnapshot(doc: SnapshotDocument, maxBytes: number): Buffer {
  const body = gzipSync(Buffer.from(JSON.stringify(doc), 'utf8'), { level: 6 });
  if (body.length > maxBytes) throw new SnapshotTooLargeError(body.length, maxBytes);
  return body;
}

export function decodeSnapshot(id: string, body: Buffer, maxBytes: number): SnapshotDocument {
  let text: string;
  try {
    text = gunzipSync(body, { maxOutputLength: Math.max(maxBytes, body.length) * MAX_INFLATION }).toString('utf8');
  } catch (e) {
    throw new SnapshotCorruptError(id, (e as Error).message);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SnapshotCorruptError(id, 'not JSON');
  }
  const r = snapshotDocumentSchema.safeParse(parsed);
  if (!r.success || r.data.id !== id) throw new SnapshotCorruptError(id, 'not a snapshot document');
  return r.data;
}

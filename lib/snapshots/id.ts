import { randomBytes } from 'node:crypto';
import { SNAPSHOT_ID } from './types';

/** Random bits per id: unguessable links (issue 15 asks ≥ 128). */
export const SNAPSHOT_ID_BYTES = 16;

export function newSnapshotId(): string {
  return randomBytes(SNAPSHOT_ID_BYTES).toString('base64url');
}

export function isSnapshotId(id: string): boolean {
  return SNAPSHOT_ID.test(id);
}

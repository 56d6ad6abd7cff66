import { SNAPSHOT_ID } from '@/lib/snapshots/types';

export function isSnapshotIdLike(id: string): boolean {
  return SNAPSHOT_ID.test(id);
}

// Child process of snapshot-store.test.ts: starts writing one snapshot and stops right before it
// becomes visible (rename / COMMIT), says "paused" on stdout and waits to be killed (SIGKILL).
import { DirectorySnapshotStore } from '@/lib/snapshots/dir-store';
import { PostgresSnapshotStore } from '@/lib/snapshots/pg-store';
import { sampleSnapshot } from './snapshot-fixtures';

const [kind, target, id] = process.argv.slice(2);
const hooks = {
  beforeCommit: () =>
    new Promise<void>(() => {
      process.stdout.write('paused\n');
      setInterval(() => undefined, 60_000); // keep the process alive until killed
    }),
};
const limits = { maxBytes: 5 * 1024 * 1024, retentionDays: 0 };
const store =
  kind === 'postgres' ? new PostgresSnapshotStore({ url: target!, hooks, ...limits }) : new DirectorySnapshotStore({ dir: target!, hooks, ...limits });
store.put(sampleSnapshot(id!, new Date().toISOString())).then(
  () => process.stdout.write('committed\n'),
  (e: unknown) => {
    process.stderr.write(String(e));
    process.exit(2);
  },
);

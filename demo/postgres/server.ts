// A throwaway PostgreSQL cluster for the tests (initdb + pg_ctl in a temp directory), started by the
// integration setup like the demo Prometheus. Uses Debian's `postgresql` package binaries
// (/usr/lib/postgresql/<version>/bin); scripts/system-deps.ts installs it when missing. PostgreSQL
// refuses to run as root, so as root the cluster runs as the `postgres` user the package creates.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** pg_ctl -w waits at most this long for the server to accept connections. */
const START_TIMEOUT_SECONDS = 60;

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

function userIds(name: string): { uid: number; gid: number } | undefined {
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

export async function startTestPostgres(port: number): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed: apt-get install postgresql (scripts/system-deps.ts does it as root)');
  const dir = mkdtempSync(path.join(tmpdir(), 'meshglass-pg-'));
  const data = path.join(dir, 'data');
  const isRoot = process.getuid?.() === 0;
  const owner = isRoot ? userIds('postgres') : undefined;
  if (isRoot && !owner) throw new Error('running as root needs the `postgres` user (created by the postgresql package) to run PostgreSQL');
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const run = (cmd: string, args: string[]) => {
    const file = path.join(bin, cmd);
    return owner ? execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { stdio: 'pipe' }) : execFileSync(file, args, { stdio: 'pipe' });
  };
  try {
    run('initdb', ['-D', data, '-U', 'meshglass', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    // Unix socket in the temp dir (never /var/run/postgresql, which may belong to a system cluster).
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      path.join(dir, 'log'),
      '-w',
      '-t',
      String(START_TIMEOUT_SECONDS),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ]);
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start PostgreSQL: ${err.stderr?.toString() || err.message}`);
  }
  return {
    url: `postgres://meshglass@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

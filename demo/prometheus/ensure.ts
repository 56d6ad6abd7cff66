// Makes sure /usr/bin/prometheus and /usr/bin/promtool exist: installs the Debian package when running
// as root with apt-get, otherwise throws a clear message.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PROMETHEUS_BIN = process.env.MESHGLASS_PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const PROMTOOL_BIN = process.env.MESHGLASS_PROMTOOL_BIN ?? '/usr/bin/promtool';

export function ensurePrometheus(): { prometheus: string; promtool: string } {
  const missing = () => [PROMETHEUS_BIN, PROMTOOL_BIN].filter((b) => !existsSync(b));
  if (missing().length === 0) return { prometheus: PROMETHEUS_BIN, promtool: PROMTOOL_BIN };
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('which', ['apt-get']).status === 0;
  if (!isRoot || !hasApt) {
    throw new Error(
      `Prometheus is required for the demo but ${missing().join(' and ')} ${missing().length > 1 ? 'are' : 'is'} missing.\n` +
        `Install it with:  sudo apt-get update && sudo apt-get install -y prometheus`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'prometheus'], { stdio: 'inherit', env });
  } catch (e) {
    throw new Error(`apt-get install prometheus failed (${e instanceof Error ? e.message : String(e)}); install it by hand: apt-get install prometheus`);
  }
  if (missing().length > 0) throw new Error(`apt-get did not provide ${missing().join(', ')}; install it by hand: apt-get install prometheus`);
  return { prometheus: PROMETHEUS_BIN, promtool: PROMTOOL_BIN };
}

// Installs the Debian packages the demo and the tests need when they are missing, or stops with a
// clear message saying what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PACKAGES: Record<string, { binaries: string[]; debian: string }> = {
  prometheus: { binaries: ['/usr/bin/prometheus', '/usr/bin/promtool'], debian: 'prometheus' },
  chromium: { binaries: ['/usr/bin/chromium'], debian: 'chromium' },
  kubectl: { binaries: ['/usr/bin/kubectl'], debian: 'kubernetes-client' },
  // The snapshot store suite runs against a real PostgreSQL (demo/postgres/server.ts finds the newest version).
  postgresql: { binaries: ['/usr/lib/postgresql'], debian: 'postgresql' },
};

export function ensureSystemPackages(names: (keyof typeof PACKAGES)[]): void {
  const missing = names.filter((n) => PACKAGES[n]!.binaries.some((b) => !existsSync(b)));
  if (missing.length === 0) return;
  const debs = missing.map((n) => PACKAGES[n]!.debian);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('which', ['apt-get']).status === 0;
  if (!isRoot || !hasApt) {
    console.error(
      `Missing system packages: ${debs.join(', ')}.\nInstall them with:\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${debs.join(' ')}`,
    );
    process.exit(1);
  }
  console.log(`Installing ${debs.join(', ')} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...debs], { stdio: 'inherit', env });
  const still = names.filter((n) => PACKAGES[n]!.binaries.some((b) => !existsSync(b)));
  if (still.length > 0) {
    console.error(`apt-get did not provide ${still.join(', ')}; install them by hand.`);
    process.exit(1);
  }
}

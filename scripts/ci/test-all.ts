// `npm test`: everything, in the order that fails fastest.
// type-check → lint → unit → integration (real Prometheus + Kubernetes API simulator) → next build → e2e (Chromium; one, then two clusters).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureSystemPackages } from './system-deps';

const ROOT = path.resolve(__dirname, '../..');
const bin = (name: string) => path.join(ROOT, 'node_modules/.bin', name);

interface Step {
  name: string;
  cmd: string;
  args: string[];
  env?: Record<string, string>;
}

const BUILD_CANARIES: Record<string, string> = {
  PROMETHEUS_URL: 'http://mg-canary-prometheus-url.invalid:9090/mg-canary-path',
  PROMETHEUS_BEARER_TOKEN: 'mg-canary-bearer-3f9c2e71d8a4',
  PROMETHEUS_BASIC_AUTH_USER: 'mg-canary-basic-user',
  PROMETHEUS_BASIC_AUTH_PASSWORD: 'mg-canary-basic-password-b51e07',
  DASHBOARD_TOKEN: 'mg-canary-dashboard-token-9d2a64',
};

const steps: Step[] = [
  { name: 'type-check', cmd: bin('tsc'), args: ['--noEmit'] },
  { name: 'lint', cmd: bin('eslint'), args: ['.', '--max-warnings=0'] },
  { name: 'format', cmd: bin('prettier'), args: ['--check', '.'] },
  { name: 'unit tests', cmd: bin('vitest'), args: ['run', '--project', 'unit'] },
  { name: 'integration tests', cmd: bin('vitest'), args: ['run', '--project', 'integration'] },
  // Canary secrets at build time: the bundle check below fails if any reaches a client chunk.
  { name: 'next build', cmd: bin('next'), args: ['build'], env: { NEXT_TELEMETRY_DISABLED: '1', ...BUILD_CANARIES } },
  { name: 'client bundle check', cmd: bin('tsx'), args: ['scripts/ci/check-client-bundle.ts', '--canaries'] },
  { name: 'end-to-end tests', cmd: bin('playwright'), args: ['test'] },
  // Two clusters (a second Kubernetes API simulator behind KUBE_CONTEXTS): its own demo, ports and state.
  { name: 'end-to-end tests (two clusters)', cmd: bin('playwright'), args: ['test', '-c', 'playwright.multi-cluster.config.ts'] },
];

const only = process.argv.slice(2);
ensureSystemPackages(['prometheus', 'chromium', 'kubectl', 'postgresql']);

const timings: string[] = [];
for (const step of steps) {
  if (only.length > 0 && !only.some((o) => step.name.startsWith(o))) continue;
  const t0 = Date.now();
  console.log(`\n━━ ${step.name} ━━`);
  const r = spawnSync(step.cmd, step.args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...step.env } });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  timings.push(`${step.name}: ${secs}s${r.status === 0 ? '' : ' FAILED'}`);
  if (r.status !== 0) {
    console.error(`\n✗ ${step.name} failed (exit ${r.status ?? r.signal})`);
    console.log(timings.join('\n'));
    process.exit(1);
  }
}
console.log(`\n✓ all tests passed\n${timings.join('\n')}`);

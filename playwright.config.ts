import { randomBytes } from 'node:crypto';
import { defineConfig, devices } from '@playwright/test';

// End-to-end tests run in Debian's Chromium against the real demo: Kubernetes API simulator,
// simulated proxies, a real Prometheus and `next start` of the build made by `npm test`.
// Ports differ from `npm run demo`'s so both can run at once.
// E2E_* variables move the ports (to run beside another checkout); the defaults are the reserved ones.
const PORT = Number(process.env.E2E_PORT ?? 3100);
const KUBE_PORT = Number(process.env.E2E_KUBE_PORT ?? 16444);
const PROMETHEUS_PORT = Number(process.env.E2E_PROMETHEUS_PORT ?? 19092);
const PROXIES_PORT = Number(process.env.E2E_PROXIES_PORT ?? 19101);
// The e2e app runs in token mode (issue 14: secure by default, and every launcher sets its access mode).
// One token per run: generated once in the main process; workers inherit it through the environment.
process.env.E2E_DASHBOARD_TOKEN ??= randomBytes(32).toString('hex');
export const E2E_TOKEN = process.env.E2E_DASHBOARD_TOKEN;
export const E2E_CLIENT_RATE_LIMIT = '1200';

export default defineConfig({
  testDir: 'e2e',
  // Two clusters need their own demo (second Kubernetes API simulator): playwright.multi-cluster.config.ts.
  testIgnore: 'multi-cluster/**',
  outputDir: 'test-results/artifacts',
  fullyParallel: false,
  workers: 1,
  // No retries, and a test that only passes on a retry fails the run (issue 14: CI must not hide flaky tests).
  retries: 0,
  failOnFlakyTests: true,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    // Every page and API request of the ordinary specs is authenticated; e2e/security.spec.ts uses
    // fresh contexts and plain fetch without it.
    extraHTTPHeaders: { Authorization: `Bearer ${E2E_TOKEN}` },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], viewport: { width: 1440, height: 900 } } }],
  webServer: {
    command: `npx tsx demo/cli.ts serve --auth token --port ${PORT} --state .demo/e2e --kube-port ${KUBE_PORT} --prometheus-port ${PROMETHEUS_PORT} --proxies-port ${PROXIES_PORT}`,
    url: `http://127.0.0.1:${PORT}/api/readyz`,
    // The ordinary specs share one client key (one Bearer token from loopback): a higher per-client rate than
    // the default keeps them clear of 429s; e2e/security.spec.ts checks the limit with its own session.
    // TRACING_URL: the side panel's trace links (e2e/versions.spec.ts checks their href; nothing is fetched from it).
    env: { DASHBOARD_TOKEN: E2E_TOKEN, MESHGLASS_CLIENT_RATE_LIMIT: E2E_CLIENT_RATE_LIMIT, TRACING_URL: 'http://jaeger.example:16686' },
    timeout: 300_000,
    reuseExistingServer: !process.env.CI,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});

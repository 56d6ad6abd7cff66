import { defineConfig, devices } from '@playwright/test';

// End-to-end tests run in Debian's Chromium against the real demo: Kubernetes API simulator,
// simulated proxies, a real Prometheus and `next start` of the build made by `npm test`.
// Ports differ from `npm run demo`'s so both can run at once.
const PORT = Number(process.env.E2E_PORT ?? 3100);
// Backend ports of the e2e demo; override when another checkout runs its e2e demo at the same time.
const KUBE_PORT = Number(process.env.E2E_KUBE_PORT ?? 16444);
const PROMETHEUS_PORT = Number(process.env.E2E_PROMETHEUS_PORT ?? 19092);
const PROXIES_PORT = Number(process.env.E2E_PROXIES_PORT ?? 19101);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/artifacts',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
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
    command: `npx tsx demo/cli.ts serve --port ${PORT} --state .demo/e2e --kube-port ${KUBE_PORT} --prometheus-port ${PROMETHEUS_PORT} --proxies-port ${PROXIES_PORT}`,
    url: `http://127.0.0.1:${PORT}/api/healthz`,
    timeout: 300_000,
    reuseExistingServer: !process.env.CI,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});

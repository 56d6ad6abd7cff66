import { defineConfig } from '@playwright/test';
import base, { E2E_CLIENT_RATE_LIMIT, E2E_TOKEN } from './playwright.config';

// Multi-cluster end-to-end tests (issue #6): the same real demo as playwright.config.ts plus a second
// Kubernetes API simulator (cluster "east", demo/model/east-cluster.ts) behind KUBE_CONTEXTS, started by
// `demo/cli.ts serve --second-cluster`. Its own ports and state directory, so the single-cluster
// specs keep seeing exactly the demo cluster. Run: `npx playwright test -c playwright.multi-cluster.config.ts`.
const PORT = Number(process.env.E2E_PORT ?? 3110);
const KUBE_PORT = Number(process.env.E2E_KUBE_PORT ?? 16446);
const PROMETHEUS_PORT = Number(process.env.E2E_PROMETHEUS_PORT ?? 19094);
const PROXIES_PORT = Number(process.env.E2E_PROXIES_PORT ?? 19104);

export default defineConfig({
  ...base,
  testDir: 'e2e/multi-cluster',
  testIgnore: undefined,
  use: { ...base.use, baseURL: `http://127.0.0.1:${PORT}` },
  webServer: {
    command: `npx tsx demo/cli.ts serve --auth token --second-cluster --port ${PORT} --state .demo/e2e-multi --kube-port ${KUBE_PORT} --prometheus-port ${PROMETHEUS_PORT} --proxies-port ${PROXIES_PORT}`,
    url: `http://127.0.0.1:${PORT}/api/readyz`,
    env: { DASHBOARD_TOKEN: E2E_TOKEN, MESHGLASS_CLIENT_RATE_LIMIT: E2E_CLIENT_RATE_LIMIT },
    timeout: 300_000,
    reuseExistingServer: !process.env.CI,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});

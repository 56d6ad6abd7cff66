import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startKubeSimulator, type KubeSimulator } from '../demo/kube-sim/server';
import { freePort } from '../tests/helpers/free-port';
import { GraphPage } from './pages/graph-page';

// Snapshots in Chromium (docs/snapshots.md). This spec runs its OWN `next start` of the build, with its
// own snapshot directory, its own Kubernetes API simulator and a TCP relay in front of the e2e demo's
// Prometheus, so it can take both upstreams away (relay closed, simulator stopped) and then open the
// snapshot. Then "Compare with…" on the shared demo server across the demo's incident.

const ROOT = path.resolve(__dirname, '..');
const PROMETHEUS_PORT = Number(process.env.E2E_PROMETHEUS_PORT ?? 19092);
const TITLE = '<b>ledger</b> 5xx at 02:14';

let kube: KubeSimulator | undefined;
let app: ChildProcess | undefined;
let relay: net.Server | undefined;
const sockets = new Set<net.Socket>();
let appLog = '';
let baseURL = '';
let stateDir = '';

/** A TCP relay to the demo Prometheus; closing it (and its connections) is "Prometheus is down". */
async function startRelay(): Promise<number> {
  const port = await freePort();
  relay = net.createServer((client) => {
    const upstream = net.connect(PROMETHEUS_PORT, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay!.listen(port, '127.0.0.1', resolve));
  return port;
}

async function stopRelay(): Promise<void> {
  if (!relay) return;
  const closed = new Promise((r) => relay!.close(r));
  for (const s of sockets) s.destroy();
  await closed;
  relay = undefined;
}

/** Inside the demo incident (T−2h…T−1h50m) by a minute each side, so the base an hour earlier starts after the migration step at T−3h. */
function incidentWindow(): { start: string; end: string; T: number } {
  const anchor = JSON.parse(fs.readFileSync(path.join(ROOT, '.demo/e2e/anchor.json'), 'utf8')) as { anchor: string };
  const T = Date.parse(anchor.anchor);
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  return { start: iso(T - 2 * 3600_000 + 60_000), end: iso(T - 2 * 3600_000 + 540_000), T };
}

test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  if (!fs.existsSync(path.join(ROOT, '.next/BUILD_ID'))) throw new Error('no Next.js build: run `npx next build` first');
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshglass-snap-e2e-'));
  kube = await startKubeSimulator({ manifestsDir: path.join(ROOT, 'demo/cluster'), port: 0, stateDir: path.join(stateDir, 'kube') });
  const relayPort = await startRelay();
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  app = spawn(path.join(ROOT, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: {
      ...process.env,
      KUBECONFIG: kube.kubeconfigPath,
      KUBE_TIMEOUT_MS: '1000',
      PROMETHEUS_URL: `http://127.0.0.1:${relayPort}`,
      PROMETHEUS_TIMEOUT_MS: '3000',
      SNAPSHOT_STORE: path.join(stateDir, 'snapshots'),
      // Every way of starting the app states its access mode (docs/deploy.md); loopback-only test server.
      MESHGLASS_AUTH: 'none',
      DASHBOARD_TOKEN: undefined,
      DASHBOARD_TOKEN_FILE: undefined,
      PORT: String(port),
      NEXT_TELEMETRY_DISABLED: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app.stdout?.on('data', (d: Buffer) => (appLog += d.toString()));
  app.stderr?.on('data', (d: Buffer) => (appLog += d.toString()));
  for (let i = 0; ; i++) {
    if (app.exitCode !== null) throw new Error(`next start exited (${app.exitCode}):\n${appLog}`);
    const ok = await fetch(`${baseURL}/api/healthz`).then(
      (r) => r.status < 500,
      () => false,
    );
    if (ok) break;
    if (i > 600) throw new Error(`next start did not answer:\n${appLog}`);
    await new Promise((r) => setTimeout(r, 200));
  }
});

test.afterAll(async () => {
  if (app && app.exitCode === null) {
    const exited = new Promise((r) => app!.once('exit', r));
    app.kill('SIGTERM');
    await exited;
  }
  await stopRelay();
  await kube?.stop().catch(() => undefined);
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
});

test('Share → Pin as snapshot; with Prometheus and the Kubernetes API down, /s/<id> shows the same graph, selection, side panel and list', async ({ page }) => {
  const graph = new GraphPage(page);
  await page.goto(`${baseURL}/graph?range=1h&namespaces=payments`);
  await graph.waitForGraph();
  const live = await graph.drawnEdges();
  const ledger = live.find((e) => e.from === 'payments/payments-api' && e.to === 'payments/ledger');
  expect(ledger).toBeDefined();
  await graph.clickElement(ledger!.id);
  await expect(graph.panel).toBeVisible();

  const leafPositions = () => page.evaluate(() => Object.fromEntries(window.__meshglassCy!.nodes(':childless').map((n) => [n.id(), n.position()])));
  const livePositions = await leafPositions();

  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-dialog')).toBeVisible();
  await page.getByTestId('pin-title').fill(TITLE);
  await page.getByTestId('pin-button').click();
  const url = await page.getByTestId('pin-url').inputValue();
  expect(url).toMatch(new RegExp(`^${baseURL}/s/[A-Za-z0-9_-]{22,}$`));

  // A comparison pinned too (the view's `compare` keeps its diff): across the demo incident, an hour before.
  const incident = incidentWindow();
  const pinCompare = await fetch(`${baseURL}/api/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ state: `start=${incident.start}&end=${incident.end}&namespaces=payments&compare=1h` }),
  });
  expect(pinCompare.status).toBe(201);
  const comparedUrl = `${baseURL}${((await pinCompare.json()) as { url: string }).url}`;

  // Both upstreams go away.
  await stopRelay();
  await kube!.stop();
  kube = undefined;
  // The app itself says both are unreachable (probes go to the upstreams, past every cache).
  const health = (await (await fetch(`${baseURL}/api/healthz`)).json()) as { prometheus: { ok: boolean }; kubernetes: { ok: boolean } };
  expect({ prometheus: health.prometheus.ok, kubernetes: health.kubernetes.ok }).toEqual({ prometheus: false, kubernetes: false });

  await page.goto(url);
  const banner = page.getByTestId('snapshot-banner');
  await expect(banner).toContainText('Snapshot of');
  await expect(banner).toContainText('live data may differ');
  // The title is text, not markup.
  await expect(page.getByTestId('snapshot-title')).toHaveText(TITLE);
  expect(await banner.locator('b').count()).toBe(0);
  await expect(page.getByTestId('snapshot-live')).toHaveAttribute('href', /\/graph\?.*start=.*end=/);

  await page.waitForFunction(() => (window.__meshglassCy?.edges().length ?? 0) > 0, null, { timeout: 60_000 });
  const pinned = await graph.drawnEdges();
  expect(pinned.map((e) => e.id).sort()).toEqual(live.map((e) => e.id).sort());
  expect(await graph.selectedIds()).toContain(ledger!.id);
  // Laid out as it was pinned: every node where it was drawn (to the stored 0.1 px).
  const pinnedPositions = await leafPositions();
  expect(Object.keys(pinnedPositions).sort()).toEqual(Object.keys(livePositions).sort());
  for (const [id, p] of Object.entries(livePositions)) {
    expect(Math.abs(pinnedPositions[id]!.x - p.x), id).toBeLessThanOrEqual(0.05);
    expect(Math.abs(pinnedPositions[id]!.y - p.y), id).toBeLessThanOrEqual(0.05);
  }
  await expect(graph.panel).toBeVisible();
  await expect(graph.panel).toContainText('payments-api');
  // Sparklines from the snapshot, not from Prometheus (which is gone).
  await expect(graph.panel.getByTestId('series-charts')).toContainText('requests/s');
  await expect(page.getByTestId('graph-error')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/snapshot.png' });

  // The pinned comparison: the change list and the marked edge, from the snapshot alone.
  await page.goto(comparedUrl);
  await page.waitForFunction(() => (window.__meshglassCy?.edges('.diff-changed').length ?? 0) > 0, null, { timeout: 60_000 });
  await expect(page.getByTestId('change-list')).toContainText('payments/payments-api → payments/ledger');
  await expect(page.getByTestId('change-list')).toContainText(/error rate .* → .*pp/);
  await page.screenshot({ path: 'test-results/screenshots/snapshot-compare.png' });

  // The list view works on the snapshot too.
  await page.goto(`${url}?view=list&selected=${encodeURIComponent(ledger!.id)}`);
  await expect(graph.table).toBeVisible();
  await expect(graph.table.getByRole('row')).toHaveCount(live.length + 1);
});

test('an unknown snapshot says so', async ({ page }) => {
  await page.goto(`${baseURL}/s/AAAAAAAAAAAAAAAAAAAAAA`);
  await expect(page.getByTestId('snapshot-error')).toContainText('No such snapshot');
});

test('Compare with… 1 hour before, across the demo incident: the incident edges listed and marked, a row selects its edge', async ({ page, request }) => {
  const { start, end, T } = incidentWindow();
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const graph = new GraphPage(page);
  await graph.goto(`start=${start}&end=${end}&compare=1h`);
  await graph.waitForGraph();
  const rows = page.getByTestId('change-row');
  await expect(rows.first()).toBeVisible();
  await expect(page.getByTestId('change-list')).toContainText('payments/payments-api → payments/ledger');
  await expect(page.getByTestId('change-list')).toContainText(/error rate .* → .*pp/);
  const marked = await page.evaluate(() => window.__meshglassCy!.edges('.diff-changed').map((e) => e.id()));
  expect(marked.length).toBeGreaterThan(0);
  await page.getByTestId('change-row').filter({ hasText: 'payments/payments-api → payments/ledger' }).click();
  await expect(page).toHaveURL(/selected=/);
  expect(marked).toContain(new URL(page.url()).searchParams.get('selected'));
  await page.screenshot({ path: 'test-results/screenshots/compare.png' });

  // The compare state survives Share.
  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-url')).toHaveValue(/compare=1h/);

  const api = await request.get(`/api/graph/diff?start=${start}&end=${end}&baseStart=${iso(T - 3 * 3600_000)}&baseEnd=${iso(T - 3 * 3600_000 + 600_000)}`);
  expect(api.status()).toBe(200);
});

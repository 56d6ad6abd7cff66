import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { loadManifests, startKubeSimulator, type KubeSimulator } from '../demo/kube-sim/server';
import { freePort } from '../tests/helpers/free-port';

// Hostile Kubernetes data rendered as text. The demo's manifests are fixed, so this spec starts its OWN
// Kubernetes API simulator (random port) with the demo manifests plus hostile label values, annotations and
// policy rule values, and its own `next start` (random port) of the existing build, pointed at that
// simulator and at the e2e demo's Prometheus (started by playwright's webServer). Object names stay valid
// DNS labels; the hostile text is in values, where a real API server accepts arbitrary strings
// (annotations, policy rules) or where a lenient one/a compromised controller could put it (labels).

const H_IMG = '<img src=x onerror=window.__pwned=1>';
const H_SCRIPT = '"><script>window.__pwned=1</script>';
const H_PROMQL = '"}) or vector(1) #';
const HOSTILE = [H_IMG, H_SCRIPT, H_PROMQL];
const PROMETHEUS_URL = process.env.HOSTILE_PROMETHEUS_URL ?? `http://127.0.0.1:${process.env.E2E_PROMETHEUS_PORT ?? 19092}`;
const ROOT = path.resolve(__dirname, '..');

type Obj = {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
};

function hostileObjects(): object[] {
  const objs = loadManifests(path.join(ROOT, 'demo/cluster')) as Obj[];
  for (const o of objs) {
    const md = o.metadata;
    if (o.kind === 'Namespace' && md.name === 'legacy') md.labels = { ...md.labels, 'istio.io/use-waypoint': H_IMG };
    if (o.kind === 'Namespace' && md.name === 'inventory') md.annotations = { ...md.annotations, note: H_SCRIPT };
    if (o.kind === 'Service' && md.namespace === 'inventory') md.labels = { ...md.labels, 'istio.io/use-waypoint': H_PROMQL };
    if (o.kind === 'Pod' && (md.namespace === 'inventory' || md.namespace === 'shop')) {
      md.labels = { ...md.labels, 'service.istio.io/canonical-revision': H_SCRIPT, version: H_IMG };
      md.annotations = { ...md.annotations, hostile: H_SCRIPT };
    }
    if (o.kind === 'AuthorizationPolicy') {
      const rules = (o.spec?.rules ?? []) as { from?: { source: { principals?: string[] } }[]; to?: { operation: { paths?: string[] } }[] }[];
      rules[0]?.from?.[0]?.source.principals?.push(H_SCRIPT);
      rules[0]?.to?.[0]?.operation.paths?.push(H_PROMQL, H_IMG);
    }
  }
  const ts = '2026-01-01T12:00:00Z';
  // One namespace per hostile string: asking for sidecars (istio.io/rev=<hostile>) AND ambient makes Meshglass
  // report a mode-mismatch finding that quotes the revision, so each string is shown on the overview.
  HOSTILE.forEach((h, i) => {
    const ns = `hostile-${i}`;
    objs.push(
      {
        kind: 'Namespace',
        apiVersion: 'v1',
        metadata: {
          name: ns,
          uid: `h-ns-${i}`,
          creationTimestamp: ts,
          labels: { 'istio.io/dataplane-mode': 'ambient', 'istio.io/rev': h, 'istio.io/use-waypoint': h, 'kubernetes.io/metadata.name': ns },
          annotations: { a: h },
        },
      } as Obj,
      {
        kind: 'Gateway',
        apiVersion: 'gateway.networking.k8s.io/v1',
        metadata: { name: `gw-${i}`, namespace: ns, uid: `h-gw-${i}`, creationTimestamp: ts, labels: { 'istio.io/waypoint-for': h }, annotations: { a: h } },
        spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
      } as Obj,
      {
        kind: 'Service',
        apiVersion: 'v1',
        metadata: {
          name: `svc-${i}`,
          namespace: ns,
          uid: `h-svc-${i}`,
          creationTimestamp: ts,
          labels: { app: h, 'istio.io/use-waypoint': h },
          annotations: { a: h },
        },
        spec: { selector: { app: 'hostile' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }], clusterIP: `10.96.200.${10 + i}` },
      } as Obj,
      {
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: {
          name: `pod-${i}`,
          namespace: ns,
          uid: `h-pod-${i}`,
          creationTimestamp: ts,
          labels: { app: 'hostile', 'service.istio.io/canonical-name': h, 'service.istio.io/canonical-revision': h, 'istio.io/use-waypoint': h },
          annotations: { 'sidecar.istio.io/status': h },
        },
        spec: { nodeName: 'node-a', containers: [{ name: 'app', image: 'registry.example/app:1' }] },
        status: { phase: 'Running', podIP: `10.244.9.${10 + i}` },
      } as Obj,
    );
  });
  return objs;
}

let kube: KubeSimulator | undefined;
let app: ChildProcess | undefined;
let appLog = '';
let baseURL = '';
let stateDir = '';

test.describe.configure({ timeout: 120_000 });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  if (!fs.existsSync(path.join(ROOT, '.next/BUILD_ID'))) throw new Error('no Next.js build: run `npx next build` first');
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshglass-hostile-'));
  kube = await startKubeSimulator({ objects: hostileObjects(), port: 0, stateDir: path.join(stateDir, 'kube') });
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  app = spawn(path.join(ROOT, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: {
      ...process.env,
      KUBECONFIG: kube.kubeconfigPath,
      PROMETHEUS_URL,
      PORT: String(port),
      NEXT_TELEMETRY_DISABLED: '1',
      MESHGLASS_AUTH: 'none',
      DASHBOARD_TOKEN: undefined,
      DASHBOARD_TOKEN_FILE: undefined,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app.stdout?.on('data', (d: Buffer) => (appLog += d.toString()));
  app.stderr?.on('data', (d: Buffer) => (appLog += d.toString()));
  for (let i = 0; ; i++) {
    if (app.exitCode !== null) throw new Error(`next start exited (${app.exitCode}):\n${appLog}`);
    const ok = await fetch(`${baseURL}/api/readyz`).then(
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
  await kube?.stop();
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
});

/** Records any sign of script execution: the flag, dialogs, and <img src=x> / <script> elements added anywhere. */
async function arm(page: Page): Promise<string[]> {
  const alarms: string[] = [];
  page.on('dialog', (d) => {
    alarms.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => alarms.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes)
          if (n instanceof Element) {
            // Next's own flight-data scripts (`self.__next_f.push(…)`, pages are rendered per request) carry the
            // page URL as escaped data; they count only if the raw markup appears unescaped in them.
            const injectedScript = (e: Element) => {
              const text = e.textContent ?? '';
              if (!text.includes('__pwned')) return false;
              return !text.startsWith('self.__next_f.push(') || /<\/?script/i.test(text);
            };
            const bad = [n, ...n.querySelectorAll('img, script, iframe, svg')].filter(
              (e) => (e.tagName === 'IMG' && e.getAttribute('src') === 'x') || (e.tagName === 'SCRIPT' && injectedScript(e)) || e.hasAttribute('onerror'),
            );
            if (bad.length)
              (window as unknown as { __hostileElements?: number }).__hostileElements =
                ((window as unknown as { __hostileElements?: number }).__hostileElements ?? 0) + bad.length;
          }
    }).observe(document, { childList: true, subtree: true });
  });
  return alarms;
}

async function assertNotPwned(page: Page, alarms: string[]): Promise<void> {
  const state = await page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    elements: (window as unknown as { __hostileElements?: number }).__hostileElements ?? 0,
  }));
  expect(state.pwned, 'window.__pwned was set: hostile markup executed').toBeUndefined();
  expect(state.elements, 'hostile <img>/<script>/onerror elements were created').toBe(0);
  expect(await page.locator('img[src="x"], [onerror]').count()).toBe(0);
  expect(alarms.filter((a) => a.startsWith('dialog') || a.includes('__pwned'))).toEqual([]);
}

test('the API carries hostile label values verbatim (so the pages below really receive them)', async () => {
  const findings = await (await fetch(`${baseURL}/api/findings`)).text();
  for (const h of HOSTILE) expect(findings, `findings JSON contains ${h}`).toContain(JSON.stringify(h).slice(1, -1));
});

test('overview renders hostile values as text and runs none of them', async ({ page }) => {
  const alarms = await arm(page);
  await page.goto(`${baseURL}/`);
  await expect(page.getByTestId('findings-list')).toBeVisible({ timeout: 60_000 });
  for (const h of HOSTILE) await expect(page.getByTestId('findings-list').getByText(h, { exact: false }).first(), `${h} shown as text`).toBeVisible();
  await expect(page.getByTestId('namespace-row-hostile-0')).toBeVisible();
  await assertNotPwned(page, alarms);
});

test('graph and list views with hostile data: nodes clickable, nothing executed', async ({ page }) => {
  const alarms = await arm(page);
  await page.goto(`${baseURL}/graph?range=15m`);
  await page.waitForFunction(() => (window.__meshglassCy?.edges().length ?? 0) > 0, null, { timeout: 60_000 });
  const ids = await page.evaluate(() =>
    window
      .__meshglassCy!.nodes(':childless')
      .map((n) => n.id())
      .slice(0, 6),
  );
  expect(ids.length).toBeGreaterThan(0);
  const box = await page.getByTestId('graph-canvas').boundingBox();
  if (!box) throw new Error('graph canvas not visible');
  for (const id of ids) {
    const p = await page.evaluate((elId) => {
      const cy = window.__meshglassCy!;
      const el = cy.getElementById(elId);
      cy.center(el);
      return el.renderedPosition();
    }, id);
    await page.mouse.click(box.x + p.x, box.y + p.y);
    await expect(page.getByTestId('side-panel')).toBeVisible();
    await assertNotPwned(page, alarms);
  }

  await page.goto(`${baseURL}/graph?view=list&range=15m`);
  await expect(page.getByTestId('edge-table')).toBeVisible({ timeout: 60_000 });
  await assertNotPwned(page, alarms);
});

test('a hostile namespace in the page URL gives a friendly message naming the parameter', async ({ page }) => {
  const alarms = await arm(page);
  await page.goto(`${baseURL}/graph?namespaces=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E`);
  const banner = page.getByTestId('url-error');
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText('namespaces');
  await assertNotPwned(page, alarms);
});

test('the API answers a hostile namespace with a 400 naming the parameter', async () => {
  for (const ns of ['a%22%7D', encodeURIComponent(H_PROMQL), encodeURIComponent(H_SCRIPT)]) {
    const res = await fetch(`${baseURL}/api/graph?namespaces=${ns}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { error: string; parameter: string };
    expect(body.parameter).toBe('namespaces');
    expect(body.error).toMatch(/not a valid namespace name/);
  }
});

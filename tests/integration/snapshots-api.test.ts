// Integration: the snapshot API through the real route handlers, on both stores. Pin with Prometheus and
// the Kubernetes API up, then take both away (closed ports) and read the snapshot back unchanged.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { GET as graphGET } from '@/app/api/graph/route';
import { GET as listGET, POST } from '@/app/api/snapshots/route';
import { DELETE, GET as oneGET } from '@/app/api/snapshots/[id]/route';
import { call, closedPortUrl, iso, restoreEnv, useEnv } from './helpers';

const dirs: string[] = [];
const SNAP_VARS = ['SNAPSHOT_STORE', 'SNAPSHOT_MAX_BYTES', 'SNAPSHOT_RETENTION_DAYS'];
afterEach(() => {
  for (const k of SNAP_VARS) delete process.env[k];
  restoreEnv();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

let T: number;
beforeAll(() => {
  T = inject('anchorUnix');
});

const post = (body: unknown) => call(POST, '/api/snapshots', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const getOne = (id: string) => call((r) => oneGET(r, { params: Promise.resolve({ id }) }), `/api/snapshots/${id}`);
const del = (id: string) => call((r) => DELETE(r, { params: Promise.resolve({ id }) }), `/api/snapshots/${id}`, { method: 'DELETE' });

async function pgDatabase(): Promise<string> {
  const name = `api_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: inject('postgresUrl'), connectionTimeoutMillis: 5000 });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return inject('postgresUrl').replace(/\/postgres$/, `/${name}`);
}

const stores = [
  {
    name: 'directory',
    store: async () => {
      const d = mkdtempSync(path.join(tmpdir(), 'meshglass-snapapi-'));
      dirs.push(d);
      return path.join(d, 'store');
    },
  },
  { name: 'postgres', store: pgDatabase },
];

describe.each(stores)('snapshot API on the $name store', ({ store }) => {
  it('pins a window, then serves it unchanged with Prometheus and the Kubernetes API gone; lists and deletes', async () => {
    useEnv({ PROMETHEUS_URL: inject('promIstioSampleUrl'), KUBECONFIG: inject('kubeconfigPath') });
    process.env.SNAPSHOT_STORE = await store();
    const window = `start=${iso(T - 3 * 3600)}&end=${iso(T - 2 * 3600)}`;
    const live = await call(graphGET, `/api/graph?${window}&namespaces=shop`);
    expect(live.status).toBe(200);
    const selected = live.body.edges[0].id as string;

    const created = await post({ state: `${window}&namespaces=shop&selected=${encodeURIComponent(selected)}&view=list`, title: 'ledger 5xx' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // ≥ 128 random bits, URL-safe.
    expect(id).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(created.body.url).toBe(`/s/${id}`);

    // Both upstreams away: closed ports.
    useEnv({ PROMETHEUS_URL: await closedPortUrl(), KUBECONFIG: '/nonexistent/kubeconfig', KUBE_TIMEOUT_MS: '500' });
    expect((await call(graphGET, `/api/graph?${window}&namespaces=shop`)).status).toBe(503);

    const got = await getOne(id);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, title: 'ledger 5xx', window: { start: iso(T - 3 * 3600), end: iso(T - 2 * 3600) } });
    expect(got.body.graph).toEqual(live.body);
    expect(Array.isArray(got.body.namespaces.namespaces)).toBe(true);
    expect(Array.isArray(got.body.findings.findings)).toBe(true);
    // The selected edge's sparklines are stored (the side panel draws them from the snapshot).
    expect(got.body.series.edges[selected].series.t.length).toBeGreaterThan(1);
    // The view state is the graph page's, with the absolute window.
    const state = new URLSearchParams(got.body.state);
    expect(state.get('selected')).toBe(selected);
    expect(state.get('view')).toBe('list');
    expect(state.get('namespaces')).toBe('shop');
    expect(Date.parse(got.body.createdAt)).toBeGreaterThan(0);

    const second = await post({ state: `${window}&namespaces=payments` });
    // Pinning needs the upstreams: with both down the API says so.
    expect(second.status).toBe(503);

    const list = await call(listGET, '/api/snapshots');
    expect(list.status).toBe(200);
    expect(list.body.snapshots).toEqual([
      expect.objectContaining({ id, title: 'ledger 5xx', createdAt: got.body.createdAt, window: got.body.window, size: expect.any(Number) }),
    ]);

    expect((await del(id)).status).toBe(204);
    expect((await getOne(id)).status).toBe(404);
    expect((await del(id)).status).toBe(404);
  });
});

describe('a pinned versioned view', () => {
  it('keeps the apps, versions and configured splits of group=version', async () => {
    useEnv({ PROMETHEUS_URL: inject('promIstioSampleUrl'), KUBECONFIG: inject('kubeconfigPath') });
    process.env.SNAPSHOT_STORE = await stores[0]!.store();
    const window = `start=${iso(T - 3600)}&end=${iso(T - 600)}`;
    const created = await post({ state: `${window}&namespaces=shop&group=version` });
    expect(created.status).toBe(201);
    const got = await getOne(created.body.id as string);
    expect(new URLSearchParams(got.body.state).get('group')).toBe('version');
    const live = await call(graphGET, `/api/graph?${window}&namespaces=shop&group=version`);
    expect(got.body.graph.apps).toEqual(live.body.apps);
    expect(got.body.graph.apps.some((a: { app: string }) => a.app === 'recommendations')).toBe(true);
    expect(got.body.graph.splits.map((s: { id: string }) => s.id)).toContain('HTTPRoute:shop/recommendations-canary#0');
  });
});

describe('snapshot API input', () => {
  beforeAll(() => undefined);
  it('400 naming the bad field of the state, the body or the title; 404 for unknown ids; 413 above the size limit', async () => {
    useEnv({ PROMETHEUS_URL: inject('promIstioSampleUrl'), KUBECONFIG: inject('kubeconfigPath') });
    process.env.SNAPSHOT_STORE = await stores[0]!.store();
    const w = `start=${iso(T - 3600)}&end=${iso(T - 1800)}`;

    const badMtls = await post({ state: `${w}&mtls=sometimes` });
    expect(badMtls.status).toBe(400);
    expect(badMtls.body.parameter).toBe('state.mtls');
    const badEnd = await post({ state: `start=${iso(T - 60)}&end=${iso(T - 3600)}` });
    expect(badEnd.status).toBe(400);
    expect(badEnd.body.parameter).toBe('state.end');
    const noState = await post({ title: 'x' });
    expect(noState.status).toBe(400);
    expect(noState.body.parameter).toBe('state');
    const longTitle = await post({ state: w, title: 'x'.repeat(201) });
    expect(longTitle.status).toBe(400);
    expect(longTitle.body.parameter).toBe('title');
    const extra = await post({ state: w, graph: {} });
    expect(extra.status).toBe(400);
    expect(extra.body.parameter).toBe('graph');
    const badPosition = await post({ state: w, positions: { a: { x: 1, y: 'far' } } });
    expect(badPosition.status).toBe(400);
    expect(badPosition.body.parameter).toBe('positions.a.y');
    const hugePosition = await post({ state: w, positions: { a: { x: 1e300, y: 0 } } });
    expect(hugePosition.status).toBe(400);
    expect(hugePosition.body.parameter).toBe('positions.a.x');
    const notJson = await call(POST, '/api/snapshots', { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.parameter).toBe('body');

    // The drawing's positions are kept for the graph's own nodes only.
    const g = (await getOne((await post({ state: w })).body.id)).body.graph as { nodes: { id: string }[] };
    const [first, second] = g.nodes.map((n) => n.id);
    const withPositions = await post({ state: w, positions: { [first!]: { x: 10.5, y: -3 }, [second!]: { x: 0, y: 0 }, 'not-a-node': { x: 1, y: 1 } } });
    expect(withPositions.status).toBe(201);
    expect((await getOne(withPositions.body.id)).body.positions).toEqual({ [first!]: { x: 10.5, y: -3 }, [second!]: { x: 0, y: 0 } });

    expect((await getOne('AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    expect((await getOne('..%2F..%2Fetc')).status).toBe(404);

    process.env.SNAPSHOT_MAX_BYTES = '1024';
    const tooBig = await post({ state: w });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error).toMatch(/SNAPSHOT_MAX_BYTES/);
    expect((await call(listGET, '/api/snapshots')).body.snapshots).toHaveLength(2);
  });
});

// Integration: upstream faults seen through the real route handlers. Missing CRDs, RBAC 403s, Prometheus
// down / black-holed / answering errors, caller cancellation, the Kubernetes API going away and coming
// back, and /api/healthz. No timing assertions: a test that hangs fails on vitest's test timeout.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startKubeSimulator, type KubeSimFaults, type KubeSimulator } from '@/demo/kube-sim/server';
import { GET as graphGET } from '@/app/api/graph/route';
import { GET as healthGET } from '@/app/api/healthz/route';
import type { MeshGraph, Warning } from '@/lib/mesh/types';
import { resetMeshDataCacheForTests } from '@/lib/server/mesh-data';
import { blackHole, call, closedPortUrl, errorServer, iso, restoreEnv, useEnv } from './helpers';

const dirs: string[] = [];
const sims: KubeSimulator[] = [];
const closers: (() => Promise<void>)[] = [];

let T: number;
let prom: string;
let kubeconfig: string;
let win: number;

beforeAll(() => {
  T = inject('anchorUnix');
  prom = inject('promIstioSampleUrl');
  kubeconfig = inject('kubeconfigPath');
  win = 0;
});
afterEach(() => restoreEnv());
afterAll(async () => {
  restoreEnv();
  for (const c of closers) await c().catch(() => undefined);
  for (const s of sims) await s.stop().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A window of the steady state, different for every call (no result cache can answer it). */
function freshWindow(): string {
  win += 60;
  return `start=${iso(T - 3600 - win)}&end=${iso(T - 600 - win)}`;
}

async function sim(faults: Pick<KubeSimFaults, 'disabledGroups' | 'forbidden'> = {}): Promise<KubeSimulator> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'meshglass-it-kube-'));
  dirs.push(stateDir);
  const s = await startKubeSimulator({ manifestsDir: 'demo/cluster', port: 0, stateDir, ...faults });
  sims.push(s);
  return s;
}

/** A kubeconfig like the simulator's but pointing at a port where nothing listens. */
async function deadKubeconfig(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'meshglass-it-deadkube-'));
  dirs.push(dir);
  const dead = (await closedPortUrl()).replace('http:', 'https:');
  const text = readFileSync(kubeconfig, 'utf8').replace(/server:\s*\S+/, `server: ${dead}`);
  const p = path.join(dir, 'kubeconfig');
  writeFileSync(p, text);
  return p;
}

const warningsOf = (g: { warnings?: Warning[] }, source: Warning['source']) => (g.warnings ?? []).filter((w) => w.source === source);

async function graph(query = freshWindow()) {
  return call(graphGET, `/api/graph?${query}`);
}

describe('Kubernetes: missing CRDs and RBAC', () => {
  it('(a) Gateway API not installed → 200, graph served, warning names the Gateway API', async () => {
    const s = await sim({ disabledGroups: ['gateway.networking.k8s.io'] });
    useEnv({ PROMETHEUS_URL: prom, KUBECONFIG: s.kubeconfigPath });
    const r = await graph();
    expect(r.status).toBe(200);
    const g = r.body as MeshGraph;
    expect(warningsOf(g, 'kubernetes').some((w) => /Gateway API/.test(w.message))).toBe(true);
    expect(g.edges.length).toBeGreaterThan(0);
    expect(g.nodes.some((n) => n.name === 'cart' && n.mode === 'ambient')).toBe(true);
  });

  it('(b) forbidden authorizationpolicies → 200 with a warning', async () => {
    const s = await sim({ forbidden: [{ group: 'security.istio.io', resource: 'authorizationpolicies' }] });
    useEnv({ PROMETHEUS_URL: prom, KUBECONFIG: s.kubeconfigPath });
    const r = await graph();
    expect(r.status).toBe(200);
    const g = r.body as MeshGraph;
    expect(warningsOf(g, 'kubernetes').some((w) => /forbidden/i.test(w.message) && /authorizationpolicies/.test(w.message))).toBe(true);
    expect(g.edges.length).toBeGreaterThan(0);
  });
});

describe('Prometheus faults', () => {
  it('(c) Prometheus unreachable → 200 with Kubernetes-only data and a prometheus warning', async () => {
    useEnv({ PROMETHEUS_URL: await closedPortUrl(), KUBECONFIG: kubeconfig });
    const r = await graph();
    expect(r.status).toBe(200);
    const g = r.body as MeshGraph;
    expect(warningsOf(g, 'prometheus').length).toBeGreaterThan(0);
    expect(g.edges).toEqual([]);
    expect(g.nodes.some((n) => n.namespace === 'shop' && n.name === 'cart')).toBe(true);
  });

  it('(c) both Prometheus and the Kubernetes API unreachable → 503 with the warnings', async () => {
    useEnv({ PROMETHEUS_URL: await closedPortUrl(), KUBECONFIG: await deadKubeconfig(), KUBE_TIMEOUT_MS: '3000' });
    const r = await graph();
    expect(r.status).toBe(503);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(typeof r.body.error).toBe('string');
    const ws = r.body.warnings as Warning[];
    expect(ws.some((w) => w.source === 'prometheus')).toBe(true);
    expect(ws.some((w) => w.source === 'kubernetes')).toBe(true);
  });

  it('(d) Prometheus black hole past PROMETHEUS_TIMEOUT_MS → the request settles (200 with a warning, or 503)', async () => {
    const hole = await blackHole();
    closers.push(hole.close);
    useEnv({ PROMETHEUS_URL: hole.url, PROMETHEUS_TIMEOUT_MS: '500', KUBECONFIG: kubeconfig });
    const r = await graph();
    expect([200, 503]).toContain(r.status);
    const ws = (r.body.warnings ?? []) as Warning[];
    expect(ws.some((w) => w.source === 'prometheus' && /time|500/i.test(w.message))).toBe(true);
    if (r.status === 200) expect((r.body as MeshGraph).nodes.length).toBeGreaterThan(0);
  });

  it.each([
    [422, 'execution', 'query processing would load too many samples into memory in query execution'],
    [500, 'internal', 'opening storage failed: lock DB directory: resource temporarily unavailable'],
  ])('(e) Prometheus answering %i → warning carries the error', async (status, errorType, error) => {
    const srv = await errorServer(status, errorType, error);
    closers.push(srv.close);
    useEnv({ PROMETHEUS_URL: srv.url, KUBECONFIG: kubeconfig });
    const r = await graph();
    expect(r.status).toBe(200);
    const ws = warningsOf(r.body, 'prometheus');
    expect(
      ws.some((w) => w.message.includes(error)),
      JSON.stringify(ws),
    ).toBe(true);
    expect((r.body as MeshGraph).nodes.length).toBeGreaterThan(0);
  });

  it('(f) the route forwards the abort signal: the handler settles with a cancellation', async () => {
    // Prometheus never answers and its timeout is the maximum: only the caller's abort can end this.
    const hole = await blackHole();
    closers.push(hole.close);
    useEnv({ PROMETHEUS_URL: hole.url, PROMETHEUS_TIMEOUT_MS: '300000', KUBECONFIG: kubeconfig });
    const ac = new AbortController();
    const pending = graphGET(new Request(`http://x/api/graph?${freshWindow()}`, { signal: ac.signal }));
    setTimeout(() => ac.abort(), 300);
    const res = await pending;
    expect(res.status).toBe(499);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(((await res.json()) as { error: string }).error).toMatch(/cancel/);

    // already aborted before the call
    const ac2 = new AbortController();
    ac2.abort();
    const res2 = await graphGET(new Request(`http://x/api/graph?${freshWindow()}`, { signal: ac2.signal }));
    expect(res2.status).toBe(499);
  });
});

describe('Kubernetes API stopped mid-use', () => {
  it('(g) serves stale data with a warning while the API is down; warnings clear by themselves after resume', async () => {
    const s = await sim();
    useEnv({ PROMETHEUS_URL: prom, KUBECONFIG: s.kubeconfigPath });
    const query = freshWindow();
    const fresh = async () => {
      resetMeshDataCacheForTests(); // the informer cache is kept: that is what is under test
      return graph(query);
    };
    const before = await fresh();
    expect(before.status).toBe(200);
    expect(warningsOf(before.body, 'kubernetes')).toEqual([]);
    const nodesBefore = (before.body as MeshGraph).nodes.map((n) => n.id).sort();

    await s.suspend();
    let during: Awaited<ReturnType<typeof fresh>> | undefined;
    try {
      for (let i = 0; i < 60; i++) {
        during = await fresh();
        if (warningsOf(during.body, 'kubernetes').length > 0) break;
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      await s.resume();
    }
    expect(during!.status).toBe(200);
    const ws = warningsOf(during!.body, 'kubernetes');
    expect(ws.length, 'a kubernetes warning while the API is down').toBeGreaterThan(0);
    expect(ws.some((w) => /last known data|stale/i.test(w.message))).toBe(true);
    // stale data is still served: same nodes, same modes
    expect((during!.body as MeshGraph).nodes.map((n) => n.id).sort()).toEqual(nodesBefore);
    expect((during!.body as MeshGraph).nodes.find((n) => n.name === 'cart')?.mode).toBe('ambient');

    // recovery without any intervention (informer backoff); poll up to ~40 s
    let after: Awaited<ReturnType<typeof fresh>> | undefined;
    for (let i = 0; i < 80; i++) {
      after = await fresh();
      if (warningsOf(after.body, 'kubernetes').length === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(warningsOf(after!.body, 'kubernetes')).toEqual([]);
    expect((after!.body as MeshGraph).nodes.map((n) => n.id).sort()).toEqual(nodesBefore);
  });
});

describe('/api/healthz', () => {
  it('(h) Prometheus down → 200, degraded, says which upstream is down', async () => {
    useEnv({ PROMETHEUS_URL: await closedPortUrl(), KUBECONFIG: kubeconfig });
    const r = await call(healthGET, '/api/healthz');
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body).toMatchObject({ status: 'degraded', prometheus: { ok: false }, kubernetes: { ok: true } });
    expect(typeof r.body.prometheus.error).toBe('string');
  });

  it('(h) Kubernetes API down → 200, degraded, kubernetes not ok', async () => {
    useEnv({ PROMETHEUS_URL: prom, KUBECONFIG: await deadKubeconfig(), KUBE_TIMEOUT_MS: '3000' });
    const r = await call(healthGET, '/api/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'degraded', prometheus: { ok: true }, kubernetes: { ok: false } });
    expect(typeof r.body.kubernetes.error).toBe('string');
  });

  it('(h) Prometheus black-holed → healthz still answers (probe timeout), degraded', async () => {
    const hole = await blackHole();
    closers.push(hole.close);
    useEnv({ PROMETHEUS_URL: hole.url, KUBECONFIG: kubeconfig });
    const r = await call(healthGET, '/api/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'degraded', prometheus: { ok: false }, kubernetes: { ok: true } });
  });
});

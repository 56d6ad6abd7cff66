// Integration: how many Prometheus calls a graph costs, counted by Prometheus itself
// (prometheus_http_requests_total of its query handlers, bench/prom-self.ts), and the latency split
// (docs/api.md `omit`): a graph without latency is the full graph minus the latency fields, and an edge's
// latency is the same whether the whole mesh or one of its namespaces was asked.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { GET as graphGET } from '@/app/api/graph/route';
import { GET as namespacesGET } from '@/app/api/namespaces/route';
import { diffPromSelf, readPromSelf } from '@/bench/prom-self';
import { withoutDetail } from '@/lib/api/detail';
import { latencyFailure } from '@/lib/graph/latency';
import type { NamespaceRow } from '@/lib/mesh/namespaces';
import type { GraphEdge, MeshGraph } from '@/lib/mesh/types';
import { buildGraphQueries, buildVersionQueries } from '@/lib/prometheus/queries';
import { resetMeshDataCacheForTests } from '@/lib/server/mesh-data';
import { call, iso, restoreEnv, useEnv } from './helpers';

let T: number;
let promUrl: string;
/** Every test asks its own window so no answer comes from the server's 5 s cache. */
let nextEnd: number;
const windowParams = () => {
  const end = nextEnd;
  nextEnd -= 60;
  return `start=${iso(end - 900)}&end=${iso(end)}`;
};

const ALL = buildGraphQueries({ windowSeconds: 900 }).length;
const TRAFFIC = buildGraphQueries({ windowSeconds: 900, parts: ['traffic'] }).length;

async function callsDuring(fn: () => Promise<unknown>): Promise<number> {
  const before = await readPromSelf(promUrl);
  await fn();
  return diffPromSelf(before, await readPromSelf(promUrl)).queryRequests;
}

async function graph(params: string): Promise<MeshGraph> {
  const r = await call(graphGET, `/api/graph?${params}`);
  expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
  return r.body as MeshGraph;
}

beforeAll(() => {
  T = inject('anchorUnix');
  nextEnd = T - 600;
  promUrl = inject('promIstioSampleUrl');
  useEnv({ PROMETHEUS_URL: promUrl, KUBECONFIG: inject('kubeconfigPath') });
});
beforeEach(() => resetMeshDataCacheForTests());
afterAll(() => restoreEnv());

describe('Prometheus calls per graph (Prometheus’ own count)', () => {
  it('the demo mesh has several namespaces, so a per-namespace query pattern would show', async () => {
    const g = await graph(windowParams());
    expect(new Set(g.nodes.map((n) => n.namespace)).size).toBeGreaterThanOrEqual(4);
  });
  it('whole mesh, one namespace and four namespaces cost the same fixed number of calls', async () => {
    const g = await graph(windowParams());
    const namespaces = [...new Set(g.nodes.map((n) => n.namespace))].filter(Boolean).sort();
    resetMeshDataCacheForTests();
    // A fixed query set, whatever the number of namespaces (docs/engineering.md B4).
    expect(ALL).toBeLessThanOrEqual(8);
    expect(await callsDuring(() => graph(windowParams()))).toBe(ALL);
    expect(await callsDuring(() => graph(`${windowParams()}&namespaces=${namespaces[0]}`))).toBe(ALL);
    expect(await callsDuring(() => graph(`${windowParams()}&namespaces=${namespaces.slice(0, 4).join(',')}`))).toBe(ALL);
  });
  it('omit=latency skips the histogram queries; the full graph of the same window then reads only those', async () => {
    const w = windowParams();
    expect(await callsDuring(() => graph(`${w}&omit=latency`))).toBe(TRAFFIC);
    expect(await callsDuring(() => graph(w))).toBe(ALL - TRAFFIC);
    expect(TRAFFIC).toBeLessThan(ALL);
  });
  it('the overview reads (namespaces) never read the histogram: the traffic queries and the per-version request query', async () => {
    const versionTraffic = buildVersionQueries({ windowSeconds: 900, parts: ['traffic'] }).length;
    expect(versionTraffic).toBe(1);
    expect(await callsDuring(() => call(namespacesGET, `/api/namespaces?${windowParams()}`))).toBe(TRAFFIC + versionTraffic);
  });
});

describe("the graph page's namespace picker: /api/namespaces?omit=traffic (docs/api.md §4.3)", () => {
  type Row = NamespaceRow & { telemetryOnly: boolean };
  it('costs no Prometheus call, where the whole-mesh answer costs the traffic and per-version queries', async () => {
    const w = windowParams();
    const versionTraffic = buildVersionQueries({ windowSeconds: 900, parts: ['traffic'] }).length;
    expect(await callsDuring(() => call(namespacesGET, `/api/namespaces?${w}`))).toBe(TRAFFIC + versionTraffic);
    resetMeshDataCacheForTests();
    let r: Awaited<ReturnType<typeof call>> | undefined;
    expect(await callsDuring(async () => (r = await call(namespacesGET, `/api/namespaces?${windowParams()}&omit=traffic`)))).toBe(0);
    expect(r!.status).toBe(200);
    expect(r!.body.omitted).toEqual(['traffic']);
    expect(r!.body.mesh).toBeUndefined();
    // The page asks it without a window (the picker does not depend on one): still nothing from Prometheus.
    expect(await callsDuring(() => call(namespacesGET, '/api/namespaces?omit=traffic'))).toBe(0);
  });
  it('has the rows the whole-mesh answer has for every namespace the Kubernetes API knows, without the traffic', async () => {
    const w = windowParams();
    const full = (await call(namespacesGET, `/api/namespaces?${w}`)).body.namespaces as Row[];
    const inventory = (await call(namespacesGET, `/api/namespaces?${w}&omit=traffic`)).body.namespaces as Row[];
    const known = full.filter((n) => !n.telemetryOnly);
    expect(known.length).toBeGreaterThanOrEqual(5);
    expect(inventory.map((n) => n.name)).toEqual(known.map((n) => n.name));
    for (const row of inventory) expect(row).not.toHaveProperty('edges');
    const pick = (n: Row) => ({ name: n.name, mode: n.mode, intent: n.intent, workloads: n.workloads, pods: n.pods, waypoints: n.waypoints, system: n.system });
    expect(inventory.map(pick)).toEqual(known.map(pick));
    const filtered = (await call(namespacesGET, `/api/namespaces?${w}&omit=traffic&namespaces=shop,legacy`)).body.namespaces as Row[];
    expect(filtered.map((n) => n.name)).toEqual(['legacy', 'shop']);
  });
  it('a bad omit is a 400 naming omit; trends with omit=traffic a 400 naming trends', async () => {
    const bad = await call(namespacesGET, `/api/namespaces?omit=edges`);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'omit may list traffic (got "edges")', parameter: 'omit' });
    const trends = await call(namespacesGET, `/api/namespaces?omit=traffic&trends=true`);
    expect(trends.status).toBe(400);
    expect(trends.body.parameter).toBe('trends');
  });
});

const LAT = ['p50Ms', 'p95Ms', 'p99Ms', 'meanMs'] as const;
function strip(e: GraphEdge): GraphEdge {
  const drop = <T extends { rates: GraphEdge['rates'] }>(x: T): T => {
    const rates = { ...x.rates };
    for (const f of LAT) delete rates[f];
    return { ...x, rates };
  };
  return { ...drop(e), ...(e.slices ? { slices: e.slices.map(drop) } : {}) };
}

describe("omit=detail (the page's own request: omit=detail,latency)", () => {
  it("is the same graph without the edges' reporters, principals and rate sources, and says so", async () => {
    const w = windowParams();
    const full = await graph(`${w}&omit=latency`);
    const lean = await graph(`${w}&omit=detail,latency`);
    expect(lean.omitted).toEqual(['detail', 'latency']);
    expect(lean.nodes).toEqual(full.nodes);
    expect(full.edges.filter((e) => e.reporters && e.reporters.length > 0).length).toBe(full.edges.length);
    expect(full.edges.some((e) => e.principals) && full.edges.some((e) => e.rateSources)).toBe(true);
    expect(lean.edges).toEqual(full.edges.map((e) => withoutDetail({ ...full, edges: [e] }).edges[0]));
    expect(lean.edges.some((e) => e.reporters ?? e.principals ?? e.rateSources ?? e.slices?.some((x) => x.rateSources))).toBe(false);
    expect(JSON.stringify(lean).length).toBeLessThan(JSON.stringify(full).length * 0.8);
  });
  it('costs no Prometheus call of its own: the lean and the full answers of one window are one computation', async () => {
    const w = windowParams();
    expect(await callsDuring(() => graph(`${w}&omit=detail,latency`))).toBe(TRAFFIC);
    expect(await callsDuring(() => graph(`${w}&omit=latency`))).toBe(0);
    expect(await callsDuring(() => graph(`${w}&omit=detail`))).toBe(ALL - TRAFFIC);
  });
});

describe('omit=latency', () => {
  it('is the full graph without the latency fields, and says so', async () => {
    const w = windowParams();
    const full = await graph(w);
    resetMeshDataCacheForTests();
    const lean = await graph(`${w}&omit=latency`);
    expect(full.omitted).toBeUndefined();
    expect(lean.omitted).toEqual(['latency']);
    expect(lean.nodes).toEqual(full.nodes);
    expect(lean.edges).toEqual(full.edges.map(strip));
    expect(full.edges.filter((e) => e.rates.p95Ms !== undefined).length).toBeGreaterThan(3);
    expect(lean.edges.some((e) => LAT.some((f) => e.rates[f] !== undefined))).toBe(false);
  });
  it("an edge's latency is the same in the whole-mesh graph and in the graph of either end's namespace", async () => {
    const w = windowParams();
    const full = await graph(w);
    const ns = (id: string) => full.nodes.find((n) => n.id === id)!.namespace;
    const withLatency = full.edges.filter((e) => e.rates.p95Ms !== undefined);
    let compared = 0;
    for (const namespace of [...new Set(withLatency.flatMap((e) => [ns(e.source), ns(e.target)]))].filter(Boolean)) {
      const part = await graph(`${w}&namespaces=${namespace}`);
      for (const e of withLatency.filter((x) => ns(x.source) === namespace || ns(x.target) === namespace)) {
        const p = part.edges.find((x) => x.id === e.id);
        expect(p, `${e.id} in namespaces=${namespace}`).toBeDefined();
        for (const f of LAT) expect(p!.rates[f], `${e.id} ${f} in namespaces=${namespace}`).toBe(e.rates[f]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(withLatency.length);
  });
  it('a bad omit value is a 400 naming the parameter', async () => {
    const r = await call(graphGET, `/api/graph?${windowParams()}&omit=nodes`);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('omit');
  });
});

/**
 * A pass-through to Prometheus that holds every answer for `delayMs` (a slow upstream, on demand) and answers a
 * query whose URL or body matches `fail` with Prometheus' own timeout error.
 */
async function slowProxy(target: string): Promise<{ url: string; delayMs: number; fail?: RegExp; close(): Promise<void> }> {
  const state: { delayMs: number; fail?: RegExp } = { delayMs: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (state.fail?.test(decodeURIComponent(`${req.url ?? ''} ${Buffer.concat(chunks).toString().replace(/\+/g, ' ')}`))) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' }));
        return;
      }
      setTimeout(() => {
        const up = http.request(new URL(req.url ?? '/', target), { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        up.on('error', () => res.destroy());
        up.end(Buffer.concat(chunks));
      }, state.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

describe('latency queries failing while the traffic queries answer', () => {
  it('the graph says so in the one warning the page reads as "latency unavailable" (lib/graph/latency.ts latencyFailure)', async () => {
    const proxy = await slowProxy(promUrl);
    try {
      proxy.fail = /istio_request_duration_milliseconds/;
      useEnv({ PROMETHEUS_URL: proxy.url, KUBECONFIG: inject('kubeconfigPath') });
      const g = await graph(windowParams());
      expect(latencyFailure(g)).toMatch(/^latency queries failed: .*timed out.*; these numbers are missing$/);
      expect(g.edges.filter((e) => e.telemetry === 'l7').length).toBeGreaterThan(3);
      expect(g.edges.some((e) => e.rates.p95Ms !== undefined || e.rates.meanMs !== undefined)).toBe(false);
      expect(g.edges.some((e) => (e.rates.rps ?? 0) > 0)).toBe(true);
      proxy.fail = undefined;
      resetMeshDataCacheForTests();
      expect(latencyFailure(await graph(windowParams()))).toBeUndefined();
    } finally {
      await proxy.close();
      useEnv({ PROMETHEUS_URL: promUrl, KUBECONFIG: inject('kubeconfigPath') });
    }
  });
});

describe('rolling windows: stale-while-revalidate', () => {
  // range=15m is aligned to a 15 s step (lib/server/mesh-data.ts alignGraphQuery).
  const R15 = '/api/graph?range=15m&omit=latency';
  const STEP = 15;
  const untilNextStep = () => (STEP - ((Date.now() / 1000) % STEP)) * 1000;
  it('while the next step computes, every poller gets the previous answer marked stale, and Prometheus sees one computation', async () => {
    const proxy = await slowProxy(promUrl);
    try {
      useEnv({ PROMETHEUS_URL: proxy.url, KUBECONFIG: inject('kubeconfigPath') });
      const first = await call(graphGET, R15);
      expect(first.status).toBe(200);
      expect((first.body as MeshGraph).stale).toBeUndefined();
      // The next step's computation is slow.
      proxy.delayMs = 1500;
      await new Promise((r) => setTimeout(r, untilNextStep() + 500));
      const calls = await callsDuring(async () => {
        const polls = await Promise.all(Array.from({ length: 20 }, () => call(graphGET, R15)));
        for (const p of polls) {
          expect(p.status).toBe(200);
          const g = p.body as MeshGraph;
          expect(g.stale?.ageSeconds).toBeGreaterThanOrEqual(0);
          expect(g.window).toEqual((first.body as MeshGraph).window);
          expect(g.edges.length).toBe((first.body as MeshGraph).edges.length);
        }
        // The graph page asks for the compressed bytes: the same graph, `stale` in a header, the bytes shared by every poll.
        const gz = await Promise.all(
          [0, 1].map(async () => {
            const res = await graphGET(new Request(`http://x${R15}`, { headers: { accept: 'application/gzip, application/json;q=0.9' } }));
            return { res, bytes: Buffer.from(await res.arrayBuffer()) };
          }),
        );
        for (const { res, bytes } of gz) {
          expect(res.headers.get('content-type')).toBe('application/gzip');
          expect(JSON.parse(res.headers.get('x-meshglass-stale')!).ageSeconds).toBeGreaterThanOrEqual(0);
          const g = JSON.parse(gunzipSync(bytes).toString('utf8')) as MeshGraph;
          expect(g.stale).toBeUndefined();
          expect(g.window).toEqual((first.body as MeshGraph).window);
        }
        expect(gz[0]!.bytes.equals(gz[1]!.bytes)).toBe(true);
        // The computation went on without any waiting request: the next poll gets its answer, not stale.
        await expect.poll(async () => (await call(graphGET, R15)).body.stale, { timeout: 30_000, interval: 500 }).toBeUndefined();
      });
      expect(calls).toBe(TRAFFIC);
    } finally {
      await proxy.close();
      useEnv({ PROMETHEUS_URL: promUrl, KUBECONFIG: inject('kubeconfigPath') });
    }
  });
  it('polls within one step share one computation, also after the 5 s result cache has expired', async () => {
    await new Promise((r) => setTimeout(r, untilNextStep() + 500));
    const calls = await callsDuring(async () => {
      expect((await call(graphGET, R15)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 6000));
      const again = await call(graphGET, R15);
      expect(again.status).toBe(200);
      expect(again.body.stale).toBeUndefined();
    });
    expect(calls).toBe(TRAFFIC);
  });
  it('one computation at a time per rolling window: a poll of the next step while the previous one computes starts none', async () => {
    const proxy = await slowProxy(promUrl);
    try {
      useEnv({ PROMETHEUS_URL: proxy.url, KUBECONFIG: inject('kubeconfigPath') });
      const first = await call(graphGET, R15);
      expect(first.status).toBe(200);
      proxy.delayMs = 6000;
      // Step N must be a later step than the first answer's.
      await new Promise((r) => setTimeout(r, untilNextStep() + 500));
      const calls = await callsDuring(async () => {
        // Late in step N, its computation starts (6 s, slow upstream); the poll is answered stale.
        if (untilNextStep() > 3000) await new Promise((r) => setTimeout(r, untilNextStep() - 3000));
        expect((await call(graphGET, R15)).body.stale).toBeDefined();
        // Step N+1 while step N still computes: stale again, and no second computation starts.
        await new Promise((r) => setTimeout(r, untilNextStep() + 500));
        const later = await call(graphGET, R15);
        expect(later.status).toBe(200);
        expect(later.body.stale).toBeDefined();
        // Step N's computation lands; nothing else ran meanwhile.
        await new Promise((r) => setTimeout(r, 7000));
      });
      expect(calls).toBe(TRAFFIC);
    } finally {
      await proxy.close();
      useEnv({ PROMETHEUS_URL: promUrl, KUBECONFIG: inject('kubeconfigPath') });
    }
  });
  it('a slow rolling window rests twice its last duration before the next computation; pollers meanwhile get the last answer at once, told when to ask again', async () => {
    const proxy = await slowProxy(promUrl);
    try {
      useEnv({ PROMETHEUS_URL: proxy.url, KUBECONFIG: inject('kubeconfigPath') });
      // A computation of ~2 s that ends just after a step boundary.
      proxy.delayMs = 2000;
      await new Promise((r) => setTimeout(r, untilNextStep() + (STEP - 1.5) * 1000));
      const first = await call(graphGET, R15);
      expect(first.status).toBe(200);
      expect(first.body.stale).toBeUndefined();
      const calls = await callsDuring(async () => {
        // A newer step, within the rest (2 × ~2 s): the last answer, no computation.
        const poll = await call(graphGET, R15);
        expect(poll.status).toBe(200);
        const stale = (poll.body as MeshGraph).stale;
        expect(stale).toBeDefined();
        expect((poll.body as MeshGraph).window).toEqual((first.body as MeshGraph).window);
        // The next answer is ~3 durations away (the rest, then the computation).
        expect(stale!.retryAfterSeconds).toBeGreaterThanOrEqual(4);
        expect(stale!.retryAfterSeconds).toBeLessThanOrEqual(60);
      });
      expect(calls).toBe(0);
      // After the rest, the next poll starts the computation (and gets the last answer while it runs).
      await new Promise((r) => setTimeout(r, 6000));
      const after = await callsDuring(async () => {
        expect((await call(graphGET, R15)).body.stale).toBeDefined();
        await new Promise((r) => setTimeout(r, 4000));
      });
      expect(after).toBe(TRAFFIC);
    } finally {
      await proxy.close();
      useEnv({ PROMETHEUS_URL: promUrl, KUBECONFIG: inject('kubeconfigPath') });
    }
  });
  it('absolute windows are never answered stale', async () => {
    const w = windowParams();
    await graph(w);
    resetMeshDataCacheForTests({ keepRecent: true });
    expect((await graph(w)).stale).toBeUndefined();
  });
});

// Integration: how many Prometheus calls a graph costs, counted by Prometheus itself
// (prometheus_http_requests_total of its query handlers, bench/prom-self.ts), and the latency split
// (docs/api.md `omit`): a graph without latency is the full graph minus the latency fields, and an edge's
// latency is the same whether the whole mesh or one of its namespaces was asked.
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { GET as graphGET } from '@/app/api/graph/route';
import { GET as namespacesGET } from '@/app/api/namespaces/route';
import { diffPromSelf, readPromSelf } from '@/bench/prom-self';
import type { GraphEdge, MeshGraph } from '@/lib/mesh/types';
import { buildGraphQueries } from '@/lib/prometheus/queries';
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
  it('the overview reads (namespaces) never read the histogram', async () => {
    expect(await callsDuring(() => call(namespacesGET, `/api/namespaces?${windowParams()}`))).toBe(TRAFFIC);
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

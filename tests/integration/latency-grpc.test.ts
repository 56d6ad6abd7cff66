// Integration (issue 12 cases 4 and 5): latency percentiles, mean and gRPC error rate of /api/graph and
// /api/edge-series against a REAL Prometheus as the oracle. promtool backfills histograms whose low
// buckets are empty for several edges and a gRPC edge whose failed calls carry HTTP 200
// (docs/istio-telemetry.md §7); the API's numbers are compared with Prometheus' own histogram_quantile,
// sum(increase(_sum))/sum(increase(_count)) and a direct count of grpc_response_status!="0" over the same
// window. Kubernetes: the shared demo-cluster simulator of global-setup.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GET as graphGET } from '@/app/api/graph/route';
import { GET as edgeSeriesGET } from '@/app/api/edge-series/route';
import { freePort } from '@/tests/helpers/free-port';
import { histogramQuantile, parseLe } from '@/lib/mesh/rates';
import type { GraphEdge, MeshGraph } from '@/lib/mesh/types';
import { call, findEdge, findNode, promQuery, relClose, restoreEnv, useEnv } from './helpers';

const run = promisify(execFile);
const STEP = 15;
// Window end T: a whole minute, two minutes in the past (the backfill ends there); window 5 minutes.
const T = Math.floor(Date.now() / 1000 / 60) * 60 - 120;
const START = T - 1800;
const W = 300;

// Istio's default duration buckets (ms).
const LE = [
  '0.5',
  '1',
  '5',
  '10',
  '25',
  '50',
  '100',
  '250',
  '500',
  '1000',
  '2500',
  '5000',
  '10000',
  '30000',
  '60000',
  '300000',
  '600000',
  '1800000',
  '3600000',
  '+Inf',
];

interface EdgeData {
  name: string;
  src: [string, string];
  dst: [string, string];
  protocol: 'http' | 'grpc';
  /** Requests per scrape step, by response_code (http) or grpc_response_status (grpc, response_code 200). */
  perStep: Record<string, number>;
  /** Observations per scrape step by bucket upper bound (non-cumulative); buckets not named stay 0. */
  latency: Record<string, number>;
  /** _sum increment per step (ms). */
  sumPerStep: number;
}

// Destinations are sidecar workloads of the demo cluster, so reporter="destination" is their Envoy.
const EDGES: EdgeData[] = [
  // all in (50, 250]: every bucket up to 50 ms is empty (the 92 vs 83 ms case)
  {
    name: 'payments-api→ledger',
    src: ['payments', 'payments-api'],
    dst: ['payments', 'ledger'],
    protocol: 'http',
    perStep: { '200': 9, '503': 1 },
    latency: { '100': 6, '250': 4 },
    sumPerStep: 6 * 80 + 4 * 160,
  },
  // a long tail, empty up to 25 ms and between 500 and 1000 ms
  {
    name: 'batch-export→ledger',
    src: ['payments', 'batch-export'],
    dst: ['payments', 'ledger'],
    protocol: 'http',
    perStep: { '200': 10 },
    latency: { '50': 6, '500': 3, '2500': 1 },
    sumPerStep: 6 * 40 + 3 * 300 + 1 * 1500,
  },
  // gRPC: failed calls with HTTP 200 (14 UNAVAILABLE, 4 DEADLINE_EXCEEDED); latency empty up to 5 ms
  {
    name: 'cart→payments-api (gRPC)',
    src: ['shop', 'cart'],
    dst: ['payments', 'payments-api'],
    protocol: 'grpc',
    perStep: { '0': 16, '14': 3, '4': 1 },
    latency: { '25': 12, '100': 6, '250': 2 },
    sumPerStep: 12 * 18 + 6 * 60 + 2 * 120,
  },
];

function labelsOf(e: EdgeData): Record<string, string> {
  return {
    reporter: 'destination',
    source_workload: e.src[1],
    source_workload_namespace: e.src[0],
    source_cluster: 'Kubernetes',
    destination_workload: e.dst[1],
    destination_workload_namespace: e.dst[0],
    destination_service: `${e.dst[1]}.${e.dst[0]}.svc.cluster.local`,
    destination_service_name: e.dst[1],
    destination_service_namespace: e.dst[0],
    destination_cluster: 'Kubernetes',
    connection_security_policy: 'mutual_tls',
    request_protocol: e.protocol,
    response_flags: '-',
    job: 'envoy-stats',
    instance: `10.9.0.${EDGES.indexOf(e) + 1}:15020`,
  };
}
const fmt = (l: Record<string, string>) =>
  Object.entries(l)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');

function openMetrics(): string {
  const lines: string[] = ['# TYPE istio_requests counter'];
  for (const e of EDGES) {
    for (const [code, n] of Object.entries(e.perStep)) {
      const l = e.protocol === 'grpc' ? { ...labelsOf(e), response_code: '200', grpc_response_status: code } : { ...labelsOf(e), response_code: code };
      for (let t = START, i = 0; t <= T; t += STEP, i++) lines.push(`istio_requests_total{${fmt(l)}} ${i * n} ${t}`);
    }
  }
  lines.push('# TYPE istio_request_duration_milliseconds histogram');
  for (const e of EDGES) {
    const l = fmt({ ...labelsOf(e), response_code: '200' });
    const perStep = Object.values(e.latency).reduce((a, b) => a + b, 0);
    for (let t = START, i = 0; t <= T; t += STEP, i++) {
      let cum = 0;
      for (const le of LE) {
        cum += e.latency[le] ?? 0;
        lines.push(`istio_request_duration_milliseconds_bucket{${l},le="${le}"} ${i * cum} ${t}`);
      }
      lines.push(`istio_request_duration_milliseconds_sum{${l}} ${i * e.sumPerStep} ${t}`);
      lines.push(`istio_request_duration_milliseconds_count{${l}} ${i * perStep} ${t}`);
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

let dir: string;
let prom: ChildProcess | undefined;
let promUrl: string;
let graph: MeshGraph;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'meshglass-latency-'));
  const om = path.join(dir, 'data.om');
  writeFileSync(om, openMetrics());
  await run('/usr/bin/promtool', ['tsdb', 'create-blocks-from', 'openmetrics', om, path.join(dir, 'tsdb')]);
  writeFileSync(path.join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  prom = spawn(
    '/usr/bin/prometheus',
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=30d',
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`${promUrl}/-/ready`)
        .then((r) => r.ok)
        .catch(() => false)
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  useEnv({ PROMETHEUS_URL: promUrl, KUBECONFIG: inject('kubeconfigPath') });
  const res = await call(graphGET, `/api/graph?start=${T - W}&end=${T}`);
  expect(res.status).toBe(200);
  graph = res.body as MeshGraph;
}, 60_000);

afterAll(async () => {
  restoreEnv();
  prom?.kill('SIGTERM');
  if (prom && prom.exitCode === null) await new Promise((r) => prom?.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
});

const selector = (e: EdgeData) =>
  `{reporter="destination", source_workload_namespace="${e.src[0]}", source_workload="${e.src[1]}", destination_workload_namespace="${e.dst[0]}", destination_workload="${e.dst[1]}"}`;
async function scalar(q: string): Promise<number> {
  const r = await promQuery(promUrl, q, T);
  expect(r, q).toHaveLength(1);
  return r[0]!.value;
}
function apiEdge(e: EdgeData): GraphEdge {
  const found = findEdge(graph, findNode(graph, 'workload', e.src[1], e.src[0]), findNode(graph, 'workload', e.dst[1], e.dst[0]));
  expect(found, e.name).toBeDefined();
  return found!;
}

describe('latency as Prometheus computes it (histograms with empty low buckets)', () => {
  it.each(EDGES)('$name: p50/p95/p99 equal histogram_quantile, mean equals sum/count', async (e) => {
    const edge = apiEdge(e);
    expect(edge.rateSources?.l7).toBe('destination');
    const bucketsQ = `sum by (le) (increase(istio_request_duration_milliseconds_bucket${selector(e)}[${W}s]))`;
    const rows: string[] = [];
    for (const [q, key] of [
      [0.5, 'p50Ms'],
      [0.95, 'p95Ms'],
      [0.99, 'p99Ms'],
    ] as const) {
      const oracle = await scalar(`histogram_quantile(${q}, ${bucketsQ})`);
      const api = edge.rates[key];
      rows.push(`${key} api=${api} prometheus=${oracle}`);
      expect(relClose(api, oracle, 1e-9), `${e.name} ${key}: api ${api} vs Prometheus ${oracle}`).toBe(true);
    }
    const mean = await scalar(
      `sum(increase(istio_request_duration_milliseconds_sum${selector(e)}[${W}s])) / sum(increase(istio_request_duration_milliseconds_count${selector(e)}[${W}s]))`,
    );
    rows.push(`meanMs api=${edge.rates.meanMs} prometheus=${mean}`);
    expect(relClose(edge.rates.meanMs, mean, 1e-9), `${e.name} mean: api ${edge.rates.meanMs} vs Prometheus ${mean}`).toBe(true);
    // The fix has teeth: p50 falls in the first non-empty bucket of each of these edges, so dropping the zero
    // buckets (the old `> 0`) would interpolate it from 0 and move it.
    const buckets = await promQuery(promUrl, bucketsQ, T);
    expect(buckets.filter((b) => b.value === 0).length).toBeGreaterThan(0);
    const nonZero = buckets.filter((b) => b.value > 0).map((b) => ({ upperBound: parseLe(b.metric.le)!, count: b.value }));
    const old = histogramQuantile(0.5, nonZero);
    rows.push(`p50 with zero buckets dropped (old)=${old}`);
    expect(Math.abs(old - edge.rates.p50Ms!)).toBeGreaterThan(1);
    console.log(`latency ${e.name}: ${rows.join('; ')}`);
  });
});

describe('gRPC failures count as errors (HTTP 200, grpc_response_status ≠ 0)', () => {
  const grpc = EDGES[2]!;

  it('errorRate equals the share of grpc_response_status!="0"; statuses by code name', async () => {
    const edge = apiEdge(grpc);
    expect(edge.protocol).toBe('grpc');
    const oracle = await scalar(
      `sum(increase(istio_requests_total${selector(grpc).replace('}', ', grpc_response_status!="0"}')}[${W}s])) / sum(increase(istio_requests_total${selector(grpc)}[${W}s]))`,
    );
    console.log(`gRPC ${grpc.name}: errorRate api=${edge.rates.errorRate} prometheus=${oracle}; statuses=${JSON.stringify(edge.statuses)}`);
    expect(oracle).toBeCloseTo(4 / 20, 9);
    expect(relClose(edge.rates.errorRate, oracle, 1e-9)).toBe(true);
    const rps = await scalar(`sum(increase(istio_requests_total${selector(grpc)}[${W}s])) / ${W}`);
    expect(relClose(edge.rates.rps, rps, 1e-9)).toBe(true);
    expect(Object.keys(edge.statuses?.grpc ?? {}).sort()).toEqual(['DEADLINE_EXCEEDED', 'OK', 'UNAVAILABLE']);
    expect(edge.statuses?.http).toBeUndefined();
    const unavailable = await scalar(`sum(increase(istio_requests_total${selector(grpc).replace('}', ', grpc_response_status="14"}')}[${W}s])) / ${W}`);
    expect(relClose(edge.statuses?.grpc?.UNAVAILABLE, unavailable, 1e-9)).toBe(true);
    // HTTP edge next to it: 5xx rule unchanged
    const http = apiEdge(EDGES[0]!);
    expect(http.rates.errorRate).toBeCloseTo(0.1, 9);
    expect(Object.keys(http.statuses?.http ?? {}).sort()).toEqual(['200', '503']);
  });

  it('the sparkline API agrees: its errorRate points are the same share', async () => {
    const edge = apiEdge(grpc);
    const res = await call(edgeSeriesGET, `/api/edge-series?edge=${encodeURIComponent(edge.id)}&start=${T - W}&end=${T}&points=10`);
    expect(res.status).toBe(200);
    const points = (res.body.series.errorRate as (number | null)[]).filter((v): v is number => v !== null);
    console.log(`gRPC sparkline errorRate points: ${JSON.stringify(points)}`);
    expect(points.length).toBeGreaterThan(0);
    for (const p of points) expect(p).toBeCloseTo(edge.rates.errorRate!, 9);
  });
});

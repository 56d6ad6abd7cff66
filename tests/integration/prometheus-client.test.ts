// Integration: lib/prometheus against a real Prometheus (promtool backfill of an inline OpenMetrics
// file), plus loopback servers for timeouts, cancellation, auth headers and partial failures.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/tests/helpers/free-port';
import type { PrometheusConfig } from '@/lib/config/parse';
import { PrometheusClient, PrometheusError } from '@/lib/prometheus/client';
import { buildSelectionSeriesQueries, chooseStep } from '@/lib/prometheus/queries';
import { fetchTelemetry } from '@/lib/prometheus/telemetry';
import { ensureTls } from '@/demo/kube-sim/tls';

const run = promisify(execFile);
const STEP = 15;
// Window end T: a whole minute, two minutes in the past (the backfill ends there).
const T = Math.floor(Date.now() / 1000 / 60) * 60 - 120;
const START = T - 1800;

function cfg(url: string, extra: Partial<PrometheusConfig> = {}): PrometheusConfig {
  return { url, timeoutMs: 10_000, tlsSkipVerify: false, metricPrefix: '', ...extra };
}

type Series = { name: string; labels: Record<string, string>; perStep: number };
const edge = (src: string, dst: string, ns: string, extra: Record<string, string> = {}) => ({
  reporter: 'destination',
  source_workload: src,
  source_workload_namespace: ns,
  source_cluster: 'Kubernetes',
  destination_workload: dst,
  destination_workload_namespace: ns,
  destination_service_namespace: ns,
  destination_service: `${dst}.${ns}.svc.cluster.local`,
  destination_cluster: 'Kubernetes',
  connection_security_policy: 'mutual_tls',
  ...extra,
});
const series: Series[] = [
  // 10 requests per 15 s = 0.667 rps, reported by cart's sidecar
  {
    name: 'istio_requests_total',
    perStep: 10,
    labels: {
      ...edge('web', 'cart', 'shop'),
      request_protocol: 'http',
      response_code: '200',
      instance: '10.0.0.5:15020',
      job: 'envoy-stats',
      pod: 'cart-1',
      namespace: 'shop',
      app: 'cart',
    },
  },
  {
    name: 'istio_requests_total',
    perStep: 1,
    labels: {
      ...edge('web', 'cart', 'shop'),
      request_protocol: 'http',
      response_code: '503',
      instance: '10.0.0.5:15020',
      job: 'envoy-stats',
      pod: 'cart-1',
      namespace: 'shop',
      app: 'cart',
    },
  },
  // idle edge: constant counter, must be dropped by "> 0"
  {
    name: 'istio_requests_total',
    perStep: 0,
    labels: { ...edge('web', 'idle', 'shop'), request_protocol: 'http', response_code: '200', instance: '10.0.0.6:15020', job: 'envoy-stats' },
  },
  // ztunnel L4 in namespace "pay.ments" and a decoy "payXments" that an unescaped regex would also match
  {
    name: 'istio_tcp_connections_opened_total',
    perStep: 3,
    labels: {
      ...edge('api', 'ledger', 'pay.ments', { connection_security_policy: 'unknown' }),
      request_protocol: 'tcp',
      response_flags: '-',
      instance: '10.0.1.2:15020',
      job: 'ztunnel',
      pod: 'ztunnel-abc',
      namespace: 'istio-system',
      app: 'ztunnel',
    },
  },
  {
    name: 'istio_tcp_connections_opened_total',
    perStep: 2,
    labels: {
      ...edge('api', 'ledger', 'payXments'),
      request_protocol: 'tcp',
      instance: '10.0.1.3:15020',
      job: 'ztunnel',
      pod: 'ztunnel-def',
      namespace: 'istio-system',
      app: 'ztunnel',
    },
  },
  {
    name: 'istio_tcp_connections_closed_total',
    perStep: 1,
    labels: { ...edge('api', 'ledger', 'pay.ments'), request_protocol: 'tcp', response_flags: 'CONNECT', instance: '10.0.1.2:15020', job: 'ztunnel' },
  },
  {
    name: 'istio_tcp_sent_bytes_total',
    perStep: 1500,
    labels: { ...edge('api', 'ledger', 'pay.ments'), request_protocol: 'tcp', instance: '10.0.1.2:15020', job: 'ztunnel' },
  },
  {
    name: 'istio_tcp_received_bytes_total',
    perStep: 300,
    labels: { ...edge('api', 'ledger', 'pay.ments'), request_protocol: 'tcp', instance: '10.0.1.2:15020', job: 'ztunnel' },
  },
  // a hostile label value, stored verbatim
  {
    name: 'istio_requests_total',
    perStep: 5,
    labels: { ...edge('a"}) or vector(1) #', 'cart', 'shop'), request_protocol: 'http', response_code: '200', instance: '10.0.0.5:15020', job: 'envoy-stats' },
  },
];

function escapeOm(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function openMetrics(): string {
  const lines: string[] = [];
  const families = [...new Set(series.map((s) => s.name))];
  for (const fam of families) {
    lines.push(`# TYPE ${fam.replace(/_total$/, '')} counter`);
    for (const s of series.filter((x) => x.name === fam)) {
      const lbl = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${escapeOm(v)}"`)
        .join(',');
      for (let t = START, i = 0; t <= T; t += STEP, i++) lines.push(`${fam}{${lbl}} ${100 + i * s.perStep} ${t}`);
    }
  }
  // latency histogram for web→cart (cumulative buckets), 10 observations per step
  lines.push('# TYPE istio_request_duration_milliseconds histogram');
  const h = { ...edge('web', 'cart', 'shop'), request_protocol: 'http', response_code: '200', instance: '10.0.0.5:15020', job: 'envoy-stats' };
  const lbl = Object.entries(h)
    .map(([k, v]) => `${k}="${escapeOm(v)}"`)
    .join(',');
  for (let t = START, i = 0; t <= T; t += STEP, i++) {
    for (const [le, per] of [
      ['10', 5],
      ['50', 9],
      ['+Inf', 10],
    ] as const)
      lines.push(`istio_request_duration_milliseconds_bucket{${lbl},le="${le}"} ${i * per} ${t}`);
    lines.push(`istio_request_duration_milliseconds_count{${lbl}} ${i * 10} ${t}`);
    lines.push(`istio_request_duration_milliseconds_sum{${lbl}} ${i * 200} ${t}`);
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

let dir: string;
let prom: ChildProcess | undefined;
let promUrl: string;
let blackHole: net.Server;
let blackHoleUrl: string;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'meshglass-prom-'));
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
    const ready = await fetch(`${promUrl}/-/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // A server that accepts connections and never answers.
  blackHole = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', () => r()));
  blackHoleUrl = `http://127.0.0.1:${(blackHole.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  prom?.kill('SIGTERM');
  for (const s of sockets) s.destroy();
  await new Promise((r) => blackHole?.close(() => r(undefined)));
  if (prom && prom.exitCode === null) await new Promise((r) => prom?.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
});

const near = (v: number | undefined, expected: number) => {
  expect(v).toBeDefined();
  expect(Math.abs((v ?? 0) - expected) / expected).toBeLessThan(0.1);
};

describe('fetchTelemetry against a real Prometheus', () => {
  it('returns increases over the window, drops idle pairs, attributes reporters', async () => {
    const client = new PrometheusClient(cfg(promUrl));
    const tel = await fetchTelemetry(client, { window: { start: T - 300, end: T } });
    expect(tel.available).toBe(true);
    expect(tel.warnings).toEqual([]);
    expect(tel.window).toEqual({
      start: new Date((T - 300) * 1000).toISOString().replace('.000Z', 'Z'),
      end: new Date(T * 1000).toISOString().replace('.000Z', 'Z'),
    });

    const req = tel.samples.filter((s) => s.metric === 'requests');
    const ok200 = req.find((s) => s.labels.source_workload === 'web' && s.labels.response_code === '200');
    near(ok200?.value, 200); // 10 per 15 s over 300 s
    expect(ok200?.labels).not.toHaveProperty('instance');
    expect(req.some((s) => s.labels.destination_workload === 'idle')).toBe(false);
    expect(req.find((s) => s.labels.source_workload === 'a"}) or vector(1) #')?.labels.destination_workload).toBe('cart');

    const buckets = tel.samples.filter((s) => s.metric === 'requestDurationBucket');
    expect(buckets.map((b) => b.labels.le).sort()).toEqual(['+Inf', '10', '50']);
    const flags = tel.samples.filter((s) => s.metric === 'tcpClosed').map((s) => s.labels.response_flags);
    expect(flags).toEqual(['CONNECT']);
    near(tel.samples.find((s) => s.metric === 'tcpSentBytes')?.value, 30_000);
    near(tel.samples.find((s) => s.metric === 'tcpReceivedBytes')?.value, 6_000);

    const zt = tel.reporterTargets.find((r) => r.labels.pod === 'ztunnel-abc');
    expect(zt?.labels).toMatchObject({ app: 'ztunnel', job: 'ztunnel', instance: '10.0.1.2:15020', reporter: 'destination', destination_workload: 'ledger' });
    expect(tel.reporterTargets.some((r) => r.labels.destination_workload === 'idle')).toBe(false);
  });

  it('restricts namespaces with an escaped regex', async () => {
    const client = new PrometheusClient(cfg(promUrl));
    const tel = await fetchTelemetry(client, { window: { start: T - 300, end: T }, namespaces: ['pay.ments'] });
    const ns = new Set(tel.samples.map((s) => s.labels.destination_workload_namespace));
    expect([...ns]).toEqual(['pay.ments']);
    const opened = tel.samples.filter((s) => s.metric === 'tcpOpened');
    expect(opened).toHaveLength(1);
    near(opened[0]?.value, 60);
  });

  it('is not fooled by a hostile namespace', async () => {
    const client = new PrometheusClient(cfg(promUrl));
    const tel = await fetchTelemetry(client, { window: { start: T - 300, end: T }, namespaces: ['a"}) or vector(1) #', 'shop") or vector(1'] });
    expect(tel.available).toBe(true);
    expect(tel.warnings).toEqual([]);
    expect(tel.samples).toEqual([]);
    expect(tel.reporterTargets).toEqual([]);
  });

  it('accepts RFC 3339 bounds', async () => {
    const client = new PrometheusClient(cfg(promUrl));
    const tel = await fetchTelemetry(client, { window: { start: new Date((T - 300) * 1000).toISOString(), end: new Date(T * 1000).toISOString() } });
    expect(tel.samples.length).toBeGreaterThan(0);
  });
});

describe('PrometheusClient', () => {
  it('runs edge range queries within the point budget', async () => {
    const client = new PrometheusClient(cfg(promUrl));
    const start = T - 1200;
    const end = T;
    const step = chooseStep(end - start, 40);
    expect(step).toBe(30);
    const q = buildSelectionSeriesQueries(
      {
        l7: [
          {
            reporter: 'destination',
            source_workload_namespace: 'shop',
            source_workload: 'web',
            destination_workload_namespace: 'shop',
            destination_workload: 'cart',
          },
        ],
        l4: [],
      },
      60,
    );
    const rps = await client.rangeQuery(q.rps!, start, end, step);
    expect(rps.series).toHaveLength(1);
    const pts = rps.series[0]!.points;
    expect(pts.length).toBeGreaterThan(10);
    expect(pts.length).toBeLessThanOrEqual(41);
    near(pts[pts.length - 1]?.v, (10 + 1) / 15); // 200s + 503s of web→cart; the hostile-named source is another edge
    const err = await client.rangeQuery(q.errorRate!, start, end, step);
    near(err.series[0]?.points.at(-1)?.v, 1 / 11);
  });

  it('probes buildinfo', async () => {
    const r = await new PrometheusClient(cfg(promUrl)).probe();
    expect(r.ok).toBe(true);
    expect(r.version).toMatch(/^2\./);
  });

  it('reports invalid PromQL as bad_data', async () => {
    const e = await new PrometheusClient(cfg(promUrl)).instantQuery('sum(', new Date(T * 1000)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PrometheusError);
    expect((e as PrometheusError).kind).toBe('bad_data');
  });

  it('rejects non-vector results as bad_data', async () => {
    const e = await new PrometheusClient(cfg(promUrl)).instantQuery('1', new Date(T * 1000)).catch((x: unknown) => x);
    expect((e as PrometheusError).kind).toBe('bad_data');
  });

  it('times out against a server that never answers', async () => {
    const client = new PrometheusClient(cfg(blackHoleUrl, { timeoutMs: 300 }));
    const e = await client.instantQuery('up').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PrometheusError);
    expect((e as PrometheusError).kind).toBe('timeout');
    const probe = await client.probe();
    expect(probe).toMatchObject({ ok: false, kind: 'timeout' });
  });

  it('is canceled by the caller signal', async () => {
    const client = new PrometheusClient(cfg(blackHoleUrl, { timeoutMs: 30_000 }));
    const ac = new AbortController();
    const p = client.instantQuery('up', undefined, { signal: ac.signal }).catch((x: unknown) => x);
    setTimeout(() => ac.abort(), 50);
    const e = await p;
    expect((e as PrometheusError).kind).toBe('canceled');
    await expect(fetchTelemetry(client, { window: { start: T - 60, end: T }, signal: ac.signal })).rejects.toMatchObject({ kind: 'canceled' });
  });

  it('reports an unreachable Prometheus as unavailable telemetry', async () => {
    const port = await freePort();
    const client = new PrometheusClient(cfg(`http://127.0.0.1:${port}`));
    const e = await client.instantQuery('up').catch((x: unknown) => x);
    expect((e as PrometheusError).kind).toBe('unreachable');
    const tel = await fetchTelemetry(client, { window: { start: T - 60, end: T } });
    expect(tel.available).toBe(false);
    expect(tel.warnings).toHaveLength(1);
    expect(tel.warnings[0]?.message).toMatch(/^Prometheus unavailable: Prometheus at http:\/\/127\.0\.0\.1:\d+ unreachable: ECONNREFUSED/);
  });
});

describe('PrometheusClient against a scripted server', () => {
  let server: http.Server;
  let url: string;
  const seen: { auth?: string; method?: string; query?: string }[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const query = new URLSearchParams(body).get('query') ?? '';
        seen.push({ auth: req.headers.authorization, method: req.method, query });
        if (req.headers.authorization === 'Bearer wrong') {
          res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized');
          return;
        }
        if (query.includes('_bucket')) {
          res
            .writeHead(422, { 'content-type': 'application/json' })
            .end(JSON.stringify({ status: 'error', errorType: 'execution', error: 'too many samples' }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            status: 'success',
            warnings: ['partial response: store unavailable'],
            data: {
              resultType: 'vector',
              result: [
                { metric: { reporter: 'source', source_workload: 'w' }, value: [T, '5'] },
                { metric: { reporter: 'x' }, value: [T, 'NaN'] },
              ],
            },
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(() => r(undefined)));
  });

  it('sends POST with the bearer token and turns a failed query into a warning', async () => {
    const client = new PrometheusClient(cfg(url, { bearerToken: 's3cret' }));
    const tel = await fetchTelemetry(client, { window: { start: T - 60, end: T } });
    expect(seen.every((s) => s.method === 'POST' && s.auth === 'Bearer s3cret')).toBe(true);
    expect(tel.available).toBe(true);
    expect(tel.samples.filter((s) => s.metric === 'requestDurationBucket')).toEqual([]);
    expect(tel.samples.filter((s) => s.metric === 'requests')).toEqual([
      { metric: 'requests', labels: { reporter: 'source', source_workload: 'w' }, value: 5 },
    ]);
    const messages = tel.warnings.map((w) => w.message);
    expect(messages).toContain(
      'query for latency histograms (istio_request_duration_milliseconds_bucket) failed (http): Prometheus answered HTTP 422 (execution): too many samples; these numbers are missing',
    );
    expect(messages).toContain('Prometheus warning: partial response: store unavailable');
  });

  it('sends basic auth from a password file', async () => {
    const pw = path.join(dir, 'pw');
    writeFileSync(pw, 'p@ss\n');
    seen.length = 0;
    await new PrometheusClient(cfg(url, { basicAuth: { username: 'meshglass', passwordFile: pw } })).instantQuery('up');
    expect(seen[0]?.auth).toBe(`Basic ${Buffer.from('meshglass:p@ss').toString('base64')}`);
  });

  it('maps a non-API 401 to an http error with the status', async () => {
    const e = await new PrometheusClient(cfg(url, { bearerToken: 'wrong' })).instantQuery('up').catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'http', status: 401 });
  });
});

describe('PrometheusClient over HTTPS', () => {
  let server: https.Server;
  let url: string;
  let caPath: string;
  beforeAll(async () => {
    const tlsDir = path.join(dir, 'tls');
    const tls = await ensureTls(tlsDir);
    caPath = tls.caPath;
    server = https.createServer({ cert: tls.cert, key: tls.key }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(() => r(undefined)));
  });

  it('trusts the configured CA file', async () => {
    expect((await new PrometheusClient(cfg(url, { caFile: caPath })).instantQuery('up')).samples).toEqual([]);
  });

  it('rejects an unknown CA unless verification is skipped', async () => {
    const e = await new PrometheusClient(cfg(url)).instantQuery('up').catch((x: unknown) => x);
    expect((e as PrometheusError).kind).toBe('unreachable');
    expect((e as PrometheusError).message).toMatch(/certificate|self.signed|CERT/i);
    expect((await new PrometheusClient(cfg(url, { tlsSkipVerify: true })).instantQuery('up')).samples).toEqual([]);
  });
});

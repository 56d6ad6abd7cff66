// Integration: the HTTP API contract (docs/api.md §4) of the real route handlers, in-process, against the
// demo mesh (real Prometheus + Kubernetes API simulator), and the coverage report CLI.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GET as findingsGET } from '@/app/api/findings/route';
import { GET as graphGET } from '@/app/api/graph/route';
import { GET as healthGET } from '@/app/api/healthz/route';
import { GET as migrationGET } from '@/app/api/migration/route';
import { GET as namespacesGET } from '@/app/api/namespaces/route';
import { FINDING_KINDS, type Finding, type MeshGraph, type NamespaceSummary } from '@/lib/mesh/types';
import { call, iso, restoreEnv, runReportCli, useEnv } from './helpers';

const WINDOWED = { graph: graphGET, namespaces: namespacesGET, findings: findingsGET, migration: migrationGET } as const;
const MODES = ['sidecar', 'ambient', 'mixed', 'none'];
const SEVERITIES = ['critical', 'warning', 'info'];
const KINDS: readonly string[] = FINDING_KINDS;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

let T: number;
let q: string;

beforeAll(() => {
  T = inject('anchorUnix');
  q = `start=${iso(T - 3600)}&end=${iso(T - 600)}`;
  useEnv({ PROMETHEUS_URL: inject('promIstioSampleUrl'), KUBECONFIG: inject('kubeconfigPath') });
});
afterAll(() => restoreEnv());

function noStore(headers: Headers) {
  expect(headers.get('cache-control')).toBe('no-store');
  expect(headers.get('content-type')).toMatch(/^application\/json/);
}

describe('GET /api/graph', () => {
  it('window, nodes, edges, warnings with the contract names and values', async () => {
    const r = await call(graphGET, `/api/graph?${q}`);
    expect(r.status).toBe(200);
    noStore(r.headers);
    // Where the time went, for browser dev tools: three named, non-negative durations.
    const timing = r.headers.get('server-timing') ?? '';
    for (const name of ['kube', 'prom', 'build']) expect(timing).toMatch(new RegExp(`(^|, )${name};dur=\\d+(\\.\\d+)?;desc="[^"]+"`));
    const g = r.body as MeshGraph;
    expect(g.window).toEqual({ start: iso(T - 3600), end: iso(T - 600) });
    expect(Array.isArray(g.warnings)).toBe(true);
    expect(g.nodes.length).toBeGreaterThan(0);
    for (const n of g.nodes) {
      expect(typeof n.id).toBe('string');
      expect(['workload', 'waypoint', 'gateway', 'service', 'unknown']).toContain(n.kind);
      expect(typeof n.namespace).toBe('string');
      expect(typeof n.name).toBe('string');
      expect(n.cluster).toBe('Kubernetes');
      if (n.mode !== undefined) expect(MODES).toContain(n.mode);
    }
    const ids = new Set(g.nodes.map((n) => n.id));
    expect(ids.size).toBe(g.nodes.length);
    for (const e of g.edges) {
      expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
      expect(['waypoint', 'mixed', 'sidecar', 'ambient']).toContain(e.path);
      expect(['l7', 'l4']).toContain(e.telemetry);
      expect(['http', 'grpc', 'tcp', 'unknown']).toContain(e.protocol);
      expect(typeof e.l7Gap).toBe('boolean');
      expect(e.l7Gap).toBe((e.protocol === 'http' || e.protocol === 'grpc') && e.telemetry === 'l4');
      expect(['mutual', 'plaintext', 'unknown']).toContain(e.mtls);
      expect(typeof e.rates).toBe('object');
      if (e.telemetry === 'l7') {
        expect(e.rates.rps).toBeGreaterThan(0);
        expect(e.rates.errorRate).toBeGreaterThanOrEqual(0);
        expect(e.rates.errorRate).toBeLessThanOrEqual(1);
      }
      if (e.path === 'waypoint') expect(e.waypoint).toBe('shop/shop-waypoint');
    }
    expect(g.nodes.find((n) => n.name === 'cart')).toMatchObject({ kind: 'workload', namespace: 'shop', mode: 'ambient', waypoint: 'shop/shop-waypoint' });
  });

  it('accepts unix seconds and range windows', async () => {
    const r = await call(graphGET, `/api/graph?start=${T - 3000}&end=${T - 600}`);
    expect(r.status).toBe(200);
    expect(r.body.window).toEqual({ start: iso(T - 3000), end: iso(T - 600) });
    const rel = await call(graphGET, '/api/graph?range=15m');
    expect(rel.status).toBe(200);
    expect(rel.body.window.start).toMatch(RFC3339);
    expect(Date.parse(rel.body.window.end) - Date.parse(rel.body.window.start)).toBe(15 * 60_000);
  });

  it('namespace filter: edges touching the namespace, with their peers', async () => {
    const all = (await call(graphGET, `/api/graph?${q}`)).body as MeshGraph;
    for (const ns of ['inventory', 'legacy']) {
      const r = await call(graphGET, `/api/graph?${q}&namespaces=${ns}`);
      expect(r.status).toBe(200);
      const g = r.body as MeshGraph;
      const nsOf = new Map(g.nodes.map((n) => [n.id, n.namespace]));
      const allNs = new Map(all.nodes.map((n) => [n.id, n.namespace]));
      const touching = all.edges
        .filter((e) => allNs.get(e.source) === ns || allNs.get(e.target) === ns)
        .map((e) => e.id)
        .sort();
      expect(touching.length).toBeGreaterThan(0);
      expect(g.edges.map((e) => e.id).sort()).toEqual(touching);
      // peers outside the namespace are present as nodes
      const peers = g.edges.flatMap((e) => [e.source, e.target]).filter((id) => nsOf.get(id) !== ns);
      expect(peers.length).toBeGreaterThan(0);
      for (const id of peers) expect(nsOf.has(id)).toBe(true);
      // and the classification of an edge does not depend on the filter
      for (const e of g.edges) {
        const full = all.edges.find((x) => x.id === e.id)!;
        expect({ path: e.path, telemetry: e.telemetry, mtls: e.mtls, l7Gap: e.l7Gap }).toEqual({
          path: full.path,
          telemetry: full.telemetry,
          mtls: full.mtls,
          l7Gap: full.l7Gap,
        });
      }
    }
    // cart (shop) → inventory-api is an inventory edge, seen from inventory
    const inv = (await call(graphGET, `/api/graph?${q}&namespaces=inventory`)).body as MeshGraph;
    expect(inv.edges.some((e) => e.source === 'workload:Kubernetes/shop/cart' && e.target === 'workload:Kubernetes/inventory/inventory-api')).toBe(true);
  });
});

describe('GET /api/namespaces, /api/findings, /api/migration, /api/healthz', () => {
  it('/api/namespaces: one row per namespace with mode, workload counts, waypoints, edge coverage', async () => {
    const r = await call(namespacesGET, `/api/namespaces?${q}`);
    expect(r.status).toBe(200);
    noStore(r.headers);
    const rows = r.body.namespaces as NamespaceSummary[];
    const byName = new Map(rows.map((n) => [n.name, n]));
    expect(new Set(rows.map((n) => n.name)).size).toBe(rows.length);
    for (const n of rows) {
      expect(MODES).toContain(n.mode);
      for (const k of ['total', 'sidecar', 'ambient', 'none', 'mixed'] as const) expect(typeof n.workloads[k]).toBe('number');
      expect(Array.isArray(n.waypoints)).toBe(true);
      expect(n.edges.l7 + n.edges.l7Gaps).toBeLessThanOrEqual(n.edges.total);
    }
    expect(byName.get('payments')).toMatchObject({ mode: 'mixed', workloads: { sidecar: 2, none: 1 } });
    expect(byName.get('shop')).toMatchObject({ mode: 'ambient', waypoints: ['shop/shop-waypoint'] });
    expect(byName.get('inventory')).toMatchObject({ mode: 'ambient' });
    expect(byName.get('inventory')!.edges.l7Gaps).toBeGreaterThan(0);
    expect(byName.get('orders')).toMatchObject({ mode: 'mixed', workloads: { mixed: 1 } });
    expect(byName.get('legacy')).toMatchObject({ mode: 'none' });
    const filtered = await call(namespacesGET, `/api/namespaces?${q}&namespaces=shop,legacy`);
    expect((filtered.body.namespaces as NamespaceSummary[]).map((n) => n.name).sort()).toEqual(['legacy', 'shop']);
  });

  it('/api/findings: shape, and the demo mesh known problems', async () => {
    const r = await call(findingsGET, `/api/findings?${q}`);
    expect(r.status).toBe(200);
    noStore(r.headers);
    const fs = r.body.findings as Finding[];
    for (const f of fs) {
      expect(KINDS).toContain(f.kind);
      expect(SEVERITIES).toContain(f.severity);
      expect(typeof f.namespace).toBe('string');
      expect(f.objects.every((o) => typeof o === 'string' && o.includes('/'))).toBe(true);
      expect(typeof f.message).toBe('string');
      expect(f.message.length).toBeGreaterThan(0);
      expect(typeof f.fix).toBe('string');
      expect(f.fix.length).toBeGreaterThan(0);
    }
    const has = (kind: string, pred: (f: Finding) => boolean) => fs.some((f) => f.kind === kind && pred(f));
    const obj =
      (...names: string[]) =>
      (f: Finding) =>
        names.every((n) => f.objects.includes(n));
    expect(has('l7-gap', (f) => f.namespace === 'inventory' && obj('inventory/inventory-api')(f))).toBe(true);
    expect(has('l7-policy-not-enforced', obj('inventory/inventory-api-http-rules'))).toBe(true);
    expect(has('waypoint-bypass', obj('payments/payments-api', 'shop/cart'))).toBe(true);
    expect(has('waypoint-bypass', obj('legacy/legacy-reporting', 'shop/catalog'))).toBe(true);
    expect(has('plaintext', obj('legacy/legacy-reporting'))).toBe(true);
    expect(has('mixed-workload', obj('orders/orders-api'))).toBe(true);
    expect(has('mode-mismatch', (f) => obj('orders/orders-worker')(f) && /pending/.test(f.message))).toBe(true);
    expect(has('version-drift', (f) => obj('payments/ledger')(f) && f.message.includes('1.26.3'))).toBe(true);
    expect(has('split-drift', obj('shop/recommendations-canary', 'shop/recommendations'))).toBe(true);
    // no false positives on the waypoint-covered ambient traffic
    expect(has('waypoint-bypass', obj('shop/web', 'shop/cart'))).toBe(false);
    expect(has('l7-gap', (f) => f.objects.includes('shop/cart') && !f.objects.includes('inventory/inventory-api'))).toBe(false);
    // namespace filter
    const inv = (await call(findingsGET, `/api/findings?${q}&namespaces=inventory`)).body.findings as Finding[];
    expect(inv.length).toBeGreaterThan(0);
    expect(inv.every((f) => f.namespace === 'inventory')).toBe(true);
  });

  it('/api/migration: the orders migration in progress', async () => {
    const r = await call(migrationGET, `/api/migration?${q}`);
    expect(r.status).toBe(200);
    noStore(r.headers);
    expect(r.body.window).toEqual({ start: iso(T - 3600), end: iso(T - 600) });
    expect(Array.isArray(r.body.migrations)).toBe(true);
    expect(r.body.migrations.find((m: { namespace: string }) => m.namespace === 'orders')).toMatchObject({ inProgress: true, mode: 'mixed' });
  });

  it('/api/healthz: ok with both upstreams up', async () => {
    const r = await call(healthGET, '/api/healthz');
    expect(r.status).toBe(200);
    noStore(r.headers);
    expect(r.body).toMatchObject({ status: 'ok', prometheus: { ok: true }, kubernetes: { ok: true } });
  });
});

describe('bad input → 400 {error} naming the parameter', () => {
  const HOSTILE = ['a"}) or vector(1)', '<script>alert(1)</script>', 'x\ny', "'; DROP", '../etc'];
  const cases: [string, string, RegExp][] = [
    ...HOSTILE.map((v): [string, string, RegExp] => [`namespaces=${encodeURIComponent(v)}`, 'namespaces', /namespace/]),
    ['namespaces=Shop', 'namespaces', /namespace/],
    ['start=yesterday&end=2026-01-01T00:00:00Z', 'start', /start/],
    [`start=${encodeURIComponent('a"}) or vector(1)')}&end=2026-01-01T00:00:00Z`, 'start', /start/],
    ['start=2026-01-01T00:00:00Z&end=%3Cscript%3E', 'end', /end/],
    ['start=2026-01-01T00:00:00Z', 'end', /end/],
    ['start=2026-01-01T01:00:00Z&end=2026-01-01T00:00:00Z', 'start', /start/],
    ['range=1y', 'range', /range/],
    [`range=${encodeURIComponent('5m) or vector(1)')}`, 'range', /range/],
    ['range=10s', 'range', /1m/],
    ['range=1h&start=2026-01-01T00:00:00Z', 'range', /range/],
    ['expandWaypoints=maybe', 'expandWaypoints', /expandWaypoints/],
    ['foo=1', 'foo', /foo/],
    [`${encodeURIComponent('<script>')}=1`, '<script>', /unknown parameter/],
  ];
  for (const [name, handler] of Object.entries(WINDOWED)) {
    it.each(cases)(`/api/${name}?%s → 400 (%s)`, async (query, param, msg) => {
      const r = await call(handler, `/api/${name}?${query}`);
      expect(r.status).toBe(400);
      noStore(r.headers);
      expect(typeof r.body.error).toBe('string');
      expect(r.body.error).toMatch(msg);
      expect(r.body.parameter).toBe(param);
    });
  }
});

describe('coverage report CLI (cli/report.ts)', () => {
  const cli = (args: string[]) => runReportCli(args, { PROMETHEUS_URL: inject('promIstioSampleUrl'), KUBECONFIG: inject('kubeconfigPath') });

  it('--start/--end --format json --fail-on l7-gap → exit 1, JSON listing the L7 gaps', async () => {
    // An absolute window inside the backfilled history: `--range 1h` would depend on how long ago the
    // reused test state was backfilled (live scraping only covers the time since setup).
    const r = await cli(['--start', iso(T - 3600), '--end', iso(T - 600), '--format', 'json', '--fail-on', 'l7-gap']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { l7Gaps: { source: string; target: string; protocol: string }[]; findings: Finding[] };
    const gaps = report.l7Gaps.map((g) => `${g.source} → ${g.target}`);
    expect(gaps).toEqual(
      expect.arrayContaining([
        'shop/cart → inventory/inventory-api',
        'legacy/legacy-reporting → inventory/inventory-api',
        'legacy/legacy-reporting → shop/catalog',
      ]),
    );
    expect(report.l7Gaps.every((g) => g.protocol === 'http' || g.protocol === 'grpc')).toBe(true);
    expect(report.findings.some((f) => f.kind === 'l7-gap')).toBe(true);
    expect(r.stderr).toMatch(/l7-gap/);
  });

  it('--fail-on version-drift --namespaces legacy → exit 0', async () => {
    const r = await cli(['--range', '1h', '--format', 'json', '--fail-on', 'version-drift', '--namespaces', 'legacy']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: Finding[] };
    expect(report.findings.every((f) => f.namespace === 'legacy')).toBe(true);
  });

  it('bad arguments → exit 2', async () => {
    const r = await cli(['--range', '1y']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/range/);
  });
});

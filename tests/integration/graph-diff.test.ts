// Integration: GET /api/graph/diff on the demo history (real Prometheus, Kubernetes API simulator).
// The demo's incident (T−2h…T−1h50m: payments-api → ledger 30 % 503 and ×4 latency; inventory-api →
// postgres 60 % failed connections) against the same 10 minutes an hour before; and the demo's
// migration step (shop/catalog sidecar → ambient behind the shop waypoint at T−3h).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GET as diffGET } from '@/app/api/graph/diff/route';
import { GET as graphGET } from '@/app/api/graph/route';
import { POST as pinPOST } from '@/app/api/snapshots/route';
import { GET as snapshotGET } from '@/app/api/snapshots/[id]/route';
import type { EdgeDiff, GraphDiff } from '@/lib/compare/diff';
import type { MeshGraph } from '@/lib/mesh/types';
import { call, iso, restoreEnv, useEnv } from './helpers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let T: number;
let nodesById: Map<string, string>;
const dir = mkdtempSync(path.join(tmpdir(), 'meshglass-diff-'));
beforeAll(async () => {
  T = inject('anchorUnix');
  useEnv({ PROMETHEUS_URL: inject('promIstioSampleUrl'), KUBECONFIG: inject('kubeconfigPath') });
  process.env.SNAPSHOT_STORE = path.join(dir, 'store');
  const g = (await call(graphGET, `/api/graph?start=${iso(T - 3600)}&end=${iso(T)}`)).body as MeshGraph;
  nodesById = new Map(g.nodes.map((n) => [n.id, `${n.namespace}/${n.name}`]));
});
afterAll(() => {
  delete process.env.SNAPSHOT_STORE;
  restoreEnv();
  rmSync(dir, { recursive: true, force: true });
});

const getOne = (id: string) => call((r) => snapshotGET(r, { params: Promise.resolve({ id }) }), `/api/snapshots/${id}`);
const name = (e: EdgeDiff) => `${nodesById.get(e.source) ?? e.source} → ${nodesById.get(e.target) ?? e.target}`;
const fields = (e: EdgeDiff) => e.changes.map((c) => c.field).sort();

describe('GET /api/graph/diff', () => {
  it('incident window vs the hour before: exactly the two incident edges, with their error signals', async () => {
    // Inside the incident by a minute on each side: the base window an hour earlier then starts a minute
    // after the demo's migration step (T−3h), so it holds no series of catalog's retired sidecar.
    const cur = { start: T - 7200 + 60, end: T - 7200 + 540 };
    const r = await call(
      diffGET,
      `/api/graph/diff?start=${iso(cur.start)}&end=${iso(cur.end)}&baseStart=${iso(cur.start - 3600)}&baseEnd=${iso(cur.end - 3600)}`,
    );
    expect(r.status).toBe(200);
    const d = r.body as GraphDiff;
    expect(d.base).toEqual({ start: iso(cur.start - 3600), end: iso(cur.end - 3600) });
    expect(d.current).toEqual({ start: iso(cur.start), end: iso(cur.end) });
    const listed = Object.fromEntries(d.edges.map((e) => [name(e), { change: e.change, fields: fields(e) }]));
    expect(listed).toEqual({
      'payments/payments-api → payments/ledger': { change: 'changed', fields: ['errorRate', 'p95Ms'] },
      'inventory/inventory-api → inventory/postgres': { change: 'changed', fields: ['failedConnectionsPerSec'] },
    });
    const ledger = d.edges.find((e) => name(e) === 'payments/payments-api → payments/ledger')!;
    const err = ledger.changes.find((c) => c.field === 'errorRate')!;
    expect(err.after as number).toBeGreaterThan(0.25);
    expect(err.before as number).toBeLessThan(0.01);
    expect(err.text).toMatch(/^error rate .* → .* \(\+\d+\.\d pp\)$/);
    // Node and edge ids are the graph's own.
    expect(nodesById.has(ledger.source)).toBe(true);
    expect(d.nodes).toEqual([]);
  });

  it('across the migration step: the path changes and the L7 lost, lost L7 first', async () => {
    const r = await call(
      diffGET,
      `/api/graph/diff?start=${iso(T - 3 * 3600 + 600)}&end=${iso(T - 2 * 3600 - 600)}&baseStart=${iso(T - 4 * 3600)}&baseEnd=${iso(T - 3 * 3600 - 600)}`,
    );
    expect(r.status).toBe(200);
    const d = r.body as GraphDiff;
    const listed = Object.fromEntries(d.edges.map((e) => [name(e), e.changes.map((c) => `${c.field}:${String(c.before)}→${String(c.after)}`).sort()]));
    expect(listed['legacy/legacy-reporting → shop/catalog']).toEqual(expect.arrayContaining(['path:sidecar→ambient', 'telemetry:l7→l4']));
    expect(listed['shop/web → shop/catalog']).toEqual(expect.arrayContaining(['path:mixed→waypoint']));
    // Only edges into the migrated workload changed.
    expect(Object.keys(listed).every((k) => k.endsWith('→ shop/catalog'))).toBe(true);
    expect(d.edges[0]!.changes[0]!.field).toBe('telemetry');
    expect(d.nodes.find((n) => nodesById.get(n.id) === 'shop/catalog')?.changes.map((c) => c.text)).toContain('workload mode sidecar → ambient');
    // Nothing spurious: no edge or node that the migration did not touch, no edge appearing or vanishing.
    expect(d.nodes.map((n) => nodesById.get(n.id) ?? n.id)).toEqual(['shop/catalog']);
    expect(d.edges.every((e) => e.change === 'changed')).toBe(true);
    expect(Object.keys(listed).sort()).toEqual(['legacy/legacy-reporting → shop/catalog', 'shop/web → shop/catalog']);
  });

  it('a view pinned with compare keeps its diff: the snapshot holds the same /api/graph/diff body', async () => {
    const cur = { start: T - 7200 + 60, end: T - 7200 + 540 };
    const state = `start=${iso(cur.start)}&end=${iso(cur.end)}&namespaces=payments&compare=1h&selected=x`;
    const pinned = await call(pinPOST, '/api/snapshots', { method: 'POST', body: JSON.stringify({ state }) });
    expect(pinned.status).toBe(201);
    const doc = (await getOne(pinned.body.id)).body;
    expect(new URLSearchParams(doc.state).get('compare')).toBe('1h');
    expect(doc.diff.compare).toBe('1h');
    const live = await call(
      diffGET,
      `/api/graph/diff?start=${iso(cur.start)}&end=${iso(cur.end)}&baseStart=${iso(cur.start - 3600)}&baseEnd=${iso(cur.end - 3600)}&namespaces=payments`,
    );
    expect(doc.diff.body).toEqual(live.body);
    expect((doc.diff.body as GraphDiff).edges.map(name)).toEqual(['payments/payments-api → payments/ledger']);
    // Without compare, nothing extra is stored.
    const plain = await call(pinPOST, '/api/snapshots', {
      method: 'POST',
      body: JSON.stringify({ state: `start=${iso(cur.start)}&end=${iso(cur.end)}&namespaces=payments` }),
    });
    const plainDoc = (await getOne(plain.body.id)).body;
    expect(plainDoc.diff).toBeUndefined();
  });

  it('a snapshot as the base; 400 naming the bad base parameter', async () => {
    const w = `start=${iso(T - 10800)}&end=${iso(T - 10800 + 600)}`;
    const pinned = await call(pinPOST, '/api/snapshots', { method: 'POST', body: JSON.stringify({ state: `${w}&namespaces=payments` }) });
    expect(pinned.status).toBe(201);
    const r = await call(diffGET, `/api/graph/diff?start=${iso(T - 7200)}&end=${iso(T - 7200 + 600)}&namespaces=payments&baseSnapshot=${pinned.body.id}`);
    expect(r.status).toBe(200);
    expect((r.body as GraphDiff).edges.map(name)).toEqual(['payments/payments-api → payments/ledger']);

    const bad = await call(diffGET, `/api/graph/diff?start=${iso(T - 7200)}&end=${iso(T - 6600)}&baseStart=yesterday&baseEnd=${iso(T - 6000)}`);
    expect(bad.status).toBe(400);
    expect(bad.body.parameter).toBe('baseStart');
    const none = await call(diffGET, `/api/graph/diff?start=${iso(T - 7200)}&end=${iso(T - 6600)}`);
    expect(none.status).toBe(400);
    expect(none.body.parameter).toBe('baseStart');
    const missing = await call(diffGET, `/api/graph/diff?start=${iso(T - 7200)}&end=${iso(T - 6600)}&baseSnapshot=AAAAAAAAAAAAAAAAAAAAAA`);
    expect(missing.status).toBe(404);
  });
});

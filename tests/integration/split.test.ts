// Integration (issue 16, "Versions and traffic split"): the versioned view and the configured-vs-observed
// split of the demo canary, against the REAL Prometheus (backfilled demo telemetry) and the Kubernetes API
// simulator serving HTTPRoute shop/recommendations-canary (90/10). The observed shares are checked against
// Prometheus' own answer to an independent query over the same window, not against constants of the model.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GET as configGET } from '@/app/api/config/route';
import { GET as findingsGET } from '@/app/api/findings/route';
import { GET as graphGET } from '@/app/api/graph/route';
import type { Finding, MeshGraph } from '@/lib/mesh/types';
import { SPLIT_DRIFT_THRESHOLD } from '@/lib/mesh/split';
import { call, promQuery, restoreEnv, useDemoMesh, useEnv } from './helpers';

let q: string;

beforeAll(() => {
  q = useDemoMesh().q;
});
afterAll(() => restoreEnv());

/** Requests into each recommendations version over the window, as Prometheus counts them (waypoint reporter). */
async function prometheusShares(window: { start: string; end: string }): Promise<Record<string, number>> {
  const end = Date.parse(window.end) / 1000;
  const seconds = end - Date.parse(window.start) / 1000;
  const rows = await promQuery(
    inject('promIstioSampleUrl'),
    `sum by (destination_canonical_revision) (increase(istio_requests_total{reporter="waypoint", destination_workload_namespace="shop", destination_canonical_service="recommendations"}[${seconds}s]))`,
    end,
  );
  const out: Record<string, number> = {};
  for (const r of rows) out[r.metric.destination_canonical_revision!] = r.value;
  return out;
}

describe('versioned view and traffic split of the demo canary', () => {
  it('group=version: recommendations v1 and v2 side by side, shares as Prometheus counts them, p95 and error rate per version', async () => {
    const r = await call(graphGET, `/api/graph?${q}&group=version`);
    expect(r.status).toBe(200);
    const g = r.body as MeshGraph;
    const app = g.apps!.find((a) => a.namespace === 'shop' && a.app === 'recommendations')!;
    expect(app.id).toBe('app:Kubernetes/shop/recommendations');
    expect(app.versions.map((v) => [v.version, v.workloads, v.pods, v.reporters])).toEqual([
      ['v1', ['workload:Kubernetes/shop/recommendations-v1'], 2, ['waypoint']],
      ['v2', ['workload:Kubernetes/shop/recommendations-v2'], 1, ['waypoint']],
    ]);
    const prom = await prometheusShares(g.window);
    const total = prom.v1! + prom.v2!;
    expect(total).toBeGreaterThan(1000);
    expect(app.versions[0]!.requests).toBeCloseTo(prom.v1!, 3);
    expect(app.versions[1]!.share).toBeCloseTo(prom.v2! / total, 6);
    for (const v of app.versions) {
      expect(v.p95Ms).toBeGreaterThan(0);
      expect(v.errorRate).toBeGreaterThan(0);
    }
    // the canary is slower and fails more often: what "judged at a glance" must show
    expect(app.versions[1]!.p95Ms!).toBeGreaterThan(app.versions[0]!.p95Ms!);
    expect(app.versions[1]!.errorRate!).toBeGreaterThan(app.versions[0]!.errorRate!);
    expect(g.nodes.find((n) => n.id === 'workload:Kubernetes/shop/recommendations-v2')).toMatchObject({ app: 'recommendations', versions: ['v2'] });
    // apps with one version are listed too (the side panel's table), waypoints never
    expect(g.apps!.some((a) => a.app === 'shop-waypoint')).toBe(false);
  });

  it('the HTTPRoute split (90/10) beside the observed shares, flagged as drift; no path problem (all via the waypoint)', async () => {
    const g = (await call(graphGET, `/api/graph?${q}&group=version`)).body as MeshGraph;
    const split = g.splits!.find((s) => s.id === 'HTTPRoute:shop/recommendations-canary#0')!;
    expect(split).toMatchObject({
      kind: 'HTTPRoute',
      appliedBy: 'mesh',
      parent: 'shop/recommendations',
      app: 'app:Kubernetes/shop/recommendations',
      judged: true,
      drift: true,
      notApplied: [],
    });
    const prom = await prometheusShares(g.window);
    const total = prom.v1! + prom.v2!;
    expect(split.requests).toBeCloseTo(total, 3);
    expect(split.backends.map((b) => [b.ref, b.versions, b.weight, b.configuredShare])).toEqual([
      ['shop/recommendations-v1', ['v1'], 90, 0.9],
      ['shop/recommendations-v2', ['v2'], 10, 0.1],
    ]);
    expect(split.backends[1]!.observedShare).toBeCloseTo(prom.v2! / total, 6);
    expect(split.maxDelta!).toBeGreaterThan(SPLIT_DRIFT_THRESHOLD);
  });

  it('the VirtualService split of inventory-api cannot apply: its clients reach it through ztunnel or from outside the mesh', async () => {
    const g = (await call(graphGET, `/api/graph?${q}&group=version`)).body as MeshGraph;
    const split = g.splits!.find((s) => s.id === 'VirtualService:inventory/inventory-api#0')!;
    expect(split).toMatchObject({ kind: 'VirtualService', appliedBy: 'mesh', parent: 'inventory/inventory-api', judged: false, drift: false });
    expect(split.backends.map((b) => [b.ref, b.versions, b.configuredShare])).toEqual([
      ['inventory/inventory-api subset v1', ['v1'], 0.9],
      ['inventory/inventory-api subset v2', [], 0.1],
    ]);
    expect(split.notApplied.map((p) => p.source).sort()).toEqual(['workload:Kubernetes/legacy/legacy-reporting', 'workload:Kubernetes/shop/cart']);
    expect(split.notApplied.find((p) => p.source.endsWith('/shop/cart'))!.reason).toMatch(/ztunnel without a waypoint/);
    const findings = (await call(findingsGET, `/api/findings?${q}&namespaces=inventory`)).body.findings as Finding[];
    const f = findings.find((x) => x.kind === 'split-not-applied')!;
    expect(f.id).toBe('split-not-applied:VirtualService:inventory/inventory-api#0');
    expect(f.fix).toContain('istioctl waypoint apply -n inventory');
  });

  it('the default view carries no versions (the version queries run only when asked)', async () => {
    const g = (await call(graphGET, `/api/graph?${q}`)).body as MeshGraph;
    expect(g.apps).toBeUndefined();
    expect(g.splits).toBeUndefined();
    expect(g.nodes.some((n) => n.versions !== undefined)).toBe(false);
  });

  it('/api/findings reports the drift with both shares', async () => {
    const r = await call(findingsGET, `/api/findings?${q}&namespaces=shop`);
    expect(r.status).toBe(200);
    const f = (r.body.findings as Finding[]).find((x) => x.kind === 'split-drift')!;
    expect(f.id).toBe('split-drift:HTTPRoute:shop/recommendations-canary#0');
    expect(f.message).toMatch(/shop\/recommendations-v2 \(v2\) configured 10%, observed 3\d%/);
    // the shop canary goes through the waypoint: nothing to say about its path
    expect((r.body.findings as Finding[]).some((x) => x.kind === 'split-not-applied')).toBe(false);
  });

  it('/api/config hands the tracing settings to the UI (public values only), null when unset', async () => {
    expect((await call(configGET, '/api/config')).body.tracing).toBeNull();
    useEnv({
      PROMETHEUS_URL: inject('promIstioSampleUrl'),
      KUBECONFIG: inject('kubeconfigPath'),
      TRACING_URL: 'https://grafana.example/',
      TRACING_KIND: 'tempo',
      TRACING_GRAFANA_DATASOURCE: 'tempo-main',
    });
    expect((await call(configGET, '/api/config')).body.tracing).toEqual({ kind: 'tempo', url: 'https://grafana.example', grafanaDatasource: 'tempo-main' });
    useEnv({ PROMETHEUS_URL: inject('promIstioSampleUrl'), KUBECONFIG: inject('kubeconfigPath') });
  });

  it('group is validated: 400 naming the parameter', async () => {
    const r = await call(graphGET, `/api/graph?${q}&group=pods`);
    expect(r.status).toBe(400);
    expect(r.body.parameter).toBe('group');
  });
});

// Integration: the overview's trend lines and "since 24 h ago" deltas (GET /api/namespaces?trends=true,
// docs/api.md) on the demo history (real Prometheus with 30 h of history, Kubernetes API simulator).
// The demo's migration step (shop/catalog: 2 sidecar pods until T−3h, then ambient; docs/demo-mesh.md)
// is what changed in the proxy counts.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GET as namespacesGET } from '@/app/api/namespaces/route';
import type { NamespacesResponse } from '@/lib/api/types';
import { allPods, buildDemoTopology, type PodModel } from '@/demo/model/topology';
import { resetTrendsCacheForTests } from '@/lib/server/trends';
import { call, closedPortUrl, iso, promQuery, restoreEnv, useEnv } from './helpers';

let T: number;
const DAY = 86_400;
beforeAll(() => {
  T = inject('anchorUnix');
  useEnv({ PROMETHEUS_URL: inject('promIstioSampleUrl'), KUBECONFIG: inject('kubeconfigPath') });
  resetTrendsCacheForTests();
});
afterAll(() => {
  resetTrendsCacheForTests();
  restoreEnv();
});

/** Envoy sidecars of the demo alive at T + offset (its model, independent of the product's classification). */
function demoSidecarsAt(offset: number): number {
  const alive = (p: PodModel) => (p.startOffset === undefined || p.startOffset <= offset) && (p.endOffset === undefined || p.endOffset > offset);
  return allPods(buildDemoTopology()).filter((p) => p.proxy === 'envoy' && p.role === 'app' && alive(p)).length;
}

async function overview(start: number, end: number, trends = true): Promise<NamespacesResponse> {
  const r = await call(namespacesGET, `/api/namespaces?start=${iso(start)}&end=${iso(end)}${trends ? '&trends=true' : ''}`);
  expect(r.status).toBe(200);
  return r.body as NamespacesResponse;
}

describe('GET /api/namespaces?trends=true', () => {
  it('the last hour: points up to the window end, the same figures a day earlier, and the change since', async () => {
    const body = await overview(T - 3600, T);
    const t = body.trends!;
    expect(t.step).toBe(300);
    expect(t.points.map((p) => p.time)).toEqual(Array.from({ length: 13 }, (_, i) => iso(T - 3600 + i * 300)));
    for (const p of t.points) {
      expect(p.l7Share).toBeGreaterThan(0);
      expect(p.l7Share).toBeLessThanOrEqual(1);
      expect(p.mtlsShare).toBeGreaterThan(0);
    }
    // Prometheus' count of running proxies now is the Kubernetes count the headline shows.
    expect(t.points.at(-1)!.sidecars).toBe(body.mesh.proxies.sidecars);
    expect(t.points.at(-1)!.ztunnels).toBe(body.mesh.proxies.ztunnels);

    // "24 h ago" is exactly what the overview shows for the window a day earlier.
    const before = await overview(T - 3600 - DAY, T - DAY, false);
    expect(t.dayAgo.window).toEqual(before.window);
    expect(t.dayAgo.l7Share).toBe(before.mesh.l7.share);
    expect(t.dayAgo.mtlsShare).toBe(before.mesh.mtls.share);
    expect(t.delta.l7Share).toBeCloseTo(body.mesh.l7.share! - before.mesh.l7.share!, 12);
    // A day ago catalog still ran its two sidecars.
    expect(t.dayAgo.sidecars).toBe(demoSidecarsAt(-DAY));
    expect(t.delta.sidecars).toBe(demoSidecarsAt(0) - demoSidecarsAt(-DAY));
    expect(t.delta.sidecars).toBe(-2);
    expect(t.delta.ztunnels).toBe(0);
    // Independently of the product: the catalog pods' istio_build gauges a day ago.
    const catalogThen = await promQuery(inject('promIstioSampleUrl'), 'count(istio_build{namespace="shop", app="catalog"})', T - DAY);
    expect(catalogThen[0]?.value).toBe(2);
  });

  it('across the migration step: the sidecar count drops at T−3h; each point is the overview of the 15 minutes before it', async () => {
    const t = (await overview(T - 6 * 3600, T)).trends!;
    expect(t.step).toBe(900);
    expect(t.points).toHaveLength(25);
    // The istio_build gauge of a stopped pod stays visible for Prometheus' 5-minute lookback: compare
    // points away from the step.
    const before = t.points.filter((p) => Date.parse(p.time) / 1000 < T - 3 * 3600);
    const after = t.points.filter((p) => Date.parse(p.time) / 1000 > T - 3 * 3600 + 600);
    expect(new Set(before.map((p) => p.sidecars))).toEqual(new Set([demoSidecarsAt(-4 * 3600)]));
    expect(new Set(after.map((p) => p.sidecars))).toEqual(new Set([demoSidecarsAt(0)]));
    // A point means what the headline means: the overview of the 15 minutes before it (one before, one after the step).
    for (const p of [before.at(-1)!, after[0]!]) {
      const end = Date.parse(p.time) / 1000;
      const mesh = (await overview(end - t.pointWindowSeconds, end, false)).mesh;
      expect([p.l7Share, p.mtlsShare]).toEqual([mesh.l7.share, mesh.mtls.share]);
    }
    expect(t.points.every((p) => p.l7Share !== null && p.mtlsShare !== null)).toBe(true);
  });

  it('a window older than the history: no data 24 h before is null, not zero', async () => {
    const t = (await overview(T - 29 * 3600, T - 28 * 3600)).trends!;
    expect(t.dayAgo).toMatchObject({ l7Share: null, mtlsShare: null, sidecars: null, ztunnels: null });
    expect(t.delta).toEqual({ l7Share: null, mtlsShare: null, sidecars: null, ztunnels: null });
    expect(t.points.some((p) => p.l7Share !== null)).toBe(true);
  });

  it('Prometheus down: the Kubernetes figures with empty trends and a warning, not an error', async () => {
    useEnv({ PROMETHEUS_URL: await closedPortUrl(), KUBECONFIG: inject('kubeconfigPath') });
    resetTrendsCacheForTests();
    try {
      const body = await overview(T - 3600, T);
      expect(body.mesh.proxies.sidecars).toBeGreaterThan(0);
      expect(body.trends!.points).toHaveLength(13);
      expect(body.trends!.points.every((p) => p.l7Share === null && p.sidecars === null)).toBe(true);
      expect(body.trends!.delta).toEqual({ l7Share: null, mtlsShare: null, sidecars: null, ztunnels: null });
      expect(body.warnings?.some((w) => w.source === 'prometheus')).toBe(true);
    } finally {
      useEnv({ PROMETHEUS_URL: inject('promIstioSampleUrl'), KUBECONFIG: inject('kubeconfigPath') });
      resetTrendsCacheForTests();
    }
  });

  it('400 for a bad trends value, naming it', async () => {
    const r = await call(namespacesGET, `/api/namespaces?range=1h&trends=maybe`);
    expect(r.status).toBe(400);
    expect(r.body.parameter).toBe('trends');
  });
});

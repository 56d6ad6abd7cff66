import { describe, expect, it } from 'vitest';
import { edge, graph, kube, pod, wl } from './findings/test-builders';
import { nodeId } from './ids';
import type { TelemetrySample } from './types';
import { appId, buildVersionedView, compareVersions, countedReporters, podApp, podVersion, withAppNames } from './versions';

const WINDOW = 900;

function req(reporter: string, workload: string, revision: string, value: number, code = '200', extra: Record<string, string> = {}): TelemetrySample {
  return {
    metric: 'requests',
    labels: {
      reporter,
      destination_cluster: 'Kubernetes',
      destination_workload_namespace: 'shop',
      destination_workload: workload,
      destination_canonical_service: 'reviews',
      destination_canonical_revision: revision,
      request_protocol: 'http',
      response_code: code,
      ...extra,
    },
    value,
  };
}

function bucket(reporter: string, workload: string, revision: string, le: string, value: number): TelemetrySample {
  return { ...req(reporter, workload, revision, value), metric: 'requestDurationBucket', labels: { ...req(reporter, workload, revision, 0).labels, le } };
}

describe('podVersion / podApp (istiod canonical revision and service)', () => {
  it('takes the canonical-revision label first, then app.kubernetes.io/version, then version, else latest', () => {
    expect(podVersion({ 'service.istio.io/canonical-revision': 'c', 'app.kubernetes.io/version': 'b', version: 'a' })).toBe('c');
    expect(podVersion({ 'app.kubernetes.io/version': 'b', version: 'a' })).toBe('b');
    expect(podVersion({ version: 'a' })).toBe('a');
    expect(podVersion({ version: '' })).toBe('latest');
    expect(podVersion({})).toBe('latest');
  });
  it('takes canonical-name, then app.kubernetes.io/name, then app, else the workload name', () => {
    expect(podApp({ 'service.istio.io/canonical-name': 'x', 'app.kubernetes.io/name': 'y', app: 'z' }, 'w')).toBe('x');
    expect(podApp({ 'app.kubernetes.io/name': 'y', app: 'z' }, 'w')).toBe('y');
    expect(podApp({ app: 'z' }, 'w')).toBe('z');
    expect(podApp({}, 'w')).toBe('w');
  });
  it('orders versions naturally', () => {
    expect(['v10', 'v2', 'v1'].sort(compareVersions)).toEqual(['v1', 'v2', 'v10']);
  });
});

describe('countedReporters', () => {
  it('a server sidecar sees every request: only destination counts when it reported', () => {
    expect(countedReporters(new Set(['source', 'destination', 'waypoint']))).toEqual(['destination']);
  });
  it('without a server sidecar the waypoint and client Envoys saw disjoint parts', () => {
    expect(countedReporters(new Set(['source', 'waypoint']))).toEqual(['waypoint', 'source']);
    expect(countedReporters(new Set())).toEqual([]);
  });
});

describe('buildVersionedView', () => {
  const web = wl('shop', 'web');
  const v1 = wl('shop', 'reviews-v1');
  const v2 = wl('shop', 'reviews-v2');
  const wp = wl('shop', 'waypoint', { kind: 'waypoint' });
  const g = graph([web, v1, v2, wp], [edge(web, v1), edge(web, v2)]);
  const snapshot = kube({
    pods: [
      pod('shop', 'reviews-v1', { mode: 'ambient', labels: { app: 'reviews', version: 'v1' } }),
      pod('shop', 'reviews-v1', { mode: 'ambient', labels: { app: 'reviews', version: 'v1' } }),
      pod('shop', 'reviews-v2', { mode: 'ambient', labels: { app: 'reviews', version: 'v2' } }),
      pod('shop', 'web', { mode: 'ambient', labels: { version: 'v1' } }),
    ],
  });

  it('puts both Deployments of one app side by side with traffic, share, error rate and p95 per version', () => {
    const samples = [
      req('waypoint', 'reviews-v1', 'v1', 700 * 0.99),
      req('waypoint', 'reviews-v1', 'v1', 700 * 0.01, '503'),
      req('waypoint', 'reviews-v2', 'v2', 300 * 0.9),
      req('waypoint', 'reviews-v2', 'v2', 300 * 0.1, '503'),
      // ztunnel's leg from the waypoint is not a request count
      { ...req('destination', 'reviews-v1', 'v1', 5), metric: 'tcpOpened' as const },
      ...['10', '50', '100', '+Inf'].map((le, i) => bucket('waypoint', 'reviews-v1', 'v1', le, [0, 600, 700, 700][i]!)),
      ...['10', '50', '100', '+Inf'].map((le, i) => bucket('waypoint', 'reviews-v2', 'v2', le, [0, 0, 300, 300][i]!)),
    ];
    const view = buildVersionedView([snapshot], g, samples, WINDOW);
    const reviews = view.apps.find((a) => a.app === 'reviews')!;
    expect(reviews.id).toBe(appId('Kubernetes', 'shop', 'reviews'));
    expect(reviews.versions.map((v) => v.version)).toEqual(['v1', 'v2']);
    const [a, b] = reviews.versions;
    expect(a).toMatchObject({ workloads: [v1.id], pods: 2, reporters: ['waypoint'] });
    expect(a!.rps).toBeCloseTo(700 / WINDOW, 9);
    expect(a!.share).toBeCloseTo(0.7, 9);
    expect(a!.errorRate).toBeCloseTo(0.01, 9);
    expect(a!.requests).toBeCloseTo(700, 9);
    expect(b!.share).toBeCloseTo(0.3, 9);
    expect(b!.errorRate).toBeCloseTo(0.1, 9);
    // histogram_quantile(0.95): v1 rank 665 in (50, 100] → 50 + 50·65/100; v2 rank 285 in (50,100] from 0 → 50 + 50·285/300
    expect(a!.p95Ms).toBeCloseTo(82.5, 9);
    expect(b!.p95Ms).toBeCloseTo(97.5, 9);
    expect(view.nodes.find((n) => n.id === v2.id)).toMatchObject({ app: 'reviews', versions: ['v2'] });
    expect(view.nodes.find((n) => n.id === wp.id)?.app).toBeUndefined();
  });

  it('counts a sidecar server once (destination) although its sidecar clients reported the same requests', () => {
    const samples = [req('source', 'reviews-v1', 'v1', 100), req('destination', 'reviews-v1', 'v1', 100)];
    const a = buildVersionedView([snapshot], g, samples, WINDOW).apps.find((x) => x.app === 'reviews')!.versions[0]!;
    expect(a.requests).toBe(100);
    expect(a.reporters).toEqual(['destination']);
  });

  it('one workload running two versions (rolling update) shows both versions, split by the telemetry', () => {
    const rolling = kube({
      pods: [
        pod('shop', 'reviews-v1', { labels: { app: 'reviews', version: 'v1' } }),
        pod('shop', 'reviews-v1', { labels: { app: 'reviews', version: 'v1-rc' } }),
      ],
    });
    const view = buildVersionedView(
      [rolling],
      graph([web, v1], [edge(web, v1)]),
      [req('waypoint', 'reviews-v1', 'v1', 90), req('waypoint', 'reviews-v1', 'v1-rc', 10)],
      WINDOW,
    );
    const reviews = view.apps.find((a) => a.app === 'reviews')!;
    expect(reviews.versions.map((v) => [v.version, v.pods, v.requests])).toEqual([
      ['v1', 1, 90],
      ['v1-rc', 1, 10],
    ]);
    expect(view.nodes.find((n) => n.id === v1.id)?.versions).toEqual(['v1', 'v1-rc']);
  });

  it('a version with pods but no traffic is listed without numbers; a version gone since keeps its traffic', () => {
    const view = buildVersionedView([snapshot], g, [req('waypoint', 'reviews-v1', 'v0', 50)], WINDOW);
    const versions = view.apps.find((a) => a.app === 'reviews')!.versions;
    expect(versions.map((v) => v.version)).toEqual(['v0', 'v1', 'v2']);
    expect(versions[0]).toMatchObject({ requests: 50, share: 1 });
    expect(versions[0]!.pods).toBeUndefined();
    expect(versions[2]!.rps).toBeUndefined();
    expect(versions[2]!.share).toBe(0);
  });

  it('ignores destinations outside the graph (namespace filter), waypoints and unknown workloads', () => {
    const samples = [req('source', 'waypoint', 'latest', 10), req('waypoint', 'unknown', 'v1', 10), req('waypoint', 'elsewhere', 'v1', 10)];
    const view = buildVersionedView([kube({})], graph([wp], []), samples, WINDOW);
    expect(view.apps).toEqual([]);
  });

  it('Istio’s unknown revision (ztunnel) reads as latest', () => {
    const view = buildVersionedView([kube({})], graph([v1], []), [req('waypoint', 'reviews-v1', 'unknown', 10)], WINDOW);
    expect(view.apps[0]!.versions.map((v) => v.version)).toEqual(['latest']);
  });
});

describe('withAppNames', () => {
  it('names the app only where it differs from the workload name (the trace service name needs it)', () => {
    const snap = kube({ pods: [pod('shop', 'reviews-v1', { labels: { app: 'reviews' } }), pod('shop', 'web')] });
    const nodes = withAppNames([snap], [wl('shop', 'reviews-v1'), wl('shop', 'web'), wl('shop', 'gone')]);
    expect(nodes.map((n) => n.app)).toEqual(['reviews', undefined, undefined]);
  });
  it('each cluster names its own workloads, also when one snapshot is renamed (the names are kept per inventory and cluster)', () => {
    const east = kube({ pods: [pod('shop', 'reviews-v1', { labels: { app: 'reviews' } })] });
    const west = { ...kube({ pods: [pod('shop', 'reviews-v1', { labels: { app: 'ratings' } })] }), cluster: 'west' };
    const node = (cluster: string) => ({ ...wl('shop', 'reviews-v1'), id: nodeId('workload', cluster, 'shop', 'reviews-v1'), cluster });
    expect(withAppNames([east, west], [node('Kubernetes'), node('west')]).map((n) => n.app)).toEqual(['reviews', 'ratings']);
    // The same objects under another cluster name (lib/mesh/cluster-name.ts): the same inventory, the new name's ids.
    const renamed = { ...east, cluster: 'east' };
    expect(withAppNames([renamed], [node('east'), node('Kubernetes')]).map((n) => n.app)).toEqual(['reviews', undefined]);
    expect(withAppNames([east], [node('Kubernetes')]).map((n) => n.app)).toEqual(['reviews']);
  });
});

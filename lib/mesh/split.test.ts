import { describe, expect, it } from 'vitest';
import { edge, graph, kube, pod, svc, wl } from './findings/test-builders';
import { buildSplits, serviceForHost, SPLIT_DRIFT_THRESHOLD, SPLIT_MIN_REQUESTS, splitPathProblem } from './split';
import type { EdgeReporter, HttpRouteInfo, VersionedApp, VirtualServiceInfo } from './types';
import { appId } from './versions';

const web = wl('shop', 'web', { mode: 'ambient' });
const legacy = wl('legacy', 'reporting', { mode: 'none' });
const v1 = wl('shop', 'reviews-v1', { mode: 'ambient' });
const v2 = wl('shop', 'reviews-v2', { mode: 'ambient' });
const waypointed: EdgeReporter[] = [{ reporter: 'waypoint', proxy: 'waypoint', rule: 'waypoint', targets: [] }];
const ztunnelOnly: EdgeReporter[] = [{ reporter: 'destination', proxy: 'ztunnel', rule: 'scrape-labels', targets: [] }];

const pods = [
  pod('shop', 'reviews-v1', { mode: 'ambient', labels: { app: 'reviews', version: 'v1' } }),
  pod('shop', 'reviews-v2', { mode: 'ambient', labels: { app: 'reviews', version: 'v2' } }),
];
const services = [
  svc('shop', 'reviews', { selector: { app: 'reviews' } }),
  svc('shop', 'reviews-v1', { selector: { app: 'reviews', version: 'v1' } }),
  svc('shop', 'reviews-v2', { selector: { app: 'reviews', version: 'v2' } }),
];
const route = (weights: [number, number], parent: Partial<HttpRouteInfo['parentRefs'][number]> = {}): HttpRouteInfo => ({
  namespace: 'shop',
  name: 'reviews-canary',
  parentRefs: [{ group: '', kind: 'Service', namespace: 'shop', name: 'reviews', ...parent }],
  rules: [
    {
      backendRefs: [
        { kind: 'Service', namespace: 'shop', name: 'reviews-v1', weight: weights[0] },
        { kind: 'Service', namespace: 'shop', name: 'reviews-v2', weight: weights[1] },
      ],
    },
  ],
});
const apps = (r1: number, r2: number): VersionedApp[] => [
  {
    id: appId('Kubernetes', 'shop', 'reviews'),
    cluster: 'Kubernetes',
    namespace: 'shop',
    app: 'reviews',
    versions: [
      { version: 'v1', workloads: [v1.id], requests: r1 },
      { version: 'v2', workloads: [v2.id], requests: r2 },
    ],
  },
];
const meshGraph = graph(
  [web, v1, v2, legacy],
  [edge(web, v1, { path: 'waypoint', reporters: waypointed }), edge(web, v2, { path: 'waypoint', reporters: waypointed })],
);

describe('buildSplits: HTTPRoute backendRefs beside the observed shares', () => {
  it('flags 90/10 configured vs 70/30 observed (20 points > threshold) with enough requests', () => {
    const [s] = buildSplits(kube({ pods, services, httpRoutes: [route([90, 10])] }), meshGraph, apps(7000, 3000));
    expect(s).toMatchObject({
      id: 'HTTPRoute:shop/reviews-canary#0',
      appliedBy: 'mesh',
      parent: 'shop/reviews',
      app: appId('Kubernetes', 'shop', 'reviews'),
      requests: 10000,
      judged: true,
      drift: true,
      notApplied: [],
    });
    expect(s!.backends.map((b) => [b.ref, b.versions, b.configuredShare])).toEqual([
      ['shop/reviews-v1', ['v1'], 0.9],
      ['shop/reviews-v2', ['v2'], 0.1],
    ]);
    expect(s!.backends[1]!.observedShare).toBeCloseTo(0.3, 9);
    expect(s!.maxDelta).toBeCloseTo(0.2, 9);
  });

  it('within the threshold is no drift', () => {
    const [s] = buildSplits(kube({ pods, services, httpRoutes: [route([90, 10])] }), meshGraph, apps(8200, 1800));
    expect(s!.maxDelta).toBeLessThanOrEqual(SPLIT_DRIFT_THRESHOLD);
    expect(s!.drift).toBe(false);
  });

  it('does not judge a split on a handful of requests (3 requests, all on v2)', () => {
    const [s] = buildSplits(kube({ pods, services, httpRoutes: [route([90, 10])] }), meshGraph, apps(0, 3));
    expect(s).toMatchObject({ requests: 3, judged: false, drift: false });
    expect(s!.maxDelta).toBeUndefined();
    expect(SPLIT_MIN_REQUESTS).toBeGreaterThan(3);
  });

  it('weights default to 1 each (Gateway API) and a rule with one backend is no split', () => {
    const one: HttpRouteInfo = { ...route([1, 1]), rules: [{ backendRefs: [{ kind: 'Service', namespace: 'shop', name: 'reviews-v1', weight: 1 }] }] };
    expect(buildSplits(kube({ pods, services, httpRoutes: [one] }), meshGraph, apps(1, 1))).toEqual([]);
    const [s] = buildSplits(kube({ pods, services, httpRoutes: [route([1, 1])] }), meshGraph, apps(500, 500));
    expect(s!.backends.map((b) => b.configuredShare)).toEqual([0.5, 0.5]);
    expect(s!.drift).toBe(false);
  });

  it('an ingress route (Gateway parent) is applied by the gateway: no path problems', () => {
    const r = route([90, 10], { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'istio-system', name: 'public' });
    const g = graph([legacy, v1, v2], [edge(legacy, v1, { path: 'ambient', telemetry: 'l4', reporters: ztunnelOnly })]);
    const [s] = buildSplits(kube({ pods, services, httpRoutes: [r] }), g, apps(900, 100));
    expect(s).toMatchObject({ appliedBy: 'gateway', parent: 'istio-system/public', notApplied: [], drift: false });
  });

  it('flags traffic that reaches the backends through ztunnel without a waypoint, and out-of-mesh clients', () => {
    const g = graph(
      [web, legacy, v1, v2],
      [
        edge(web, v1, { path: 'ambient', telemetry: 'l4', reporters: ztunnelOnly }),
        edge(legacy, v2, { path: 'ambient', telemetry: 'l4', reporters: ztunnelOnly }),
      ],
    );
    const [s] = buildSplits(kube({ pods, services, httpRoutes: [route([90, 10])] }), g, apps(0, 0));
    expect(s!.notApplied.map((p) => p.source)).toEqual([web.id, legacy.id].sort());
    expect(s!.notApplied.find((p) => p.source === web.id)!.reason).toMatch(/ztunnel without a waypoint/);
    expect(s!.notApplied.find((p) => p.source === legacy.id)!.reason).toMatch(/outside the mesh/);
    expect(s!.judged).toBe(false);
  });

  it('observed share is unknown when two backends select the same version', () => {
    const same: HttpRouteInfo = {
      ...route([50, 50]),
      rules: [
        {
          backendRefs: [
            { kind: 'Service', namespace: 'shop', name: 'reviews', weight: 50 },
            { kind: 'Service', namespace: 'shop', name: 'reviews-v2', weight: 50 },
          ],
        },
      ],
    };
    const [s] = buildSplits(kube({ pods, services, httpRoutes: [same] }), meshGraph, apps(5000, 5000));
    expect(s!.backends.every((b) => b.observedShare === undefined)).toBe(true);
    expect(s!.judged).toBe(false);
  });
});

describe('buildSplits: VirtualService destinations with DestinationRule subsets', () => {
  const vs: VirtualServiceInfo = {
    namespace: 'shop',
    name: 'reviews',
    hosts: ['reviews'],
    gateways: [],
    http: [
      {
        route: [
          { host: 'reviews', subset: 'v1', weight: 80 },
          { host: 'reviews.shop.svc.cluster.local', subset: 'v2', weight: 20 },
        ],
      },
    ],
  };
  const dr = {
    namespace: 'shop',
    name: 'reviews',
    host: 'reviews.shop.svc.cluster.local',
    subsets: [
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' } },
    ],
  };

  it('maps subsets to versions through the Service selector and the subset labels', () => {
    const [s] = buildSplits(kube({ pods, services, virtualServices: [vs], destinationRules: [dr] }), meshGraph, apps(800, 200));
    expect(s).toMatchObject({ id: 'VirtualService:shop/reviews#0', appliedBy: 'mesh', parent: 'shop/reviews', drift: false, judged: true });
    expect(s!.backends.map((b) => [b.ref, b.versions, b.configuredShare])).toEqual([
      ['shop/reviews subset v1', ['v1'], 0.8],
      ['shop/reviews subset v2', ['v2'], 0.2],
    ]);
  });

  it('a subset without a DestinationRule selects no pods (no versions, no observed share)', () => {
    const [s] = buildSplits(kube({ pods, services, virtualServices: [vs] }), meshGraph, apps(800, 200));
    expect(s!.backends.map((b) => b.versions)).toEqual([[], []]);
    expect(s!.judged).toBe(false);
  });

  it('a VirtualService bound to gateways only is an ingress split', () => {
    const [s] = buildSplits(
      kube({ pods, services, virtualServices: [{ ...vs, gateways: ['istio-system/public'] }], destinationRules: [dr] }),
      meshGraph,
      apps(1, 1),
    );
    expect(s!.appliedBy).toBe('gateway');
  });
});

describe('splitPathProblem', () => {
  it('a waypoint or a client-side Envoy routes the requests', () => {
    expect(splitPathProblem(edge(web, v1, { reporters: waypointed }), web)).toBeUndefined();
    const sidecar = wl('shop', 'api', { mode: 'sidecar' });
    expect(
      splitPathProblem(edge(sidecar, v1, { path: 'mixed', reporters: [{ reporter: 'source', proxy: 'envoy', rule: 'scrape-labels', targets: [] }] }), sidecar),
    ).toBeUndefined();
  });
  it('only the server’s sidecar saw the requests: the client did not route them', () => {
    const r = splitPathProblem(
      edge(web, v1, { path: 'mixed', reporters: [{ reporter: 'destination', proxy: 'envoy', rule: 'scrape-labels', targets: [] }] }),
      web,
    );
    expect(r).toMatch(/only the server's proxy/);
  });
});

describe('serviceForHost', () => {
  it('resolves short, namespaced and FQDN hosts; not external hosts', () => {
    expect(serviceForHost(services, 'reviews', 'shop')?.name).toBe('reviews');
    expect(serviceForHost(services, 'reviews-v1.shop', 'other')?.name).toBe('reviews-v1');
    expect(serviceForHost(services, 'reviews.shop.svc.cluster.local', 'other')?.name).toBe('reviews');
    expect(serviceForHost(services, 'reviews', 'other')).toBeUndefined();
    expect(serviceForHost(services, 'api.example.com', 'shop')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { bareEdge, edgeFacts } from '../testing/edge-facts';
import { ambientPod, kube, namespace, service, sidecarPod, waypointGateway, waypointPod } from '../testing/fixtures';
import { rates } from './rates';
import { edgeLabels, k, peers, pods, svc, tb, W, zA, zB } from './scenario.test-helpers';

describe('rates decorator', () => {
  it('one slice: server-side L4, client-side L7 when no server proxy reports requests; rates over the 600 s window', () => {
    const t = tb()
      .requests(edgeLabels({ reporter: 'source', src: peers.sc, dst: peers.api, service: svc.api, csp: 'unknown' }), pods.sc, { '200': 540, '503': 60 })
      .tcp(edgeLabels({ reporter: 'destination', src: peers.sc, dst: peers.api, service: svc.api, csp: 'mutual_tls' }), zB, {
        opened: 60,
        sent: 1200,
        received: 600,
        failed: { CONNECT: 6 },
      })
      .build();
    const f = edgeFacts(k, t, W('app', 'sc'), W('app', 'api'));
    const r = rates(f, bareEdge(f));
    expect(r.rateSources).toEqual({ l7: 'source', l4: 'destination' });
    expect(r.rates).toMatchObject({
      rps: 1,
      errorRate: 0.1,
      connectionsPerSec: 0.1,
      responseBytesPerSec: 2,
      requestBytesPerSec: 1,
      failedConnectionsPerSec: 0.01,
    });
    expect(r.failuresByFlag).toEqual({ CONNECT: 0.01 });
  });
  it('two slices: sums, failures per flag added, a reporter named only where the slices agree', () => {
    const t = tb()
      .requests(edgeLabels({ reporter: 'waypoint', src: peers.amb, dst: peers.srv, service: svc.srv, csp: 'mutual_tls' }), pods.wp, { '200': 600 })
      .tcp(edgeLabels({ reporter: 'source', src: peers.amb, dst: peers.wp, service: svc.srv, csp: 'mutual_tls' }), zA, {
        opened: 60,
        sent: 60,
        received: 60,
        failed: { CONNECT: 6 },
      })
      .tcp(edgeLabels({ reporter: 'destination', src: peers.amb, dst: peers.srv, service: svc.srv, csp: 'mutual_tls' }), zB, {
        opened: 30,
        sent: 30,
        received: 30,
        failed: { CONNECT: 3 },
      })
      .build();
    const f = edgeFacts(k, t, W('app', 'amb'), W('wp', 'srv'));
    const r = rates(f, bareEdge(f));
    expect(r.rates!.rps).toBe(1);
    expect(r.rates!.connectionsPerSec).toBeCloseTo(0.15, 10);
    expect(r.failuresByFlag).toEqual({ CONNECT: 0.015 });
    // every request came from the waypoint; L4 came from the client leg's ztunnel in one slice and the server's
    // in the other, so no single L4 reporter speaks for the edge
    expect(r.rateSources).toEqual({ l7: 'waypoint' });
  });
});

// Latency and gRPC outcomes (docs/istio-telemetry.md §7): histograms whose low buckets are empty, kept with
// their zero buckets as the duration query returns them, the mean from `_sum`, and gRPC calls that failed
// with HTTP 200 and grpc_response_status ≠ 0.
const LOW_EMPTY = (n100: number, n250: number): [string, number][] => [
  ['0.5', 0],
  ['1', 0],
  ['5', 0],
  ['10', 0],
  ['25', 0],
  ['50', 0],
  ['100', n100],
  ['250', n100 + n250],
  ['+Inf', n100 + n250],
];

describe('rates decorator: latency with empty low buckets, mean, gRPC outcomes', () => {
  it('one slice: percentiles interpolated from the previous bound (not 0), mean, gRPC errors and codes by name', () => {
    const e = edgeLabels({ reporter: 'source', src: peers.sc, dst: peers.api, service: svc.api, csp: 'unknown' });
    const t = tb()
      .grpcRequests(e, pods.sc, { '0': 540, '14': 48, '4': 12 })
      .durations(e, pods.sc, LOW_EMPTY(360, 240), 360 * 80 + 240 * 150)
      .build();
    const f = edgeFacts(k, t, W('app', 'sc'), W('app', 'api'));
    const r = rates(f, bareEdge(f));
    expect(r.rates!.rps).toBeCloseTo(1, 12);
    expect(r.rates!.errorRate).toBeCloseTo(60 / 600, 12);
    expect(r.rates!.p50Ms).toBeCloseTo(50 + 50 * (300 / 360), 10); // 91.7 ms; from 0 it would be 83.3
    expect(r.rates!.p95Ms).toBeCloseTo(100 + 150 * (210 / 240), 10);
    expect(r.rates!.meanMs).toBeCloseTo((360 * 80 + 240 * 150) / 600, 10);
    expect(r.statuses).toEqual({ grpc: { DEADLINE_EXCEEDED: 0.02, OK: 0.9, UNAVAILABLE: 0.08 } });
  });

  it('two slices (half-migrated client): histograms added bucket by bucket, statuses summed over the slices', () => {
    const mig = { workload: 'mig', namespace: 'shop' };
    const srv = { workload: 'srv', namespace: 'shop' };
    const svcSrv = { name: 'srv', namespace: 'shop' };
    const wp1 = waypointPod({ namespace: 'shop', gateway: 'wp', name: 'wp-1', ip: '10.0.0.30', node: 'a' });
    const side = sidecarPod({ namespace: 'shop', name: 'mig-s1', workload: 'mig', ip: '10.0.0.10', node: 'a' });
    const shop = kube({
      namespaces: [namespace('shop', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'wp' })],
      pods: [
        zA,
        zB,
        side,
        ambientPod({ namespace: 'shop', name: 'mig-a1', workload: 'mig', ip: '10.0.0.12', node: 'a' }),
        ambientPod({ namespace: 'shop', name: 'srv-1', workload: 'srv', ip: '10.0.1.20', node: 'b' }),
        wp1,
      ],
      services: [service('shop', 'srv', { app: 'srv' }, [{ name: 'grpc', port: 80 }])],
      gateways: [waypointGateway('shop', 'wp')],
    });
    const viaWaypoint = edgeLabels({ reporter: 'waypoint', src: mig, dst: srv, service: svcSrv, csp: 'mutual_tls' });
    const direct = edgeLabels({ reporter: 'source', src: mig, dst: srv, service: svcSrv, csp: 'unknown' });
    const t = tb()
      .grpcRequests(viaWaypoint, wp1, { '0': 270, '14': 30 })
      .durations(viaWaypoint, wp1, LOW_EMPTY(300, 0), 300 * 75)
      .grpcRequests(direct, side, { '0': 90, '4': 10 })
      .durations(direct, side, LOW_EMPTY(0, 100), 100 * 200)
      .build();
    const f = edgeFacts(shop, t, W('shop', 'mig'), W('shop', 'srv'));
    expect(f.slices.map((v) => [v.via, v.l7Reporter])).toEqual([
      ['waypoint', 'waypoint'],
      ['direct', 'source'],
    ]);
    const r = rates(f, bareEdge(f));
    expect(r.rates!.rps).toBeCloseTo(400 / 600, 12);
    expect(r.rates!.errorRate).toBeCloseTo(40 / 400, 12);
    // 400 observations: 300 in (50, 100], 100 in (100, 250]; rank 200 → 50 + 50 × 200/300, rank 380 → 100 + 150 × 80/100
    expect(r.rates!.p50Ms).toBeCloseTo(50 + 50 * (200 / 300), 10);
    expect(r.rates!.p95Ms).toBeCloseTo(100 + 150 * (80 / 100), 10);
    expect(r.rates!.meanMs).toBeCloseTo((300 * 75 + 100 * 200) / 400, 10);
    expect(r.statuses).toEqual({ grpc: { DEADLINE_EXCEEDED: 10 / 600, OK: 360 / 600, UNAVAILABLE: 30 / 600 } });
  });
});

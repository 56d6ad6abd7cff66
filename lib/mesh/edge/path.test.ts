import { describe, expect, it } from 'vitest';
import { bareEdge, edgeFacts } from '../testing/edge-facts';
import { path } from './path';
import { edgeLabels, k, peers, pods, svc, tb, W, zA, zB } from './scenario.test-helpers';

describe('path decorator', () => {
  it('sidecar client → ambient server: mixed, l7 from the client sidecar', () => {
    const t = tb()
      .requests(edgeLabels({ reporter: 'source', src: peers.sc, dst: peers.api, service: svc.api, csp: 'unknown' }), pods.sc, { '200': 60 })
      .tcp(edgeLabels({ reporter: 'destination', src: peers.sc, dst: peers.api, service: svc.api, csp: 'mutual_tls' }), zB, { opened: 6, sent: 1, received: 1 })
      .build();
    const f = edgeFacts(k, t, W('app', 'sc'), W('app', 'api'));
    expect(path(f, bareEdge(f))).toEqual({ path: 'mixed', telemetry: 'l7' });
  });
  it('ambient → ambient with only ztunnel: ambient l4', () => {
    const t = tb()
      .tcp(edgeLabels({ reporter: 'source', src: peers.amb, dst: peers.api, service: svc.api, csp: 'mutual_tls' }), zA, { opened: 6, sent: 1, received: 1 })
      .tcp(edgeLabels({ reporter: 'destination', src: peers.amb, dst: peers.api, service: svc.api, csp: 'mutual_tls' }), zB, {
        opened: 6,
        sent: 1,
        received: 1,
      })
      .build();
    const f = edgeFacts(k, t, W('app', 'amb'), W('app', 'api'));
    expect(path(f, bareEdge(f))).toEqual({ path: 'ambient', telemetry: 'l4' });
  });
  it('waypoint slice beside a direct slice: mixed', () => {
    const t = tb()
      .requests(edgeLabels({ reporter: 'waypoint', src: peers.amb, dst: peers.srv, service: svc.srv, csp: 'mutual_tls' }), pods.wp, { '200': 60 })
      .tcp(edgeLabels({ reporter: 'destination', src: peers.amb, dst: peers.srv, service: svc.srv, csp: 'mutual_tls' }), zB, {
        opened: 6,
        sent: 1,
        received: 1,
      })
      .build();
    const f = edgeFacts(k, t, W('app', 'amb'), W('wp', 'srv'));
    expect(f.slices.map((s) => s.via)).toEqual(['waypoint', 'direct']);
    expect(path(f, bareEdge(f))).toEqual({ path: 'mixed', telemetry: 'l7' });
  });
});

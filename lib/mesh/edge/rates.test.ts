import { describe, expect, it } from 'vitest';
import { bareEdge, edgeFacts } from '../testing/edge-facts';
import { rates } from './rates';
import { edgeLabels, k, peers, pods, svc, tb, W, zA, zB } from './scenario.test-helpers';

describe('rates decorator', () => {
  it('one slice: server-side L4, client-side L7 when no server proxy reports requests; rates over the 600 s window', () => {
    const t = tb()
      .requests(edgeLabels({ reporter: 'source', src: peers.sc, dst: peers.api, service: svc.api, csp: 'unknown' }), pods.sc, { '200': 540, '503': 60 })
      .tcp(edgeLabels({ reporter: 'destination', src: peers.sc, dst: peers.api, service: svc.api, csp: 'mutual_tls' }), zB, { opened: 60, sent: 1200, received: 600, failed: { CONNECT: 6 } })
      .build();
    const f = edgeFacts(k, t, W('app', 'sc'), W('app', 'api'));
    const r = rates(f, bareEdge(f));
    expect(r.rateSources).toEqual({ l7: 'source', l4: 'destination' });
    expect(r.rates).toMatchObject({ rps: 1, errorRate: 0.1, connectionsPerSec: 0.1, responseBytesPerSec: 2, requestBytesPerSec: 1, failedConnectionsPerSec: 0.01 });
    expect(r.failuresByFlag).toEqual({ CONNECT: 0.01 });
  });
  it('two slices: sums, failures per flag added, a reporter named only where the slices agree', () => {
    const t = tb()
      .requests(edgeLabels({ reporter: 'waypoint', src: peers.amb, dst: peers.srv, service: svc.srv, csp: 'mutual_tls' }), pods.wp, { '200': 600 })
      .tcp(edgeLabels({ reporter: 'source', src: peers.amb, dst: peers.wp, service: svc.srv, csp: 'mutual_tls' }), zA, { opened: 60, sent: 60, received: 60, failed: { CONNECT: 6 } })
      .tcp(edgeLabels({ reporter: 'destination', src: peers.amb, dst: peers.srv, service: svc.srv, csp: 'mutual_tls' }), zB, { opened: 30, sent: 30, received: 30, failed: { CONNECT: 3 } })
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

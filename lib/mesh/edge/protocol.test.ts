import { describe, expect, it } from 'vitest';
import { bareEdge, edgeFacts } from '../testing/edge-facts';
import { protocol } from './protocol';
import { edgeLabels, k, peers, pods, svc, tb, W, zB } from './scenario.test-helpers';

describe('protocol decorator', () => {
  it("from the edge's own request series", () => {
    const t = tb()
      .requests(edgeLabels({ reporter: 'source', src: peers.sc, dst: peers.api, service: svc.api, csp: 'unknown' }), pods.sc, { '0': 6 }, 'grpc')
      .build();
    const f = edgeFacts(k, t, W('app', 'sc'), W('app', 'api'));
    expect(protocol(f, { ...bareEdge(f, ['app/api']), telemetry: 'l7' })).toEqual({ protocol: 'grpc', protocolSource: 'telemetry', l7Gap: false });
  });
  it('from the Service port: http over L4 only is an L7 gap', () => {
    const t = tb()
      .tcp(edgeLabels({ reporter: 'destination', src: peers.amb, dst: peers.api, service: svc.api, csp: 'mutual_tls' }), zB, {
        opened: 6,
        sent: 1,
        received: 1,
      })
      .build();
    const f = edgeFacts(k, t, W('app', 'amb'), W('app', 'api'));
    expect(protocol(f, bareEdge(f, ['app/api']))).toEqual({ protocol: 'http', protocolSource: 'service-port', l7Gap: true });
  });
});

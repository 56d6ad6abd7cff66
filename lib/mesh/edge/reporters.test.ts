import { describe, expect, it } from 'vitest';
import { bareEdge, edgeFacts } from '../testing/edge-facts';
import { reporters } from './reporters';
import { edgeLabels, k, peers, pods, svc, tb, W, zA, zB } from './scenario.test-helpers';

describe('reporters decorator', () => {
  it('every proxy that saw the folded waypoint edge, legs included, with its rule and targets', () => {
    const t = tb()
      .requests(edgeLabels({ reporter: 'waypoint', src: peers.amb, dst: peers.srv, service: svc.srv, csp: 'mutual_tls' }), pods.wp, { '200': 60 })
      .tcp(edgeLabels({ reporter: 'source', src: peers.amb, dst: peers.wp, service: svc.srv, csp: 'mutual_tls' }), zA, { opened: 6, sent: 1, received: 1 })
      .tcp(edgeLabels({ reporter: 'destination', src: peers.wp, dst: peers.srv, service: svc.srv, csp: 'mutual_tls' }), zB, { opened: 6, sent: 1, received: 1 })
      .build();
    const f = edgeFacts(k, t, W('app', 'amb'), W('wp', 'srv'));
    expect(reporters(f, bareEdge(f))).toEqual({
      reporters: [
        { reporter: 'destination', proxy: 'ztunnel', rule: 'scrape-labels', targets: ['ztunnel-b'] },
        { reporter: 'source', proxy: 'ztunnel', rule: 'scrape-labels', targets: ['ztunnel-a'] },
        { reporter: 'waypoint', proxy: 'waypoint', rule: 'waypoint', targets: ['wp-1'] },
      ],
    });
  });
});

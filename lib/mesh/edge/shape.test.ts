import { describe, expect, it } from 'vitest';
import { bareEdge, edgeFacts } from '../testing/edge-facts';
import { principals } from './principals';
import { shape } from './shape';
import { slices } from './slices';
import { edgeLabels, k, peers, pods, svc, tb, W, zB } from './scenario.test-helpers';

const t = tb()
  .requests(edgeLabels({ reporter: 'waypoint', src: peers.amb, dst: peers.srv, service: svc.srv, csp: 'mutual_tls' }), pods.wp, { '200': 60 })
  .tcp(edgeLabels({ reporter: 'destination', src: peers.legacy, dst: peers.srv, service: svc.srv, csp: 'unknown' }), zB, { opened: 6, sent: 1, received: 1 })
  .tcp(edgeLabels({ reporter: 'destination', src: peers.amb, dst: peers.srv, service: svc.srv, csp: 'mutual_tls' }), zB, { opened: 6, sent: 1, received: 1 })
  .build();

describe('shape, principals and slices decorators', () => {
  const f = edgeFacts(k, t, W('app', 'amb'), W('wp', 'srv'));
  it('shape: the waypoint, and partial L7 when one slice has requests and the other only L4', () => {
    expect(shape(f, bareEdge(f))).toEqual({ waypoint: 'wp/wp', partialL7: true });
  });
  it("principals: the server side's view first", () => {
    expect(principals(f, bareEdge(f))).toEqual({
      principals: { source: 'spiffe://cluster.local/ns/app/sa/amb', destination: 'spiffe://cluster.local/ns/wp/sa/srv' },
    });
  });
  it('slices: only when there is more than one, waypoint first', () => {
    const s = slices(f, { ...bareEdge(f), waypoint: 'wp/wp' }).slices!;
    expect(s.map((x) => [x.via, x.path, x.telemetry, x.waypoint])).toEqual([
      ['waypoint', 'waypoint', 'l7', 'wp/wp'],
      ['direct', 'ambient', 'l4', undefined],
    ]);
    const one = edgeFacts(
      k,
      tb()
        .tcp(edgeLabels({ reporter: 'destination', src: peers.legacy, dst: peers.srv, service: svc.srv, csp: 'unknown' }), zB, {
          opened: 6,
          sent: 1,
          received: 1,
        })
        .build(),
      W('legacy', 'legacy'),
      W('wp', 'srv'),
    );
    expect(slices(one, bareEdge(one))).toEqual({});
  });
});

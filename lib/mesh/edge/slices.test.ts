import { describe, expect, it } from 'vitest';
import { bareEdge, edgeFacts } from '../testing/edge-facts';
import { slices } from './slices';
import { edgeLabels, k, peers, splitTelemetry, svc, tb, W, zB } from './scenario.test-helpers';

describe('slices decorator', () => {
  const f = edgeFacts(k, splitTelemetry(), W('app', 'amb'), W('wp', 'srv'));
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

// Sparklines read the series the graph counted (case 9 of the real-clusters issue).
import { describe, expect, it } from 'vitest';
import { edgeLabels, k, peers, pods, svc, tb, W, zA, zB } from './edge/scenario.test-helpers';
import { seriesSelection } from './series-selection';

const t = tb()
  // ambient client through the waypoint
  .requests(edgeLabels({ reporter: 'waypoint', src: peers.amb, dst: peers.srv, service: svc.srv, csp: 'mutual_tls' }), pods.wp, { '200': 60 })
  .tcp(edgeLabels({ reporter: 'source', src: peers.amb, dst: peers.wp, service: svc.srv, csp: 'mutual_tls' }), zA, { opened: 6, sent: 1, received: 1 })
  .tcp(edgeLabels({ reporter: 'destination', src: peers.wp, dst: peers.srv, service: svc.srv, csp: 'mutual_tls' }), zB, { opened: 6, sent: 1, received: 1 })
  // a sidecar client of the same server, reported by itself and by the server's ztunnel
  .requests(edgeLabels({ reporter: 'source', src: peers.sc, dst: peers.srv, service: svc.srv, csp: 'unknown' }), pods.sc, { '200': 30 })
  .tcp(edgeLabels({ reporter: 'source', src: peers.sc, dst: peers.srv, service: svc.srv, csp: 'unknown' }), pods.sc, { opened: 3, sent: 1, received: 1 })
  .tcp(edgeLabels({ reporter: 'destination', src: peers.sc, dst: peers.srv, service: svc.srv, csp: 'mutual_tls' }), zB, { opened: 3, sent: 1, received: 1 })
  .build();

describe('seriesSelection', () => {
  it("a folded waypoint edge: the waypoint's requests and the client leg's TCP (the only L4 that names this client)", () => {
    const s = seriesSelection(k, t, { edgeId: `${W('app', 'amb')}->${W('wp', 'srv')}` })!;
    expect(s.l7.map((l) => `${l.reporter} ${l.source_workload}→${l.destination_workload}`)).toEqual(['waypoint amb→srv']);
    expect(s.l4.map((l) => `${l.reporter} ${l.source_workload}→${l.destination_workload}`)).toEqual(['source amb→wp']);
    expect(Object.keys(s.l7[0]!)).toHaveLength(15);
  });
  it('a sidecar client into ztunnel: requests from the client sidecar, TCP from the server side only (never both)', () => {
    const s = seriesSelection(k, t, { edgeId: `${W('app', 'sc')}->${W('wp', 'srv')}` })!;
    expect(s.l7.map((l) => l.reporter)).toEqual(['source']);
    expect(s.l4.map((l) => `${l.reporter} ${l.connection_security_policy}`)).toEqual(['destination mutual_tls']);
  });
  it('a node: the union over the edges into it', () => {
    const s = seriesSelection(k, t, { target: W('wp', 'srv') })!;
    expect(s.l7.map((l) => `${l.reporter} ${l.source_workload}`)).toEqual(['source sc', 'waypoint amb']);
  });
  it('no such edge: undefined', () => {
    expect(seriesSelection(k, t, { edgeId: 'workload:Kubernetes/x/y->workload:Kubernetes/x/z' })).toBeUndefined();
  });
});

// Telemetry health (case 11): say when the data cannot support the picture.
import { describe, expect, it } from 'vitest';
import { buildMeshGraph } from './build';
import { edgeLabels, k, peers, pods, svc, tb, zA, zB } from './edge/scenario.test-helpers';

const messages = (t: ReturnType<ReturnType<typeof tb>['build']>) => buildMeshGraph(k, t).warnings.map((w) => w.message);

describe('telemetry health warnings', () => {
  it('Envoy scraped, ztunnel not (a PodMonitor on http-envoy-prom only): ambient pods but no ztunnel series', () => {
    const t = tb()
      .requests(edgeLabels({ reporter: 'source', src: peers.sc, dst: peers.api, service: svc.api, csp: 'unknown' }), pods.sc, { '200': 6 })
      .build();
    expect(messages(t).join('\n')).toMatch(/ambient pods running but no ztunnel series in the window/);
  });
  it('ztunnel scraped, sidecars not: sidecar pods but no Envoy series', () => {
    const t = tb()
      .tcp(edgeLabels({ reporter: 'destination', src: peers.amb, dst: peers.api, service: svc.api, csp: 'mutual_tls' }), zB, {
        opened: 6,
        sent: 1,
        received: 1,
      })
      .build();
    const m = messages(t).join('\n');
    expect(m).toMatch(/1 sidecar pod running but no Envoy series/);
    expect(m).not.toMatch(/no ztunnel series/);
  });
  it('a waypoint that carried traffic (legs) but reported no requests', () => {
    const t = tb()
      .tcp(edgeLabels({ reporter: 'source', src: peers.amb, dst: peers.wp, service: svc.srv, csp: 'mutual_tls' }), zA, { opened: 6, sent: 1, received: 1 })
      .requests(edgeLabels({ reporter: 'source', src: peers.sc, dst: peers.api, service: svc.api, csp: 'unknown' }), pods.sc, { '200': 6 })
      .build();
    expect(messages(t).join('\n')).toMatch(/waypoint wp\/wp carried traffic \(ztunnel saw 1 leg to or from it\) but reported no requests/);
  });
  it('a complete picture has none of these warnings; an empty window has none either', () => {
    const t = tb()
      .requests(edgeLabels({ reporter: 'waypoint', src: peers.amb, dst: peers.srv, service: svc.srv, csp: 'mutual_tls' }), pods.wp, { '200': 6 })
      .tcp(edgeLabels({ reporter: 'source', src: peers.amb, dst: peers.wp, service: svc.srv, csp: 'mutual_tls' }), zA, { opened: 6, sent: 1, received: 1 })
      .requests(edgeLabels({ reporter: 'source', src: peers.sc, dst: peers.api, service: svc.api, csp: 'unknown' }), pods.sc, { '200': 6 })
      .build();
    expect(messages(t).filter((m) => /series in the window|reported no requests/.test(m))).toEqual([]);
    expect(messages(tb().build()).filter((m) => /series in the window|reported no requests/.test(m))).toEqual([]);
  });
});

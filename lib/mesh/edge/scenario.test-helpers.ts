// A small mixed mesh for the decorator tests: sidecar client `sc`, ambient client `amb`, out-of-mesh `legacy`,
// ambient server `api` (no waypoint), ambient server `srv` behind service waypoint `wp`.
import { nodeId } from '../ids';
import {
  ambientPod,
  edgeLabels,
  kube,
  namespace,
  plainPod,
  service,
  sidecarPod,
  TelemetryBuilder,
  waypointGateway,
  waypointPod,
  ztunnelPod,
} from '../testing/fixtures';

export const W = (ns: string, name: string) => nodeId('workload', 'Kubernetes', ns, name);
export const zA = ztunnelPod('ztunnel-a', '10.0.0.2', 'a');
export const zB = ztunnelPod('ztunnel-b', '10.0.1.2', 'b');
export const pods = {
  sc: sidecarPod({ namespace: 'app', name: 'sc-1', workload: 'sc', ip: '10.0.0.10', node: 'a' }),
  amb: ambientPod({ namespace: 'app', name: 'amb-1', workload: 'amb', ip: '10.0.0.11', node: 'a' }),
  legacy: plainPod({ namespace: 'legacy', name: 'legacy-1', workload: 'legacy', ip: '10.0.0.12', node: 'a' }),
  api: ambientPod({ namespace: 'app', name: 'api-1', workload: 'api', ip: '10.0.1.20', node: 'b' }),
  srv: ambientPod({ namespace: 'wp', name: 'srv-1', workload: 'srv', ip: '10.0.1.21', node: 'b' }),
  wp: waypointPod({ namespace: 'wp', gateway: 'wp', name: 'wp-1', ip: '10.0.0.30', node: 'a' }),
};
export const peers = {
  sc: { workload: 'sc', namespace: 'app' },
  amb: { workload: 'amb', namespace: 'app' },
  legacy: { workload: 'legacy', namespace: 'legacy' },
  api: { workload: 'api', namespace: 'app' },
  srv: { workload: 'srv', namespace: 'wp' },
  wp: { workload: 'wp', namespace: 'wp' },
};
export const svc = { api: { name: 'api', namespace: 'app' }, srv: { name: 'srv', namespace: 'wp' } };
export const k = kube({
  namespaces: [
    namespace('app', { 'istio.io/dataplane-mode': 'ambient' }),
    namespace('legacy'),
    namespace('wp', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'wp' }),
  ],
  pods: [zA, zB, ...Object.values(pods)],
  services: [service('app', 'api', { app: 'api' }, [{ name: 'http', port: 80 }]), service('wp', 'srv', { app: 'srv' }, [{ name: 'http', port: 80 }])],
  gateways: [waypointGateway('wp', 'wp')],
});
export const tb = () => new TelemetryBuilder('labels');
export { edgeLabels };

/** `amb` through the waypoint (L7) beside `legacy` and `amb` directly into `srv` (L4 only): two slices. */
export const splitTelemetry = () =>
  tb()
    .requests(edgeLabels({ reporter: 'waypoint', src: peers.amb, dst: peers.srv, service: svc.srv, csp: 'mutual_tls' }), pods.wp, { '200': 60 })
    .tcp(edgeLabels({ reporter: 'destination', src: peers.legacy, dst: peers.srv, service: svc.srv, csp: 'unknown' }), zB, { opened: 6, sent: 1, received: 1 })
    .tcp(edgeLabels({ reporter: 'destination', src: peers.amb, dst: peers.srv, service: svc.srv, csp: 'mutual_tls' }), zB, { opened: 6, sent: 1, received: 1 })
    .build();

/** One L4 series reported by a ztunnel: `reporter` `destination` (server's, zB) or `source` (client's, zA). */
export const ztunnelTcp = (
  reporter: 'source' | 'destination',
  src: keyof typeof peers,
  dst: 'api' | 'srv',
  o: { opened: number; failed?: Record<string, number> },
) =>
  tb()
    .tcp(edgeLabels({ reporter, src: peers[src], dst: peers[dst], service: svc[dst], csp: 'mutual_tls' }), reporter === 'destination' ? zB : zA, {
      opened: o.opened,
      sent: o.opened > 0 ? 1 : 0,
      received: o.opened > 0 ? 1 : 0,
      closed: o.opened,
      ...(o.failed ? { failed: o.failed } : {}),
    })
    .build();

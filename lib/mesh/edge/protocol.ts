// Edge protocol and L7 gap (docs/classification.md §5): from the edge's own request series; else from the
// destination Service's ports; where the ports say nothing (unnamed, `web`, `8080`) or mix L7 and TCP ports,
// from what any reporter saw the destination answer in the window. L7 gap = http/grpc with only L4 telemetry.
import { servicesProtocol } from '../protocol';
import { TCP_METRICS } from '../model';
import type { GraphEdge, Protocol, ServiceInfo, TelemetrySample } from '../types';
import type { EdgeDecorator } from './facts';
import { provenProtocol } from './protocol-evidence';

function protocolFromRequests(samples: readonly TelemetrySample[]): Protocol | undefined {
  let http = 0;
  let grpc = 0;
  for (const s of samples) {
    if (s.metric !== 'requests') continue;
    if (s.labels.request_protocol === 'grpc') grpc += s.value || 1e-12;
    else http += s.value || 1e-12;
  }
  if (http === 0 && grpc === 0) return undefined;
  return grpc > http ? 'grpc' : 'http';
}

export const protocol: EdgeDecorator = (f, edge) => {
  const l7 = f.slices.flatMap((v) => v.l7Samples);
  const own = protocolFromRequests(l7.length > 0 ? l7 : f.counted.flatMap((g) => g.samples));
  let proto: Protocol = 'unknown';
  let source: GraphEdge['protocolSource'] = 'none';
  if (edge.telemetry === 'l7' && own) {
    proto = own;
    source = 'telemetry';
  } else {
    const index = f.ctx.index;
    let infos: ServiceInfo[] = edge.services.flatMap((s) => {
      const info = index.services.get(s);
      return info ? [info] : [];
    });
    const target = f.acc.leg === 'to-waypoint' ? undefined : f.acc.dst.workload;
    if (infos.length === 0 && target && !target.infrastructure) infos = index.servicesOf(target);
    const proven =
      f.acc.leg === 'to-waypoint'
        ? undefined
        : provenProtocol(f.protocols, f.acc.dst.cluster, edge.services, f.acc.dst.kind === 'workload' ? f.acc.dst.id : undefined);
    if (infos.length > 0) {
      const d = servicesProtocol(infos);
      proto = d.mixedPorts ? 'unknown' : d.protocol;
      source = 'service-port';
    }
    if (proto === 'unknown' && proven) {
      proto = proven;
      source = 'peer-telemetry';
    }
    if (
      proto === 'unknown' &&
      f.counted.some(
        (g) => g.hasTcp && g.samples.some((s) => TCP_METRICS.has(s.metric)) && g.attributions.some((a) => a.proxy === 'envoy' || a.proxy === 'waypoint'),
      )
    ) {
      // Envoy emitted istio_tcp_* (request_protocol="tcp"): it proxied the traffic as opaque TCP.
      proto = 'tcp';
      source = 'telemetry';
    }
  }
  return { protocol: proto, protocolSource: source, l7Gap: (proto === 'http' || proto === 'grpc') && edge.telemetry === 'l4' };
};

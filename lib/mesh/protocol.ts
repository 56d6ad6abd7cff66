// Service port → protocol (docs/classification.md §1 "Edge protocol"; Istio protocol selection rules).
import type { Protocol, ServiceInfo, ServicePortInfo } from './types';

const APP_PROTOCOL: Record<string, Protocol> = {
  http: 'http',
  http2: 'http',
  'kubernetes.io/h2c': 'http',
  'kubernetes.io/ws': 'http',
  'kubernetes.io/wss': 'tcp',
  grpc: 'grpc',
  'grpc-web': 'http',
  tcp: 'tcp',
  tls: 'tcp',
  https: 'tcp',
  mysql: 'tcp',
  mongo: 'tcp',
  redis: 'tcp',
};

// Port-name prefixes, longest first ("grpc-web" before "grpc", "http2" before "http").
const NAME_PREFIX: [string, Protocol][] = [
  ['grpc-web', 'http'],
  ['grpc', 'grpc'],
  ['http2', 'http'],
  ['https', 'tcp'],
  ['http', 'http'],
  ['tcp', 'tcp'],
  ['tls', 'tcp'],
  ['mysql', 'tcp'],
  ['mongo', 'tcp'],
  ['redis', 'tcp'],
];

/** Protocol of one Service port: appProtocol first, then the port name (`<protocol>[-<suffix>]`). */
export function portProtocol(port: ServicePortInfo): Protocol {
  if ((port.protocol ?? 'TCP').toUpperCase() !== 'TCP') return 'unknown'; // UDP/SCTP are not proxied
  if (port.appProtocol) {
    const p = APP_PROTOCOL[port.appProtocol.toLowerCase()];
    if (p) return p;
  }
  const name = port.name?.toLowerCase();
  if (name) {
    for (const [prefix, p] of NAME_PREFIX) {
      if (name === prefix || name.startsWith(`${prefix}-`)) return p;
    }
  }
  return 'unknown';
}

export interface ProtocolDecision {
  protocol: Protocol;
  /** Set when the decision needed explaining (several ports/services). */
  note?: string;
  /** L7 ports beside TCP ports: which one a connection used is not in the telemetry (judge per port with evidence). */
  mixedPorts?: boolean;
}

/**
 * Protocol of a set of ports (one Service, or all Services in front of a workload).
 * All ports agree → that protocol. Otherwise an L7 protocol is picked only when every non-tcp
 * port agrees on it (the tcp ports are named in the note); anything else → unknown.
 */
export function portsProtocol(ports: ServicePortInfo[], what: string): ProtocolDecision {
  if (ports.length === 0) return { protocol: 'unknown', note: `${what} has no ports` };
  const each = ports.map((p) => ({ p, proto: portProtocol(p) }));
  const distinct = [...new Set(each.map((e) => e.proto))];
  if (distinct.length === 1) return { protocol: distinct[0]! };
  const nonTcp = [...new Set(each.filter((e) => e.proto !== 'tcp').map((e) => e.proto))];
  const portName = (e: { p: ServicePortInfo }) => `${e.p.name ?? ''}${e.p.name ? '/' : ''}${e.p.port}`;
  if (nonTcp.length === 1 && (nonTcp[0] === 'http' || nonTcp[0] === 'grpc')) {
    const tcpPorts = each.filter((e) => e.proto === 'tcp').map(portName);
    return {
      protocol: nonTcp[0],
      mixedPorts: true,
      note: `${what} mixes protocols: ${nonTcp[0]} chosen, tcp ports ${tcpPorts.join(', ')} ignored`,
    };
  }
  return {
    protocol: 'unknown',
    note: `${what} ports disagree (${each.map((e) => `${portName(e)}=${e.proto}`).join(', ')})`,
  };
}

/** Protocol of one Service (all its ports). */
export function serviceProtocol(svc: ServiceInfo): ProtocolDecision {
  return portsProtocol(svc.ports, `Service ${svc.namespace}/${svc.name}`);
}

/** Protocol of several Services (e.g. all Services selecting a destination workload). */
export function servicesProtocol(services: ServiceInfo[]): ProtocolDecision {
  if (services.length === 0) return { protocol: 'unknown', note: 'no matching Service' };
  if (services.length === 1) return serviceProtocol(services[0]!);
  return portsProtocol(
    services.flatMap((s) => s.ports),
    `Services ${services.map((s) => `${s.namespace}/${s.name}`).join(', ')}`,
  );
}

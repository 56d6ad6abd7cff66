// Protocol from evidence (docs/classification.md §5): a destination that any reporter saw answer HTTP or gRPC
// requests in the window speaks L7, whatever its port is named (`web`, `8080`, unnamed). An ambient edge into
// it with only L4 telemetry is then an L7 gap, even though the Service port says nothing.
import type { SeriesGroup } from '../model';
import type { Protocol } from '../types';

export interface ProtocolEvidence {
  /** By destination Service ("ns/name" or host) and cluster. */
  service: Map<string, 'http' | 'grpc'>;
  /** By destination workload node id. */
  workload: Map<string, 'http' | 'grpc'>;
}

export function protocolEvidence(groups: readonly SeriesGroup[]): ProtocolEvidence {
  const count = new Map<string, { http: number; grpc: number }>();
  const add = (key: string, proto: string | undefined, n: number) => {
    const c = count.get(key) ?? { http: 0, grpc: 0 };
    if (proto === 'grpc') c.grpc += n;
    else c.http += n;
    count.set(key, c);
  };
  for (const g of groups) {
    if (!g.hasRequests) continue;
    for (const s of g.samples) {
      if (s.metric !== 'requests') continue;
      const n = s.value || 1e-12;
      if (g.service !== undefined) add(`s\u0001${g.dst.cluster}\u0001${g.service}`, s.labels.request_protocol, n);
      if (g.dst.kind === 'workload') add(`w\u0001${g.dst.id}`, s.labels.request_protocol, n);
    }
  }
  const out: ProtocolEvidence = { service: new Map(), workload: new Map() };
  for (const [key, c] of count) {
    const proto: 'http' | 'grpc' = c.grpc > c.http ? 'grpc' : 'http';
    const [kind, a, b] = key.split('\u0001');
    if (kind === 's') out.service.set(`${a}\u0001${b}`, proto);
    else out.workload.set(a!, proto);
  }
  return out;
}

/** What the window proves about an edge's destination: its Services first, then its workload. */
export function provenProtocol(ev: ProtocolEvidence, cluster: string, services: readonly string[], workloadId: string | undefined): Protocol | undefined {
  for (const s of services) {
    const p = ev.service.get(`${cluster}\u0001${s}`);
    if (p) return p;
  }
  return workloadId ? ev.workload.get(workloadId) : undefined;
}

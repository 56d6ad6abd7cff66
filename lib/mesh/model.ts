// The intermediate model of the graph build: series groups (one reporter's view of one labelled pair),
// their resolved endpoints, and the edges they are assigned to. Shared by build.ts (grouping, folding,
// nodes) and the edge decorators (lib/mesh/edge/), which turn an EdgeAcc into the API's GraphEdge.
import type { ClusterInventory } from './inventory';
import type { AttributionRule, Labels, NodeKind, ProxyKind, Reporter, TelemetrySample } from './types';
import type { WaypointIndex, WaypointInfo } from './waypoints';
import type { WorkloadIndex, WorkloadInfo } from './workloads';

export interface Endpoint {
  id: string;
  kind: NodeKind;
  namespace: string;
  name: string;
  cluster: string;
  host?: string;
  /** Envoy's PassthroughCluster / BlackHoleCluster. */
  egress?: 'passthrough' | 'blackhole';
  workload?: WorkloadInfo;
  waypoint?: WaypointInfo;
  telemetryOnly: boolean;
}

/** One EDGE_LABELS key: the series of one reporter for one labelled pair (summed over pods). */
export interface SeriesGroup {
  key: string;
  labels: Labels;
  reporter: Reporter;
  /** Reporter for preference and folding: `waypoint` also for a pre-1.22 waypoint's `destination` series. */
  rank: Reporter;
  samples: TelemetrySample[];
  /** Only histogram buckets (they are grouped by fewer labels): used for latency only. */
  bucketsOnly: boolean;
  hasRequests: boolean;
  hasTcp: boolean;
  attributions: { proxy: ProxyKind; rule: AttributionRule; targets: string[] }[];
  src: Endpoint;
  dst: Endpoint;
  /** Destination service of the series: "ns/name" of a known Service, else the host. */
  service?: string;
  /** Waypoint identified for reporter=waypoint series. */
  waypoint?: WaypointInfo;
  /** Cluster of the snapshot the waypoint was found in. */
  waypointCluster?: string;
}

export type Role = 'direct' | 'waypoint' | 'client-leg' | 'server-leg';

export interface Attached {
  group: SeriesGroup;
  /** Its numbers belong to this edge (else it only contributes reporters/evidence). */
  usable: boolean;
  /** The group's traffic went through a waypoint (a waypoint series or a ztunnel leg to/from one). */
  viaWaypoint: boolean;
}

export interface EdgeAcc {
  id: string;
  src: Endpoint;
  dst: Endpoint;
  leg?: 'to-waypoint' | 'from-waypoint';
  viaWaypoint: boolean;
  waypoints: Set<string>;
  attached: Attached[];
}

export interface MeshContext {
  inventory: ClusterInventory;
  index: WorkloadIndex;
  waypoints: WaypointIndex;
  /** The context of the snapshot of `cluster`; the first snapshot's when no snapshot has that name. */
  of(cluster: string): MeshContext;
  /** Every cluster's context, the first snapshot's first (one entry in single-cluster mode). */
  all(): MeshContext[];
}

export function roleOf(g: SeriesGroup): Role {
  if (g.rank === 'waypoint') return 'waypoint';
  if (g.dst.kind === 'waypoint') return 'client-leg';
  if (g.src.kind === 'waypoint') return 'server-leg';
  return 'direct';
}

export const TCP_METRICS: ReadonlySet<string> = new Set(['tcpOpened', 'tcpClosed', 'tcpFailed', 'tcpSentBytes', 'tcpReceivedBytes']);

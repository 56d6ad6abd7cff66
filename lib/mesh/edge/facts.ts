// What every edge decorator reads: the accumulated edge, its slices, and what the whole window says about
// protocols. Decorators are pure functions (EdgeFacts, the edge built so far) → fields of the GraphEdge.
import type { EdgeAcc, MeshContext, SeriesGroup } from '../model';
import type { GraphEdge } from '../types';
import type { ProtocolEvidence } from './protocol-evidence';
import type { SliceView } from './slice';

export interface EdgeFacts {
  acc: EdgeAcc;
  /** Context of the destination's cluster (its Services' ports). */
  ctx: MeshContext;
  seconds: number;
  /** One view per slice, waypoint first (lib/mesh/edge/slice.ts). */
  slices: SliceView[];
  /** Every non-bucket group attached, usable or not. */
  evidence: SeriesGroup[];
  /** Counted groups of every slice. */
  counted: SeriesGroup[];
  /** Protocols the window's request series prove per destination (lib/mesh/edge/protocol-evidence.ts). */
  protocols: ProtocolEvidence;
}

export type EdgeDecorator = (facts: EdgeFacts, edge: Readonly<GraphEdge>) => Partial<GraphEdge>;

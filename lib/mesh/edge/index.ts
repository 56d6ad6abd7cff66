// EdgeAcc → GraphEdge: the edge's slices, then the decorators in order, each a pure function with its own
// test (docs/classification.md). A new classification rule is one new decorator and one new test.
import { roleOf, type EdgeAcc, type MeshContext } from '../model';
import type { GraphEdge } from '../types';
import { uniqSorted } from '../util';
import type { EdgeDecorator, EdgeFacts } from './facts';
import { mtls } from './mtls';
import { path } from './path';
import { policies } from './policies';
import { principals } from './principals';
import type { ProtocolEvidence } from './protocol-evidence';
import { protocol } from './protocol';
import { rates } from './rates';
import { reporters } from './reporters';
import { shape } from './shape';
import { sliceEdge } from './slice';
import { slices } from './slices';

/**
 * Order matters where a decorator reads an earlier one's field: protocol reads telemetry, slices reads waypoint,
 * policies reads the services, mTLS and the rates' failure flags and statuses.
 */
export const EDGE_DECORATORS: readonly EdgeDecorator[] = [reporters, path, rates, mtls, shape, protocol, principals, slices, policies];

/** Services the edge's traffic addressed: its usable groups', and the client legs' and waypoints' even when shared. */
function edgeServices(acc: EdgeAcc): string[] {
  return uniqSorted(
    acc.attached
      .filter((a) => a.usable || roleOf(a.group) === 'client-leg' || roleOf(a.group) === 'waypoint')
      .flatMap((a) => (a.group.service ? [a.group.service] : [])),
  );
}

/** What the decorators read about one accumulated edge. */
export function edgeFactsOf(outer: MeshContext, acc: EdgeAcc, seconds: number, protocols: ProtocolEvidence): EdgeFacts {
  const views = sliceEdge(acc, seconds);
  return {
    acc,
    ctx: outer.of(acc.dst.cluster),
    seconds,
    slices: views,
    evidence: acc.attached.map((a) => a.group).filter((g) => !g.bucketsOnly),
    counted: views.flatMap((v) => v.counted),
    protocols,
  };
}

/** The fields an edge has before any decorator ran. */
export function bareEdge(acc: EdgeAcc, services: string[]): GraphEdge {
  return {
    id: acc.id,
    source: acc.src.id,
    target: acc.dst.id,
    path: 'ambient',
    telemetry: 'l4',
    protocol: 'unknown',
    l7Gap: false,
    mtls: 'unknown',
    rates: {},
    reporters: [],
    services,
  };
}

export function finishEdge(outer: MeshContext, acc: EdgeAcc, seconds: number, protocols: ProtocolEvidence): GraphEdge {
  const facts = edgeFactsOf(outer, acc, seconds, protocols);
  const edge = bareEdge(acc, edgeServices(acc));
  for (const decorate of EDGE_DECORATORS) Object.assign(edge, decorate(facts, edge));
  return edge;
}

export type { EdgeDecorator, EdgeFacts } from './facts';

// Builds the EdgeFacts of one edge the way buildMeshGraph does (group, fold, slice), so each edge decorator
// can be tested alone on real series shapes.
import { assignEdges, buildMeshContexts, groupSeries } from '../build';
import { bareEdge as bare, edgeFactsOf } from '../edge';
import type { EdgeFacts } from '../edge/facts';
import { protocolEvidence } from '../edge/protocol-evidence';
import { windowSeconds } from '../rates';
import type { GraphEdge, KubeSnapshot, TelemetryInput } from '../types';

export function edgeFacts(k: KubeSnapshot, t: TelemetryInput, source: string, target: string): EdgeFacts {
  const ctx = buildMeshContexts([k])[0]!;
  const groups = groupSeries(ctx, t);
  const acc = assignEdges(ctx, groups, false, []).find((e) => e.src.id === source && e.dst.id === target);
  if (!acc) throw new Error(`no edge ${source} -> ${target}`);
  return edgeFactsOf(ctx, acc, windowSeconds(t.window), protocolEvidence(groups));
}

/** The fields an edge has before any decorator ran. */
export function bareEdge(f: EdgeFacts, services: string[] = []): GraphEdge {
  return bare(f.acc, services);
}

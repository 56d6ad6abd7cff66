// Builds the EdgeFacts of one edge the way buildMeshGraph does (group, fold, slice), so each edge decorator
// can be tested alone on real series shapes.
import { assignEdges, buildMeshContexts, groupSeries } from '../build';
import type { EdgeFacts } from '../edge/facts';
import { protocolEvidence } from '../edge/protocol-evidence';
import { sliceEdge } from '../edge/slice';
import { windowSeconds } from '../rates';
import type { GraphEdge, KubeSnapshot, TelemetryInput } from '../types';

export function edgeFacts(k: KubeSnapshot, t: TelemetryInput, source: string, target: string): EdgeFacts {
  const ctx = buildMeshContexts([k])[0]!;
  const groups = groupSeries(ctx, t);
  const acc = assignEdges(ctx, groups, false, []).find((e) => e.src.id === source && e.dst.id === target);
  if (!acc) throw new Error(`no edge ${source} -> ${target}`);
  const seconds = windowSeconds(t.window);
  const slices = sliceEdge(acc, seconds);
  return {
    acc,
    ctx: ctx.of(acc.dst.cluster),
    seconds,
    slices,
    evidence: acc.attached.map((a) => a.group).filter((g) => !g.bucketsOnly),
    counted: slices.flatMap((v) => v.counted),
    protocols: protocolEvidence(groups),
  };
}

/** The fields an edge has before any decorator ran. */
export function bareEdge(f: EdgeFacts, services: string[] = []): GraphEdge {
  return {
    id: f.acc.id,
    source: f.acc.src.id,
    target: f.acc.dst.id,
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

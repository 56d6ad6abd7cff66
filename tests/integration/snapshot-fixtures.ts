import type { SnapshotDocument } from '@/lib/snapshots/types';
import { newSnapshotId } from '@/lib/snapshots/id';

/** A snapshot document with a body big enough to span several write chunks. */
export function sampleSnapshot(id = newSnapshotId(), createdAt = new Date().toISOString(), edges = 200): SnapshotDocument {
  return {
    id,
    title: 'checkout errors <b>02:14</b>',
    createdAt,
    version: 'test',
    window: { start: '2026-11-21T21:00:00Z', end: '2026-11-21T21:15:00Z' },
    state: 'start=2026-11-21T21%3A00%3A00.000Z&end=2026-11-21T21%3A15%3A00.000Z',
    graph: {
      window: { start: '2026-11-21T21:00:00Z', end: '2026-11-21T21:15:00Z' },
      nodes: [],
      edges: Array.from({ length: edges }, (_, i) => ({ id: `e${i}`, source: `a${i}`, target: `b${i}`, rates: { rps: i, errorRate: (i % 7) / 100 } })),
      warnings: [],
    },
    namespaces: { namespaces: [] },
    findings: { findings: [] },
    series: { edges: { e1: { series: { t: [1, 2], rps: [1, 2] } } }, nodes: {}, points: 120, omitted: 0 },
  };
}

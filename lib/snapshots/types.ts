import type { SnapshotDocument } from '@/lib/api/types';
import { z } from 'zod';

// Snapshot records (docs/snapshots.md). The graph, namespaces and findings bodies are stored as the
// API returned them (opaque JSON: the graph response may gain fields); only the envelope is typed.

/** ≥ 128 random bits, base64url: 22 characters for 16 bytes (docs/snapshots.md "Ids"). */
export const SNAPSHOT_ID = /^[A-Za-z0-9_-]{22,64}$/;

export const snapshotWindowSchema = z.object({ start: z.string().max(40), end: z.string().max(40) });

/** The list row: what GET /api/snapshots returns per snapshot (no bodies). */
export const snapshotMetaSchema = z.object({
  id: z.string().regex(SNAPSHOT_ID),
  title: z.string().max(200).nullable(),
  createdAt: z.string().max(40),
  window: snapshotWindowSchema,
  /** Bytes stored (compressed). */
  size: z.number().int().nonnegative(),
});
export type SnapshotMeta = z.infer<typeof snapshotMetaSchema>;

export type { SnapshotDocument, StoredSeries } from '@/lib/api/types';

export const snapshotDocumentSchema = z.object({
  id: z.string().regex(SNAPSHOT_ID),
  title: z.string().max(200).nullable(),
  createdAt: z.string(),
  version: z.string(),
  window: snapshotWindowSchema,
  state: z.string(),
  graph: z.unknown(),
  namespaces: z.unknown(),
  findings: z.unknown(),
  series: z.object({
    edges: z.record(z.string(), z.unknown()),
    nodes: z.record(z.string(), z.unknown()),
    points: z.number(),
    omitted: z.number(),
  }),
  positions: z.record(z.string(), z.object({ x: z.number(), y: z.number() })).optional(),
  diff: z.object({ compare: z.string().max(200), body: z.unknown() }).optional(),
}) satisfies z.ZodType<SnapshotDocument>;

export function metaOf(doc: SnapshotDocument, size: number): SnapshotMeta {
  return { id: doc.id, title: doc.title, createdAt: doc.createdAt, window: doc.window, size };
}

import { z } from 'zod';
import { toRfc3339 } from '@/lib/api/params';
import { diffGraphs } from '@/lib/compare/diff';
import { parseDiffQuery } from '@/lib/compare/params';
import type { MeshGraph } from '@/lib/mesh/types';
import { getMeshData } from '@/lib/server/mesh-data';
import { json } from '@/lib/server/http';
import { snapshotErrorResponse } from '@/lib/snapshots/http';
import { getSnapshotStore } from '@/lib/snapshots/server';

export const dynamic = 'force-dynamic';

// A stored graph is opaque JSON (its format may have grown since); the diff needs these fields.
const storedGraph = z.object({
  window: z.object({ start: z.string(), end: z.string() }),
  nodes: z.array(z.object({ id: z.string() }).loose()),
  edges: z.array(z.object({ id: z.string(), source: z.string(), target: z.string(), rates: z.object({}).loose() }).loose()),
});

/** GET /api/graph/diff: what changed between a base window (or snapshot) and the current window (docs/compare.md). */
export async function GET(request: Request): Promise<Response> {
  try {
    const q = parseDiffQuery(new URL(request.url).searchParams, Date.now() / 1000);
    let base: MeshGraph;
    if (q.base.kind === 'snapshot') {
      const doc = await getSnapshotStore().get(q.base.id);
      if (!doc) return json({ error: 'no such snapshot', parameter: 'baseSnapshot' }, 404);
      const g = storedGraph.safeParse(doc.graph);
      if (!g.success) return json({ error: 'the snapshot holds no graph this version can compare', parameter: 'baseSnapshot' }, 422);
      base = g.data as unknown as MeshGraph;
    } else {
      base = (await getMeshData({ ...q.current, window: q.base.window }, request.signal)).graph;
    }
    const current = (await getMeshData(q.current, request.signal)).graph;
    const diff = diffGraphs(base, current);
    return json({ ...diff, current: { start: toRfc3339(q.current.window.start), end: toRfc3339(q.current.window.end) }, warnings: [...base.warnings ?? [], ...current.warnings] });
  } catch (e) {
    return snapshotErrorResponse(e, request.signal);
  }
}

import 'server-only';
// Snapshots and "what changed?" (docs/snapshots.md, docs/compare.md): the route handlers' bodies. A snapshot
// holds exactly what the API's own responses would be, produced in-process by the same functions.
import { z } from 'zod';
import { ParamError, toRfc3339 } from '@/lib/api/params';
import { diffGraphs } from '@/lib/compare/diff';
import { parseDiffQuery } from '@/lib/compare/params';
import type { MeshGraph } from '@/lib/mesh/types';
import { captureSnapshot, pinRequestSchema, type ApiCall } from '@/lib/snapshots/capture';
import { snapshotErrorResponse } from '@/lib/snapshots/http';
import { isSnapshotId } from '@/lib/snapshots/id';
import { getSnapshotStore } from '@/lib/snapshots/server';
import { errorResponse, json } from './http';
import { getMeshData } from './mesh-data';
import { findingsResponse, graphResponse, namespacesResponse } from './routes';
import { getSeries } from './series';

/** A pin request is a query string and a title; 64 KiB is far above any valid one. */
const MAX_BODY_BYTES = 64 * 1024;

/** The API's responses, in-process: a snapshot holds exactly their bodies. */
const callApi: ApiCall = async (path, signal) => {
  const url = new URL(path, 'http://meshglass.internal');
  const p = url.searchParams;
  try {
    switch (url.pathname) {
      case '/api/graph':
        return { status: 200, body: (await graphResponse(p, signal)).body };
      case '/api/namespaces':
        return { status: 200, body: await namespacesResponse(p, signal) };
      case '/api/findings':
        return { status: 200, body: await findingsResponse(p, signal) };
      case '/api/edge-series':
        return { status: 200, body: await getSeries('edge', p, signal) };
      case '/api/node-series':
        return { status: 200, body: await getSeries('node', p, signal) };
      case '/api/graph/diff': {
        const r = await graphDiff(new Request(url, { signal }));
        return { status: r.status, body: await r.json() };
      }
      default:
        throw new Error(`no route for ${url.pathname}`);
    }
  } catch (e) {
    const r = errorResponse(e, signal);
    return { status: r.status, body: await r.json() };
  }
};

class BodyTooLarge extends Error {}

async function readJsonBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new BodyTooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new BodyTooLarge();
  try {
    return JSON.parse(text);
  } catch {
    throw new ParamError('body', 'the body must be JSON: {"state": "<graph page query string>", "title"?: "…"}');
  }
}

/** POST /api/snapshots */
export async function pinSnapshot(request: Request): Promise<Response> {
  try {
    const raw = await readJsonBody(request);
    const parsed = pinRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.code === 'unrecognized_keys' ? String(issue.keys[0]) : issue.path.map(String).join('.') || 'body';
      throw new ParamError(field, issue.code === 'unrecognized_keys' ? `unknown field "${field.slice(0, 40)}"` : issue.message);
    }
    const doc = await captureSnapshot(parsed.data, { call: callApi }, request.signal);
    const meta = await getSnapshotStore().put(doc);
    return json({ id: meta.id, url: `/s/${meta.id}`, size: meta.size }, 201, { Location: `/api/snapshots/${meta.id}` });
  } catch (e) {
    if (e instanceof BodyTooLarge) return json({ error: `the request body is larger than ${MAX_BODY_BYTES} bytes` }, 413);
    return snapshotErrorResponse(e, request.signal);
  }
}

/** GET /api/snapshots */
export async function listSnapshots(request: Request): Promise<Response> {
  try {
    for (const key of new URL(request.url).searchParams.keys()) throw new ParamError(key, `unknown parameter "${key.slice(0, 40)}"`);
    return json({ snapshots: await getSnapshotStore().list() });
  } catch (e) {
    return snapshotErrorResponse(e, request.signal);
  }
}

const notFound = () => json({ error: 'no such snapshot (unknown id, deleted or past SNAPSHOT_RETENTION_DAYS)' }, 404);

/** GET /api/snapshots/<id> */
export async function readSnapshot(request: Request, id: string): Promise<Response> {
  try {
    if (!isSnapshotId(id)) return notFound();
    const doc = await getSnapshotStore().get(id);
    return doc ? json(doc) : notFound();
  } catch (e) {
    return snapshotErrorResponse(e, request.signal);
  }
}

/** DELETE /api/snapshots/<id> */
export async function deleteSnapshot(request: Request, id: string): Promise<Response> {
  try {
    if (!isSnapshotId(id)) return notFound();
    return (await getSnapshotStore().delete(id)) ? new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } }) : notFound();
  } catch (e) {
    return snapshotErrorResponse(e, request.signal);
  }
}

// A stored graph is opaque JSON (its format may have grown since); the diff needs these fields.
const storedGraph = z.object({
  window: z.object({ start: z.string(), end: z.string() }),
  nodes: z.array(z.object({ id: z.string() }).loose()),
  edges: z.array(z.object({ id: z.string(), source: z.string(), target: z.string(), rates: z.object({}).loose() }).loose()),
});

/** GET /api/graph/diff: what changed between a base window (or snapshot) and the current window. */
export async function graphDiff(request: Request): Promise<Response> {
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
    return json({
      ...diff,
      current: { start: toRfc3339(q.current.window.start), end: toRfc3339(q.current.window.end) },
      warnings: [...(base.warnings ?? []), ...current.warnings],
    });
  } catch (e) {
    return snapshotErrorResponse(e, request.signal);
  }
}

import { ParamError } from '@/lib/api/params';
import { json } from '@/lib/server/http';
import { captureSnapshot, pinRequestSchema, type ApiCall } from '@/lib/snapshots/capture';
import { snapshotErrorResponse } from '@/lib/snapshots/http';
import { getSnapshotStore } from '@/lib/snapshots/server';
import { GET as graphGET } from '@/app/api/graph/route';
import { GET as namespacesGET } from '@/app/api/namespaces/route';
import { GET as findingsGET } from '@/app/api/findings/route';
import { GET as edgeSeriesGET } from '@/app/api/edge-series/route';
import { GET as nodeSeriesGET } from '@/app/api/node-series/route';

export const dynamic = 'force-dynamic';

/** A pin request is a query string and a title; 64 KiB is far above any valid one. */
const MAX_BODY_BYTES = 64 * 1024;

const ROUTES: Record<string, (r: Request) => Promise<Response>> = {
  '/api/graph': graphGET,
  '/api/namespaces': namespacesGET,
  '/api/findings': findingsGET,
  '/api/edge-series': edgeSeriesGET,
  '/api/node-series': nodeSeriesGET,
};

/** The same handlers the browser calls, in-process: a snapshot holds exactly their bodies (docs/snapshots.md). */
const callRoute: ApiCall = async (path, signal) => {
  const handler = ROUTES[path.split('?')[0]!];
  if (!handler) throw new Error(`no route for ${path}`);
  const res = await handler(new Request(`http://meshglass.internal${path}`, { signal }));
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, body };
};

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

class BodyTooLarge extends Error {}

export async function POST(request: Request): Promise<Response> {
  try {
    const raw = await readJsonBody(request);
    const parsed = pinRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.code === 'unrecognized_keys' ? String(issue.keys[0]) : issue.path.map(String).join('.') || 'body';
      throw new ParamError(field, issue.code === 'unrecognized_keys' ? `unknown field "${field.slice(0, 40)}"` : issue.message);
    }
    const doc = await captureSnapshot(parsed.data, { call: callRoute }, request.signal);
    const meta = await getSnapshotStore().put(doc);
    return json({ id: meta.id, url: `/s/${meta.id}`, size: meta.size }, 201, { Location: `/api/snapshots/${meta.id}` });
  } catch (e) {
    if (e instanceof BodyTooLarge) return json({ error: `the request body is larger than ${MAX_BODY_BYTES} bytes` }, 413);
    return snapshotErrorResponse(e, request.signal);
  }
}

export async function GET(request: Request): Promise<Response> {
  try {
    for (const key of new URL(request.url).searchParams.keys()) throw new ParamError(key, `unknown parameter "${key.slice(0, 40)}"`);
    return json({ snapshots: await getSnapshotStore().list() });
  } catch (e) {
    return snapshotErrorResponse(e, request.signal);
  }
}

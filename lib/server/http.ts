import 'server-only';
import { ParamError } from '@/lib/api/params';
import { OverloadedError } from './limits';
import { redactForLog } from '@/lib/security/redact';

const NO_STORE = { 'Cache-Control': 'no-store' } as const;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return jsonText(JSON.stringify(body), status, headers);
}

/** A response whose body is already JSON text (lib/server/routes.ts graphJson). */
export function jsonText(text: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...NO_STORE, ...headers },
  });
}

/** Shared bytes as a default (not byte) stream: never transferred, so the buffers stay whole for the next answer. */
function sharedChunks(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
}

/**
 * A 200 whose body is JSON in UTF-8 chunks (lib/server/graph-json.ts), streamed as they are: a Uint8Array body
 * would be copied whole for every answer (the Fetch standard's body extraction), and a string encoded anew.
 * The chunks go through a default (not byte) stream, which never transfers them, so a shared chunk stays
 * intact for the next answer. The server compresses as for any answer (Accept-Encoding).
 */
export function jsonChunks(chunks: readonly Uint8Array[], headers: Record<string, string> = {}): Response {
  return new Response(sharedChunks(chunks), { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8', ...NO_STORE, ...headers } });
}

/** True when the Accept header lists `application/gzip` (not refused with q=0). */
export function acceptsGzipBody(accept: string | null): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const [type, ...rest] = part.split(';').map((s) => s.trim().toLowerCase());
    if (type !== 'application/gzip') return false;
    const q = rest.find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

/**
 * A 200 whose body is gzip bytes made once and shared (lib/server/graph-json.ts graphGzip): `application/gzip`,
 * which Next's compression leaves alone (not a compressible type), and `no-transform` for any proxy on the way.
 */
export function gzipBody(bytes: Uint8Array, headers: Record<string, string> = {}): Response {
  return new Response(sharedChunks([bytes]), {
    status: 200,
    headers: { 'Content-Type': 'application/gzip', 'Cache-Control': 'no-store, no-transform', Vary: 'Accept, Accept-Encoding', ...headers },
  });
}

export class UpstreamUnavailableError extends Error {
  constructor(
    message: string,
    readonly warnings: { source: string; message: string }[],
  ) {
    super(message);
    this.name = 'UpstreamUnavailableError';
  }
}

function isAbort(e: unknown): boolean {
  return (e instanceof Error || e instanceof DOMException) && (e.name === 'AbortError' || e.name === 'TimeoutError');
}

/** Turns an error into the API's error contract: 400 for bad input, 429 when overloaded, 503 when nothing is left. */
export function errorResponse(e: unknown, signal?: AbortSignal): Response {
  if (e instanceof ParamError) return json({ error: e.message, parameter: e.param }, 400);
  if (e instanceof UpstreamUnavailableError) return json({ error: e.message, warnings: e.warnings }, 503);
  if (e instanceof OverloadedError) return json({ error: e.message }, 429, { 'Retry-After': String(e.retryAfterSeconds) });
  if (signal?.aborted || isAbort(e)) return json({ error: 'request cancelled' }, 499);
  // Never the raw error: an HTTP client's error may carry the request config (Authorization header, basic-auth password).
  console.error('meshglass: unexpected error', redactForLog(e));
  return json({ error: 'internal error' }, 500);
}

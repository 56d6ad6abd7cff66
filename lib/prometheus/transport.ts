import 'server-only';
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import { HttpAnswerError, NotApiError, ResponseTooLargeError } from './errors';

// The Prometheus HTTP API over node:http/node:https (issue 13; docs/engineering.md B6): replaces
// prometheus-query 3.5 + axios, whose per-sample QueryResult objects and request pipeline cost a
// one-namespace graph 123 ms against 92 ms for the same queries sent directly.

/** Sent as User-Agent; also a server-only marker for scripts/ci/check-client-bundle.ts. */
export const USER_AGENT = 'meshglass-prometheus-transport';

export interface ApiResponse {
  data: unknown;
  warnings: string[];
}

export interface TransportRequest {
  /** Path under the endpoint, e.g. "/api/v1/query". */
  path: string;
  /** Form fields: sent as a POST body; absent → GET. */
  form?: Record<string, string>;
  headers: Record<string, string>;
  signal: AbortSignal;
  maxResponseBytes: number;
}

type ApiBody = { status: string; data?: unknown; warnings?: unknown; errorType?: string; error?: string };

function isApiBody(x: unknown): x is ApiBody {
  return typeof x === 'object' && x !== null && typeof (x as { status?: unknown }).status === 'string';
}

/**
 * One request to the Prometheus API. Resolves with `data` and the engine's warnings; rejects with
 * HttpAnswerError, NotApiError, ResponseTooLargeError, the signal's reason or a Node network error.
 * Redirects are not followed (a 3xx is an HttpAnswerError). `acceptEncoding` is what we ask for; gzip
 * and deflate answers are decoded either way and the cap applies to the decoded bytes.
 */
export function apiRequest(base: URL, agent: http.Agent, acceptEncoding: string, req: TransportRequest, retried = false): Promise<ApiResponse> {
  const body = req.form ? new URLSearchParams(req.form).toString() : undefined;
  const url = new URL(base.pathname.replace(/\/+$/, '') + req.path, base);
  const headers: Record<string, string | number> = {
    ...req.headers,
    Accept: 'application/json',
    'Accept-Encoding': acceptEncoding,
    'User-Agent': USER_AGENT,
  };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    headers['Content-Length'] = Buffer.byteLength(body);
  }
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise<ApiResponse>((resolve, reject) => {
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      req.signal.removeEventListener('abort', onAbort);
      reject(e);
    };
    const onAbort = () => {
      fail(req.signal.reason);
      r.destroy();
    };
    const r = mod.request(url, { method: body === undefined ? 'GET' : 'POST', agent, headers }, (res) => {
      const status = res.statusCode ?? 0;
      const declared = Number(res.headers['content-length']);
      const encoding = (res.headers['content-encoding'] ?? 'identity').toLowerCase();
      if (encoding === 'identity' && Number.isFinite(declared) && declared > req.maxResponseBytes) {
        fail(new ResponseTooLargeError(req.maxResponseBytes));
        res.destroy();
        return;
      }
      const stream =
        encoding === 'gzip' || encoding === 'x-gzip' ? res.pipe(zlib.createGunzip()) : encoding === 'deflate' ? res.pipe(zlib.createInflate()) : res;
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size > req.maxResponseBytes) {
          fail(new ResponseTooLargeError(req.maxResponseBytes));
          res.destroy();
          if (stream !== res) stream.destroy();
          return;
        }
        chunks.push(c);
      });
      stream.on('error', fail);
      res.on('error', fail);
      stream.on('end', () => {
        if (settled) return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
        } catch {
          parsed = undefined;
        }
        const ok = status >= 200 && status < 300;
        if (!isApiBody(parsed)) {
          fail(ok ? new NotApiError(status) : new HttpAnswerError(status, undefined));
          return;
        }
        if (!ok || parsed.status === 'error') {
          fail(new HttpAnswerError(status, parsed));
          return;
        }
        settled = true;
        req.signal.removeEventListener('abort', onAbort);
        const warnings = Array.isArray(parsed.warnings) ? parsed.warnings.filter((w): w is string => typeof w === 'string') : [];
        resolve({ data: parsed.data, warnings });
      });
    });
    r.on('error', (e: NodeJS.ErrnoException) => {
      // A kept-alive socket the server (or a proxy in front of it) closed just as we reused it: sent once more on a
      // fresh socket, the retry Node's http docs advise (`request.reusedSocket`); a query only reads, so a repeat is safe.
      if (!settled && !retried && r.reusedSocket && e.code === 'ECONNRESET' && !req.signal.aborted) {
        settled = true;
        req.signal.removeEventListener('abort', onAbort);
        resolve(apiRequest(base, agent, acceptEncoding, req, true));
        return;
      }
      fail(e);
    });
    if (req.signal.aborted) {
      onAbort();
      return;
    }
    req.signal.addEventListener('abort', onAbort, { once: true });
    r.end(body);
  });
}

// The bytes of the graphs the API serves, made once per graph object.
import 'server-only';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { withoutDetail } from '@/lib/api/detail';
import type { GraphResponse } from '@/lib/api/types';

/** The graph's JSON without its closing `}`, as UTF-8 bytes, and its length when made. */
const PREFIXES = new WeakMap<GraphResponse, { bytes: Buffer; length: number }>();

/**
 * Every dashboard polling "the last 15 minutes" is served the same graph object until the next computation
 * lands, and a whole-mesh graph of 2,000 workloads is ~9.5 MB of JSON. Serialising it, and encoding the text as
 * UTF-8 for every answer, cost the server's one thread ~0.2 s per poll with the garbage it leaves
 * (bench/results.md, rolling window: sending the answers was most of the polled server's busy time); so each
 * graph object is serialised and encoded once. Graph objects are never mutated after they are built
 * (lib/server/mesh-data.ts caches and shares them).
 */
function prefixOf(graph: GraphResponse): Buffer {
  const memo = PREFIXES.get(graph);
  // A buffer detached by a transfer somewhere downstream reads as empty: made again rather than served empty.
  if (memo && memo.bytes.byteLength === memo.length) return memo.bytes;
  const text = JSON.stringify(graph);
  const bytes = Buffer.from(text.slice(0, -1), 'utf8');
  PREFIXES.set(graph, { bytes, length: bytes.byteLength });
  return bytes;
}

/** The graph as served to `omit=detail`, made once per graph object (and so serialised once, below). */
const DETAILLESS = new WeakMap<GraphResponse, GraphResponse>();

/**
 * The graph to serve: itself, or without its edges' detail (lib/api/detail.ts) when the caller omitted it. The
 * computation is the same either way (lib/server/mesh-data.ts never sees `detail`); only the bytes differ, so
 * the page's polls and the full reads of the same window share one computation.
 */
export function servedGraph(graph: GraphResponse, omitDetail: boolean): GraphResponse {
  if (!omitDetail) return graph;
  let lean = DETAILLESS.get(graph);
  if (!lean) {
    lean = withoutDetail(graph);
    DETAILLESS.set(graph, lean);
  }
  return lean;
}

/** What follows the prefix: `}`, or the `stale` note (docs/api.md §4.2) and `}`. */
function tailOf(prefix: Buffer, stale: GraphResponse['stale'] | undefined): Buffer {
  if (!stale) return Buffer.from('}');
  return Buffer.from(`${prefix.byteLength === 1 ? '' : ','}"stale":${JSON.stringify(stale)}}`, 'utf8');
}

/** The answer's JSON as UTF-8 chunks (the graph's shared bytes, then this answer's tail), without copying the graph's. */
export function graphJsonChunks(graph: GraphResponse, stale?: GraphResponse['stale']): [Buffer, Buffer] {
  const prefix = prefixOf(graph);
  return [prefix, tailOf(prefix, stale)];
}

/** The same JSON as text (tests, callers that need a string). */
export function graphJson(graph: GraphResponse, stale?: GraphResponse['stale']): string {
  return Buffer.concat(graphJsonChunks(graph, stale)).toString('utf8');
}

const gzipAsync = promisify(gzip);
/** The gzip of each graph's JSON, made once (off the event loop, zlib's thread pool) and shared. */
const GZIPS = new WeakMap<GraphResponse, Promise<Buffer>>();

/**
 * The graph's JSON (without `stale`) gzip-compressed, made once per graph object: what `/api/graph` sends a
 * client that asks `Accept: application/gzip` (docs/api.md §4.2 "Compressed once"). Next compresses a route
 * handler's answer itself for every request and drops a Content-Encoding the handler sets, so the graph page
 * asks for the compressed bytes as a media type of their own and decompresses them (DecompressionStream): 20
 * dashboards polling a 5.5 MB whole mesh were 20 compressions of it per step (bench/results.md, rolling window).
 */
export function graphGzip(graph: GraphResponse): Promise<Buffer> {
  let memo = GZIPS.get(graph);
  if (!memo) {
    const json = Buffer.concat(graphJsonChunks(graph));
    memo = gzipAsync(json);
    // A failure is not kept: the next answer tries again.
    memo.catch(() => GZIPS.delete(graph));
    GZIPS.set(graph, memo);
  }
  return memo;
}

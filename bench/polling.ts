// Dashboards polling a rolling window (issue #13: "the rolling window polled by 20 browsers: one
// computation per step shared by all; p50 ≤ 200 ms"). Each client polls like the graph page
// (lib/query/graph.ts graphQueryOptions): every `intervalSeconds`, or after a stale answer when the server
// expects the next one (`stale.retryAfterSeconds`, docs/api.md §4.2), clients staggered evenly over the first
// interval as real browsers are. Each client sends its own X-Forwarded-For (proxy.ts keys the per-client
// in-flight cap on it with MESHGLASS_AUTH=none): twenty dashboards are twenty browsers, not one.
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { staleFollowUpMs } from '../lib/query/graph';
import { diffPromSelf, readPromSelf } from './prom-self';
import { median } from './util';

export interface PollingResult {
  path: string;
  clients: number;
  intervalSeconds: number;
  durationSeconds: number;
  requests: number;
  errors: number;
  /** Errors by HTTP status (0: the request failed without an answer). */
  errorStatuses?: Record<number, number>;
  /** Answers that carried a Prometheus warning (an upstream failure served as a partial graph). */
  degraded: number;
  /** The first such warning, for the log. */
  degradedExample?: string;
  staleAnswers: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Prometheus query calls during the run (its own counter) and the graph computations they make. */
  promCalls: number;
  computations: number;
  /** Distinct aligned window ends the run spans (lib/api/params.ts GRAPH_ALIGN_POINTS): the most computations "one per step" allows. */
  steps: number;
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

const gunzipAsync = promisify(gunzip);

export async function measurePolling(
  appUrl: string,
  promUrl: string,
  o: {
    path: string;
    clients: number;
    intervalSeconds: number;
    durationSeconds: number;
    callsPerGraph: number;
    alignSeconds: number;
    /** Accept-Encoding of the polls (default: fetch's own `gzip, deflate`, as a browser asks for compression). */
    acceptEncoding?: string;
    /** Ask JSON only, not the shared compressed graph the page asks for (`Accept: application/gzip`, docs/api.md §4.2). */
    jsonOnly?: boolean;
  },
): Promise<PollingResult> {
  const before = await readPromSelf(promUrl);
  const t0 = Date.now();
  const stopAt = t0 + o.durationSeconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  /** HTTP status → count (0: no answer at all). */
  const errorStatuses = new Map<number, number>();
  let degraded = 0;
  let degradedExample: string | undefined;
  let stale = 0;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const client = async (i: number) => {
    await sleep((i * o.intervalSeconds * 1000) / o.clients);
    while (Date.now() < stopAt) {
      const s = performance.now();
      let retryAfterSeconds: number | undefined;
      try {
        const res = await fetch(`${appUrl}${o.path}`, {
          headers: {
            'x-forwarded-for': `10.13.0.${i + 1}`,
            // As the graph page asks (lib/query/fetch-json.ts fetchGraphJson).
            accept: o.jsonOnly ? 'application/json' : 'application/gzip, application/json;q=0.9',
            ...(o.acceptEncoding ? { 'accept-encoding': o.acceptEncoding } : {}),
          },
        });
        // The whole body, without JSON.parse: 20 clients parsing a 9–22 MB graph each in this one process would
        // measure the benchmark's own event loop (a browser parses its own). `stale` is the answer's last key
        // (lib/server/graph-json.ts); a Prometheus failure is a warning of source "prometheus".
        const raw = Buffer.from(await res.arrayBuffer());
        // The compressed graph is decompressed as the page does (its DecompressionStream); `stale` comes in a header then.
        const body = res.headers.get('content-type') === 'application/gzip' ? await gunzipAsync(raw) : raw;
        latencies.push(performance.now() - s);
        const staleHeader = res.headers.get('x-meshglass-stale');
        if (staleHeader) {
          stale++;
          retryAfterSeconds = (JSON.parse(staleHeader) as { retryAfterSeconds?: number }).retryAfterSeconds ?? Number.NaN;
        }
        if (!res.ok) {
          errors++;
          errorStatuses.set(res.status, (errorStatuses.get(res.status) ?? 0) + 1);
        }
        const at = body.indexOf('{"source":"prometheus"');
        if (at >= 0) {
          degraded++;
          degradedExample ??= body.subarray(at, at + 300).toString('utf8');
        }
        const at2 = staleHeader ? -1 : body.lastIndexOf('"stale":{"computedAt"');
        if (at2 >= 0) {
          stale++;
          const hint = /"retryAfterSeconds":(\d+)/.exec(body.subarray(at2, at2 + 200).toString('utf8'));
          retryAfterSeconds = hint ? Number(hint[1]) : Number.NaN;
        }
      } catch {
        errors++;
        errorStatuses.set(0, (errorStatuses.get(0) ?? 0) + 1);
      }
      const next = retryAfterSeconds !== undefined ? staleFollowUpMs({ retryAfterSeconds }, o.intervalSeconds) : o.intervalSeconds * 1000;
      if (Date.now() + next >= stopAt) break;
      await sleep(next);
    }
  };
  await Promise.all(Array.from({ length: o.clients }, (_, i) => client(i)));
  const elapsed = (Date.now() - t0) / 1000;
  const d = diffPromSelf(before, await readPromSelf(promUrl));
  return {
    path: o.path,
    clients: o.clients,
    intervalSeconds: o.intervalSeconds,
    durationSeconds: Math.round(elapsed),
    requests: latencies.length,
    errors,
    ...(errors > 0 ? { errorStatuses: Object.fromEntries(errorStatuses) } : {}),
    degraded,
    ...(degradedExample ? { degradedExample } : {}),
    staleAnswers: stale,
    p50Ms: median(latencies),
    p95Ms: quantile(latencies, 0.95),
    maxMs: Math.max(...latencies),
    promCalls: d.queryRequests,
    computations: d.queryRequests / o.callsPerGraph,
    steps: Math.ceil(elapsed / o.alignSeconds),
  };
}

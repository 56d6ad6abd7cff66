// Dashboards polling a rolling window (issue #13: "the rolling window polled by 20 browsers: one
// computation per step shared by all; p50 ≤ 200 ms"). Each client polls like the graph page
// (lib/query/graph.ts graphQueryOptions): every `intervalSeconds`, or 2 s after a stale answer
// (docs/api.md §4.2), clients staggered evenly over the first interval as real browsers are.
import { diffPromSelf, readPromSelf } from './prom-self';
import { median } from './util';

export interface PollingResult {
  path: string;
  clients: number;
  intervalSeconds: number;
  durationSeconds: number;
  requests: number;
  errors: number;
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

const STALE_FOLLOW_UP_MS = 2000;

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

export async function measurePolling(
  appUrl: string,
  promUrl: string,
  o: { path: string; clients: number; intervalSeconds: number; durationSeconds: number; callsPerGraph: number; alignSeconds: number },
): Promise<PollingResult> {
  const before = await readPromSelf(promUrl);
  const t0 = Date.now();
  const stopAt = t0 + o.durationSeconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let degraded = 0;
  let degradedExample: string | undefined;
  let stale = 0;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const client = async (i: number) => {
    await sleep((i * o.intervalSeconds * 1000) / o.clients);
    while (Date.now() < stopAt) {
      const s = performance.now();
      let wasStale = false;
      try {
        const res = await fetch(`${appUrl}${o.path}`);
        // The whole body, without JSON.parse: 20 clients parsing a 9–22 MB graph each in this one process would
        // measure the benchmark's own event loop (a browser parses its own). `stale` is the answer's last key
        // (lib/server/graph-json.ts); a Prometheus failure is a warning of source "prometheus".
        const body = Buffer.from(await res.arrayBuffer());
        latencies.push(performance.now() - s);
        if (!res.ok) errors++;
        const at = body.indexOf('{"source":"prometheus"');
        if (at >= 0) {
          degraded++;
          degradedExample ??= body.subarray(at, at + 300).toString('utf8');
        }
        wasStale = body.lastIndexOf('"stale":{"computedAt"') >= 0;
        if (wasStale) stale++;
      } catch {
        errors++;
      }
      const next = wasStale ? Math.min(STALE_FOLLOW_UP_MS, o.intervalSeconds * 1000) : o.intervalSeconds * 1000;
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

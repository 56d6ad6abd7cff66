// Edge rates (docs/classification.md §3.2, §3.5): each slice counted by the reporter rules on its own, the
// edge the sum of its slices. Latency percentiles come from the slices' histograms added bucket by bucket
// (zero buckets included, so they equal Prometheus' histogram_quantile), the mean from their `_sum`s; the
// error rate and the status breakdown (`statuses`) count gRPC calls by grpc_response_status
// (docs/istio-telemetry.md §7).
import { l7Rates, l7Statuses } from '../rates';
import type { EdgeRates, GraphEdge, Reporter } from '../types';
import type { EdgeDecorator } from './facts';

const L4_FIELDS = ['requestBytesPerSec', 'responseBytesPerSec', 'connectionsPerSec', 'failedConnectionsPerSec'] as const;

function sameReporter(values: (Reporter | undefined)[]): Reporter | undefined {
  const set = new Set(values.filter((v): v is Reporter => v !== undefined));
  return set.size === 1 ? [...set][0] : undefined;
}

export const rates: EdgeDecorator = (f) => {
  const views = f.slices;
  if (views.length === 1) {
    const v = views[0]!;
    const rateSources: GraphEdge['rateSources'] = { ...(v.l7Reporter ? { l7: v.l7Reporter } : {}), ...(v.l4Reporter ? { l4: v.l4Reporter } : {}) };
    const statuses = l7Statuses(v.l7Samples, f.seconds);
    return { rates: v.rates, rateSources, ...(v.failuresByFlag ? { failuresByFlag: v.failuresByFlag } : {}), ...(statuses ? { statuses } : {}) };
  }
  const out: EdgeRates = {};
  const l7 = views.filter((v) => v.l7Reporter !== undefined);
  if (l7.length > 0)
    Object.assign(
      out,
      l7Rates(
        l7.flatMap((v) => v.l7Samples),
        l7.flatMap((v) => v.buckets),
        f.seconds,
      ),
    );
  for (const field of L4_FIELDS) {
    const parts = views.map((v) => v.rates[field]).filter((x): x is number => x !== undefined);
    if (parts.length > 0) out[field] = parts.reduce((a, b) => a + b, 0);
  }
  const flags: Record<string, number> = {};
  for (const v of views) for (const [flag, n] of Object.entries(v.failuresByFlag ?? {})) flags[flag] = (flags[flag] ?? 0) + n;
  // Requests by outcome (HTTP codes, gRPC codes by name): each slice's own reporter, summed like the rates.
  const statuses = l7Statuses(
    l7.flatMap((v) => v.l7Samples),
    f.seconds,
  );
  const l7Rep = sameReporter(l7.map((v) => v.l7Reporter));
  const l4Rep = sameReporter(views.map((v) => v.l4Reporter));
  return {
    rates: out,
    rateSources: { ...(l7Rep && l7.length === views.filter((v) => v.telemetry === 'l7').length ? { l7: l7Rep } : {}), ...(l4Rep ? { l4: l4Rep } : {}) },
    ...(Object.keys(flags).length > 0 ? { failuresByFlag: Object.fromEntries(Object.entries(flags).sort(([a], [b]) => a.localeCompare(b))) } : {}),
    ...(statuses ? { statuses } : {}),
  };
};

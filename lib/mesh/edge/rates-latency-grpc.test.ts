// The rates decorator on a two-slice edge (waypoint + direct): latency from both slices' histograms added
// bucket by bucket with their zero buckets, the mean from both `_sum`s, gRPC failures (HTTP 200,
// grpc_response_status ≠ 0) counted as errors and the status breakdown summed over the slices
// (docs/istio-telemetry.md §7). One slice alone passes its own numbers through.
import { describe, expect, it } from 'vitest';
import type { EdgeRates, Labels, TelemetrySample } from '../types';
import { l7Rates } from '../rates';
import type { EdgeFacts } from './facts';
import { rates } from './rates';
import type { SliceView } from './slice';

const LE = ['0.5', '1', '5', '10', '25', '50', '100', '250', '+Inf'];
const SECONDS = 600;
const grpc = (reporter: string, status: string, value: number): TelemetrySample => ({
  metric: 'requests',
  labels: { reporter, source_workload: 'checkout', destination_workload: 'pricing', request_protocol: 'grpc', response_code: '200', grpc_response_status: status },
  value,
});
function histogram(reporter: string, perBucket: Record<string, number>, sumMs: number): TelemetrySample[] {
  const labels: Labels = { reporter, source_workload: 'checkout', destination_workload: 'pricing' };
  let cum = 0;
  const buckets = LE.map((le) => {
    cum += perBucket[le] ?? 0;
    return { metric: 'requestDurationBucket' as const, labels: { ...labels, le }, value: cum };
  });
  return [...buckets, { metric: 'requestDurationSum', labels, value: sumMs }];
}

function view(via: SliceView['via'], reporter: 'waypoint' | 'destination', l7Samples: TelemetrySample[], buckets: TelemetrySample[]): SliceView {
  return {
    via,
    usable: [],
    counted: [],
    evidence: [],
    kinds: new Set(),
    path: via === 'waypoint' ? 'waypoint' : 'sidecar',
    telemetry: 'l7',
    l7Reporter: reporter,
    l7Samples,
    buckets,
    rates: l7Rates(l7Samples, buckets, SECONDS),
    mtls: 'mutual',
    partialL7: false,
  };
}
const facts = (slices: SliceView[]) => ({ seconds: SECONDS, slices }) as unknown as EdgeFacts;

// Waypoint slice: 300 calls, 30 UNAVAILABLE, all in (50, 100] ms. Direct slice (sidecar pods): 100 calls,
// 10 DEADLINE_EXCEEDED, all in (100, 250] ms. Every bucket below 50 ms is empty in both.
const WAYPOINT = view('waypoint', 'waypoint', [grpc('waypoint', '0', 270), grpc('waypoint', '14', 30)], histogram('waypoint', { '100': 300 }, 300 * 75));
const DIRECT = view('direct', 'destination', [grpc('destination', '0', 90), grpc('destination', '4', 10)], histogram('destination', { '250': 100 }, 100 * 200));

describe('rates decorator: latency and gRPC outcomes', () => {
  it('one slice: its own numbers, statuses by gRPC code name', () => {
    const out = rates(facts([WAYPOINT]), {} as never);
    expect(out.rates).toEqual(WAYPOINT.rates);
    expect(out.rates?.errorRate).toBeCloseTo(30 / 300, 12);
    expect(out.rates?.p50Ms).toBeCloseTo(50 + 50 * (150 / 300), 12); // 75: interpolated from 50, not from 0
    expect(out.rates?.meanMs).toBeCloseTo(75, 12);
    expect(out.statuses).toEqual({ grpc: { OK: 270 / SECONDS, UNAVAILABLE: 30 / SECONDS } });
  });

  it('two slices: histograms added bucket by bucket, means weighted by count, statuses summed', () => {
    const out = rates(facts([WAYPOINT, DIRECT]), {} as never);
    const r = out.rates as EdgeRates;
    expect(r.rps).toBeCloseTo(400 / SECONDS, 12);
    expect(r.errorRate).toBeCloseTo(40 / 400, 12);
    // 400 observations: 300 in (50, 100], 100 in (100, 250]. rank 200 → 50 + 50 × 200/300; rank 380 → 100 + 150 × 80/100
    expect(r.p50Ms).toBeCloseTo(50 + 50 * (200 / 300), 12);
    expect(r.p95Ms).toBeCloseTo(100 + 150 * (80 / 100), 12);
    expect(r.meanMs).toBeCloseTo((300 * 75 + 100 * 200) / 400, 12);
    expect(out.statuses).toEqual({ grpc: { DEADLINE_EXCEEDED: 10 / SECONDS, OK: 360 / SECONDS, UNAVAILABLE: 30 / SECONDS } });
  });
});

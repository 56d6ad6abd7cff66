// Property tests: order independence and "one reporter per number" (docs/classification.md §3.2).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMeshGraph } from './build';
import { ambientPod, edgeLabels, kube, namespace, sidecarPod, TelemetryBuilder, WINDOW, ztunnelPod } from './testing/fixtures';
import type { TelemetryInput } from './types';

const k = kube({
  namespaces: [namespace('a'), namespace('b')],
  pods: [
    ztunnelPod('ztunnel-1', '10.0.0.2', 'n'),
    sidecarPod({ namespace: 'a', name: 'c-1', workload: 'c', ip: '10.0.0.10', node: 'n' }),
    sidecarPod({ namespace: 'a', name: 'c-2', workload: 'c', ip: '10.0.0.11', node: 'n' }),
    sidecarPod({ namespace: 'b', name: 's-1', workload: 's', ip: '10.0.0.20', node: 'n' }),
    sidecarPod({ namespace: 'b', name: 's-2', workload: 's', ip: '10.0.0.21', node: 'n' }),
    ambientPod({ namespace: 'b', name: 'z-1', workload: 'z', ip: '10.0.0.30', node: 'n' }),
  ],
});
const pods = Object.fromEntries(k.pods.map((p) => [p.name, p]));
const c = { workload: 'c', namespace: 'a' };
const s = { workload: 's', namespace: 'b' };
const z = { workload: 'z', namespace: 'b' };

interface Series {
  reporter: 'source' | 'destination';
  pod: number;
  code: string;
  n: number;
  tcp: number;
}
const series: fc.Arbitrary<Series[]> = fc.array(
  fc.record({
    reporter: fc.constantFrom('source' as const, 'destination' as const),
    pod: fc.constantFrom(0, 1),
    code: fc.constantFrom('200', '503', '0', '404'),
    n: fc.integer({ min: 0, max: 10_000 }),
    tcp: fc.integer({ min: 0, max: 10_000 }),
  }),
  { maxLength: 12 },
);

function telemetry(xs: Series[]): TelemetryInput {
  const t = new TelemetryBuilder('labels', WINDOW);
  for (const x of xs) {
    const rep = x.reporter === 'source' ? pods[x.pod ? 'c-2' : 'c-1']! : pods[x.pod ? 's-2' : 's-1']!;
    t.requests(edgeLabels({ reporter: x.reporter, src: c, dst: s, csp: x.reporter === 'source' ? 'unknown' : 'mutual_tls' }), rep, { [x.code]: x.n });
    if (x.tcp > 0) {
      t.tcp(
        edgeLabels({ reporter: x.reporter === 'source' ? 'source' : 'destination', src: c, dst: z, csp: 'mutual_tls' }),
        x.reporter === 'source' ? rep : pods['ztunnel-1']!,
        {
          opened: x.tcp,
          sent: x.tcp,
          received: x.tcp,
        },
      );
    }
  }
  return t.build();
}

describe('buildMeshGraph properties', () => {
  it('requests come from exactly one reporter: destination when present, else source', () => {
    fc.assert(
      fc.property(series, (xs) => {
        const g = buildMeshGraph(k, telemetry(xs), {});
        const e = g.edges.find((x) => x.target.endsWith('/b/s'));
        if (xs.length === 0) {
          expect(e).toBeUndefined();
          return;
        }
        const dest = xs.filter((x) => x.reporter === 'destination');
        const chosen = dest.length > 0 ? dest : xs;
        const total = chosen.reduce((a, x) => a + x.n, 0);
        expect(e!.rateSources?.l7).toBe(dest.length > 0 ? 'destination' : 'source');
        expect(e!.rates.rps! * 600).toBeCloseTo(total, 6);
        const errors = chosen.filter((x) => x.code === '503' || x.code === '0').reduce((a, x) => a + x.n, 0);
        if (total > 0) expect(e!.rates.errorRate!).toBeCloseTo(errors / total, 9);
      }),
      { numRuns: 200 },
    );
  });
  it('connections come from the server side when it reported, never the sum of both', () => {
    fc.assert(
      fc.property(series, (xs) => {
        const e = buildMeshGraph(k, telemetry(xs), {}).edges.find((x) => x.target.endsWith('/b/z'));
        const withTcp = xs.filter((x) => x.tcp > 0);
        if (withTcp.length === 0) {
          expect(e).toBeUndefined();
          return;
        }
        const dest = withTcp.filter((x) => x.reporter === 'destination');
        const chosen = dest.length > 0 ? dest : withTcp;
        expect(e!.rates.connectionsPerSec! * 600).toBeCloseTo(
          chosen.reduce((a, x) => a + x.tcp, 0),
          6,
        );
        expect(e!.path).toBe(dest.length > 0 && dest.length < withTcp.length ? 'mixed' : dest.length > 0 ? 'ambient' : 'sidecar');
      }),
      { numRuns: 200 },
    );
  });
  it('is independent of sample and target order', () => {
    fc.assert(
      fc.property(series, fc.integer(), (xs, seed) => {
        const t = telemetry(xs);
        const rot = (n: number, arr: unknown[]) => (arr.length ? [...arr.slice(n % arr.length), ...arr.slice(0, n % arr.length)] : arr);
        const shuffled = {
          ...t,
          samples: rot(Math.abs(seed), t.samples.slice().reverse()) as typeof t.samples,
          reporterTargets: t.reporterTargets.slice().reverse(),
        };
        expect(buildMeshGraph(k, shuffled, {})).toEqual(buildMeshGraph(k, t, {}));
      }),
      { numRuns: 100 },
    );
  });
});

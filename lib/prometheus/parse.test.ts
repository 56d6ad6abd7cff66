import { describe, expect, it } from 'vitest';
import { BadDataError, reshapeMatrix, reshapeVector, toReporterTargets, toTelemetrySamples } from './parse';
import { GRAPH_QUERY_LABELS } from './queries';

// Shapes as prometheus-query 3.5.1 returns them (InstantVector{metric: Metric{name, labels}, value: SampleValue}).
const t = new Date('2026-11-21T21:15:00Z');
const vector = {
  resultType: 'vector',
  result: [
    {
      metric: {
        name: undefined,
        labels: {
          reporter: 'destination',
          source_workload: 'web',
          source_workload_namespace: 'shop',
          destination_workload: 'cart',
          destination_workload_namespace: 'shop',
          connection_security_policy: 'mutual_tls',
          request_protocol: 'http',
          response_code: '200',
        },
      },
      value: { time: t, value: 1234.5 },
    },
    { metric: { labels: { reporter: 'source', response_code: '503' } }, value: { time: t, value: NaN } },
    { metric: { labels: { reporter: 'source', response_code: '500' } }, value: { time: t, value: Infinity } },
    { metric: { labels: { reporter: 'source', response_code: '0' } }, value: { time: t, value: 0 } },
  ],
};

describe('reshapeVector', () => {
  it('turns prometheus-query vectors into plain samples and drops NaN/Inf', () => {
    const s = reshapeVector(vector);
    expect(s).toHaveLength(2);
    expect(s[0]).toEqual({ labels: vector.result[0]!.metric.labels, value: 1234.5 });
    expect(s[1]?.value).toBe(0);
  });

  it('accepts raw API JSON too, including string values and __name__', () => {
    const s = reshapeVector({
      resultType: 'vector',
      result: [
        { metric: { __name__: 'x', a: '1' }, value: [1700000000, '42'] },
        { metric: { a: '2' }, value: [1700000000, '+Inf'] },
        { metric: { a: '3', weird: 7 }, value: [1700000000, 'NaN'] },
      ],
    });
    expect(s).toEqual([{ labels: { a: '1' }, value: 42 }]);
  });

  it('rejects non-vector results', () => {
    expect(() => reshapeVector({ resultType: 'scalar', result: [1, '1'] })).toThrow(BadDataError);
    expect(() => reshapeVector({ resultType: 'vector' })).toThrow(BadDataError);
    expect(() => reshapeVector('<html>')).toThrow(BadDataError);
  });
});

describe('reshapeMatrix', () => {
  it('turns range vectors into plain points (unix seconds)', () => {
    const m = reshapeMatrix({
      resultType: 'matrix',
      result: [
        {
          metric: { name: undefined, labels: {} },
          values: [
            { time: new Date(1_700_000_000_000), value: 1.5 },
            { time: new Date(1_700_000_030_000), value: NaN },
            [1_700_000_060, '2'],
          ],
        },
      ],
    });
    expect(m).toEqual([
      {
        labels: {},
        points: [
          { t: 1_700_000_000, v: 1.5 },
          { t: 1_700_000_060, v: 2 },
        ],
      },
    ]);
    expect(() => reshapeMatrix(vector)).toThrow(BadDataError);
  });
});

describe('toTelemetrySamples', () => {
  it('keeps grouped labels only and positive finite increases', () => {
    const samples = toTelemetrySamples(
      'requests',
      [
        { labels: { reporter: 'source', response_code: '200', instance: '10.0.0.1:15020', source_workload: 'web' }, value: 10 },
        { labels: { reporter: 'source', response_code: '200' }, value: 0 },
        { labels: { reporter: 'source', response_code: '200' }, value: -1 },
      ],
      GRAPH_QUERY_LABELS.requests,
    );
    expect(samples).toEqual([
      { metric: 'requests', labels: { reporter: 'source', response_code: '200', source_workload: 'web' }, value: 10 },
    ]);
  });

  it('keeps le on duration buckets', () => {
    const samples = toTelemetrySamples('requestDurationBucket', [{ labels: { reporter: 'waypoint', le: '+Inf' }, value: 3 }], GRAPH_QUERY_LABELS.requestDurationBucket);
    expect(samples[0]?.labels).toEqual({ reporter: 'waypoint', le: '+Inf' });
  });
});

describe('toReporterTargets', () => {
  it('keeps edge + target labels and deduplicates', () => {
    const labels = { reporter: 'destination', destination_workload: 'cart', instance: '10.0.0.9:15020', pod: 'ztunnel-abc', app: 'ztunnel', job: 'istio' };
    const targets = toReporterTargets(
      [
        { labels: { ...labels, extra: 'dropped' }, value: 1 },
        { labels: { ...labels }, value: 1 },
      ],
      GRAPH_QUERY_LABELS.reporterTargets,
    );
    expect(targets).toEqual([{ labels }]);
  });
});

import { describe, expect, it } from 'vitest';
import { EDGE_LABELS, TARGET_LABELS } from '@/lib/mesh/types';
import { BadDataError, reshapeMatrix, reshapeVector, splitTargets } from './parse';
import { GRAPH_QUERY_LABELS } from './queries';

// The API's own shape (`data` of /api/v1/query): labels beside __name__, values as [t, "string"].
const labels = {
  reporter: 'destination',
  source_workload: 'web',
  source_workload_namespace: 'shop',
  destination_workload: 'cart',
  destination_workload_namespace: 'shop',
  connection_security_policy: 'mutual_tls',
  request_protocol: 'http',
  response_code: '200',
};
const vector = {
  resultType: 'vector',
  result: [
    { metric: { __name__: 'istio_requests_total', ...labels }, value: [1_763_759_700, '1234.5'] },
    { metric: { reporter: 'source', response_code: '503' }, value: [1_763_759_700, 'NaN'] },
    { metric: { reporter: 'source', response_code: '500' }, value: [1_763_759_700, '+Inf'] },
    { metric: { reporter: 'source', response_code: '0' }, value: [1_763_759_700, '0'] },
  ],
};

describe('reshapeVector', () => {
  it('turns API vectors into plain samples without __name__ and drops NaN/Inf', () => {
    const s = reshapeVector(vector);
    expect(s).toHaveLength(2);
    expect(s[0]).toEqual({ labels, value: 1234.5 });
    expect(s[1]?.value).toBe(0);
  });

  it('keeps string labels only and drops non-finite string values', () => {
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

  it('labels as JSON.parse gives them: plain ones used as they are, others cleaned into a copy', () => {
    const parsed = JSON.parse(
      '{"resultType":"vector","result":[{"metric":{"a":"1","b":"2"},"value":[1,"1"]},{"metric":{"a":"1","n":3,"__name__":"m"},"value":[1,"2"]},{"metric":{"__proto__":"x","a":"4"},"value":[1,"3"]}]}',
    ) as { result: { metric: object }[] };
    const s = reshapeVector(parsed);
    expect(s[0]!.labels).toEqual({ a: '1', b: '2' });
    expect(s[1]!.labels).toEqual({ a: '1' });
    expect(Object.keys(s[1]!.labels)).toEqual(['a']);
    expect(parsed.result[1]!.metric).toEqual({ a: '1', n: 3, __name__: 'm' });
    // An own "__proto__" key (JSON.parse makes one) is data, never the prototype.
    expect(Object.getPrototypeOf(s[2]!.labels)).toBe(Object.prototype);
    expect(s[2]!.labels.a).toBe('4');
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
          metric: {},
          values: [[1_700_000_000, '1.5'], [1_700_000_030, 'NaN'], [1_700_000_060, '2'], { time: 1_700_000_090, value: 3 }],
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

describe('splitTargets', () => {
  it('keeps grouped labels only and positive finite increases', () => {
    const { samples, targets } = splitTargets(
      'requests',
      [
        { labels: { reporter: 'source', response_code: '200', instance: '10.0.0.1:15020', source_workload: 'web' }, value: 10 },
        { labels: { reporter: 'source', response_code: '200' }, value: 0 },
        { labels: { reporter: 'source', response_code: '200' }, value: -1 },
        { labels: { reporter: 'source', response_code: '500' }, value: Number.NaN },
      ],
      GRAPH_QUERY_LABELS.requests,
      EDGE_LABELS,
      [],
    );
    expect(samples).toEqual([{ metric: 'requests', labels: { reporter: 'source', response_code: '200', source_workload: 'web' }, value: 10 }]);
    expect(targets.size).toBe(0);
  });

  it('keeps le on duration buckets', () => {
    const { samples } = splitTargets(
      'requestDurationBucket',
      [{ labels: { reporter: 'waypoint', le: '+Inf' }, value: 3 }],
      GRAPH_QUERY_LABELS.requestDurationBucket,
      EDGE_LABELS,
      [],
    );
    expect(samples[0]?.labels).toEqual({ reporter: 'waypoint', le: '+Inf' });
  });

  it('keeps the zero buckets of a histogram when asked (keepZero), never negative or NaN ones', () => {
    const b = (le: string, value: number) => ({ labels: { reporter: 'destination', destination_workload: 'cart', le }, value });
    const { samples, targets } = splitTargets(
      'requestDurationBucket',
      [b('25', 0), b('50', 0), b('100', 60), b('+Inf', 100), b('10', -1), b('5', Number.NaN)],
      GRAPH_QUERY_LABELS.requestDurationBucket,
      EDGE_LABELS,
      [],
      new Map(),
      { keepZero: true },
    );
    expect(samples.map((s) => [s.labels.le, s.value])).toEqual([
      ['25', 0],
      ['50', 0],
      ['100', 60],
      ['+Inf', 100],
    ]);
    expect(targets.size).toBe(0);
    // without keepZero (every other query) zeros go
    expect(splitTargets('requestDurationBucket', [b('25', 0), b('+Inf', 1)], GRAPH_QUERY_LABELS.requestDurationBucket, EDGE_LABELS, []).samples).toHaveLength(
      1,
    );
  });

  it('sums samples over scrape targets and lists the targets that reported each edge', () => {
    const edge = { reporter: 'destination', source_workload: 'web', destination_workload: 'cart' };
    const a = { instance: '10.0.0.9:15020', pod: 'ztunnel-abc', app: 'ztunnel', job: 'istio', namespace: 'istio-system' };
    const b = { instance: '10.0.0.10:15020', pod: 'ztunnel-def', app: 'ztunnel', job: 'istio', namespace: 'istio-system' };
    const { samples, targets } = splitTargets(
      'tcpOpened',
      [
        { labels: { ...edge, ...a }, value: 2 },
        { labels: { ...edge, ...b }, value: 3 },
        { labels: { ...edge, ...b, destination_workload: 'idle' }, value: 0 },
        { labels: { ...edge, ...a, extra: 'dropped' }, value: 1 },
      ],
      GRAPH_QUERY_LABELS.tcpOpened,
      EDGE_LABELS,
      TARGET_LABELS,
    );
    expect(samples).toEqual([{ metric: 'tcpOpened', labels: edge, value: 6 }]);
    expect([...targets.values()]).toEqual([{ labels: { ...edge, ...a } }, { labels: { ...edge, ...b } }]);
  });

  it('shares one deduplicated target set across queries', () => {
    const edge = { reporter: 'source', source_workload: 'web' };
    const shared = splitTargets('requests', [{ labels: { ...edge, pod: 'p' }, value: 1 }], GRAPH_QUERY_LABELS.requests, EDGE_LABELS, TARGET_LABELS).targets;
    splitTargets(
      'tcpOpened',
      [
        { labels: { ...edge, pod: 'p' }, value: 1 },
        { labels: { ...edge, pod: 'q' }, value: 1 },
      ],
      GRAPH_QUERY_LABELS.tcpOpened,
      EDGE_LABELS,
      TARGET_LABELS,
      shared,
    );
    expect([...shared.values()]).toEqual([{ labels: { ...edge, pod: 'p' } }, { labels: { ...edge, pod: 'q' } }]);
  });
});

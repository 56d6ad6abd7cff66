import { describe, expect, it } from 'vitest';
import { EDGE_LABELS } from '@/lib/mesh/types';
import {
  alternationMatcher,
  buildSelectionSeriesQueries,
  buildGraphQueries,
  buildVersionQueries,
  buildProxyBuildQuery,
  buildTrendQueries,
  chooseStep,
  describeQueries,
  escapeLabelValue,
  regexEscape,
  selector,
} from './queries';

const E = EDGE_LABELS.join(', ');

describe('escapeLabelValue', () => {
  it('escapes backslash, double quote and line breaks', () => {
    expect(escapeLabelValue('plain-value_1.2')).toBe('plain-value_1.2');
    expect(escapeLabelValue('a\\b')).toBe('a\\\\b');
    expect(escapeLabelValue('say "hi"')).toBe('say \\"hi\\"');
    expect(escapeLabelValue('l1\nl2\r\tx')).toBe('l1\\nl2\\r\\tx');
  });

  it('keeps a hostile value inside its string literal', () => {
    const hostile = 'a"}) or vector(1) #';
    const sel = selector([{ label: 'source_workload', op: '=', value: hostile }]);
    expect(sel).toBe('{source_workload="a\\"}) or vector(1) #"}');
    // The literal ends only at the last quote: no unescaped quote inside.
    const inner = sel.slice('{source_workload="'.length, -2);
    expect(inner.replace(/\\\\/g, '').replace(/\\"/g, '')).not.toContain('"');
  });

  it('does not let a trailing backslash eat the closing quote', () => {
    expect(selector([{ label: 'x', op: '=', value: 'evil\\' }])).toBe('{x="evil\\\\"}');
  });
});

describe('regexEscape', () => {
  it('escapes every RE2 metacharacter', () => {
    expect(regexEscape('a.b*c+d?e(f)g|h[i]j{k}l^m$n\\o')).toBe('a\\.b\\*c\\+d\\?e\\(f\\)g\\|h\\[i\\]j\\{k\\}l\\^m\\$n\\\\o');
    expect(regexEscape('shop-1')).toBe('shop-1');
  });

  it('builds a literal alternation as a PromQL string', () => {
    expect(alternationMatcher(['shop', 'a.b'])).toBe('"shop|a\\\\.b"');
    expect(alternationMatcher(['x|.*'])).toBe('"x\\\\|\\\\.\\\\*"');
  });
});

describe('selector', () => {
  it('rejects invalid label names instead of splicing them', () => {
    expect(() => selector([{ label: 'a"b', op: '=', value: 'x' }])).toThrow(/invalid label name/);
  });
});

describe('buildGraphQueries', () => {
  it('parts: traffic and latency split the query set, each query in exactly one part', () => {
    const all = buildGraphQueries({ windowSeconds: 900, namespaces: ['shop'] });
    const traffic = buildGraphQueries({ windowSeconds: 900, namespaces: ['shop'], parts: ['traffic'] });
    const latency = buildGraphQueries({ windowSeconds: 900, namespaces: ['shop'], parts: ['latency'] });
    expect(latency.map((q) => q.name)).toEqual(['requestDurationBucket', 'requestDurationSum']);
    expect(traffic.map((q) => q.name)).toEqual(['requests', 'tcpOpened', 'tcpClosed', 'tcpFailed', 'tcpSentBytes', 'tcpReceivedBytes']);
    expect([...traffic, ...latency].map((q) => q.query).sort()).toEqual(all.map((q) => q.query).sort());
    expect(buildGraphQueries({ windowSeconds: 900, parts: [] })).toEqual([]);
  });
  it('closed connections: only flagged (failed) closes, also under a namespace restriction', () => {
    const closed = buildGraphQueries({ windowSeconds: 300, namespaces: ['shop'] }).find((q) => q.name === 'tcpClosed')!.query;
    expect(closed).toContain('istio_tcp_connections_closed_total{source_workload_namespace="shop", response_flags!="-"}[300s]');
    expect(closed).toContain(
      'istio_tcp_connections_closed_total{source_workload_namespace!="shop", destination_workload_namespace!="shop", destination_service_namespace="shop", response_flags!="-"}[300s]',
    );
    expect(closed.match(/response_flags!="-"/g)).toHaveLength(3);
  });
  it('builds the exact unfiltered query set', () => {
    const qs = buildGraphQueries({ windowSeconds: 900 });
    expect(qs.map((q) => q.name)).toEqual([
      'requests',
      'requestDurationBucket',
      'requestDurationSum',
      'tcpOpened',
      'tcpClosed',
      'tcpFailed',
      'tcpSentBytes',
      'tcpReceivedBytes',
    ]);
    const byName = Object.fromEntries(qs.map((q) => [q.name, q.query]));
    const T = 'instance, job, pod, namespace, app';
    expect(byName.requests).toBe(`sum by (${E}, request_protocol, response_code, grpc_response_status, ${T}) (increase(istio_requests_total[900s])) > 0`);
    // Every bucket, zero ones included, of every histogram whose +Inf bucket grew (docs/istio-telemetry.md §7).
    const D =
      'reporter, source_cluster, source_workload, source_workload_namespace, destination_cluster, destination_workload, destination_workload_namespace, destination_service';
    const traffic = `and on (${D}) (sum by (${D}) (increase(istio_request_duration_milliseconds_bucket{le="+Inf"}[900s])) > 0)`;
    expect(byName.requestDurationBucket).toBe(`sum by (${D}, le) (increase(istio_request_duration_milliseconds_bucket[900s])) ${traffic}`);
    expect(byName.requestDurationSum).toBe(`sum by (${D}) (increase(istio_request_duration_milliseconds_sum[900s])) ${traffic}`);
    expect(qs.filter((q) => q.keepZero).map((q) => q.name)).toEqual(['requestDurationBucket', 'requestDurationSum']);
    expect(byName.tcpOpened).toBe(`sum by (${E}, ${T}) (increase(istio_tcp_connections_opened_total[900s])) > 0`);
    expect(byName.tcpClosed).toBe(`sum by (${E}, response_flags) (increase(istio_tcp_connections_closed_total{response_flags!="-"}[900s])) > 0`);
    expect(byName.tcpFailed).toBe(`sum by (${E}, response_flags) (increase(istio_tcp_connections_failed_total[900s])) > 0`);
    expect(byName.tcpSentBytes).toBe(`sum by (${E}) (increase(istio_tcp_sent_bytes_total[900s])) > 0`);
    expect(byName.tcpReceivedBytes).toBe(`sum by (${E}, ${T}) (increase(istio_tcp_received_bytes_total[900s])) > 0`);
    // Target labels are attribution evidence only: the samples handed to lib/mesh are summed over them.
    expect(qs.filter((q) => q.targetLabels.length > 0).map((q) => q.name)).toEqual(['requests', 'tcpOpened', 'tcpReceivedBytes']);
    for (const q of qs) expect(q.labels).not.toContain('instance');
  });

  it('stays at 8 queries whatever the number of namespaces, with one regex per namespace label', () => {
    const many = Array.from({ length: 200 }, (_, i) => `ns-${i}`);
    const qs = buildGraphQueries({ windowSeconds: 60, namespaces: many });
    expect(qs).toHaveLength(8);
    for (const q of qs) expect(q.query.match(/source_workload_namespace=~/g)?.length).toBeGreaterThanOrEqual(1);
  });

  it('restricts namespaces on source, destination workload and destination service namespace, as disjoint selectors', () => {
    const [requests] = buildGraphQueries({ windowSeconds: 300, namespaces: ['shop', 'pay.ments', 'shop'] });
    const by = `${E}, request_protocol, response_code, grpc_response_status, instance, job, pod, namespace, app`;
    const re = '"pay\\\\.ments|shop"';
    expect(requests?.query).toBe(
      `(sum by (${by}) (increase(istio_requests_total{source_workload_namespace=~${re}}[300s])) or ` +
        `sum by (${by}) (increase(istio_requests_total{source_workload_namespace!~${re}, destination_workload_namespace=~${re}}[300s])) or ` +
        `sum by (${by}) (increase(istio_requests_total{source_workload_namespace!~${re}, destination_workload_namespace!~${re}, destination_service_namespace=~${re}}[300s]))) > 0`,
    );
  });

  it('restricts the histogram and its traffic guard on the same namespace labels', () => {
    const q = buildGraphQueries({ windowSeconds: 300, namespaces: ['shop'] }).find((x) => x.name === 'requestDurationBucket')!;
    const D =
      'reporter, source_cluster, source_workload, source_workload_namespace, destination_cluster, destination_workload, destination_workload_namespace, destination_service';
    const m = 'istio_request_duration_milliseconds_bucket';
    const notSrc = 'source_workload_namespace!="shop", ';
    const notDst = 'destination_workload_namespace!="shop", ';
    expect(q.query).toBe(
      `(sum by (${D}, le) (increase(${m}{source_workload_namespace="shop"}[300s])) or ` +
        `sum by (${D}, le) (increase(${m}{${notSrc}destination_workload_namespace="shop"}[300s])) or ` +
        `sum by (${D}, le) (increase(${m}{${notSrc}${notDst}destination_service_namespace="shop"}[300s]))) and on (${D}) (` +
        `(sum by (${D}) (increase(${m}{source_workload_namespace="shop", le="+Inf"}[300s])) or ` +
        `sum by (${D}) (increase(${m}{${notSrc}destination_workload_namespace="shop", le="+Inf"}[300s])) or ` +
        `sum by (${D}) (increase(${m}{${notSrc}${notDst}destination_service_namespace="shop", le="+Inf"}[300s]))) > 0)`,
    );
  });

  it('uses an equality matcher for a single namespace', () => {
    const [requests] = buildGraphQueries({ windowSeconds: 300, namespaces: ['pay.ments'] });
    expect(requests?.query).toContain('{source_workload_namespace="pay.ments"}');
    expect(requests?.query).toContain(
      '{source_workload_namespace!="pay.ments", destination_workload_namespace!="pay.ments", destination_service_namespace="pay.ments"}',
    );
    expect(requests?.query).not.toContain('=~');
  });

  it('escapes hostile namespace values', () => {
    const [one] = buildGraphQueries({ windowSeconds: 60, namespaces: ['a"}) or vector(1) #'] });
    expect(one?.query).toContain('{source_workload_namespace="a\\"}) or vector(1) #"}');
    const qs = buildGraphQueries({ windowSeconds: 60, namespaces: ['a"}) or vector(1) #', 'b'] });
    expect(qs[0]?.query).toContain('{source_workload_namespace=~"a\\"\\\\}\\\\) or vector\\\\(1\\\\) #|b"}');
    expect(qs[0]?.query).not.toContain('"}) or vector(1)');
  });

  it('applies the metric prefix to every metric', () => {
    const qs = buildGraphQueries({ windowSeconds: 60, metricPrefix: 'workload:' });
    for (const q of qs) expect(q.query).not.toMatch(/[^:]istio_/);
    expect(qs[0]?.query).toContain('increase(workload:istio_requests_total[60s])');
  });

  it('rejects unvalidated windows and prefixes', () => {
    expect(() => buildGraphQueries({ windowSeconds: 0 })).toThrow(RangeError);
    expect(() => buildGraphQueries({ windowSeconds: 1.5 })).toThrow(RangeError);
    expect(() => buildGraphQueries({ windowSeconds: 40 * 24 * 3600 })).toThrow(RangeError);
    expect(() => buildGraphQueries({ windowSeconds: 60, metricPrefix: 'x{' })).toThrow(/invalid metric name/);
  });

  it('is documented by describeQueries', () => {
    expect(describeQueries()).toHaveLength(8);
  });
});

describe('chooseStep', () => {
  it('picks the smallest nice step that fits the point budget', () => {
    expect(chooseStep(900, 120)).toBe(15);
    expect(chooseStep(3600, 120)).toBe(30);
    expect(chooseStep(6 * 3600, 120)).toBe(300);
    expect(chooseStep(7 * 86400, 120)).toBe(7200);
    expect(chooseStep(31 * 86400, 2)).toBe(16 * 86400);
    expect(() => chooseStep(60, 1)).toThrow(RangeError);
    expect(() => chooseStep(60, 20_000)).toThrow(RangeError);
  });
});

describe('buildSelectionSeriesQueries: hostile values and bounds', () => {
  it('escapes label values and rejects a rate window that is not whole seconds in range', () => {
    const q = buildSelectionSeriesQueries({ l7: [{ source_workload: 'x"} or vector(1) #' }], l4: [{ destination_workload: 'y' }] }, 900);
    expect(q.rps).toContain('source_workload="x\\"} or vector(1) #"');
    expect(q.connectionsPerSec).toBe('sum(rate(istio_tcp_connections_opened_total{destination_workload="y"}[900s]))');
    expect(() => buildSelectionSeriesQueries({ l7: [], l4: [] }, 0)).toThrow(RangeError);
    expect(() => buildSelectionSeriesQueries({ l7: [], l4: [] }, 1.5)).toThrow(RangeError);
  });
});

describe('buildSelectionSeriesQueries', () => {
  const set = { reporter: 'source', source_workload: 'we"b', destination_workload: '' };
  it('one rate per label set, values escaped, absent labels matched as ""; gRPC failures count as errors', async () => {
    const { buildSelectionSeriesQueries } = await import('./queries');
    const q = buildSelectionSeriesQueries({ l7: [set, { ...set, reporter: 'waypoint' }], l4: [] }, 120);
    expect(q.rps).toBe(
      'sum(rate(istio_requests_total{reporter="source", source_workload="we\\"b", destination_workload=""}[120s]) or rate(istio_requests_total{reporter="waypoint", source_workload="we\\"b", destination_workload=""}[120s]))',
    );
    // one failed-request rule for graph and sparklines (FAILED_REQUEST_MATCHERS; lib/mesh/rates.ts isFailedRequest):
    // Istio's "unknown" status is no status, as in lib/mesh
    expect(q.errorRate).toContain('grpc_response_status!~"0|unknown|"');
    expect(q.errorRate).toContain('grpc_response_status=~"unknown|", response_code=~"5..|0"');
    expect(q.errorRate).toContain('request_protocol!="grpc", response_code=~"5..|0"');
    expect(q.connectionsPerSec).toBeUndefined();
  });
});

describe('buildVersionQueries', () => {
  it('groups requests and buckets by the destination version only (no source labels), buckets with their zeros', () => {
    const [req, bucket] = buildVersionQueries({ windowSeconds: 900 });
    const V =
      'reporter, destination_cluster, destination_workload_namespace, destination_workload, destination_canonical_service, destination_canonical_revision';
    expect(req!.query).toBe(`sum by (${V}, request_protocol, response_code, grpc_response_status) (increase(istio_requests_total[900s])) > 0`);
    expect(bucket!.keepZero).toBe(true);
    expect(bucket!.query).toBe(
      `sum by (${V}, le) (increase(istio_request_duration_milliseconds_bucket[900s])) and on (${V}) (sum by (${V}) (increase(istio_request_duration_milliseconds_bucket{le="+Inf"}[900s])) > 0)`,
    );
    expect(req!.query).not.toContain('source_');
  });
  it('omit=latency leaves out the buckets (parts), as for the graph', () => {
    expect(buildVersionQueries({ windowSeconds: 900, parts: ['traffic'] }).map((q) => q.name)).toEqual(['requests']);
    expect(buildVersionQueries({ windowSeconds: 900, parts: ['latency'] }).map((q) => q.name)).toEqual(['requestDurationBucket']);
  });
  it('escapes namespaces and uses the metric prefix', () => {
    const [req] = buildVersionQueries({ windowSeconds: 60, namespaces: ['a"b'], metricPrefix: 'workload:' });
    expect(req!.query).toContain('workload:istio_requests_total{source_workload_namespace="a\\"b"}');
  });
});

describe('overview trend queries', () => {
  it('the graph traffic queries without latency, over one point window, a nice step for ≤ 24 points', () => {
    const t = buildTrendQueries({ rangeSeconds: 3600 });
    expect(t.step).toBe(300);
    expect(t.pointWindowSeconds).toBe(300);
    expect(t.queries.map((q) => q.name)).toEqual(['requests', 'tcpOpened', 'tcpClosed', 'tcpFailed', 'tcpSentBytes', 'tcpReceivedBytes']);
    expect(t.queries).toEqual(buildGraphQueries({ windowSeconds: 300 }).filter((q) => q.name !== 'requestDurationBucket' && q.name !== 'requestDurationSum'));
    // A short range: the step is shorter than rate() needs, the point window is not.
    expect(buildTrendQueries({ rangeSeconds: 900 })).toMatchObject({ step: 60, pointWindowSeconds: 60 });
    expect(buildTrendQueries({ rangeSeconds: 300 })).toMatchObject({ step: 15, pointWindowSeconds: 60 });
    expect(buildTrendQueries({ rangeSeconds: 86400, metricPrefix: 'workload:' }).queries[0]!.query).toContain('workload:istio_requests_total');
    expect(() => buildTrendQueries({ rangeSeconds: 0 })).toThrow(RangeError);
  });
  it('one series per proxy from istio_build, Envoy or ztunnel', () => {
    expect(buildProxyBuildQuery()).toBe('count by (component, instance, job, pod, namespace, app) (istio_build{component=~"proxy|ztunnel"})');
  });
});

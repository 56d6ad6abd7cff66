import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode } from '@/lib/mesh/types';
import { edge as edgeOf, wl } from '@/lib/mesh/findings/test-builders';
import { edgeTraceLink, nodeTraceLink, traceQl, traceServiceName, tracesUrl } from './traces';

const W = { start: '2026-11-21T21:00:00Z', end: '2026-11-21T21:15:00Z' };
const S = Date.parse(W.start);
const E = Date.parse(W.end);
const node = (namespace: string, name: string, extra: Partial<GraphNode> = {}): GraphNode => wl(namespace, name, extra);
const web = node('shop', 'web');
const v2 = node('shop', 'recommendations-v2', { app: 'recommendations' });
const edge = (extra: Partial<GraphEdge> = {}): GraphEdge => edgeOf(web, v2, { path: 'waypoint', ...extra });

describe('tracesUrl', () => {
  it('Jaeger: /search with service, start/end in microseconds and lookback=custom', () => {
    const u = new URL(tracesUrl({ kind: 'jaeger', url: 'http://jaeger:16686/' }, { service: 'web.shop', peer: 'x.shop', startMs: S, endMs: E }));
    expect(u.origin + u.pathname).toBe('http://jaeger:16686/search');
    expect(Object.fromEntries(u.searchParams)).toEqual({
      service: 'web.shop',
      start: String(S * 1000),
      end: String(E * 1000),
      lookback: 'custom',
      limit: '20',
    });
  });

  it('Zipkin: serviceName + remoteServiceName, startTs/endTs in milliseconds', () => {
    const u = new URL(
      tracesUrl({ kind: 'zipkin', url: 'http://zipkin:9411/zipkin' }, { service: 'web.shop', peer: 'recommendations.shop', startMs: S, endMs: E }),
    );
    expect(u.pathname).toBe('/zipkin/');
    expect(Object.fromEntries(u.searchParams)).toEqual({
      serviceName: 'web.shop',
      remoteServiceName: 'recommendations.shop',
      lookback: 'custom',
      startTs: String(S),
      endTs: String(E),
      limit: '20',
    });
  });

  it('Tempo: Grafana Explore with a TraceQL query on the configured data source and the window', () => {
    const u = new URL(
      tracesUrl(
        { kind: 'tempo', url: 'https://grafana.example/g', grafanaDatasource: 'tempo-1' },
        { service: 'web.shop', peer: 'recommendations.shop', startMs: S, endMs: E },
      ),
    );
    expect(u.pathname).toBe('/g/explore');
    expect(u.searchParams.get('schemaVersion')).toBe('1');
    const panes = JSON.parse(u.searchParams.get('panes')!);
    expect(panes.traces.datasource).toBe('tempo-1');
    expect(panes.traces.range).toEqual({ from: String(S), to: String(E) });
    expect(panes.traces.queries[0]).toMatchObject({
      datasource: { type: 'tempo', uid: 'tempo-1' },
      queryType: 'traceql',
      query: '{ resource.service.name = "web.shop" } >> { resource.service.name = "recommendations.shop" }',
    });
  });

  it('hostile names stay inside their parameter (encoded), and TraceQL strings are quoted', () => {
    const evil = 'a"}&service=b<script>';
    const u = new URL(tracesUrl({ kind: 'jaeger', url: 'http://j' }, { service: evil, startMs: S, endMs: E }));
    expect(u.searchParams.getAll('service')).toEqual([evil]);
    expect(traceQl({ service: evil })).toBe('{ resource.service.name = "a\\"}&service=b<script>" }');
    const t = new URL(tracesUrl({ kind: 'tempo', url: 'http://g', grafanaDatasource: 'x' }, { service: evil, startMs: S, endMs: E }));
    expect(JSON.parse(t.searchParams.get('panes')!).traces.queries[0].query).toBe(traceQl({ service: evil }));
  });
});

describe('trace links of nodes and edges', () => {
  const jaeger = { kind: 'jaeger' as const, url: 'http://jaeger:16686' };

  it('service names are <app>.<namespace> (Istio APP_LABEL_AND_NAMESPACE)', () => {
    expect(traceServiceName(v2)).toBe('recommendations.shop');
    expect(traceServiceName(web)).toBe('web.shop');
  });

  it('an L7 edge links to the pair in the window', () => {
    const l = edgeTraceLink({ kind: 'zipkin', url: 'http://z' }, edge(), web, v2, W);
    expect(l).toMatchObject({ available: true, label: 'Traces web.shop → recommendations.shop in Zipkin' });
    if (l.available) expect(new URL(l.href).searchParams.get('remoteServiceName')).toBe('recommendations.shop');
  });

  it('an L4 edge of HTTP says why no trace exists and that a waypoint would create one', () => {
    const l = edgeTraceLink(jaeger, edge({ telemetry: 'l4', path: 'ambient', l7Gap: true }), web, v2, W);
    expect(l).toEqual({
      available: false,
      reason: expect.stringMatching(/Only ztunnel carried this traffic.*no spans/),
      create: 'a waypoint for shop: istioctl waypoint apply -n shop --enroll-namespace',
    });
  });

  it('TCP has no requests; an unknown client still links to the server’s traces', () => {
    expect(edgeTraceLink(jaeger, edge({ telemetry: 'l4', protocol: 'tcp' }), web, v2, W)).toMatchObject({
      available: false,
      reason: expect.stringMatching(/TCP/),
    });
    const l = edgeTraceLink(jaeger, edge(), node('unknown', 'unknown', { kind: 'unknown' }), v2, W);
    expect(l).toMatchObject({ available: true, label: 'Traces of recommendations.shop in Jaeger' });
  });

  it('a node links only when it had L7 traffic in the window', () => {
    expect(nodeTraceLink(jaeger, v2, [edge()], W)).toMatchObject({ available: true, label: 'Traces of recommendations.shop in Jaeger' });
    expect(nodeTraceLink(jaeger, v2, [edge({ telemetry: 'l4' })], W)).toMatchObject({ available: false, create: expect.stringContaining('waypoint') });
    expect(nodeTraceLink(jaeger, node('external', 'api.stripe.com', { kind: 'service' }), [], W).available).toBe(false);
  });
});

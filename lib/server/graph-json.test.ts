import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GraphResponse } from '@/lib/api/types';
import { gunzipSync } from 'node:zlib';
import { graphGzip, graphJson, graphJsonChunks } from './graph-json';
import { acceptsGzipBody } from './http';

vi.mock('server-only', () => ({}));

const graph = {
  window: { start: '2026-12-02T10:00:00Z', end: '2026-12-02T10:15:00Z' },
  nodes: [{ id: 'w:ns/a', label: 'quote " and \\ backslash' }],
  edges: [],
  warnings: [],
} as unknown as GraphResponse;

describe('graphJson', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is the JSON of the graph', () => {
    expect(JSON.parse(graphJson(graph))).toEqual(graph);
  });

  it('appends stale to the same JSON: equal to serialising the graph with stale', () => {
    const stale = { computedAt: '2026-12-02T10:14:00Z', ageSeconds: 61.5, retryAfterSeconds: 12 };
    expect(JSON.parse(graphJson(graph, stale))).toEqual({ ...graph, stale });
    expect(JSON.parse(graphJson({} as GraphResponse, stale))).toEqual({ stale });
  });

  it('serialises each graph object once, however many answers carry it', () => {
    const g = structuredClone(graph);
    const spy = vi.spyOn(JSON, 'stringify');
    graphJson(g);
    graphJson(g, { computedAt: '2026-12-02T10:14:00Z', ageSeconds: 1, retryAfterSeconds: 2 });
    graphJson(g);
    expect(spy.mock.calls.filter(([v]) => v === g)).toHaveLength(1);
    // Another object (the next computation) is serialised afresh.
    const next = structuredClone(graph);
    graphJson(next);
    expect(spy.mock.calls.filter(([v]) => v === next)).toHaveLength(1);
  });

  it('chunks carry the same JSON, fresh and stale, the graph encoded once and shared between answers', () => {
    const g = structuredClone(graph);
    const stale = { computedAt: '2026-12-02T10:14:00Z', ageSeconds: 3, retryAfterSeconds: 9 };
    const cases = [undefined, stale, { ...stale, ageSeconds: 4 }].map((s) => ({ s, text: JSON.stringify(s ? { ...g, stale: s } : g) }));
    const spy = vi.spyOn(JSON, 'stringify');
    const first = graphJsonChunks(g);
    for (const { s, text } of cases) {
      const chunks = graphJsonChunks(g, s);
      expect(chunks[0]).toBe(first[0]);
      expect(Buffer.concat(chunks).toString('utf8')).toBe(text);
    }
    expect(spy.mock.calls.filter(([v]) => v === g)).toHaveLength(1);
    expect(Buffer.concat(graphJsonChunks({} as GraphResponse, stale)).toString()).toBe(JSON.stringify({ stale }));
  });
  it('a shared chunk that was emptied (detached) is made again, not served empty', () => {
    // Large enough for a buffer of its own (small ones come from Node's shared pool).
    const g = {
      ...structuredClone(graph),
      nodes: Array.from({ length: 200 }, (_, i) => ({ id: `w:ns/n${i}`, label: 'ü'.repeat(20) })),
    } as unknown as GraphResponse;
    const [prefix] = graphJsonChunks(g);
    structuredClone(prefix.buffer, { transfer: [prefix.buffer as ArrayBuffer] });
    expect(prefix.byteLength).toBe(0);
    expect(JSON.parse(graphJson(g))).toEqual(g);
  });
});

describe('graphGzip (Accept: application/gzip)', () => {
  it('is the gzip of the graph JSON without stale, made once per graph object and shared', async () => {
    const g = structuredClone(graph);
    const a = graphGzip(g);
    expect(graphGzip(g)).toBe(a);
    const bytes = await a;
    expect(JSON.parse(gunzipSync(bytes).toString('utf8'))).toEqual(g);
    expect(await graphGzip(structuredClone(graph))).not.toBe(bytes);
  });
});

describe('acceptsGzipBody', () => {
  it('only when application/gzip is listed and not refused', () => {
    expect(acceptsGzipBody('application/gzip, application/json;q=0.9')).toBe(true);
    expect(acceptsGzipBody('application/json, Application/GZIP ; q=0.5')).toBe(true);
    expect(acceptsGzipBody('application/gzip;q=0')).toBe(false);
    expect(acceptsGzipBody('application/json')).toBe(false);
    expect(acceptsGzipBody('*/*')).toBe(false);
    expect(acceptsGzipBody(null)).toBe(false);
  });
});

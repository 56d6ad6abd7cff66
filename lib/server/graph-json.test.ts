import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GraphResponse } from '@/lib/api/types';
import { graphJson } from './graph-json';

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
});

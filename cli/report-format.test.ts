import { describe, expect, it } from 'vitest';
import type { MeshGraph } from '@/lib/mesh/types';
import { formatReport, parseReportArgs } from './report-format';

const graph: MeshGraph = {
  window: { start: '2026-11-21T21:00:00Z', end: '2026-11-21T22:00:00Z' },
  nodes: [
    { id: 'workload:K/shop/cart', kind: 'workload', namespace: 'shop', name: 'cart', cluster: 'K', mode: 'ambient' },
    { id: 'workload:K/inventory/api', kind: 'workload', namespace: 'inventory', name: 'api', cluster: 'K', mode: 'ambient' },
  ],
  edges: [
    {
      id: 'e1',
      source: 'workload:K/shop/cart',
      target: 'workload:K/inventory/api',
      path: 'ambient',
      telemetry: 'l4',
      protocol: 'http',
      l7Gap: true,
      mtls: 'plaintext',
      rates: { connectionsPerSec: 1.5 },
      reporters: [],
      services: [],
    },
  ],
  warnings: [],
};

describe('parseReportArgs', () => {
  it('maps flags to API parameters', () => {
    const a = parseReportArgs(['--namespaces', 'shop,inventory', '--range=1h', '--format', 'json', '--fail-on', 'l7-gap,plaintext']);
    expect(a.params.get('namespaces')).toBe('shop,inventory');
    expect(a.params.get('range')).toBe('1h');
    expect(a.format).toBe('json');
    expect(a.failOn).toEqual(['l7-gap', 'plaintext']);
  });
  it('rejects unknown options, kinds and formats', () => {
    expect(() => parseReportArgs(['--nope', 'x'])).toThrow(/unknown option/);
    expect(() => parseReportArgs(['--fail-on', 'l7gap'])).toThrow(/unknown kind/);
    expect(() => parseReportArgs(['--format', 'yaml'])).toThrow(/format/);
    expect(() => parseReportArgs(['--range'])).toThrow(/needs a value/);
  });
});

describe('formatReport', () => {
  it('lists L7 gaps and plaintext edges in every format', () => {
    const data = { graph, namespaces: [], findings: [] };
    const text = formatReport('text', data);
    expect(text).toContain('L7 gaps (1)');
    expect(text).toContain('shop/cart → inventory/api  [ambient, l4, http, mTLS plaintext] 1.50 conn/s');
    expect(formatReport('markdown', data)).toContain('## Plaintext edges (1)');
    const json = JSON.parse(formatReport('json', data)) as { l7Gaps: unknown[]; plaintext: unknown[] };
    expect(json.l7Gaps).toHaveLength(1);
    expect(json.plaintext).toHaveLength(1);
  });
});

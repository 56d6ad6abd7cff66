'use client';

import { useMemo, useState } from 'react';
import type { GraphEdge, GraphNode } from '@/lib/mesh/types';
import { edgeClusters } from '@/lib/graph/clusters';
import { MTLS_LABELS, PATH_STYLES, edgeHealth } from '@/lib/graph/style-mapping';
import { formatBytesPerSec, formatPercent, formatRate } from '@/lib/utils/format';

type SortKey = 'source' | 'target' | 'path' | 'telemetry' | 'protocol' | 'mtls' | 'rps' | 'errorRate' | 'bytes' | 'failed';

interface Row {
  edge: GraphEdge;
  source: string;
  target: string;
  bytes?: number;
  crossCluster: boolean;
}

const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'source', label: 'Source' },
  { key: 'target', label: 'Destination' },
  { key: 'path', label: 'Path' },
  { key: 'telemetry', label: 'Telemetry' },
  { key: 'protocol', label: 'Protocol' },
  { key: 'mtls', label: 'mTLS' },
  { key: 'rps', label: 'Requests/s', numeric: true },
  { key: 'errorRate', label: 'Error rate', numeric: true },
  { key: 'bytes', label: 'Bytes/s (both ways)', numeric: true },
  { key: 'failed', label: 'Failed conn/s', numeric: true },
];

function sortValue(r: Row, k: SortKey): string | number | undefined {
  switch (k) {
    case 'source':
      return r.source;
    case 'target':
      return r.target;
    case 'path':
    case 'telemetry':
    case 'protocol':
    case 'mtls':
      return r.edge[k];
    case 'rps':
      return r.edge.rates.rps;
    case 'errorRate':
      return r.edge.rates.errorRate;
    case 'bytes':
      return r.bytes;
    case 'failed':
      return r.edge.rates.failedConnectionsPerSec;
  }
}

/** Accessible list view: the graph as a sortable table, one row per edge; nothing by colour alone. */
/** `multiCluster`: names are `cluster/namespace/name` and cross-cluster edges say so. */
export function EdgeTable({
  nodes,
  edges,
  selectedId,
  onSelect,
  multiCluster = false,
}: {
  nodes: GraphNode[];
  edges: GraphEdge[];
  selectedId?: string;
  onSelect: (id: string) => void;
  multiCluster?: boolean;
}) {
  const [sort, setSort] = useState<{ key: SortKey; dir: 'asc' | 'desc' }>({ key: 'source', dir: 'asc' });
  const rows = useMemo(() => {
    const names = new Map(
      nodes.map((n) => [n.id, multiCluster && n.kind !== 'unknown' ? `${n.cluster}/${n.namespace}/${n.name}` : `${n.namespace}/${n.name}`]),
    );
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const out: Row[] = edges.map((edge) => {
      const b =
        edge.rates.requestBytesPerSec === undefined && edge.rates.responseBytesPerSec === undefined
          ? undefined
          : (edge.rates.requestBytesPerSec ?? 0) + (edge.rates.responseBytesPerSec ?? 0);
      return {
        edge,
        source: names.get(edge.source) ?? edge.source,
        target: names.get(edge.target) ?? edge.target,
        bytes: b,
        crossCluster: edgeClusters(edge, byId).crossCluster,
      };
    });
    out.sort((a, b) => {
      const va = sortValue(a, sort.key);
      const vb = sortValue(b, sort.key);
      // Missing values sort last in both directions.
      if (va === undefined && vb === undefined) return a.edge.id.localeCompare(b.edge.id);
      if (va === undefined) return 1;
      if (vb === undefined) return -1;
      const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
      return (sort.dir === 'asc' ? c : -c) || a.edge.id.localeCompare(b.edge.id);
    });
    return out;
  }, [nodes, edges, sort, multiCluster]);

  return (
    <div className="h-full overflow-auto bg-white">
      <table className="w-full border-collapse text-sm" data-testid="edge-table">
        <caption className="sr-only">Edges of the service graph: {rows.length} rows. Column headers sort the table.</caption>
        <thead className="sticky top-0 bg-gray-100">
          <tr>
            {COLUMNS.map((c) => {
              const active = sort.key === c.key;
              return (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                  className={`border-b border-gray-300 px-2 py-1.5 ${c.numeric ? 'text-right' : 'text-left'}`}
                >
                  <button
                    type="button"
                    className="font-semibold hover:underline"
                    onClick={() => setSort(active ? { key: c.key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key: c.key, dir: c.numeric ? 'desc' : 'asc' })}
                  >
                    {c.label}
                    <span aria-hidden="true"> {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}</span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const selected = r.edge.id === selectedId;
            const health = edgeHealth(r.edge);
            return (
              <tr
                key={r.edge.id}
                data-edge-id={r.edge.id}
                aria-selected={selected}
                className={`border-b border-gray-200 ${selected ? 'bg-blue-50 outline outline-2 outline-blue-700' : 'hover:bg-gray-50'}`}
              >
                <td className="px-2 py-1">
                  <button
                    type="button"
                    className="text-left text-blue-900 underline"
                    onClick={() => onSelect(r.edge.id)}
                    aria-label={`Details for ${r.source} to ${r.target}`}
                  >
                    {r.source}
                  </button>
                </td>
                <td className="px-2 py-1">
                  {r.target}
                  {r.crossCluster && (
                    <strong className="ml-1 text-purple-900" data-col="cross-cluster">
                      (cross-cluster)
                    </strong>
                  )}
                </td>
                <td className="px-2 py-1" data-col="path">
                  {PATH_STYLES[r.edge.path].label}
                </td>
                <td className="px-2 py-1" data-col="telemetry">
                  {r.edge.telemetry === 'l7' ? 'L7' : 'L4'}
                  {r.edge.l7Gap && <strong className="ml-1 text-red-800">(L7 gap)</strong>}
                </td>
                <td className="px-2 py-1">{r.edge.protocol}</td>
                <td className={`px-2 py-1 ${r.edge.mtls === 'plaintext' ? 'font-semibold text-red-800' : ''}`} data-col="mtls">
                  {MTLS_LABELS[r.edge.mtls]}
                </td>
                <td className="px-2 py-1 text-right tabular-nums">{formatRate(r.edge.rates.rps)}</td>
                <td className={`px-2 py-1 text-right tabular-nums ${health === 'error' && r.edge.rates.errorRate ? 'font-semibold text-red-800' : ''}`}>
                  {formatPercent(r.edge.rates.errorRate)}
                  {health === 'error' && (r.edge.rates.errorRate ?? 0) > 0 && ' ⚠'}
                </td>
                <td className="px-2 py-1 text-right tabular-nums">{formatBytesPerSec(r.bytes)}</td>
                <td className={`px-2 py-1 text-right tabular-nums ${(r.edge.rates.failedConnectionsPerSec ?? 0) > 0 ? 'font-semibold text-red-800' : ''}`}>
                  {formatRate(r.edge.rates.failedConnectionsPerSec)}
                  {(r.edge.rates.failedConnectionsPerSec ?? 0) > 0 && ' ⚠'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length === 0 && <p className="p-4 text-sm text-gray-700">No edges match.</p>}
    </div>
  );
}

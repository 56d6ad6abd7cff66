// JSON of the graphs the API serves, memoised per graph object (pure).
import type { GraphResponse } from '@/lib/api/types';

const SERIALIZED = new WeakMap<GraphResponse, string>();

/**
 * The graph as JSON; a stale answer (docs/api.md §4.2) is the stored graph's JSON with `stale` appended.
 * Every dashboard polling "the last 15 minutes" is served the same graph object until the next computation
 * lands, and a whole-mesh graph is ~9 MB of JSON (~0.1 s to serialise, bench/results.md): serialised once.
 * Graph objects are never mutated after they are built (lib/server/mesh-data.ts caches and shares them).
 */
export function graphJson(graph: GraphResponse, stale?: GraphResponse['stale']): string {
  let text = SERIALIZED.get(graph);
  if (text === undefined) {
    text = JSON.stringify(graph);
    SERIALIZED.set(graph, text);
  }
  if (!stale) return text;
  const tail = `"stale":${JSON.stringify(stale)}}`;
  return text === '{}' ? `{${tail}` : `${text.slice(0, -1)},${tail}`;
}

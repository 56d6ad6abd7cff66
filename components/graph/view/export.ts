import type { Core } from 'cytoscape';
import type { MeshGraph } from '@/lib/mesh/types';

/** The drawing as a PNG (twice the screen resolution, white background). */
export function exportPng(cy: Core, graph: MeshGraph): void {
  const blob = cy.png({ full: true, bg: '#fff', output: 'blob', scale: 2 });
  download(blob, `meshglass-graph-${fileStamp(graph)}.png`);
}

/** The graph as the API returned it. */
export function exportJson(graph: MeshGraph): void {
  download(new Blob([JSON.stringify(graph, null, 2)], { type: 'application/json' }), `meshglass-graph-${fileStamp(graph)}.json`);
}

function download(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function fileStamp(graph: MeshGraph): string {
  return graph.window.end.replace(/[:.]/g, '-');
}

import { parseGraphQuery } from '@/lib/api/params';
import { summarizeMesh, summarizeNamespaces } from '@/lib/mesh/namespaces';
import { getMeshData } from '@/lib/server/mesh-data';
import { errorResponse, json } from '@/lib/server/http';
import { limited } from '@/lib/server/guard';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return limited(request, async () => {
    try {
      const q = parseGraphQuery(new URL(request.url).searchParams, Date.now() / 1000);
      const { kube, graph } = await getMeshData({ ...q, namespaces: undefined, expandWaypoints: false }, request.signal);
      const all = summarizeNamespaces(kube, graph);
      const namespaces = q.namespaces ? all.filter((n) => q.namespaces!.includes(n.name)) : all;
      return json({ window: graph.window, namespaces, mesh: summarizeMesh(kube, graph, all), warnings: graph.warnings });
    } catch (e) {
      return errorResponse(e, request.signal);
    }
  });
}

import { parseGraphQuery } from '@/lib/api/params';
import { runFindings } from '@/lib/mesh/findings';
import { getMeshData } from '@/lib/server/mesh-data';
import { errorResponse, json } from '@/lib/server/http';
import { limited } from '@/lib/server/guard';

export const dynamic = 'force-dynamic';

/** Findings are computed on the whole mesh (a policy problem needs both ends), then filtered by namespace. */
export async function GET(request: Request): Promise<Response> {
  return limited(request, async () => {
    try {
      const q = parseGraphQuery(new URL(request.url).searchParams, Date.now() / 1000);
      const { kube, graph } = await getMeshData({ ...q, namespaces: undefined, expandWaypoints: false }, request.signal);
      const all = runFindings(kube, graph);
      const findings = q.namespaces ? all.filter((f) => q.namespaces!.includes(f.namespace)) : all;
      return json({ window: graph.window, findings, warnings: graph.warnings });
    } catch (e) {
      return errorResponse(e, request.signal);
    }
  });
}

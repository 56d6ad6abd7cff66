import { parseGraphQuery } from '@/lib/api/params';
import { planMigrations } from '@/lib/mesh/migration';
import { getMeshData } from '@/lib/server/mesh-data';
import { errorResponse, json } from '@/lib/server/http';
import { limited } from '@/lib/server/guard';
export const dynamic = 'force-dynamic';
export async function GET(request: Request): Promise<Response> {
  return limited(request, async () => {
    try {
      const q = parseGraphQuery(new URL(request.url).searchParams, Date.now() / 1000);
      const { kube, graph } = await getMeshData({ ...q, namespaces: undefined, expandWaypoints: false }, request.signal);
      return json({ window: graph.window, migrations: planMigrations(kube, graph), warnings: graph.warnings });
    } catch (e) {
      return errorResponse(e, request.signal);
    }
  });
}

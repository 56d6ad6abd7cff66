// Coverage report: `npm run report -- [--namespaces a,b] [--range 1h | --start T --end T]
//   [--format text|json|markdown] [--fail-on l7-gap,plaintext,...]`
// Same code path as the API (lib/server/mesh-data → lib/mesh). Exit codes: 0 ok, 1 --fail-on kinds
// present, 2 bad arguments, 3 upstreams unavailable.
import { ParamError, parseGraphQuery } from '@/lib/api/params';
import { runFindings } from '@/lib/mesh/findings';
import { summarizeNamespaces } from '@/lib/mesh/namespaces';
import type { Finding, FindingKind, GraphEdge, MeshGraph, NamespaceSummary } from '@/lib/mesh/types';
import { getMeshData } from '@/lib/server/mesh-data';
import { UpstreamUnavailableError } from '@/lib/server/http';
import { formatReport, parseReportArgs, REPORT_USAGE } from './report-format';

async function main(): Promise<number> {
  let args;
  try {
    args = parseReportArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n\n${REPORT_USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(REPORT_USAGE);
    return 0;
  }
  let q;
  try {
    q = parseGraphQuery(args.params, Date.now() / 1000);
  } catch (e) {
    if (e instanceof ParamError) {
      console.error(`--${e.param}: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const controller = new AbortController();
  process.on('SIGINT', () => controller.abort());
  let data;
  try {
    data = await getMeshData({ ...q, namespaces: undefined, expandWaypoints: false }, controller.signal);
  } catch (e) {
    if (e instanceof UpstreamUnavailableError) {
      console.error(`${e.message}\n${e.warnings.map((w) => `  ${w.source}: ${w.message}`).join('\n')}`);
      return 3;
    }
    throw e;
  }
  const { kube, graph } = data;
  const inScope = (ns: string) => !q.namespaces || q.namespaces.includes(ns);
  const namespaces: NamespaceSummary[] = summarizeNamespaces(kube, graph).filter((n) => inScope(n.name));
  const findings: Finding[] = runFindings(kube, graph).filter((f) => inScope(f.namespace));
  const nodeNs = new Map(graph.nodes.map((n) => [n.id, n.namespace]));
  const edges: GraphEdge[] = graph.edges.filter((e) => inScope(nodeNs.get(e.target) ?? '') || inScope(nodeNs.get(e.source) ?? ''));
  const scoped: MeshGraph = { ...graph, edges };
  process.stdout.write(formatReport(args.format, { graph: scoped, namespaces, findings }));
  const failing = findings.filter((f) => args.failOn.includes(f.kind as FindingKind));
  if (failing.length > 0) {
    console.error(`\n${failing.length} finding(s) of kind ${[...new Set(failing.map((f) => f.kind))].join(', ')} (--fail-on)`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(4);
  },
);

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
import { existsSync, readFileSync } from 'node:fs';
import { parseSnapshotConfig } from '@/lib/snapshots/config';
import { decodeSnapshotFile } from '@/lib/snapshots/dir-store';
import { getSnapshotStore } from '@/lib/snapshots/server';
import { snapshotDocumentSchema, type SnapshotDocument } from '@/lib/snapshots/types';

/** --snapshot: an id in SNAPSHOT_STORE, a `.snap` file, or a saved GET /api/snapshots/<id> body. */
async function loadSnapshot(ref: string): Promise<SnapshotDocument | undefined> {
  const cfg = parseSnapshotConfig(process.env);
  if (!cfg.ok) throw new Error(cfg.error);
  if (existsSync(ref)) {
    const data = readFileSync(ref);
    if (data.subarray(0, 18).toString() === 'meshglass-snapshot') return decodeSnapshotFile(data, cfg.config.maxBytes);
    return snapshotDocumentSchema.parse(JSON.parse(data.toString('utf8')));
  }
  const store = getSnapshotStore();
  try {
    return await store.get(ref);
  } finally {
    await store.close();
  }
}

/** The same report from a snapshot's stored bodies: CI gates and postmortems use the numbers it pinned. */
async function reportFromSnapshot(args: ReturnType<typeof parseReportArgs>, namespacesFilter: string[] | undefined): Promise<number> {
  const doc = await loadSnapshot(args.snapshot!);
  if (!doc) {
    console.error(`no snapshot "${args.snapshot}" (not a file, nor an id in SNAPSHOT_STORE)`);
    return 2;
  }
  const graph = doc.graph as MeshGraph;
  const inScope = (ns: string) => !namespacesFilter || namespacesFilter.includes(ns);
  const namespaces = ((doc.namespaces as { namespaces?: NamespaceSummary[] }).namespaces ?? []).filter((n) => inScope(n.name));
  const findings = ((doc.findings as { findings?: Finding[] }).findings ?? []).filter((f) => inScope(f.namespace));
  const nodeNs = new Map(graph.nodes.map((n) => [n.id, n.namespace]));
  const edges = graph.edges.filter((e) => inScope(nodeNs.get(e.target) ?? '') || inScope(nodeNs.get(e.source) ?? ''));
  process.stdout.write(formatReport(args.format, { graph: { ...graph, edges }, namespaces, findings }));
  const failing = findings.filter((f) => args.failOn.includes(f.kind as FindingKind));
  if (failing.length > 0) {
    console.error(`\n${failing.length} finding(s) of kind ${[...new Set(failing.map((f) => f.kind))].join(', ')} (--fail-on)`);
    return 1;
  }
  return 0;
}

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
  if (args.snapshot !== undefined) {
    const ns = args.params
      .get('namespaces')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return reportFromSnapshot(args, ns && ns.length ? ns : undefined);
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
    // group=version as the findings route: configured traffic splits are compared with the versions' shares.
    data = await getMeshData({ ...q, namespaces: undefined, expandWaypoints: false, group: 'version' }, controller.signal);
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

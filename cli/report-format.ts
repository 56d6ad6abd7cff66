// Pure parts of the coverage report CLI: argument parsing and rendering (unit-tested).
import { FINDING_KINDS, type Finding, type FindingKind, type GraphEdge, type MeshGraph, type NamespaceSummary } from '@/lib/mesh/types';

export const REPORT_USAGE = `usage: npm run report -- [--namespaces a,b] [--clusters a,b] [--range 1h | --start T --end T | --snapshot <id|file>]
                        [--format text|json|markdown] [--fail-on l7-gap,plaintext,...]
--snapshot reads a pinned snapshot (an id in SNAPSHOT_STORE, a .snap file, or a saved GET /api/snapshots/<id> body).
Environment: PROMETHEUS_URL, KUBECONFIG, KUBE_CONTEXTS (as for the app).`;

type ReportFormat = 'text' | 'json' | 'markdown';

interface ReportArgs {
  params: URLSearchParams;
  format: ReportFormat;
  failOn: FindingKind[];
  help: boolean;
  /** A snapshot id or file instead of a live window. */
  snapshot?: string;
}

export function parseReportArgs(argv: string[]): ReportArgs {
  const params = new URLSearchParams();
  let format: ReportFormat = 'text';
  let failOn: FindingKind[] = [];
  let help = false;
  let snapshot: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    if (raw === '--help' || raw === '-h') {
      help = true;
      continue;
    }
    const [flag, inline] = raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case '--namespaces':
      case '--clusters':
      case '--range':
      case '--start':
      case '--end':
        params.set(flag.slice(2), value);
        break;
      case '--snapshot':
        snapshot = value;
        break;
      case '--format':
        if (value !== 'text' && value !== 'json' && value !== 'markdown') throw new Error(`--format must be text, json or markdown`);
        format = value;
        break;
      case '--fail-on': {
        const kinds = value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        for (const k of kinds) {
          if (!FINDING_KINDS.includes(k as FindingKind)) throw new Error(`--fail-on: unknown kind "${k}" (one of ${FINDING_KINDS.join(', ')})`);
        }
        failOn = kinds as FindingKind[];
        break;
      }
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  if (snapshot !== undefined && (params.has('range') || params.has('start') || params.has('end') || params.has('clusters'))) {
    throw new Error('--snapshot replaces --range/--start/--end/--clusters (the snapshot has its own window)');
  }
  return { params, format, failOn, help, ...(snapshot !== undefined ? { snapshot } : {}) };
}

interface ReportData {
  graph: MeshGraph;
  namespaces: NamespaceSummary[];
  findings: Finding[];
}

function nodeName(graph: MeshGraph, id: string): string {
  const n = graph.nodes.find((x) => x.id === id);
  return n ? (n.namespace && n.namespace !== 'unknown' ? `${n.namespace}/${n.name}` : n.name) : id;
}

function edgeLine(graph: MeshGraph, e: GraphEdge): string {
  const rate =
    e.rates.rps !== undefined
      ? `${e.rates.rps.toFixed(2)} rps`
      : e.rates.connectionsPerSec !== undefined
        ? `${e.rates.connectionsPerSec.toFixed(2)} conn/s`
        : '';
  return `${nodeName(graph, e.source)} → ${nodeName(graph, e.target)}  [${e.path}, ${e.telemetry}, ${e.protocol}, mTLS ${e.mtls}] ${rate}`.trimEnd();
}

export function formatReport(format: ReportFormat, data: ReportData): string {
  const { graph, namespaces, findings } = data;
  const gaps = graph.edges.filter((e) => e.l7Gap);
  const plaintext = graph.edges.filter((e) => e.mtls === 'plaintext');
  if (format === 'json') {
    return `${JSON.stringify(
      {
        window: graph.window,
        namespaces,
        l7Gaps: gaps.map((e) => ({ id: e.id, source: nodeName(graph, e.source), target: nodeName(graph, e.target), protocol: e.protocol, path: e.path })),
        plaintext: plaintext.map((e) => ({ id: e.id, source: nodeName(graph, e.source), target: nodeName(graph, e.target), path: e.path })),
        findings,
        warnings: graph.warnings,
      },
      null,
      2,
    )}\n`;
  }
  const md = format === 'markdown';
  const out: string[] = [];
  const h = (s: string) => out.push(md ? `\n## ${s}\n` : `\n${s}\n${'='.repeat(s.length)}`);
  out.push(md ? `# Meshglass coverage report` : 'Meshglass coverage report');
  out.push(`Window: ${graph.window.start} → ${graph.window.end}`);
  for (const w of graph.warnings) out.push(`${md ? '> ' : ''}warning (${w.source}): ${w.message}`);
  h('Namespaces');
  if (md)
    out.push(
      '| namespace | mode | workloads (sidecar/ambient/none/mixed) | waypoints | edges l7/total | L7 gaps | plaintext |',
      '|---|---|---|---|---|---|---|',
    );
  for (const n of namespaces) {
    const w = n.workloads;
    const cells = [
      n.name,
      n.mode,
      `${w.sidecar}/${w.ambient}/${w.none}/${w.mixed}`,
      n.waypoints.join(' ') || '-',
      `${n.edges.l7}/${n.edges.total}`,
      String(n.edges.l7Gaps),
      String(n.edges.plaintext),
    ];
    out.push(
      md
        ? `| ${cells.join(' | ')} |`
        : `  ${cells[0]!.padEnd(20)} ${cells[1]!.padEnd(8)} workloads s/a/n/m ${cells[2]!.padEnd(10)} waypoints ${cells[3]!.padEnd(24)} L7 ${cells[4]!.padEnd(7)} gaps ${cells[5]}  plaintext ${cells[6]}`,
    );
  }
  h(`L7 gaps (${gaps.length})`);
  for (const e of gaps) out.push(`${md ? '- ' : '  '}${edgeLine(graph, e)}`);
  h(`Plaintext edges (${plaintext.length})`);
  for (const e of plaintext) out.push(`${md ? '- ' : '  '}${edgeLine(graph, e)}`);
  h(`Findings (${findings.length})`);
  for (const f of findings) {
    out.push(`${md ? '- ' : '  '}[${f.severity}] ${f.kind} ${f.namespace}: ${f.message}`);
    out.push(`${md ? '  - fix: `' : '      fix: '}${f.fix}${md ? '`' : ''}`);
  }
  return `${out.join('\n')}\n`;
}

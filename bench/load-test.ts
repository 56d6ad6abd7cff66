// Load test: 50 dashboards polling /api/graph?range=15m every 5 s for 2 minutes against the running
// demo app (`npm run demo`), with autocannon at a fixed overall rate (clients / interval).
//   npx tsx bench/load-test.ts [--url http://127.0.0.1:3000] [--prometheus http://127.0.0.1:19090]
//                                [--clients 50] [--interval 5] [--duration 120] [--path '/api/graph?range=15m']
//                                [--no-write]
// An app in token mode needs DASHBOARD_TOKEN in the environment (sent as a Bearer header); `npm run demo`
// runs with MESHGLASS_AUTH=none on loopback. See also scripts/overload-test.ts (429s under abuse).
// Prints errors, p50/p99 latency and the Prometheus queries the run caused (delta of Prometheus' own
// prometheus_http_requests_total{handler=~"/api/v1/query.*"}), and writes the "## Load" section of
// bench/results.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { diffPromSelf, readPromSelf } from './prom-self';
import { cpuModel } from './util';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const base = arg('url', 'http://127.0.0.1:3000').replace(/\/$/, '');
const promUrl = arg('prometheus', 'http://127.0.0.1:19090').replace(/\/$/, '');
const clients = Number(arg('clients', '50'));
const interval = Number(arg('interval', '5'));
const duration = Number(arg('duration', '120'));
const reqPath = arg('path', '/api/graph?range=15m');
const write = !process.argv.includes('--no-write');
const OUT = path.resolve(__dirname, 'results.md');
const token = process.env.DASHBOARD_TOKEN?.trim();
const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};

async function main() {
  // Fail fast with a clear message when the demo is not running.
  const probe = await fetch(`${base}${reqPath}`, { headers }).catch((e: unknown) => {
    throw new Error(`${base} does not answer (${e instanceof Error ? e.message : String(e)}); start it with \`npm run demo\``);
  });
  if (!probe.ok) throw new Error(`${base}${reqPath} answered ${probe.status}`);
  const probeBody = (await probe.json()) as { nodes: unknown[]; edges: unknown[] };
  await readPromSelf(promUrl);

  // Settle: let the probe's cache entry expire so the run starts cold.
  await new Promise((r) => setTimeout(r, 5000));
  const before = await readPromSelf(promUrl);
  const t0 = Date.now();
  const rate = clients / interval;
  console.log(`load: ${clients} clients × 1 request / ${interval} s (${rate} req/s) for ${duration} s → ${base}${reqPath}`);
  const result = await autocannon({
    url: `${base}${reqPath}`,
    headers,
    connections: clients,
    overallRate: rate,
    duration,
    timeout: 30,
  });
  const after = await readPromSelf(promUrl);
  const wallS = (Date.now() - t0) / 1000;
  const d = diffPromSelf(before, after);
  const lat = result.latency as unknown as Record<string, number>;
  const errors = result.errors + result.timeouts + result.non2xx;
  const summary = {
    requests: result.requests.total,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: lat.p50,
    p90: lat.p90,
    p99: lat.p99,
    max: lat.max,
    mean: lat.average,
    prometheusQueries: d.queryRequests,
    prometheusHandlerS: d.httpSeconds,
    prometheusCpuS: d.cpuSeconds,
    wallS,
    // relative windows end on 5 s boundaries and results live 4 s: at most one upstream run per 5 s key
    expectedUpstreamRuns: Math.ceil(wallS / 5),
  };
  console.log(JSON.stringify(summary, null, 2));
  if (errors > 0) console.error(`load: ${errors} failed requests (non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts})`);

  if (write) {
    const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const section = [
      '',
      '## Load',
      '',
      `\`npx tsx bench/load-test.ts\` on ${date}: ${clients} concurrent clients polling \`${reqPath}\` every ${interval} s (autocannon, overall rate ${rate} req/s, ${clients} connections) for ${duration} s against the running demo app (${base}, Prometheus ${promUrl}; demo mesh ${probeBody.nodes.length} nodes / ${probeBody.edges.length} edges). ${cpuModel()} × ${os.cpus().length}, Node ${process.version}.`,
      '',
      '| Measure | Value |',
      '|---|---|',
      `| Requests | ${summary.requests} (${summary.ok2xx} 2xx) |`,
      `| Errors (non-2xx / socket errors / timeouts) | ${summary.non2xx} / ${summary.errors} / ${summary.timeouts} |`,
      `| Latency p50 / p90 / p99 / max | ${summary.p50} / ${summary.p90} / ${summary.p99} / ${summary.max} ms |`,
      `| Prometheus queries caused (delta of prometheus_http_requests_total{handler=~"/api/v1/query.*"}) | ${summary.prometheusQueries} over ${wallS.toFixed(0)} s = ${(summary.prometheusQueries / (summary.requests || 1)).toFixed(3)} per graph request; ≤ 6 × ${summary.expectedUpstreamRuns} = ${6 * summary.expectedUpstreamRuns} expected with one upstream run per 5 s window |`,
      `| Prometheus time on them (handler sum) / Prometheus CPU | ${summary.prometheusHandlerS.toFixed(2)} s / ${summary.prometheusCpuS.toFixed(2)} s |`,
      '',
      'The demo Prometheus also scrapes the simulated proxies during the run and may serve other clients; the query delta counts every query in the window.',
      '',
    ].join('\n');
    const prev = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '# Meshglass benchmarks\n';
    const head = prev.replace(/\n## Load[\s\S]*$/, '');
    writeFileSync(OUT, head.replace(/\n*$/, '\n') + section);
    console.log(`load: wrote the Load section of ${path.relative(process.cwd(), OUT)}`);
  }
  if (errors > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

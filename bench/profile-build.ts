// Where does /api/graph spend its time besides Prometheus? Same code path as the route, split up:
//   capture:  PROMETHEUS_URL=… KUBECONFIG=… npx tsx --conditions=react-server bench/profile-build.ts \
//               --start 2026-…Z --end 2026-…Z [--namespaces ns-003] [--save bench/out/inputs.json]
//   profile:  node --cpu-prof --cpu-prof-dir=bench/out/prof --import tsx bench/profile-build.ts --inputs bench/out/inputs.json
// Prints the time of the kube snapshot, the Prometheus fetch (queries + parsing), buildMeshGraph and
// JSON.stringify of the result (median of --runs).
import { readFileSync, writeFileSync } from 'node:fs';
import { buildMeshGraph } from '../lib/mesh/build';
import type { KubeSnapshot, TelemetryInput } from '../lib/mesh/types';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const ms = (t0: number) => performance.now() - t0;

async function capture(): Promise<{ kube: KubeSnapshot; telemetry: TelemetryInput; kubeMs: number; promMs: number }> {
  const { getKubeSnapshot } = await import('../lib/kube/cache');
  const { fetchTelemetry } = await import('../lib/prometheus/telemetry');
  const { getPrometheusClient } = await import('../lib/prometheus/client');
  const start = arg('start');
  const end = arg('end');
  if (!start || !end) throw new Error('--start and --end (RFC 3339) are required without --inputs');
  const namespaces = arg('namespaces')?.split(',');
  let t0 = performance.now();
  await getKubeSnapshot({ timeoutMs: 120_000 }); // first call syncs the informers
  t0 = performance.now();
  const kube = await getKubeSnapshot({ timeoutMs: 120_000 });
  const kubeMs = ms(t0);
  t0 = performance.now();
  const telemetry = await fetchTelemetry(getPrometheusClient(), { window: { start, end }, ...(namespaces ? { namespaces } : {}) });
  const promMs = ms(t0);
  return { kube, telemetry, kubeMs, promMs };
}

async function main() {
  const runs = Number(arg('runs') ?? '5');
  const inputs = arg('inputs');
  let kube: KubeSnapshot;
  let telemetry: TelemetryInput;
  if (inputs) {
    ({ kube, telemetry } = JSON.parse(readFileSync(inputs, 'utf8')) as { kube: KubeSnapshot; telemetry: TelemetryInput });
  } else {
    const c = await capture();
    ({ kube, telemetry } = c);
    console.log(`kube snapshot (warm) ${c.kubeMs.toFixed(1)} ms; fetchTelemetry (queries + parse) ${c.promMs.toFixed(0)} ms`);
    const save = arg('save');
    if (save) writeFileSync(save, JSON.stringify({ kube, telemetry }));
  }
  const namespaces = arg('namespaces')?.split(',');
  console.log(`kube: available ${kube.available} ${JSON.stringify(kube.warnings).slice(0, 600)}`);
  console.log(
    `inputs: ${kube.pods.length} pods, ${kube.services.length} services, ${telemetry.samples.length} samples, ${telemetry.reporterTargets.length} reporter targets`,
  );
  const build: number[] = [];
  const json: number[] = [];
  let size = 0;
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    const g = buildMeshGraph(kube, telemetry, { ...(namespaces ? { namespaces } : {}) });
    build.push(ms(t0));
    t0 = performance.now();
    size = JSON.stringify(g).length;
    json.push(ms(t0));
    if (i === 0) console.log(`graph: ${g.nodes.length} nodes, ${g.edges.length} edges, ${(size / 1e6).toFixed(2)} MB JSON`);
  }
  console.log(
    `buildMeshGraph median ${median(build).toFixed(0)} ms (runs ${build.map((x) => x.toFixed(0)).join(', ')}); JSON.stringify median ${median(json).toFixed(0)} ms`,
  );
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});

// Hand-run smoke check of the demo telemetry (not part of `npm test`):
//   npx tsx demo/smoke-telemetry.ts [stateDir]      (default: a fresh temp dir; ports 19090/19091/19100)
// Starts proxies + both Prometheus profiles, then checks: backfilled history 5 h ago, live scrapes after
// the anchor, the incident, and the target labels of each profile.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDemoTelemetry } from './telemetry';

async function q(base: string, query: string, time?: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const u = new URL('/api/v1/query', base);
  u.searchParams.set('query', query);
  if (time !== undefined) u.searchParams.set('time', String(time));
  const r = (await (await fetch(u)).json()) as {
    status: string;
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    error?: string;
  };
  if (r.status !== 'success') throw new Error(`${query}: ${r.error}`);
  return r.data.result;
}

async function main() {
  const stateDir = process.argv[2] ?? mkdtempSync(path.join(os.tmpdir(), 'meshglass-smoke-'));
  const t0 = Date.now();
  const tel = await startDemoTelemetry({ stateDir, profiles: ['istio-sample', 'minimal'] });
  console.log(`started in ${((Date.now() - t0) / 1000).toFixed(1)} s; anchor ${tel.anchor}; state ${stateDir}`);
  let failures = 0;
  const check = (name: string, ok: boolean, detail: string) => {
    console.log(`${ok ? 'OK  ' : 'FAIL'} ${name}: ${detail}`);
    if (!ok) failures++;
  };
  try {
    const sample = tel.prometheusUrls['istio-sample']!;
    const minimal = tel.prometheusUrls.minimal!;
    const T = tel.anchorUnix;
    // history 5 h ago
    for (const [name, url] of [
      ['istio-sample', sample],
      ['minimal', minimal],
    ] as const) {
      const r = await q(url, 'count(istio_requests_total)', T - 5 * 3600);
      check(`${name} history at T-5h`, Number(r[0]?.value[1] ?? 0) > 0, `count(istio_requests_total) = ${r[0]?.value[1] ?? 'none'}`);
      const rate = await q(url, 'sum(rate(istio_requests_total{reporter="waypoint"}[5m]))', T - 5 * 3600);
      check(`${name} waypoint rps at T-5h`, Number(rate[0]?.value[1] ?? 0) > 0, `${rate[0]?.value[1]}`);
    }
    // wait for live scrapes
    await new Promise((r) => setTimeout(r, 16_000));
    const now = Date.now() / 1000;
    for (const [name, url] of [
      ['istio-sample', sample],
      ['minimal', minimal],
    ] as const) {
      const up = await q(url, 'count(up == 1)');
      check(`${name} targets up`, Number(up[0]?.value[1] ?? 0) >= 10, `count(up==1) = ${up[0]?.value[1]}`);
      const ts = await q(url, `max(timestamp(istio_requests_total))`);
      check(`${name} live scrape after T`, Number(ts[0]?.value[1] ?? 0) > T, `latest sample ${ts[0]?.value[1]} vs T ${T}`);
      const cont = await q(url, `sum(increase(istio_requests_total{reporter="waypoint"}[3m]))`, now);
      check(`${name} increase across T (no reset)`, Number(cont[0]?.value[1] ?? 0) > 0, `${cont[0]?.value[1]}`);
      const resets = await q(url, `sum(resets(istio_requests_total[30m]))`, now);
      check(`${name} no counter resets across backfill→live`, Number(resets[0]?.value[1] ?? 0) === 0, `resets = ${resets[0]?.value[1]}`);
    }
    const zt = await q(sample, 'count by (app, namespace) (istio_tcp_sent_bytes_total{pod=~"ztunnel-.*"})');
    check(
      'istio-sample ztunnel target labels',
      zt.length === 1 && zt[0]!.metric.app === 'ztunnel' && zt[0]!.metric.namespace === 'istio-system',
      JSON.stringify(zt.map((x) => x.metric)),
    );
    const wp = await q(sample, 'count by (pod, gateway_networking_k8s_io_gateway_name, instance) (istio_requests_total{reporter="waypoint"})');
    check(
      'istio-sample waypoint target labels',
      wp.length === 1 && /^shop-waypoint-/.test(wp[0]!.metric.pod ?? '') && wp[0]!.metric.gateway_networking_k8s_io_gateway_name === 'shop-waypoint',
      JSON.stringify(wp.map((x) => x.metric)),
    );
    const hist = await q(sample, 'count by (pod) (istio_requests_total{reporter="waypoint"} offset 5h)');
    check(
      'istio-sample backfill has the same target labels',
      hist.length === 1 && hist[0]!.metric.pod === wp[0]?.metric.pod,
      JSON.stringify(hist.map((x) => x.metric)),
    );
    const ml = await q(minimal, 'count by (__name__) ({app!=""} or {pod!=""} or {namespace!=""})');
    check('minimal has no pod/namespace/app target labels', ml.length === 0, `${ml.length} series with them`);
    const mi = await q(minimal, 'count by (job, instance) (istio_build)');
    check(
      'minimal job/instance',
      mi.length >= 10 && mi.every((x) => x.metric.job === 'istio-proxies' && /:15020$/.test(x.metric.instance ?? '')),
      `${mi.length} targets, e.g. ${JSON.stringify(mi[0]?.metric)}`,
    );
    const inc = await q(
      sample,
      'sum(rate(istio_requests_total{reporter="destination",destination_workload="ledger",response_code=~"5.."}[5m])) / sum(rate(istio_requests_total{reporter="destination",destination_workload="ledger"}[5m]))',
      T - 2 * 3600 + 8 * 60,
    );
    check('incident: ledger 5xx share at T-1h52m', Number(inc[0]?.value[1] ?? 0) > 0.2, `${inc[0]?.value[1]}`);
    const conn = await q(sample, 'sum(increase(istio_tcp_connections_failed_total{response_flags="CONNECT"}[10m]))', T - 2 * 3600 + 10 * 60);
    check('incident: CONNECT failures', Number(conn[0]?.value[1] ?? 0) > 0, `${conn[0]?.value[1]}`);
  } finally {
    await tel.stop();
  }
  console.log(failures === 0 ? 'smoke: all checks passed' : `smoke: ${failures} check(s) failed`);
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

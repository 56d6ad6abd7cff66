// Scale benchmark (`npm run bench [-- --namespaces 200 --workloads 10 --hours 1 --step 120 --runs 3 --check]`, those are the defaults):
// synthetic mesh → backfilled real Prometheus + Kubernetes API simulator → `next start` of the existing
// build → graph API timings against Prometheus' own accounting, calls per graph, server RSS, Chromium
// (data → interactive, panning fps, JS bytes) and Kiali's per-namespace query pattern on the same data.
// Writes bench/results.md (the "Load" section, written by bench/load-test.ts, is kept).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeSimulator } from '../demo/kube-sim/server';
import { buildManifests } from '../demo/model/manifests';
import { generateSyntheticTopology } from '../demo/model/topology';
import { ORIGIN_BEFORE_ANCHOR } from '../demo/model/traffic';
import { startPrometheus } from '../demo/prometheus/launcher';
import { startProxiesServer } from '../demo/proxies/server';
import { buildGraphQueries, chooseStep } from '../lib/prometheus/queries';
import { GRAPH_ALIGN_POINTS } from '../lib/api/params';
import { formatSeconds } from '../lib/api/scope';
import { launch, measureGraphPage, type PageMeasurement } from './browser';
import { heapAfterGc, openInspector, sampleMemory, type MemoryUsage } from './heap';
import { kialiNamespaceQueries } from './kiali';
import { measurePolling, type PollingResult } from './polling';
import { diffPromSelf, readPromSelf, type PromSelf } from './prom-self';
import { startTimeShiftProxy } from './time-shift';
import { cores, cpuModel, freePort, iso, median, nextServerPid, run, vmRssKb, waitHttp } from './util';

const ROOT = path.resolve(__dirname, '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const opts = {
  namespaces: Number(arg('namespaces', '200')),
  workloads: Number(arg('workloads', '10')),
  hours: Number(arg('hours', '1')),
  step: Number(arg('step', '120')),
  runs: Number(arg('runs', '3')),
  seed: Number(arg('seed', '1')),
  windowSeconds: Number(arg('window', '900')),
  /** PROMETHEUS_TIMEOUT_MS for the app (default: the app's own default, 30 s) */
  promTimeoutMs: arg('prometheus-timeout-ms', ''),
  skipBrowser: flag('skip-browser'),
  skipKiali: flag('skip-kiali'),
  /** Only the Chromium part (skips the API timings, RSS loop and Kiali pattern); writes its own short report. */
  browserOnly: flag('browser-only'),
  /** Page loads per scope in the Chromium part (default min(3, runs)). */
  browserRuns: Number(arg('browser-runs', '0')),
  /** JSON assigned to window.__meshglassCyOptions (renderer experiments, e.g. '{"webgl":true}'). */
  cyOptions: arg('cy-options', ''),
  /** Save cy.json() and a screenshot of each scope's first page load under bench/out/. */
  dump: flag('dump'),
  /** Graph requests in the RSS loop (step 6), counting the API measurements before it; the issue's target is for 100. */
  loop: Number(arg('loop', '100')),
  /** Skip the API timings (step 5) and the warm-up's one-namespace graph: memory exploration only. */
  skipApi: flag('skip-api'),
  /** CPU profile of a second panning run on each scope's first page load (bench/out/pan-<scope>.cpuprofile). */
  profile: flag('profile'),
  /** Chromium part only for these scopes: `one` (one namespace), `whole` (whole mesh) or both (default). */
  browserScopes: arg('browser-scopes', 'one,whole'),
  /** Exit 1 when any target of the issue's table is missed or not measured. */
  check: flag('check'),
  /** Skip the rolling-window polling measurement (step 9). */
  skipPolling: flag('skip-polling'),
  pollClients: Number(arg('poll-clients', '20')),
  /** Seconds between polls of one client: the graph page's default refresh (lib/graph/url-state.ts DEFAULT_REFRESH). */
  pollInterval: Number(arg('poll-interval', '30')),
  pollDuration: Number(arg('poll-duration', '120')),
  /** CPU profile of the polled server during each polling scope (bench/out/poll-<scope>.cpuprofile). */
  pollCpuProf: flag('poll-cpu-prof'),
  /** CPU profile of the server over each API scope's timed requests (bench/out/api-<scope>.cpuprofile). */
  apiCpuProf: flag('api-cpu-prof'),
  /** Accept-Encoding the polling clients send (default: fetch's `gzip, deflate`). */
  pollEncoding: arg('poll-encoding', ''),
  /** Polls ask JSON (compressed per request by Next) instead of the page's shared compressed graph. */
  pollJson: flag('poll-json'),
  /** Build (or reuse) the mesh, the Kubernetes state and the backfilled TSDB, then stop: large meshes take long to backfill. */
  prepareOnly: flag('prepare-only'),
  /** Append the app servers' stdout and stderr to this file. */
  appLog: arg('app-log', '') ? path.resolve(ROOT, arg('app-log', '')) : undefined,
  out: path.resolve(ROOT, arg('out', 'bench/results.md')),
};

const t00 = Date.now();
const log = (m: string) => console.log(`[bench ${((Date.now() - t00) / 1000).toFixed(0).padStart(4)}s] ${m}`);

async function promQuery(promUrl: string, query: string, time: number): Promise<number> {
  const res = await fetch(`${promUrl}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query, time: String(time) }),
  });
  const body = (await res.json()) as { status: string; data?: { result: unknown[] }; error?: string };
  if (body.status !== 'success') throw new Error(`prometheus: ${body.error ?? res.status} for ${query.slice(0, 120)}`);
  return body.data?.result.length ?? 0;
}

interface Timed {
  ms: number;
  prom: PromSelf;
}

async function timed<T>(promUrl: string, fn: () => Promise<T>): Promise<Timed & { value: T }> {
  const before = await readPromSelf(promUrl);
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const after = await readPromSelf(promUrl);
  return { ms, prom: diffPromSelf(before, after), value };
}

const fmtMs = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const fmtS = (s: number) => fmtMs(s * 1000);

async function main() {
  const stateDir = path.join(ROOT, 'bench/out', `state-${opts.namespaces}x${opts.workloads}-${opts.hours}h-${opts.step}s-s${opts.seed}`);
  mkdirSync(stateDir, { recursive: true });
  const metaPath = path.join(stateDir, 'meta.json');
  const stops: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch {
        // best effort
      }
    }
  };
  process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

  try {
    // 1. Topology, anchor (reused with the TSDB when a previous run left one behind).
    let anchor = Math.floor(Date.now() / 1000 / 60) * 60;
    let reuse = false;
    if (existsSync(metaPath) && existsSync(path.join(stateDir, 'prometheus/data'))) {
      const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { anchor: number; complete?: boolean };
      if (meta.complete && Date.now() / 1000 - meta.anchor < 20 * 86400) {
        anchor = meta.anchor;
        reuse = true;
      }
    }
    log(`generating ${opts.namespaces} namespaces × ${opts.workloads} workloads (seed ${opts.seed})…`);
    const g0 = Date.now();
    const topology = generateSyntheticTopology({ namespaces: opts.namespaces, workloadsPerNamespace: opts.workloads, seed: opts.seed });
    const manifests = buildManifests(topology, { anchor });
    const pods = topology.workloads.reduce((s, w) => s + w.pods.length, 0);
    log(
      `topology: ${topology.workloads.length} workloads, ${pods} pods, ${topology.services.length} services, ${topology.edges.length} edges, ${manifests.length} objects (${Date.now() - g0} ms)`,
    );

    // 2. Kubernetes API simulator serving the manifests from memory.
    const kube = await startKubeSimulator({ objects: manifests, port: 0, stateDir: path.join(stateDir, 'kube') });
    stops.push(() => kube.stop());
    log(`kube-sim at ${kube.url}`);

    // 3. Proxies plan + Prometheus with backfilled history. Live scraping is switched off afterwards
    //    (empty file_sd): every measured window lies inside the backfill, so scrapes would only add load.
    const p0 = Date.now();
    // Traffic (counters) starts one hour before the history, so every backfilled hour carries the whole mesh.
    const proxies = await startProxiesServer({ topology, anchor, port: 0, originBeforeAnchor: Math.max(ORIGIN_BEFORE_ANCHOR, (opts.hours + 1) * 3600) });
    stops.push(() => proxies.stop());
    let series = 0;
    for (const p of proxies.plan.proxies.values()) series += p.series.length;
    log(`emit plan: ${proxies.plan.proxies.size} proxies, ${series} series (${Date.now() - p0} ms)`);
    if (!reuse) writeFileSync(metaPath, JSON.stringify({ anchor, complete: false, opts }, null, 2));
    const promPort = await freePort();
    const b0 = Date.now();
    const prom = await startPrometheus({
      profile: 'istio-sample',
      port: promPort,
      dataDir: path.join(stateDir, 'prometheus'),
      proxiesUrl: proxies.url,
      anchor,
      plan: proxies.plan,
      historySeconds: opts.hours * 3600,
      backfillStep: opts.step,
      log,
    });
    stops.push(() => prom.stop());
    const backfillMs = prom.backfill?.totalMs;
    if (!reuse) writeFileSync(metaPath, JSON.stringify({ anchor, complete: true, opts, backfill: prom.backfill }, null, 2));
    const backfillInfo = prom.backfill ?? (JSON.parse(readFileSync(metaPath, 'utf8')) as { backfill?: typeof prom.backfill }).backfill;
    writeFileSync(path.join(stateDir, 'prometheus/targets.json'), '[]\n');
    log(`prometheus ${prom.url} ready (${reuse ? 'reused TSDB' : `backfill ${fmtMs(backfillMs ?? Date.now() - b0)}`})`);
    if (opts.prepareOnly) {
      log(`--prepare-only: state kept in ${path.relative(ROOT, stateDir)}`);
      return;
    }

    // 4. The app: `next start` of the existing build.
    if (!existsSync(path.join(ROOT, '.next/BUILD_ID'))) {
      log('no .next build: running next build…');
      const code = await run(path.join(ROOT, 'node_modules/.bin/next'), ['build'], { cwd: ROOT, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
      if (code !== 0) throw new Error('next build failed');
    }
    const buildId = readFileSync(path.join(ROOT, '.next/BUILD_ID'), 'utf8').trim();
    // The inspector opens only on SIGUSR1 (bench/heap.ts: heap after GC), on this port.
    const inspectPort = await freePort();
    const { app, appUrl, appLog } = await startApp(prom.url, kube.kubeconfigPath, inspectPort);
    stops.push(() => stopApp(app));
    const serverPid = nextServerPid(app.pid!);
    log(`app ${appUrl} (build ${buildId}, next-server pid ${serverPid}, RSS ${(vmRssKb(serverPid) / 1024).toFixed(0)} MB)`);

    // Windows: every measured request gets its own window (the server caches a key for 4 s), all
    // inside the backfilled history: ends step back from the anchor 20 s at a time.
    let nextEnd = anchor;
    const takeWindow = () => {
      const end = nextEnd;
      nextEnd -= 20;
      if (nextEnd - opts.windowSeconds < anchor - opts.hours * 3600) nextEnd = anchor - 10; // wrap (distinct offsets)
      return { start: end - opts.windowSeconds, end };
    };
    const graphUrl = (w: { start: number; end: number }, ns?: string, omit?: boolean) =>
      `${appUrl}/api/graph?start=${iso(w.start)}&end=${iso(w.end)}${ns ? `&namespaces=${ns}` : ''}${omit ? '&omit=detail,latency' : ''}`;
    const getGraph = async (w: { start: number; end: number }, ns?: string, omit?: boolean, savePath?: string) => {
      const res = await fetch(graphUrl(w, ns, omit));
      const text = await res.text();
      if (savePath) writeFileSync(savePath, text);
      if (!res.ok) throw new Error(`/api/graph ${res.status}: ${text.slice(0, 300)}\n${appLog().slice(-2000)}`);
      const g = JSON.parse(text) as { nodes: unknown[]; edges: unknown[]; warnings: { message: string }[] };
      // Server-Timing: kube;dur=…, prom;dur=… (queries + parsing), build;dur=… (lib/server/mesh-data.ts)
      const timing = Object.fromEntries(
        [...(res.headers.get('server-timing') ?? '').matchAll(/(\w+);dur=([\d.]+)/g)].map((m) => [m[1]!, Number(m[2])]),
      ) as Record<string, number>;
      return { bytes: text.length, nodes: g.nodes.length, edges: g.edges.length, warnings: g.warnings.map((x) => x.message), timing };
    };

    // Warm-up (kube informers sync, route compiled, JIT).
    const w0 = Date.now();
    // The answer is kept (bench/out/graph-whole.json) to see what its bytes are made of.
    const warm = await getGraph(takeWindow(), undefined, true, path.join(ROOT, 'bench/out/graph-whole.json'));
    log(
      `warm-up whole mesh: ${Date.now() - w0} ms, ${warm.nodes} nodes, ${warm.edges} edges, ${(warm.bytes / 1e6).toFixed(2)} MB, warnings: ${warm.warnings.slice(0, 3).join(' | ') || 'none'}`,
    );
    const oneNs = 'ns-003';
    await getGraph(takeWindow(), oneNs);

    // 5. Graph API vs Prometheus' own time, and calls per graph.
    interface ScopeResult {
      label: string;
      graphMs: number[];
      /** Server-Timing of each graph response: Prometheus (queries + parsing) and model build, ms. */
      serverPromMs: number[];
      serverBuildMs: number[];
      /** Server-Timing `run` (the whole upstream run) and `names` (cluster naming + inventory), ms. */
      serverRunMs: number[];
      serverNamesMs: number[];
      promHttpS: number[];
      promEngineS: number[];
      calls: number[];
      directMs: number[];
      directHttpS: number[];
      alone: { name: string; ms: number[]; series: number }[];
      failed: string[];
      nodes: number;
      edges: number;
      bytes: number;
    }
    // The browser's scopes; the API part measures each twice: as the graph page asks first (omit=detail,latency,
    // docs/api.md "Latency on demand", "Detail on demand") and whole (latency included, as a snapshot, diff or the CLI asks).
    const scopes: { label: string; ns?: string }[] = [{ label: 'whole mesh' }, { label: `one namespace (${oneNs})`, ns: oneNs }];
    const apiScopes: { label: string; ns?: string; omit: boolean }[] = scopes.flatMap((s) => [
      { ...s, label: `${s.label}, page (omit=detail,latency)`, omit: true },
      { ...s, label: `${s.label}, with latency`, omit: false },
    ]);
    const results: ScopeResult[] = [];
    // One inspector session for the API part: full GCs before timed requests, and the CPU profiles.
    const apiInspector = opts.browserOnly || opts.skipApi ? undefined : await openInspector(serverPid, inspectPort);
    await apiInspector?.send('HeapProfiler.enable');
    const settle = async () => {
      try {
        await apiInspector?.send('HeapProfiler.collectGarbage');
      } catch (e) {
        log(`GC before a timed request failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
    for (const s of opts.browserOnly || opts.skipApi ? [] : apiScopes) {
      const r: ScopeResult = {
        label: s.label,
        graphMs: [],
        serverPromMs: [],
        serverBuildMs: [],
        serverRunMs: [],
        serverNamesMs: [],
        promHttpS: [],
        promEngineS: [],
        calls: [],
        directMs: [],
        directHttpS: [],
        alone: [],
        failed: [],
        nodes: 0,
        edges: 0,
        bytes: 0,
      };
      // --api-cpu-prof: the server's CPU profile over this scope's timed requests (bench/out/api-<scope>.cpuprofile).
      const profiler = opts.apiCpuProf ? apiInspector : undefined;
      if (profiler) {
        await profiler.send('Profiler.enable');
        await profiler.send('Profiler.setSamplingInterval', { interval: 500 });
        await profiler.send('Profiler.start');
      }
      for (let i = 0; i < opts.runs; i++) {
        const w = takeWindow();
        // Each timed request starts on a collected heap: the garbage of the request before it (a whole mesh leaves
        // hundreds of MB) is not billed to it. Kiali's pattern runs in this process and pays no such debt either.
        await settle();
        const t = await timed(prom.url, () => getGraph(w, s.ns, s.omit));
        r.graphMs.push(t.ms);
        if (t.value.timing.prom !== undefined) r.serverPromMs.push(t.value.timing.prom);
        if (t.value.timing.build !== undefined) r.serverBuildMs.push(t.value.timing.build);
        if (t.value.timing.run !== undefined) r.serverRunMs.push(t.value.timing.run);
        if (t.value.timing.names !== undefined) r.serverNamesMs.push(t.value.timing.names);
        r.promHttpS.push(t.prom.httpSeconds);
        r.promEngineS.push(t.prom.engineSeconds);
        r.calls.push(t.prom.queryRequests);
        r.nodes = t.value.nodes;
        r.edges = t.value.edges;
        r.bytes = t.value.bytes;
        for (const m of t.value.warnings)
          if (/^query for .* failed/.test(m) && !r.failed.includes(m.replace(/ \(.*$/, ''))) r.failed.push(m.replace(/ \(.*$/, ''));
        // The same queries sent straight to Prometheus (in parallel, as the server does), own window.
        const w2 = takeWindow();
        const qs = buildGraphQueries({
          windowSeconds: w2.end - w2.start,
          ...(s.ns ? { namespaces: [s.ns] } : {}),
          ...(s.omit ? { parts: ['traffic' as const] } : {}),
        });
        const d = await timed(prom.url, () => Promise.all(qs.map((q) => promQuery(prom.url, q.query, w2.end))));
        r.directMs.push(d.ms);
        r.directHttpS.push(d.prom.httpSeconds);
        log(
          `${s.label} run ${i + 1}: graph ${fmtMs(t.ms)} (Prometheus handler time ${fmtS(t.prom.httpSeconds)}, ${t.prom.queryRequests} calls); direct ${qs.length} queries ${fmtMs(d.ms)}`,
        );
      }
      // Each query alone, one after the other (what each costs without contention), own windows.
      for (let rep = 0; rep < (s.omit ? 0 : 2); rep++) {
        for (const q of buildGraphQueries({ windowSeconds: opts.windowSeconds, ...(s.ns ? { namespaces: [s.ns] } : {}) })) {
          const w = takeWindow();
          const t = await timed(prom.url, () => promQuery(prom.url, q.query, w.end));
          const prev = r.alone.find((a) => a.name === q.name);
          if (prev) prev.ms.push(t.ms);
          else r.alone.push({ name: q.name, ms: [t.ms], series: t.value });
        }
      }
      log(`${s.label} queries alone: ${r.alone.map((a) => `${a.name} ${fmtMs(median(a.ms))} (${a.series} series)`).join(', ')}`);
      if (profiler) {
        const { profile } = await profiler.send('Profiler.stop');
        const file = path.join(ROOT, `bench/out/api-${s.ns ? 'one' : 'whole'}${s.omit ? '' : '-latency'}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        log(`CPU profile of ${s.label}: ${path.relative(ROOT, file)} (includes the direct queries and the forced GCs)`);
      }
      results.push(r);
    }

    apiInspector?.close();

    // 6. RSS after 100 graph requests (each a different namespace or window, so each does real work).
    const heap = async () => {
      try {
        return await heapAfterGc(serverPid, inspectPort);
      } catch (e) {
        log(`heap after GC not read: ${e instanceof Error ? e.message : String(e)}`);
        return { usedBytes: NaN, totalBytes: NaN };
      }
    };
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
    const fmtUsage = (u: MemoryUsage | undefined) =>
      u
        ? `rss ${mb(u.rss)}, V8 heap committed ${mb(u.heapTotal)} (in use ${mb(u.heapUsed)}), external ${mb(u.external)} (ArrayBuffers ${mb(u.arrayBuffers)})`
        : 'not read';
    const heapStartRead = await heap();
    const heapStart = heapStartRead.usedBytes;
    log(`memory before the loop, after GC: ${fmtUsage(heapStartRead.usage)}`);
    const rssStart = vmRssKb(serverPid);
    const nsNames = topology.namespaces.map((n) => n.name).filter((n) => n.startsWith('ns-'));
    const r0 = Date.now();
    let total = opts.browserOnly ? opts.loop : results.reduce((s, r) => s + r.graphMs.length, 0) + 2;
    const w100 = takeWindow();
    const sampler = await sampleMemory(serverPid, inspectPort).catch(() => undefined);
    // Answers with a failed query hold less (a timed-out histogram is no data): count them, memory is only comparable without.
    let partial = 0;
    for (let i = 0; total < opts.loop; i++, total++) {
      const ns = nsNames[i % nsNames.length]!;
      const g = await getGraph(i < nsNames.length ? w100 : takeWindow(), i % 10 === 9 ? undefined : ns);
      if (g.warnings.some((m) => /^query for .* failed/.test(m))) partial++;
    }
    const rssAfter100 = vmRssKb(serverPid);
    const traced = await sampler?.stop();
    const usageAfter100 = await openInspector(serverPid, inspectPort)
      .then(async (s) => {
        try {
          return await s.memoryUsage();
        } finally {
          s.close();
        }
      })
      .catch(() => undefined);
    const heapAfterRead = await heap();
    const heapAfter100 = heapAfterRead.usedBytes;
    log(`heap after GC: ${(heapStart / 2 ** 20).toFixed(0)} MB before the loop, ${(heapAfter100 / 2 ** 20).toFixed(0)} MB after`);
    log(`RSS after ${total} graph requests: ${(rssAfter100 / 1024).toFixed(0)} MB (was ${(rssStart / 1024).toFixed(0)} MB; loop ${Date.now() - r0} ms)`);
    log(`loop answers with a failed Prometheus query: ${partial}`);
    log(`memory peaks during the loop (${traced?.samples ?? 0} samples): ${fmtUsage(traced?.peak)}`);
    log(`memory after the loop: ${fmtUsage(usageAfter100)}; after GC: ${fmtUsage(heapAfterRead.usage)}`);
    const memory = { peak: traced?.peak, after: usageAfter100, afterGc: heapAfterRead.usage, partial };

    // 7. Kiali's per-namespace query pattern on the same Prometheus and data.
    let kiali: { oneNs: Timed[]; whole?: Timed & { calls: number } } | undefined;
    if (!opts.skipKiali && !opts.browserOnly) {
      const oneRuns: Timed[] = [];
      for (let i = 0; i < opts.runs; i++) {
        const w = takeWindow();
        const qs = kialiNamespaceQueries(oneNs, w.end - w.start);
        const t = await timed(prom.url, async () => {
          for (const q of qs) await promQuery(prom.url, q, w.end);
        });
        oneRuns.push(t);
      }
      log(`kiali one namespace: median ${fmtMs(median(oneRuns.map((t) => t.ms)))}, ${oneRuns[0]!.prom.queryRequests} calls`);
      const w = takeWindow();
      const all = nsNames.flatMap((ns) => kialiNamespaceQueries(ns, w.end - w.start));
      const t = await timed(prom.url, async () => {
        for (const q of all) await promQuery(prom.url, q, w.end);
      });
      kiali = { oneNs: oneRuns, whole: { ...t, calls: all.length } };
      log(
        `kiali whole mesh (${nsNames.length} namespaces sequential): ${fmtMs(t.ms)}, ${t.prom.queryRequests} calls, Prometheus handler time ${fmtS(t.prom.httpSeconds)}`,
      );
    }

    // 8. Chromium.
    const pages: { label: string; m: PageMeasurement }[] = [];
    if (!opts.skipBrowser) {
      const browser = await launch();
      stops.push(() => browser.close());
      for (const s of [...scopes].reverse()) {
        if (!opts.browserScopes.split(',').includes(s.ns ? 'one' : 'whole')) continue;
        for (let i = 0; i < (opts.browserRuns || Math.max(1, Math.min(3, opts.runs))); i++) {
          const w = takeWindow();
          const url = `${appUrl}/graph?start=${iso(w.start)}&end=${iso(w.end)}${s.ns ? `&namespaces=${s.ns}` : ''}`;
          const tag = s.ns ? 'one-namespace' : 'whole-mesh';
          try {
            const m = await measureGraphPage(browser, url, {
              ...(opts.cyOptions ? { cyOptions: JSON.parse(opts.cyOptions) as Record<string, unknown> } : {}),
              ...(opts.dump && i === 0
                ? { dumpPath: path.join(ROOT, `bench/out/cy-${tag}.json`), screenshotPath: path.join(ROOT, `bench/out/${tag}.png`) }
                : {}),
              ...(flag('check-flows') && i === 0 ? { checkFlows: true } : {}),
              ...(opts.profile && i === 0 ? { profilePath: path.join(ROOT, `bench/out/pan-${tag}.cpuprofile`) } : {}),
            });
            pages.push({ label: s.label, m });
            log(
              `browser ${s.label}: data→layoutstop ${fmtMs(m.dataToLayoutMs)}, →drawn ${fmtMs(m.dataToInteractiveMs)}, →final layout drawn ${fmtMs(m.dataToFinalMs)}, nav→data ${fmtMs(m.navToDataMs)} (${Object.entries(
                m.navBreakdown,
              )
                .map(([k, v]) => `${k} ${Math.round(v)}`)
                .join(
                  ', ',
                )}), ${m.nodes} nodes/${m.edges} edges, pan (cy.panBy) ${m.fps.toFixed(1)} fps, mouse drag ${m.dragFps.toFixed(1)} renders/s (${m.dragFrames.toFixed(1)} rAF/s), load ${os.loadavg()[0]!.toFixed(2)}, JS ${m.js.files} files ${(m.js.gzipBytes / 1024).toFixed(0)} KB gz`,
            );
          } catch (e) {
            log(`browser ${s.label} failed: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
      }
    }
    const rssEnd = vmRssKb(serverPid);

    // 9. Dashboards polling the rolling window: a second app reads Prometheus through a proxy that
    //    shifts "now" into the stored history (bench/time-shift.ts), 20 minutes before its end.
    const polling: PollingResult[] = [];
    if (!opts.skipPolling && !opts.browserOnly) {
      const shift = await startTimeShiftProxy(prom.url, Math.round(Date.now() / 1000) - (anchor - 1200));
      stops.push(() => shift.stop());
      const pollInspectPort = await freePort();
      const pollApp = await startApp(shift.url, kube.kubeconfigPath, pollInspectPort);
      stops.push(() => stopApp(pollApp.app));
      for (const s of scopes) {
        const pathQ = `/api/graph?range=${formatSeconds(opts.windowSeconds)}&omit=detail,latency${s.ns ? `&namespaces=${s.ns}` : ''}`;
        // One poll first: a dashboard opening on a server nobody polls waits for the computation (the cold figures above).
        const w0 = Date.now();
        const first = await fetch(`${pollApp.appUrl}${pathQ}`);
        if (!first.ok) throw new Error(`${pathQ} ${first.status}: ${(await first.text()).slice(0, 300)}\n${pollApp.appLog().slice(-2000)}`);
        await first.arrayBuffer();
        log(`polling ${s.label}: first answer ${fmtMs(Date.now() - w0)}`);
        // --poll-cpu-prof: the polled server's main thread, through its inspector (--cpu-prof is not allowed in NODE_OPTIONS).
        const profiler = opts.pollCpuProf ? await openInspector(nextServerPid(pollApp.app.pid!), pollInspectPort) : undefined;
        if (profiler) {
          await profiler.send('Profiler.enable');
          await profiler.send('Profiler.setSamplingInterval', { interval: 1000 });
          await profiler.send('Profiler.start');
        }
        const p = await measurePolling(pollApp.appUrl, prom.url, {
          path: pathQ,
          clients: opts.pollClients,
          intervalSeconds: opts.pollInterval,
          durationSeconds: opts.pollDuration,
          callsPerGraph: buildGraphQueries({ windowSeconds: opts.windowSeconds, parts: ['traffic'] }).length,
          alignSeconds: chooseStep(opts.windowSeconds, GRAPH_ALIGN_POINTS),
          ...(opts.pollEncoding ? { acceptEncoding: opts.pollEncoding } : {}),
          ...(opts.pollJson ? { jsonOnly: true } : {}),
        });
        polling.push(p);
        if (profiler) {
          const { profile } = await profiler.send('Profiler.stop');
          const file = path.join(ROOT, `bench/out/poll-${s.ns ? 'one' : 'whole'}.cpuprofile`);
          writeFileSync(file, JSON.stringify(profile));
          profiler.close();
          log(`CPU profile of the polled server: ${path.relative(ROOT, file)}`);
        }
        log(
          `polling ${s.label}: ${p.clients} clients every ${p.intervalSeconds} s for ${p.durationSeconds} s: ${p.requests} answers (${p.staleAnswers} stale, ${p.errors} errors${p.errorStatuses ? ` ${JSON.stringify(p.errorStatuses)}` : ''}, ${p.degraded} with a Prometheus warning), p50 ${fmtMs(p.p50Ms)}, p95 ${fmtMs(p.p95Ms)}, max ${fmtMs(p.maxMs)}; ${p.computations.toFixed(1)} computations (${p.promCalls} Prometheus calls) for ${p.steps} window steps${p.degradedExample ? `; first Prometheus warning: ${p.degradedExample}` : ''}`,
        );
      }
    }

    // 9. Report.
    if (opts.browserOnly) {
      const md = browserReport(
        pages,
        buildId,
        scopes.map((s) => s.label),
      );
      writeFileSync(opts.out, md);
      console.log('\n' + md);
      log(`wrote ${path.relative(ROOT, opts.out)}`);
      return;
    }
    const md = report({
      topology: {
        workloads: topology.workloads.length,
        pods,
        services: topology.services.length,
        edges: topology.edges.length,
        series,
        objects: manifests.length,
      },
      backfill: backfillInfo,
      reused: reuse,
      results,
      rss: { start: rssStart, after100: rssAfter100, end: rssEnd, requests: total, heapStart, heapAfter100, memory, fmtUsage },
      kiali,
      pages,
      polling,
      buildId,
      warm,
    });
    const prev = existsSync(opts.out) ? readFileSync(opts.out, 'utf8') : '';
    const keep = /\n## Load[\s\S]*$/.exec(prev)?.[0] ?? '';
    const findings = /\n## Findings[\s\S]*?(?=\n## Load|$)/.exec(prev)?.[0] ?? '';
    writeFileSync(opts.out, md + findings + keep);
    console.log('\n' + md);
    log(`wrote ${path.relative(ROOT, opts.out)}`);
    if (opts.check) {
      const missed = lastTargets.filter((t) => t.met !== true);
      if (missed.length) {
        console.error(`bench --check: ${missed.length} target(s) missed or not measured: ${missed.map((t) => t.measure).join('; ')}`);
        process.exitCode = 1;
      } else log('bench --check: every target met');
    }
  } finally {
    await cleanup();
  }
}

/** `next start` of the existing build against `promUrl`, with the bench's environment; resolves once /api/readyz answers. */
async function startApp(promUrl: string, kubeconfigPath: string, inspectPort: number): Promise<{ app: ChildProcess; appUrl: string; appLog: () => string }> {
  const appPort = await freePort();
  const app: ChildProcess = spawn(path.join(ROOT, 'node_modules/.bin/next'), ['start', '-p', String(appPort), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PROMETHEUS_URL: promUrl,
      KUBECONFIG: kubeconfigPath,
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_ENV: 'production',
      MESHGLASS_AUTH: 'none',
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --inspect-port=127.0.0.1:${inspectPort}`.trim(),
      DASHBOARD_TOKEN: undefined,
      DASHBOARD_TOKEN_FILE: undefined,
      ...(opts.promTimeoutMs ? { PROMETHEUS_TIMEOUT_MS: opts.promTimeoutMs } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (d: Buffer) => {
    log = (log + d.toString()).slice(-8000);
    if (opts.appLog) appendFileSync(opts.appLog, d);
  };
  app.stdout?.on('data', keep);
  app.stderr?.on('data', keep);
  const appUrl = `http://127.0.0.1:${appPort}`;
  try {
    await waitHttp(`${appUrl}/api/readyz`, app, 60_000);
  } catch (e) {
    await stopApp(app);
    throw e;
  }
  return { app, appUrl, appLog: () => log };
}

function stopApp(app: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (app.exitCode !== null) return resolve();
    app.once('exit', () => resolve());
    app.kill('SIGTERM');
    setTimeout(() => app.kill('SIGKILL'), 5000).unref();
  });
}

interface ReportInput {
  topology: { workloads: number; pods: number; services: number; edges: number; series: number; objects: number };
  backfill?: { series: number; samples: number; bytes: number; totalMs: number; files: number };
  reused: boolean;
  results: {
    label: string;
    graphMs: number[];
    serverPromMs: number[];
    serverBuildMs: number[];
    serverRunMs: number[];
    serverNamesMs: number[];
    promHttpS: number[];
    promEngineS: number[];
    calls: number[];
    directMs: number[];
    directHttpS: number[];
    alone: { name: string; ms: number[]; series: number }[];
    failed: string[];
    nodes: number;
    edges: number;
    bytes: number;
  }[];
  rss: {
    start: number;
    after100: number;
    end: number;
    requests: number;
    heapStart: number;
    heapAfter100: number;
    memory: { peak?: MemoryUsage; after?: MemoryUsage; afterGc?: MemoryUsage; partial: number };
    fmtUsage: (u: MemoryUsage | undefined) => string;
  };
  polling: PollingResult[];
  kiali?: { oneNs: Timed[]; whole?: Timed & { calls: number } };
  pages: { label: string; m: PageMeasurement }[];
  buildId: string;
  warm: { nodes: number; edges: number };
}

function report(r: ReportInput): string {
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const lines: string[] = [];
  lines.push('# Meshglass scale benchmark', '');
  lines.push(
    `Generated by \`npx tsx bench/run.ts --namespaces ${opts.namespaces} --workloads ${opts.workloads} --hours ${opts.hours} --step ${opts.step} --runs ${opts.runs}\` on ${date}.`,
    '',
  );
  lines.push('| Machine | |', '|---|---|');
  lines.push(`| CPU | ${cpuModel()} × ${cores()} (${os.cpus().length} logical) |`);
  lines.push(`| Memory | ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB |`);
  lines.push(`| Node | ${process.version} |`);
  lines.push(`| Prometheus | /usr/bin/prometheus (${promVersion()}) |`);
  lines.push(`| App | \`next start\` of build ${r.buildId}, PROMETHEUS_TIMEOUT_MS ${opts.promTimeoutMs || 'default (30000)'} |`, '');
  const t = r.topology;
  lines.push('## Mesh', '');
  lines.push(
    `${opts.namespaces} namespaces × ${opts.workloads} workloads (sidecar, ambient, ambient+waypoint, mixed-rollout and out-of-mesh namespaces in rotation; ingress gateway, external hosts, unknown IPs): ${t.workloads} workloads, ${t.pods} pods, ${t.services} services, ${t.edges} traffic edges, ${t.objects} Kubernetes objects served by the API simulator.`,
  );
  lines.push(
    `Prometheus holds ${t.series.toLocaleString('en')} series over ${opts.hours} h of history at a ${opts.step} s step${r.backfill ? ` (${r.backfill.samples.toLocaleString('en')} samples, ${(r.backfill.bytes / 1e9).toFixed(2)} GB OpenMetrics, backfill ${fmtMs(r.backfill.totalMs)}${r.reused ? ', TSDB reused from an earlier run' : ''})` : ''}; live scraping off; every request uses its own ${opts.windowSeconds / 60}-minute absolute window inside the history (no server cache hits).`,
  );
  lines.push(`Graph returned: whole mesh ${r.warm.nodes} nodes / ${r.warm.edges} edges.`, '');

  lines.push('## Results', '');
  lines.push(
    `Median of ${opts.runs} runs unless noted. "page" = the request the graph page draws from (\`omit=detail,latency\`; latency and the edges' detail follow in a second request, docs/api.md "Latency on demand", "Detail on demand"); "with latency" = the full graph (snapshots, diff, the CLI). "Prometheus time" = delta of \`prometheus_http_request_duration_seconds_sum{handler="/api/v1/query"}\` from Prometheus' own /metrics (sum over the parallel queries); "direct" = the same queries sent straight to Prometheus in parallel by the benchmark (wall time).`,
    '',
  );
  const res = r.results;
  lines.push(`| Measure | ${res.map((x) => x.label).join(' | ')} |`, `|---|${res.map(() => '---|').join('')}`);
  type Res = (typeof res)[number];
  const row = (name: string, f: (x: Res) => string) => lines.push(`| ${name} | ${res.map(f).join(' | ')} |`);
  row('`/api/graph` wall time', (x) => fmtMs(median(x.graphMs)));
  row('… of which (Server-Timing): Prometheus queries + parsing / model build', (x) =>
    x.serverPromMs.length ? `${fmtMs(median(x.serverPromMs))} / ${fmtMs(median(x.serverBuildMs))}` : 'n/a',
  );
  row('… Server-Timing: cluster names + inventory / whole upstream run (the rest of the wall is outside the run)', (x) =>
    x.serverRunMs.length ? `${fmtMs(median(x.serverNamesMs))} / ${fmtMs(median(x.serverRunMs))}` : 'n/a',
  );
  row('Prometheus time during it (handler sum)', (x) => fmtS(median(x.promHttpS)));
  row('Prometheus engine time during it', (x) => fmtS(median(x.promEngineS)));
  row('Same queries direct, parallel (wall)', (x) => fmtMs(median(x.directMs)));
  row('Overhead: graph wall / direct wall', (x) => `${(median(x.graphMs) / median(x.directMs)).toFixed(2)}×`);
  row('Same queries one at a time (sum of walls)', (x) => (x.alone.length ? fmtMs(x.alone.reduce((a, q) => a + median(q.ms), 0)) : ''));
  row('Slowest query alone', (x) => {
    const q = [...x.alone].sort((a, b) => median(b.ms) - median(a.ms))[0];
    return q ? `${q.name} ${fmtMs(median(q.ms))} (${q.series} result series)` : '';
  });
  row('Prometheus API calls per graph', (x) => `${Math.min(...x.calls)}–${Math.max(...x.calls)}`);
  row('Queries that failed in the app (timeout)', (x) => (x.failed.length ? x.failed.join('; ') : 'none'));
  row('Response', (x) => `${x.nodes} nodes, ${x.edges} edges, ${(x.bytes / 1e6).toFixed(2)} MB`);
  lines.push(
    '',
    `next-server RSS after ${r.rss.requests} graph requests: ${(r.rss.after100 / 1024).toFixed(0)} MB (before the loop ${(r.rss.start / 1024).toFixed(0)} MB; at the end of the run ${(r.rss.end / 1024).toFixed(0)} MB); V8 heap in use after a full GC: ${(r.rss.heapStart / 2 ** 20).toFixed(0)} MB before the loop, ${(r.rss.heapAfter100 / 2 ** 20).toFixed(0)} MB after (bench/heap.ts). Memory (process.memoryUsage) at its peaks during the loop: ${r.rss.fmtUsage(r.rss.memory.peak)}; right after the loop: ${r.rss.fmtUsage(r.rss.memory.after)}; after a full GC: ${r.rss.fmtUsage(r.rss.memory.afterGc)}. Loop answers with a failed Prometheus query: ${r.rss.memory.partial}.`,
    '',
  );
  const pg = (prefix: string) => r.pages.filter((p) => p.label.startsWith(prefix)).map((p) => p.m);
  const pw = pg('whole mesh');
  const po = pg('one namespace');
  const med = (ms: PageMeasurement[], f: (m: PageMeasurement) => number) => (ms.length ? median(ms.map(f)) : NaN);
  if (r.pages.length) {
    lines.push('| Chromium | Whole mesh | One namespace |', '|---|---|---|');
    const prow = (name: string, f: (m: PageMeasurement) => number, fmt: (v: number) => string = fmtMs) =>
      lines.push(`| ${name} | ${fmt(med(pw, f))} | ${fmt(med(po, f))} |`);
    prow('navigation → data arrival (the page request)', (m) => m.navToDataMs);
    prow('data arrival → layoutstop', (m) => m.dataToLayoutMs);
    prow('data arrival → interactive (drawn after layoutstop)', (m) => m.dataToInteractiveMs);
    prow('navigation → interactive', (m) => m.navToDataMs + m.dataToInteractiveMs);
    prow(
      'panning frame rate (rAF, 3 s of cy.panBy)',
      (m) => m.fps,
      (v) => `${v.toFixed(1)} fps`,
    );
    prow(
      'mouse drag, renders/s',
      (m) => m.dragFps,
      (v) => v.toFixed(1),
    );
    lines.push(
      `| elements drawn | ${pw[0] ? `${pw[0].nodes} nodes, ${pw[0].edges} edges` : ''} | ${po[0] ? `${po[0].nodes} nodes, ${po[0].edges} edges` : ''} |`,
    );
    const js = (po[0] ?? pw[0])?.js;
    if (js)
      lines.push(
        `| First-load JS of /graph | ${js.files} scripts, ${(js.rawBytes / 1024).toFixed(0)} KB raw, ${(js.gzipBytes / 1024).toFixed(0)} KB gzip -9 | |`,
      );
    lines.push('', `Chromium ${pw.length + po.length} page loads (headless, --disable-gpu, 1600×1000, software rendering); median shown.`, '');
  }
  if (r.kiali) {
    const k = r.kiali;
    lines.push('', "## Side by side: Kiali's per-namespace query pattern", '');
    lines.push(
      "Per namespace 4 HTTP + 3 TCP instant queries `sum(rate(…[15m])) by (15–17 labels) > 0`, sent one after the other as Kiali's `buildNamespaceTrafficMap` does (bench/kiali.ts), on the same Prometheus and data. Kiali's pattern reads requests and TCP bytes only (no latency), like the page's first request.",
      '',
    );
    lines.push('| | Kiali-pattern calls | Kiali-pattern wall | Kiali-pattern Prometheus time |', '|---|---|---|---|');
    lines.push(
      `| one namespace | ${k.oneNs[0]?.prom.queryRequests ?? ''} | ${fmtMs(median(k.oneNs.map((x) => x.ms)))} | ${fmtS(median(k.oneNs.map((x) => x.prom.httpSeconds)))} |`,
    );
    if (k.whole)
      lines.push(
        `| whole mesh (${opts.namespaces} namespaces) | ${k.whole.prom.queryRequests} | ${fmtMs(k.whole.ms)} (1 run) | ${fmtS(k.whole.prom.httpSeconds)} |`,
      );
  }
  if (r.polling.length) {
    lines.push('', '## Rolling window polled', '');
    lines.push(
      `${r.polling[0]!.clients} clients poll \`${r.polling[0]!.path.replace(/&namespaces=.*$/, '')}\` like the graph page (every ${r.polling[0]!.intervalSeconds} s, 2 s after a stale answer; bench/polling.ts), staggered over the first interval, after one poll that computed the first answer; a second app instance reads Prometheus through bench/time-shift.ts, which moves "now" into the stored history. Computations = Prometheus query calls (its own counter) / calls per graph.`,
      '',
      '| Scope | answers | stale | errors | with a Prometheus warning | p50 | p95 | max | computations | window steps |',
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    r.polling.forEach((p, i) =>
      lines.push(
        `| ${i === 0 ? 'whole mesh' : 'one namespace'} | ${p.requests} | ${p.staleAnswers} | ${p.errors} | ${p.degraded} | ${fmtMs(p.p50Ms)} | ${fmtMs(p.p95Ms)} | ${fmtMs(p.maxMs)} | ${p.computations.toFixed(1)} | ${p.steps} |`,
      ),
    );
  }
  lines.push('', '## Targets', '');
  const targets = evaluateTargets(r, { pw, po, med });
  lines.push('| Measure | Now | Target | |', '|---|---|---|---|');
  for (const t of targets) lines.push(`| ${t.measure} | ${t.now} | ${t.target} | ${t.met === undefined ? '**not measured**' : t.met ? 'met' : '**missed**'} |`);
  lines.push('');
  lastTargets = targets;
  return lines.join('\n');
}

interface Target {
  measure: string;
  now: string;
  target: string;
  /** undefined = not measured in this run (counts as missed for --check). */
  met: boolean | undefined;
}
let lastTargets: Target[] = [];

/** The issue's target table, evaluated on this run (ratios against Kiali's pattern in the same run). */
function evaluateTargets(
  r: ReportInput,
  b: { pw: PageMeasurement[]; po: PageMeasurement[]; med: (ms: PageMeasurement[], f: (m: PageMeasurement) => number) => number },
): Target[] {
  const find = (prefix: string, omit: boolean) => r.results.find((x) => x.label.startsWith(prefix) && x.label.includes(omit ? 'page' : 'with latency'));
  const wholePage = find('whole mesh', true);
  const onePage = find('one namespace', true);
  const kWhole = r.kiali?.whole?.ms;
  const kOne = r.kiali ? median(r.kiali.oneNs.map((x) => x.ms)) : undefined;
  const out: Target[] = [];
  const ratio = (a: number | undefined, k: number | undefined) => (a !== undefined && k !== undefined ? a / k : undefined);
  const wr = ratio(wholePage && median(wholePage.graphMs), kWhole);
  out.push({
    measure: `whole mesh \`/api/graph\` (page request), ${opts.windowSeconds / 60} min window, cold`,
    now: wr === undefined ? 'n/a' : `${fmtMs(median(wholePage!.graphMs))} = ${wr.toFixed(2)}× Kiali's ${fmtMs(kWhole!)}`,
    target: '≤ 0.5× Kiali pattern',
    met: wr === undefined ? undefined : wr <= 0.5,
  });
  const or = ratio(onePage && median(onePage.graphMs), kOne);
  out.push({
    measure: 'one namespace `/api/graph` (page request), cold',
    now: or === undefined ? 'n/a' : `${fmtMs(median(onePage!.graphMs))} = ${or.toFixed(2)}× Kiali's ${fmtMs(kOne!)}`,
    target: '≤ 1× Kiali pattern',
    met: or === undefined ? undefined : or <= 1,
  });
  const od = onePage ? median(onePage.graphMs) / median(onePage.directMs) : undefined;
  out.push({
    measure: 'one namespace `/api/graph` / the same queries sent directly',
    now: od === undefined ? 'n/a' : `${od.toFixed(2)}×`,
    target: '≤ 1.2×',
    met: od === undefined ? undefined : od <= 1.2,
  });
  const pollWhole = r.polling[0];
  out.push({
    measure: `rolling window polled by ${pollWhole?.clients ?? 20} browsers (whole mesh)`,
    now: pollWhole
      ? `p50 ${fmtMs(pollWhole.p50Ms)}; ${pollWhole.computations.toFixed(1)} computations for ${pollWhole.steps} steps, ${pollWhole.requests} answers`
      : 'not measured (--skip-polling)',
    target: 'one computation per step; p50 ≤ 200 ms',
    met: pollWhole ? pollWhole.p50Ms <= 200 && pollWhole.computations <= pollWhole.steps && pollWhole.errors === 0 && pollWhole.degraded === 0 : undefined,
  });
  const day = opts.windowSeconds >= 86_400;
  out.push({
    measure: 'whole mesh, 24 h window',
    now:
      day && wr !== undefined
        ? `${fmtMs(median(wholePage!.graphMs))} = ${wr.toFixed(2)}× Kiali's ${fmtMs(kWhole!)}`
        : `not this run (window ${opts.windowSeconds / 60} min; \`--hours 25 --window 86400\`)`,
    target: '≤ 1× Kiali pattern',
    met: day && wr !== undefined ? wr <= 1 : undefined,
  });
  const wi = b.med(b.pw, (m) => m.navToDataMs + m.dataToInteractiveMs);
  const oi = b.med(b.po, (m) => m.navToDataMs + m.dataToInteractiveMs);
  out.push({
    measure: 'browser navigation → interactive, whole mesh / one namespace',
    now: b.pw.length ? `${fmtMs(wi)} / ${fmtMs(oi)}` : 'not measured (--skip-browser)',
    target: '≤ 3 s / ≤ 1 s',
    met: b.pw.length && b.po.length ? wi <= 3000 && oi <= 1000 : undefined,
  });
  const wf = b.med(b.pw, (m) => m.fps);
  const of = b.med(b.po, (m) => m.fps);
  out.push({
    measure: 'panning, whole mesh / one namespace (software rendering)',
    now: b.pw.length ? `${wf.toFixed(1)} / ${of.toFixed(1)} fps` : 'not measured (--skip-browser)',
    target: '≥ 30 fps both',
    met: b.pw.length && b.po.length ? wf >= 30 && of >= 30 : undefined,
  });
  const rssMb = r.rss.after100 / 1024;
  out.push({
    measure: `next-server RSS after ${r.rss.requests} graph requests`,
    now: `${rssMb.toFixed(0)} MB (heap after GC ${(r.rss.heapAfter100 / 2 ** 20).toFixed(0)} MB)`,
    target: '≤ 400 MB',
    met: rssMb <= 400,
  });
  out.push({
    measure: '5,000 workloads (500 × 10)',
    now: opts.namespaces * opts.workloads >= 5000 ? 'this run' : `not this run (${opts.namespaces} × ${opts.workloads})`,
    target: 'runs; every figure reported',
    met: opts.namespaces * opts.workloads >= 5000 ? true : undefined,
  });
  return out;
}

function browserReport(pages: { label: string; m: PageMeasurement }[], buildId: string, labels: string[]): string {
  const lines: string[] = [];
  lines.push(
    `Chromium only (\`--browser-only\`), build ${buildId}, ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}${opts.cyOptions ? `, __meshglassCyOptions ${opts.cyOptions}` : ''}.`,
    '',
  );
  lines.push('| Measure | ' + labels.join(' | ') + ' |', '|---|' + labels.map(() => '---|').join(''));
  const per = labels.map((l) => pages.filter((p) => p.label === l).map((p) => p.m));
  const row = (name: string, f: (ms: PageMeasurement[]) => string) => lines.push(`| ${name} | ${per.map(f).join(' | ')} |`);
  const med = (ms: PageMeasurement[], f: (m: PageMeasurement) => number) => median(ms.map(f));
  const all = (ms: PageMeasurement[], f: (m: PageMeasurement) => number, d = 1) => ms.map((m) => f(m).toFixed(d)).join(' / ');
  row('page loads', (ms) => String(ms.length));
  row('data → layoutstop (median)', (ms) => fmtMs(med(ms, (m) => m.dataToLayoutMs)));
  row('data → drawn, first placement (median)', (ms) => fmtMs(med(ms, (m) => m.dataToInteractiveMs)));
  row('data → drawn, final layout (median)', (ms) => fmtMs(med(ms, (m) => m.dataToFinalMs)));
  row('elements', (ms) => (ms[0] ? `${ms[0].nodes} nodes, ${ms[0].edges} edges` : ''));
  row('cy.panBy rAF loop, fps (median; runs)', (ms) => `${med(ms, (m) => m.fps).toFixed(1)} (${all(ms, (m) => m.fps)})`);
  row('mouse drag, renders/s (median; runs)', (ms) => `${med(ms, (m) => m.dragFps).toFixed(1)} (${all(ms, (m) => m.dragFps)})`);
  row('mouse drag, rAF frames/s (median)', (ms) => med(ms, (m) => m.dragFrames).toFixed(1));
  lines.push('');
  return lines.join('\n');
}

function promVersion(): string {
  try {
    const out = spawnSync('/usr/bin/prometheus', ['--version'], { encoding: 'utf8' });
    return /version (\S+)/.exec(out.stdout + out.stderr)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});

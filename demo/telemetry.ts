// Demo telemetry: simulated Istio proxies + real Prometheus instances with backfilled history.
//
//   const t = await startDemoTelemetry({
//     stateDir: '.demo',                          // state: anchor.json, prometheus-<profile>/ (config, TSDB, log)
//     profiles: ['istio-sample', {profile: 'minimal', port: 19091}],   // default ports 19090 / 19091
//     proxiesPort: 19100,                         // optional (0 = random)
//     topology: buildDemoTopology(),              // optional (e.g. a synthetic topology for benchmarks)
//     fresh: false,                               // optional: discard existing history and re-backfill
//   });
//   t.prometheusUrls['istio-sample']  // "http://127.0.0.1:19090"
//   t.anchor                           // RFC 3339 end of backfilled history (T), also in <stateDir>/anchor.json
//   await t.stop();
//
// Anchor T = now rounded down to the minute at first start. It is reused on later starts while every
// requested Prometheus already has its backfilled blocks, T is less than 24 h old and the topology is the
// one the history was made from (anchor.json `topology` fingerprint, e.g. with/without --second-cluster)
// and the history length matches (anchor.json `historyStart`);
// otherwise a new T is chosen and the Prometheus data directories are wiped and backfilled again
// ([T − 6 h, T] every 60 s, [T − 30 h, T − 6 h) every 240 s).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildDemoTopology, type Topology } from './model/topology';
import { startPrometheus, type RunningPrometheus } from './prometheus/launcher';
import type { ScrapeProfile } from './prometheus/profiles';
import { startProxiesServer } from './proxies/server';

const DEFAULT_PROMETHEUS_PORTS: Record<ScrapeProfile, number> = { 'istio-sample': 19090, minimal: 19091 };
/**
 * Before the 6 h of fine history (one sample a minute, demo/prometheus/launcher.ts), a sparser day (docs/demo-mesh.md "History"): the overview's "since 24 h
 * ago" deltas need the same window a day earlier. A sample every 4 minutes (inside Prometheus' 5 minute
 * lookback) keeps the extra backfill about as large as the 6 h at 1 minute.
 */
const DAY_HISTORY = { seconds: 30 * 3600, step: 240 };

interface DemoTelemetryOptions {
  stateDir: string;
  profiles: (ScrapeProfile | { profile: ScrapeProfile; port?: number })[];
  proxiesPort?: number;
  topology?: Topology;
  fresh?: boolean;
  /** Use this anchor T (unix seconds, a whole minute) instead of "now": two stacks built from topologies that differ
   *  only in how Istio is installed then carry the same traffic numbers (tests/integration/cluster-install.test.ts). */
  anchorUnix?: number;
  log?: (msg: string) => void;
}

export interface DemoTelemetry {
  prometheusUrls: Partial<Record<ScrapeProfile, string>>;
  proxiesUrl: string;
  /** RFC 3339 */
  anchor: string;
  anchorUnix: number;
  stop(): Promise<void>;
}

interface AnchorFile {
  anchor: string;
  anchorUnix: number;
  historyStart: string;
  incident: { start: string; end: string; description: string };
  migration?: { workload: string; at: string };
  /** Fingerprint of the topology the history was backfilled from. */
  topology: string;
}

/** sha256 of the topology's data (it is plain JSON-able data, built deterministically). */
function topologyFingerprint(topology: Topology): string {
  return createHash('sha256').update(JSON.stringify(topology)).digest('hex').slice(0, 16);
}

const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

function hasBlocks(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).some((f) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(f));
}

function anchorFileContent(topology: Topology, anchorUnix: number): AnchorFile {
  return {
    anchor: iso(anchorUnix),
    anchorUnix,
    historyStart: iso(anchorUnix - DAY_HISTORY.seconds),
    incident: {
      start: iso(anchorUnix + topology.incidentWindow.fromOffset),
      end: iso(anchorUnix + topology.incidentWindow.toOffset),
      description: 'payments-api → ledger 5xx spike (30 %) and inventory-api → postgres connection failures (ztunnel CONNECT)',
    },
    ...(topology.migration ? { migration: { workload: topology.migration.workload, at: iso(anchorUnix + topology.migration.atOffset) } } : {}),
    topology: topologyFingerprint(topology),
  };
}

export async function startDemoTelemetry(opts: DemoTelemetryOptions): Promise<DemoTelemetry> {
  const log = opts.log ?? ((m: string) => console.log(`meshglass demo: ${m}`));
  const topology = opts.topology ?? buildDemoTopology();
  mkdirSync(opts.stateDir, { recursive: true });
  const profiles = opts.profiles.map((p) =>
    typeof p === 'string' ? { profile: p, port: DEFAULT_PROMETHEUS_PORTS[p] } : { profile: p.profile, port: p.port ?? DEFAULT_PROMETHEUS_PORTS[p.profile] },
  );
  const promDir = (p: ScrapeProfile) => path.join(opts.stateDir, `prometheus-${p}`);
  const anchorPath = path.join(opts.stateDir, 'anchor.json');

  const now = Date.now() / 1000;
  let anchorUnix: number | undefined;
  if (!opts.fresh && existsSync(anchorPath)) {
    try {
      const prev = JSON.parse(readFileSync(anchorPath, 'utf8')) as Partial<AnchorFile>;
      const a = typeof prev.anchorUnix === 'number' ? prev.anchorUnix : Date.parse(String(prev.anchor)) / 1000;
      const sameTopology = prev.topology === topologyFingerprint(topology);
      // A history backfilled with a different length (an older version of this file) is made again.
      const sameHistory = typeof prev.historyStart === 'string' && Date.parse(prev.historyStart) / 1000 === a - DAY_HISTORY.seconds;
      const wanted = opts.anchorUnix === undefined || opts.anchorUnix === a;
      if (
        wanted &&
        sameTopology &&
        sameHistory &&
        Number.isFinite(a) &&
        now - a < 86_400 &&
        a <= now &&
        profiles.every((p) => hasBlocks(path.join(promDir(p.profile), 'data')))
      )
        anchorUnix = a;
    } catch {
      // unreadable: start over
    }
  }
  if (anchorUnix === undefined) {
    anchorUnix = opts.anchorUnix ?? Math.floor(now / 60) * 60;
    for (const p of ['istio-sample', 'minimal'] as ScrapeProfile[]) rmSync(path.join(promDir(p), 'data'), { recursive: true, force: true });
  }
  writeFileSync(anchorPath, JSON.stringify(anchorFileContent(topology, anchorUnix), null, 2) + '\n');

  const proxies = await startProxiesServer({ topology, anchor: anchorUnix, port: opts.proxiesPort ?? 19100 });
  log(`simulated proxies at ${proxies.url} (${proxies.scrapedPods().length} scrape targets), anchor ${iso(anchorUnix)}`);
  const running: RunningPrometheus[] = [];
  const stop = async () => {
    await Promise.all(running.map((r) => r.stop().catch(() => {})));
    await proxies.stop();
  };
  try {
    // backfills run one after the other (each already uses both cores), then the servers start
    for (const p of profiles) {
      running.push(
        await startPrometheus({
          profile: p.profile,
          port: p.port,
          dataDir: promDir(p.profile),
          proxiesUrl: proxies.url,
          anchor: anchorUnix,
          plan: proxies.plan,
          coarseHistory: DAY_HISTORY,
          log,
        }),
      );
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    prometheusUrls: Object.fromEntries(running.map((r) => [r.profile, r.url])),
    proxiesUrl: proxies.url,
    anchor: iso(anchorUnix),
    anchorUnix,
    stop,
  };
}

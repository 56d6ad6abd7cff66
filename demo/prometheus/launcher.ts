// Starts a real Prometheus for one scrape profile against the simulated proxies server: writes
// prometheus.yml + file_sd targets, backfills [anchor − history, anchor] when the data dir is fresh,
// starts /usr/bin/prometheus and waits until it is ready.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EmitPlan } from '../model/emit';
import { runningProxyPods } from '../proxies/server';
import { backfill, type BackfillResult } from './backfill';
import { ensurePrometheus } from './ensure';
import { fileSdTargets, prometheusConfig, type ScrapeProfile } from './profiles';

interface StartPrometheusOptions {
  profile: ScrapeProfile;
  /** Listen port (19090 istio-sample, 19091 minimal by convention). */
  port: number;
  /** Holds prometheus.yml, targets.json, data/ and logs. */
  dataDir: string;
  /** Base URL of the proxies server, e.g. http://127.0.0.1:19100. */
  proxiesUrl: string;
  /** Anchor T (unix seconds): end of the backfill. */
  anchor: number;
  /** Emit plan of the proxies server (same topology + anchor). */
  plan: EmitPlan;
  /** TSDB retention (default 30d). */
  retention?: string;
  /** Backfilled history before the anchor, seconds (default 6 h). */
  historySeconds?: number;
  /** Backfill step, seconds (default 60). */
  backfillStep?: number;
  /** Sparser history before `historySeconds` (the day before, for "since 24 h ago"): total seconds before the anchor and the step. */
  coarseHistory?: { seconds: number; step: number };
  log?: (msg: string) => void;
}

export interface RunningPrometheus {
  url: string;
  profile: ScrapeProfile;
  backfill?: BackfillResult;
  stop(): Promise<void>;
}

function hasBlocks(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir).some((f) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(f));
}

async function waitReady(url: string, child: ChildProcess, logFile: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with code ${child.exitCode}; see ${logFile}`);
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`prometheus at ${url} not ready after ${timeoutMs / 1000}s; see ${logFile}`);
}

export async function startPrometheus(o: StartPrometheusOptions): Promise<RunningPrometheus> {
  const bins = ensurePrometheus();
  const log = o.log ?? (() => {});
  mkdirSync(o.dataDir, { recursive: true });
  const tsdb = path.join(o.dataDir, 'data');
  const targetsFile = path.join(o.dataDir, 'targets.json');
  const configFile = path.join(o.dataDir, 'prometheus.yml');
  const address = new URL(o.proxiesUrl).host;
  writeFileSync(targetsFile, JSON.stringify(fileSdTargets(o.profile, runningProxyPods(o.plan, Date.now() / 1000), address), null, 1));
  writeFileSync(configFile, prometheusConfig(o.profile, targetsFile));

  let result: BackfillResult | undefined;
  if (!hasBlocks(tsdb)) {
    const history = o.historySeconds ?? 6 * 3600;
    const coarse = o.coarseHistory ? { start: o.anchor - o.coarseHistory.seconds, step: o.coarseHistory.step } : undefined;
    log(
      `prometheus ${o.profile}: backfilling ${history / 3600} h of history${coarse ? ` (${o.coarseHistory!.seconds / 3600} h every ${coarse.step} s before)` : ''}…`,
    );
    result = await backfill({
      plan: o.plan,
      profile: o.profile,
      start: o.anchor - history,
      end: o.anchor,
      step: o.backfillStep ?? 60,
      ...(coarse ? { coarse } : {}),
      dataDir: tsdb,
      workDir: path.join(o.dataDir, 'backfill-tmp'),
      promtool: bins.promtool,
      log,
    });
    log(
      `prometheus ${o.profile}: backfill done: ${result.series} series, ${result.samples} samples, ${(result.bytes / 1e6).toFixed(1)} MB OpenMetrics in ${result.files} files, ${(result.totalMs / 1000).toFixed(1)} s`,
    );
  }

  const logFile = path.join(o.dataDir, 'prometheus.log');
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    bins.prometheus,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${tsdb}`,
      `--storage.tsdb.retention.time=${o.retention ?? '30d'}`,
      `--web.listen-address=127.0.0.1:${o.port}`,
      '--web.enable-lifecycle',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  // do not leave an orphaned Prometheus behind if the parent exits without calling stop()
  const onExit = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('exit', onExit);
  child.once('exit', () => process.removeListener('exit', onExit));
  const url = `http://127.0.0.1:${o.port}`;
  try {
    await waitReady(url, child, logFile);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  log(`prometheus ${o.profile}: ready at ${url}`);
  return {
    url,
    profile: o.profile,
    backfill: result,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          out.end();
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

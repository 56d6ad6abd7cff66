// Backfill: writes the series every proxy exposed over [start, end] (same values the live proxies
// server computes, same target labels as the live scrape of the profile) as OpenMetrics text and turns
// it into TSDB blocks with `promtool tsdb create-blocks-from openmetrics`.
//
// The window is cut at 2 h boundaries (promtool's block size) into separate files, each converted and
// deleted in turn (two promtool processes in parallel), so no single file gets large.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { evaluateProxy, formatValue, newIntegrals, type EmitPlan, type ProxyPlan } from '../model/emit';
import { finalTargetLabels, type ScrapeProfile } from './profiles';

interface BackfillOptions {
  plan: EmitPlan;
  profile: ScrapeProfile;
  /** unix seconds */
  start: number;
  end: number;
  /** seconds between samples (default 60) */
  step?: number;
  /** Older, sparser history before `start`: samples every `step` seconds from `start` (unix seconds) up to the main window. */
  coarse?: { start: number; step: number };
  dataDir: string;
  workDir: string;
  promtool: string;
  log?: (msg: string) => void;
}

export interface BackfillResult {
  files: number;
  bytes: number;
  samples: number;
  series: number;
  generateMs: number;
  totalMs: number;
}

const BLOCK = 7200;

function escape(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

interface Prepared {
  proxy: ProxyPlan;
  prefixes: string[];
  startAt: number;
  endAt: number;
}

function prepare(plan: EmitPlan, profile: ScrapeProfile): Prepared[] {
  const out: Prepared[] = [];
  for (const proxy of plan.proxies.values()) {
    const target = finalTargetLabels(profile, proxy.pod);
    const prefixes = proxy.series.map((s) => {
      const names = new Set(s.labels.map(([k]) => k));
      // honor_labels: true → the scraped label wins on conflicts; empty values are dropped at ingestion
      const all = [...s.labels.filter(([, v]) => v !== ''), ...target.filter(([k]) => !names.has(k))];
      return `${s.name}{${all.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}} `;
    });
    const p = proxy.pod;
    out.push({
      proxy,
      prefixes,
      startAt: p.startOffset === undefined ? -Infinity : plan.anchor + p.startOffset,
      endAt: p.endOffset === undefined ? Infinity : plan.anchor + p.endOffset,
    });
  }
  return out;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${err}`))));
  });
}

/** Writes one OpenMetrics file for timestamps in [from, to] (inclusive); returns bytes, samples. */
function writeChunk(file: string, prepared: Prepared[], plan: EmitPlan, times: number[]): { bytes: number; samples: number } {
  const fd = openSync(file, 'w');
  let buf: string[] = [];
  let bufLen = 0;
  let bytes = 0;
  let samples = 0;
  const flush = () => {
    const s = buf.join('');
    writeSync(fd, s);
    bytes += Buffer.byteLength(s);
    buf = [];
    bufLen = 0;
  };
  for (const t of times) {
    const integrals = newIntegrals();
    const ts = String(t);
    for (const p of prepared) {
      if (t < p.startAt || t >= p.endAt) continue;
      const v = evaluateProxy(plan, p.proxy, t, integrals);
      for (let i = 0; i < v.length; i++) {
        const x = v[i]!;
        if (Number.isNaN(x)) continue;
        const line = p.prefixes[i]! + formatValue(x) + ' ' + ts + '\n';
        buf.push(line);
        bufLen += line.length;
        samples++;
      }
      if (bufLen > 8_000_000) flush();
    }
  }
  buf.push('# EOF\n');
  flush();
  closeSync(fd);
  return { bytes, samples };
}

export async function backfill(o: BackfillOptions): Promise<BackfillResult> {
  const t0 = Date.now();
  const step = o.step ?? 60;
  const log = o.log ?? (() => {});
  mkdirSync(o.workDir, { recursive: true });
  mkdirSync(o.dataDir, { recursive: true });
  const prepared = prepare(o.plan, o.profile);
  const series = new Set<string>();
  for (const p of prepared) for (const pre of p.prefixes) series.add(pre);
  const times: number[] = [];
  if (o.coarse) for (let t = o.coarse.start; t < o.start; t += o.coarse.step) times.push(t);
  for (let t = o.start; t <= o.end; t += step) times.push(t);
  // group timestamps by 2h block
  const chunks = new Map<number, number[]>();
  for (const t of times) {
    const b = Math.floor(t / BLOCK);
    chunks.set(b, [...(chunks.get(b) ?? []), t]);
  }
  let bytes = 0;
  let samples = 0;
  let generateMs = 0;
  const pending: Promise<void>[] = [];
  let k = 0;
  for (const [b, ts] of chunks) {
    const file = path.join(o.workDir, `backfill-${o.profile}-${b}.om`);
    const g0 = Date.now();
    const r = writeChunk(file, prepared, o.plan, ts);
    generateMs += Date.now() - g0;
    bytes += r.bytes;
    samples += r.samples;
    log(`backfill ${o.profile}: chunk ${++k}/${chunks.size} ${(statSync(file).size / 1e6).toFixed(1)} MB, ${r.samples} samples`);
    const job = run(o.promtool, ['tsdb', 'create-blocks-from', 'openmetrics', file, o.dataDir]).finally(() => rmSync(file, { force: true }));
    job.catch(() => {}); // surfaced by the awaits below
    pending.push(job);
    if (pending.length >= 2) await pending.shift();
  }
  await Promise.all(pending);
  return { files: chunks.size, bytes, samples, series: series.size, generateMs, totalMs: Date.now() - t0 };
}

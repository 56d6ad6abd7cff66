// Simulated Istio proxies: one HTTP server exposing every proxy's /metrics, computed from the emitter
// at request time (so values continue the backfill exactly).
//   GET /proxies/<namespace>/<pod>/metrics   text exposition 0.0.4 of that proxy (404 when unknown or not running)
//   GET /targets.json?profile=istio-sample|minimal   Prometheus file_sd groups for the running proxies
//   GET /healthz
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildEmitPlan, exposition, type EmitPlan } from '../model/emit';
import type { PodModel, Topology } from '../model/topology';
import { buildTrafficModel } from '../model/traffic';
import { fileSdTargets, type ScrapeProfile } from '../prometheus/profiles';

interface ProxiesServerOptions {
  topology: Topology;
  /** Anchor T, unix seconds. */
  anchor: number;
  /** Default 19100; 0 = random free port. */
  port?: number;
  host?: string;
  /** Clock override (unix seconds), for tests. */
  now?: () => number;
  /** Seconds of traffic before the anchor (default: the demo's 7 h); the benchmark passes its history + 1 h. */
  originBeforeAnchor?: number;
}

export interface ProxiesServer {
  url: string;
  port: number;
  plan: EmitPlan;
  /** Running proxy pods at the current time. */
  scrapedPods(): PodModel[];
  targets(profile: ScrapeProfile): ReturnType<typeof fileSdTargets>;
  stop(): Promise<void>;
}

export function runningProxyPods(plan: EmitPlan, t: number): PodModel[] {
  const off = t - plan.anchor;
  return [...plan.proxies.values()]
    .map((p) => p.pod)
    .filter((p) => (p.startOffset === undefined || p.startOffset <= off) && (p.endOffset === undefined || off < p.endOffset));
}

export async function startProxiesServer(opts: ProxiesServerOptions): Promise<ProxiesServer> {
  const plan = buildEmitPlan(
    opts.topology,
    opts.anchor,
    opts.originBeforeAnchor === undefined ? undefined : buildTrafficModel(opts.topology, opts.anchor, opts.originBeforeAnchor),
  );
  const now = opts.now ?? (() => Date.now() / 1000);
  const host = opts.host ?? '127.0.0.1';
  let address = '';
  const targets = (profile: ScrapeProfile) => fileSdTargets(profile, runningProxyPods(plan, now()), address);
  const server = http.createServer((req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      const m = /^\/proxies\/([^/]+)\/([^/]+)\/(metrics|stats\/prometheus)$/.exec(url.pathname);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end();
        return;
      }
      if (m) {
        const id = `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`;
        const body = exposition(plan, id, now());
        if (body === undefined) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end(`no running proxy ${id}\n`);
          return;
        }
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body);
        return;
      }
      if (url.pathname === '/targets.json') {
        const profile = (url.searchParams.get('profile') ?? 'istio-sample') as ScrapeProfile;
        if (profile !== 'istio-sample' && profile !== 'minimal') {
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'profile must be istio-sample or minimal' }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(targets(profile), null, 1));
        return;
      }
      if (url.pathname === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e instanceof Error ? e.message : e));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 19100, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  address = `${host}:${port}`;
  return {
    url: `http://${address}`,
    port,
    plan,
    scrapedPods: () => runningProxyPods(plan, now()),
    targets,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

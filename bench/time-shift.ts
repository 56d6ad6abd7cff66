// A proxy in front of Prometheus that evaluates every query `offsetSeconds` earlier: the app asks for
// "the last 15 minutes" at the real clock, Prometheus answers from the backfilled history that ends
// before it (bench/run.ts keeps its TSDB between runs, so the history lies hours in the past). Bench
// tooling only: it lets the benchmark measure rolling windows (relative `range=`, polled) on stored data.
// Shifts `time` (instant queries) and `start`/`end` (range queries) in POST form bodies and GET query
// strings; sample timestamps in answers are not shifted back (the polling measurement reads graphs only).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

function shiftParams(p: URLSearchParams, offsetSeconds: number): URLSearchParams {
  for (const k of ['time', 'start', 'end']) {
    const v = p.get(k);
    if (v === null) continue;
    const seconds = /^\d+(\.\d+)?$/.test(v) ? Number(v) : Date.parse(v) / 1000;
    if (Number.isFinite(seconds)) p.set(k, String(seconds - offsetSeconds));
  }
  // An instant query without `time` means "now" to Prometheus: make it explicit, then shift it.
  if (!p.has('time') && !p.has('start')) p.set('time', String(Date.now() / 1000 - offsetSeconds));
  return p;
}

export async function startTimeShiftProxy(target: string, offsetSeconds: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', upstream);
      const isQuery = /^\/api\/v1\/query(_range)?$/.test(url.pathname);
      let body = Buffer.concat(chunks);
      if (isQuery) {
        url.search = shiftParams(url.searchParams, offsetSeconds).toString();
        if (req.method === 'POST' && body.length > 0) body = Buffer.from(shiftParams(new URLSearchParams(body.toString('utf8')), offsetSeconds).toString());
      }
      const headers: http.OutgoingHttpHeaders = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
      for (const h of ['connection', 'keep-alive', 'transfer-encoding', 'te', 'upgrade']) delete headers[h];
      const up = http.request(url, { method: req.method, headers, agent }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', (e) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`time-shift proxy: ${e.message}`);
      });
      // The client went away before the answer was written: stop the upstream query too.
      res.on('close', () => {
        if (!res.writableFinished) up.destroy();
      });
      up.end(body);
    });
  });
  // Idle kept-alive sockets stay open like Prometheus' own (5 min read timeout), not Node's 5 s default.
  server.keepAliveTimeout = 300_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
}

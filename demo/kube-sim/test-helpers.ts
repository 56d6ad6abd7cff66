/** Test helpers for the kube-sim tests: raw HTTPS requests and watch streams against the simulator. */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import path from 'node:path';
import type { KubeSimulator } from './server';

export const FIXTURE_DIR = path.join(__dirname, 'testdata');

type RawResponse = { status: number; headers: IncomingMessage['headers']; body: string; json: () => any };

export function kubeGet(
  sim: KubeSimulator,
  pathAndQuery: string,
  opts: { token?: string | null; accept?: string; method?: string } = {},
): Promise<RawResponse> {
  const u = new URL(sim.url + pathAndQuery);
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? sim.token : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (opts.accept) headers.accept = opts.accept;
  return new Promise((resolve, reject) => {
    const req = request(u, { method: opts.method ?? 'GET', headers, ca: readFileSync(sim.caPath), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

type WatchEvent = { type: string; object: any };

/** Opens a watch and collects its events; `next(pred)` waits for the first not-yet-consumed matching one. */
export function openWatch(sim: KubeSimulator, pathAndQuery: string, accept?: string) {
  const events: WatchEvent[] = [];
  let consumed = 0;
  let ended = false;
  let status = 0;
  const waiters: (() => void)[] = [];
  const notify = (): void => waiters.splice(0).forEach((w) => w());
  const u = new URL(sim.url + pathAndQuery);
  const req = request(
    u,
    { headers: { authorization: `Bearer ${sim.token}`, ...(accept ? { accept } : {}) }, ca: readFileSync(sim.caPath), agent: false },
    (res) => {
      status = res.statusCode ?? 0;
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) events.push(JSON.parse(line) as WatchEvent);
        }
        notify();
      });
      res.on('end', () => {
        ended = true;
        notify();
      });
      res.on('error', () => {
        ended = true;
        notify();
      });
    },
  );
  req.on('error', () => {
    ended = true;
    notify();
  });
  req.end();
  const waitFor = (cond: () => boolean, what: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (cond()) resolve();
        else if (ended) reject(new Error(`watch ended before ${what}; got ${JSON.stringify(events.map((e) => e.type))}`));
        else waiters.push(check);
      };
      check();
    });
  return {
    events,
    get status() {
      return status;
    },
    get ended() {
      return ended;
    },
    async next(pred: (e: WatchEvent) => boolean = () => true): Promise<WatchEvent> {
      let found: WatchEvent | undefined;
      await waitFor(() => {
        for (let i = consumed; i < events.length; i++) {
          if (pred(events[i]!)) {
            found = events[i];
            consumed = i + 1;
            return true;
          }
        }
        return false;
      }, 'the expected event');
      return found!;
    },
    untilEnd: (): Promise<void> =>
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (ended) resolve();
          else waiters.push(check);
        };
        check();
      }),
    close: (): void => {
      req.destroy();
    },
  };
}

/** Polls cond until it is true (no timing assertion: the test timeout bounds it). */
export async function eventually(cond: () => boolean | Promise<boolean>, intervalMs = 25): Promise<void> {
  while (!(await cond())) await new Promise((r) => setTimeout(r, intervalMs));
}

export const podObject = (name: string, namespace: string, labels: Record<string, string>, phase = 'Running') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { nodeName: 'node-a', containers: [{ name: 'app', image: 'example/app:1' }] },
  status: { phase },
});

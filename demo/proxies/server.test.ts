import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoTopology } from '../model/topology';
import { startProxiesServer, type ProxiesServer } from './server';

const ANCHOR = 1_800_000_000;
let clock = ANCHOR + 30;
let server: ProxiesServer;

beforeAll(async () => {
  server = await startProxiesServer({ topology: buildDemoTopology(), anchor: ANCHOR, port: 0, now: () => clock });
});
afterAll(() => server.stop());

describe('proxies server', () => {
  it('serves each running proxy at /proxies/<ns>/<pod>/metrics and continues counting', async () => {
    const wp = server.scrapedPods().find((p) => p.role === 'waypoint')!;
    const get = async () => {
      const r = await fetch(`${server.url}/proxies/${wp.namespace}/${wp.name}/metrics`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('version=0.0.4');
      const text = await r.text();
      const m = /^istio_requests_total\{reporter="waypoint",source_workload="web",.*destination_workload="cart",.*response_code="200".*\} (\d+)$/m.exec(text);
      return Number(m![1]);
    };
    const a = await get();
    clock += 60;
    const b = await get();
    expect(b).toBeGreaterThan(a);
  });
  it('404 for unknown or ended pods', async () => {
    expect((await fetch(`${server.url}/proxies/shop/nope/metrics`)).status).toBe(404);
    const ended = [...server.plan.proxies.values()].find((p) => p.pod.endOffset !== undefined)!;
    expect((await fetch(`${server.url}/proxies/${ended.pod.namespace}/${ended.pod.name}/metrics`)).status).toBe(404);
  });
  it('targets.json lists the running proxies per profile', async () => {
    const r = (await (await fetch(`${server.url}/targets.json?profile=minimal`)).json()) as { targets: string[]; labels: Record<string, string> }[];
    expect(r.length).toBe(server.scrapedPods().length);
    expect(r.length).toBe(16); // 3 ztunnels, gateway, waypoint, 2 payments-api, 2 ledger, 2 orders-api, 2 checkout (old ReplicaSet), 2 fraud-check, 1 risk-model sidecars
    for (const g of r) expect(Object.keys(g.labels).sort()).toEqual(['__metrics_path__', 'instance']);
    expect((await fetch(`${server.url}/targets.json?profile=bogus`)).status).toBe(400);
  });
});

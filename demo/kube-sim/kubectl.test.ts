/** kubectl (the Debian kubernetes-client at /usr/bin/kubectl) against the simulator; fails (never skips) without it. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startKubeSimulator, type KubeSimulator } from './server';
import { FIXTURE_DIR } from './test-helpers';
import { requireTool } from '@/scripts/require-tool';

const KUBECTL = requireTool('/usr/bin/kubectl', 'kubernetes-client');
const run = promisify(execFile);

let sim: KubeSimulator;
let stateDir: string;
let home: string;

async function kubectl(...args: string[]): Promise<string> {
  // A private HOME keeps kubectl's discovery cache out of the user's ~/.kube.
  const { stdout } = await run(KUBECTL, ['--kubeconfig', sim.kubeconfigPath, ...args], {
    env: { ...process.env, HOME: home, KUBECONFIG: sim.kubeconfigPath },
    timeout: 30_000,
  });
  return stdout;
}

const rows = (out: string): string[][] =>
  out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/));

describe('kubectl against the simulator', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'kube-sim-kubectl-'));
    home = mkdtempSync(path.join(tmpdir(), 'kube-sim-home-'));
    sim = await startKubeSimulator({ manifestsDir: FIXTURE_DIR, port: 0, stateDir });
  });

  afterAll(async () => {
    await sim?.stop();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('get pods -A prints a table with namespaces, readiness and status', async () => {
    const out = await kubectl('get', 'pods', '-A');
    const [header, ...body] = rows(out);
    expect(header).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(body.map((r) => r.slice(0, 5))).toEqual([
      ['inventory', 'stock-7d9f8b6c4-abcde', '1/1', 'Running', '0'],
      ['inventory', 'stock-7d9f8b6c4-fghij', '0/1', 'CrashLoopBackOff', '3'],
      ['shop', 'cart-5c6d7e8f9-klmno', '2/2', 'Running', '1'],
    ]);
  });

  it('get ns and get gateways -A', async () => {
    expect(rows(await kubectl('get', 'ns')).map((r) => r.slice(0, 2))).toEqual([
      ['NAME', 'STATUS'],
      ['inventory', 'Active'],
      ['shop', 'Active'],
    ]);
    const gw = rows(await kubectl('get', 'gateways', '-A'));
    expect(gw[0]).toEqual(['NAMESPACE', 'NAME', 'CLASS', 'ADDRESS', 'PROGRAMMED', 'AGE']);
    expect(gw[1]?.slice(0, 5)).toEqual(['inventory', 'waypoint', 'istio-waypoint', '10.96.0.99', 'True']);
  });

  it('get authorizationpolicies -n inventory -o yaml returns the full objects', async () => {
    const doc = parse(await kubectl('get', 'authorizationpolicies', '-n', 'inventory', '-o', 'yaml'));
    expect(doc.items).toHaveLength(1);
    expect(doc.items[0]).toMatchObject({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'stock-allow-cart', namespace: 'inventory' },
      spec: { action: 'ALLOW' },
      status: { conditions: [{ type: 'WaypointAccepted', status: 'False' }] },
    });
  });

  it('get pods -l selects by label, and a missing pod is NotFound', async () => {
    const out = rows(await kubectl('get', 'pods', '-n', 'inventory', '-l', 'app=stock,version=v2'));
    expect(out.slice(1).map((r) => r[0])).toEqual(['stock-7d9f8b6c4-fghij']);
    const err = await kubectl('get', 'pod', 'nope', '-n', 'shop').catch((e: { stderr?: string }) => e.stderr ?? '');
    expect(err).toContain('pods "nope" not found');
  });
});

describe('kubectl lists NetworkPolicies of the demo cluster', { timeout: 60_000 }, () => {
  let demo: KubeSimulator;
  let demoState: string;
  let demoHome: string;
  const kc = async (...args: string[]) =>
    (
      await run(KUBECTL, ['--kubeconfig', demo.kubeconfigPath, ...args], {
        env: { ...process.env, HOME: demoHome, KUBECONFIG: demo.kubeconfigPath },
        timeout: 30_000,
      })
    ).stdout;
  beforeAll(async () => {
    demoState = mkdtempSync(path.join(tmpdir(), 'kube-sim-netpol-'));
    demoHome = mkdtempSync(path.join(tmpdir(), 'kube-sim-netpol-home-'));
    demo = await startKubeSimulator({ manifestsDir: path.resolve(__dirname, '../cluster'), port: 0, stateDir: demoState });
  });
  afterAll(async () => {
    await demo?.stop();
    rmSync(demoState, { recursive: true, force: true });
    rmSync(demoHome, { recursive: true, force: true });
  });

  it('get netpol -A prints kubectl’s columns', async () => {
    const [header, ...body] = rows(await kc('get', 'netpol', '-A'));
    expect(header).toEqual(['NAMESPACE', 'NAME', 'POD-SELECTOR', 'AGE']);
    expect(body.map((r) => r.slice(0, 3))).toEqual([['inventory', 'postgres-from-inventory-api', 'app=postgres']]);
  });

  it('get networkpolicies -o yaml returns the spec as written', async () => {
    const doc = parse(await kc('get', 'networkpolicies.networking.k8s.io', '-n', 'inventory', '-o', 'yaml'));
    expect(doc.items[0]).toMatchObject({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      spec: { podSelector: { matchLabels: { app: 'postgres' } }, ingress: [{ ports: [{ port: 5432 }, { port: 15008 }] }] },
    });
  });
});

describe('kubectl lists the traffic-split kinds of the demo mesh', { timeout: 60_000 }, () => {
  let demo: KubeSimulator;
  let demoState: string;
  let demoHome: string;
  beforeAll(async () => {
    demoState = mkdtempSync(path.join(tmpdir(), 'kube-sim-kubectl-demo-'));
    demoHome = mkdtempSync(path.join(tmpdir(), 'kube-sim-home-'));
    demo = await startKubeSimulator({ manifestsDir: path.resolve(__dirname, '../cluster'), port: 0, stateDir: demoState });
  });
  afterAll(async () => {
    await demo?.stop();
    rmSync(demoState, { recursive: true, force: true });
    rmSync(demoHome, { recursive: true, force: true });
  });

  const kc = (...args: string[]) =>
    run(KUBECTL, ['--kubeconfig', demo.kubeconfigPath, ...args], { env: { ...process.env, HOME: demoHome, KUBECONFIG: demo.kubeconfigPath }, timeout: 30_000 });

  it('get httproutes -n shop lists the canary route, -o yaml its backendRefs weights', async () => {
    const out = rows((await kc('get', 'httproutes', '-n', 'shop')).stdout);
    expect(out[0]?.[0]).toBe('NAME');
    expect(out.slice(1).map((r) => r[0])).toEqual(['recommendations-canary']);
    const doc = parse((await kc('get', 'httproute', 'recommendations-canary', '-n', 'shop', '-o', 'yaml')).stdout);
    expect(doc.spec.rules[0].backendRefs.map((b: { name: string; weight: number }) => [b.name, b.weight])).toEqual([
      ['recommendations-v1', 90],
      ['recommendations-v2', 10],
    ]);
  });

  it('get virtualservices,destinationrules -n inventory lists the leftover subset split', async () => {
    for (const kind of ['virtualservices', 'destinationrules']) {
      const out = rows((await kc('get', kind, '-n', 'inventory')).stdout);
      expect(out.slice(1).map((r) => r[0])).toEqual(['inventory-api']);
    }
    const doc = parse((await kc('get', 'vs', 'inventory-api', '-n', 'inventory', '-o', 'yaml')).stdout);
    expect(doc.spec.http[0].route.map((r: { destination: { subset: string }; weight: number }) => [r.destination.subset, r.weight])).toEqual([
      ['v1', 90],
      ['v2', 10],
    ]);
    expect((await kc('get', 'virtualservices', '-n', 'shop')).stderr).toContain('No resources found');
  });
});

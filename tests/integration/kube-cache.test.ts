// Integration: lib/kube against the Kubernetes API simulator over real HTTPS (list, watch, faults).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startKubeSimulator, type KubeSimulator } from '@/demo/kube-sim/server';
import { probeKubeApi } from '@/lib/kube/client';
import { createKubeCache, getKubeCache, getKubeSnapshot, probeKube, type KubeCache } from '@/lib/kube/cache';
import { resetConfigCache } from '@/lib/config/env';
import { inventoryOf } from '@/lib/mesh/inventory';

const objects = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio.io/dataplane-mode': 'ambient' } } },
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'cart-5f7b9c',
      namespace: 'shop',
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'cart', controller: true, uid: 'd1' }],
    },
    spec: { selector: { matchLabels: { app: 'cart' } } },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'cart-5f7b9c-abcde',
      namespace: 'shop',
      labels: { app: 'cart' },
      annotations: { 'ambient.istio.io/redirection': 'enabled' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'cart-5f7b9c', controller: true }],
    },
    spec: { containers: [{ name: 'cart', image: 'cart:1' }], serviceAccountName: 'cart' },
    status: { phase: 'Running', podIP: '10.244.0.7' },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'cart', namespace: 'shop' },
    spec: { selector: { app: 'cart' }, clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  },
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: { name: 'istio-waypoint' },
    spec: { controllerName: 'istio.io/mesh-controller' },
  },
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'shop-waypoint', namespace: 'shop' },
    spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    status: { addresses: [{ type: 'IPAddress', value: '10.96.0.99' }], conditions: [{ type: 'Programmed', status: 'True' }] },
  },
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'cart-get', namespace: 'shop' },
    spec: { targetRefs: [{ kind: 'Service', group: '', name: 'cart' }], rules: [{ to: [{ operation: { methods: ['GET'] } }] }] },
  },
  { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'shop' }, spec: { mtls: { mode: 'STRICT' } } },
];

const fast = { backoff: { initialMs: 100, maxMs: 400 }, recheckMs: 300 };
const dirs: string[] = [];
const sims: KubeSimulator[] = [];
const caches: KubeCache[] = [];

async function sim(opts: { disabledGroups?: string[]; forbidden?: { group: string; resource: string }[] } = {}) {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'meshglass-kube-'));
  dirs.push(stateDir);
  const s = await startKubeSimulator({ objects, port: 0, stateDir, ...opts });
  sims.push(s);
  const kc = new KubeConfig();
  kc.loadFromFile(s.kubeconfigPath);
  return { s, kc };
}

function cache(kc: KubeConfig, timeoutMs = 15_000) {
  const c = createKubeCache({ kubeConfig: kc, clusterName: 'Kubernetes', istioNamespace: 'istio-system', timeoutMs, ...fast });
  caches.push(c);
  return c;
}

afterAll(async () => {
  for (const c of caches) c.stop();
  for (const s of sims) await s.stop().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('KubeCache against the simulator', () => {
  let main: { s: KubeSimulator; kc: KubeConfig };
  let c: KubeCache;
  beforeAll(async () => {
    main = await sim();
    c = cache(main.kc);
  });

  it('serves a reshaped snapshot after the first sync', async () => {
    const snap = await c.getSnapshot();
    expect(snap.available).toBe(true);
    expect(snap.warnings).toEqual([]);
    expect(snap.namespaces.map((n) => n.name)).toContain('shop');
    const pod = snap.pods.find((p) => p.name === 'cart-5f7b9c-abcde');
    expect(pod?.workload).toEqual({ kind: 'Deployment', name: 'cart' });
    expect(pod?.ip).toBe('10.244.0.7');
    expect(pod?.serviceAccount).toBe('cart');
    expect(snap.services.find((s) => s.name === 'cart')?.ports).toEqual(
      [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }].map((p) =>
        expect.objectContaining({ name: p.name, port: p.port, targetPort: p.targetPort }),
      ),
    );
    expect(snap.gateways).toEqual([expect.objectContaining({ name: 'shop-waypoint', className: 'istio-waypoint', addresses: ['10.96.0.99'] })]);
    expect(snap.gatewayClasses).toEqual([{ name: 'istio-waypoint', labels: {}, controllerName: 'istio.io/mesh-controller' }]);
    expect(snap.authorizationPolicies[0]?.httpAttributes).toEqual(['to.operation.methods']);
    expect(snap.peerAuthentications[0]?.mode).toBe('STRICT');
  });

  it('hands out the same arrays while nothing changed, so the inventory is built once, not per request', async () => {
    const a = await c.getSnapshot();
    const b = await c.getSnapshot();
    for (const k of Object.keys(a) as (keyof typeof a)[]) if (Array.isArray(a[k]) && k !== 'warnings') expect(b[k], k).toBe(a[k]);
    expect(inventoryOf(b)).toBe(inventoryOf(a));
  });

  it('follows changes through the watch', async () => {
    main.s.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'db-0', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', controller: true }] },
      spec: { containers: [{ name: 'db', image: 'postgres:16' }] },
      status: { phase: 'Running', podIP: '10.244.0.8' },
    });
    await vi.waitFor(
      async () => {
        const snap = await c.getSnapshot();
        expect(snap.pods.find((p) => p.name === 'db-0')?.workload).toEqual({ kind: 'StatefulSet', name: 'db' });
      },
      { timeout: 15_000, interval: 100 },
    );
  });

  it('serves stale data with a warning while the API is down, and recovers by itself', async () => {
    await main.s.suspend();
    await vi.waitFor(
      async () => {
        const snap = await c.getSnapshot();
        expect(snap.warnings.some((w) => /showing last known data.*\(stale since /.test(w.message))).toBe(true);
        expect(snap.available).toBe(true);
        expect(snap.pods.some((p) => p.name === 'cart-5f7b9c-abcde')).toBe(true);
      },
      { timeout: 15_000, interval: 100 },
    );

    await main.s.resume();
    main.s.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'after-restart' } });
    await vi.waitFor(
      async () => {
        const snap = await c.getSnapshot();
        expect(snap.warnings).toEqual([]);
        expect(snap.namespaces.map((n) => n.name)).toContain('after-restart');
      },
      { timeout: 20_000, interval: 100 },
    );
  });

  it('probes /version', async () => {
    const r = await probeKubeApi(main.kc, undefined, 5_000);
    expect(r.ok).toBe(true);
    expect(r.version).toMatch(/^v\d+\.\d+/);
  });
});

describe('KubeCache watch timeouts', () => {
  it('keeps following changes across server-side watch timeouts, and detects a stalled watch', async () => {
    const { s, kc } = await sim();
    const c = createKubeCache({
      kubeConfig: kc,
      clusterName: 'Kubernetes',
      istioNamespace: 'istio-system',
      timeoutMs: 15_000,
      ...fast,
      watchTimeoutSeconds: 1,
      watchdogGraceMs: 1_000,
      // lists sent while the server hangs must give up quickly, or recovery waits for them
      listTimeoutMs: 2_000,
    });
    caches.push(c);
    expect((await c.getSnapshot()).warnings).toEqual([]);
    // Several re-watch cycles later, changes still arrive and nothing is reported.
    await new Promise((r) => setTimeout(r, 2_500));
    s.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'later' } });
    await vi.waitFor(
      async () => {
        const snap = await c.getSnapshot();
        expect(snap.namespaces.map((n) => n.name)).toContain('later');
        expect(snap.warnings).toEqual([]);
      },
      { timeout: 15_000, interval: 100 },
    );

    // The API server stops answering (connections stay open): the watchdog notices.
    s.setFault({ latencyMs: 120_000 });
    await vi.waitFor(
      async () => {
        const snap = await c.getSnapshot();
        expect(snap.warnings.some((w) => /watch stalled/.test(w.message) && /stale since/.test(w.message))).toBe(true);
        expect(snap.namespaces.map((n) => n.name)).toContain('later');
      },
      { timeout: 20_000, interval: 200 },
    );

    s.clearFaults();
    s.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'recovered' } });
    await vi.waitFor(
      async () => {
        const snap = await c.getSnapshot();
        expect(snap.warnings).toEqual([]);
        expect(snap.namespaces.map((n) => n.name)).toContain('recovered');
      },
      { timeout: 20_000, interval: 200 },
    );
  });
});

describe('KubeCache with missing CRDs and RBAC denials', () => {
  it('returns empty kinds with explanations, never a failure', async () => {
    const { kc } = await sim({
      disabledGroups: ['gateway.networking.k8s.io'],
      forbidden: [{ group: 'security.istio.io', resource: 'authorizationpolicies' }],
    });
    const snap = await cache(kc).getSnapshot();
    expect(snap.available).toBe(true);
    expect(snap.gateways).toEqual([]);
    expect(snap.authorizationPolicies).toEqual([]);
    expect(snap.pods.length).toBeGreaterThan(0);
    expect(snap.peerAuthentications).toHaveLength(1);
    const messages = snap.warnings.map((w) => w.message);
    expect(messages).toContain('Gateway API CRDs not installed: waypoints unknown');
    expect(messages.some((m) => m.startsWith('forbidden to list authorizationpolicies.security.istio.io: '))).toBe(true);
    expect(messages).toHaveLength(2);
  });
  it('keeps handing out the same arrays while absent and forbidden kinds are re-checked, so the inventory is not rebuilt', async () => {
    const { kc } = await sim({
      disabledGroups: ['gateway.networking.k8s.io'],
      forbidden: [{ group: 'security.istio.io', resource: 'authorizationpolicies' }],
    });
    const c = cache(kc);
    const a = await c.getSnapshot();
    // The Calico CRDs are absent from the simulator too; every such kind is re-checked every 300 ms here.
    await new Promise((r) => setTimeout(r, 1_500));
    const b = await c.getSnapshot();
    for (const k of Object.keys(a) as (keyof typeof a)[]) if (Array.isArray(a[k]) && k !== 'warnings') expect(b[k], k).toBe(a[k]);
    expect(inventoryOf(b)).toBe(inventoryOf(a));
    expect(b.warnings).toEqual(a.warnings);
  });
});

describe('KubeCache when the API never answered', () => {
  it('is unavailable after the timeout, and probes fail cleanly', async () => {
    const { s, kc } = await sim();
    await s.stop();
    const snap = await cache(kc, 1_500).getSnapshot();
    expect(snap.available).toBe(false);
    expect(snap.pods).toEqual([]);
    expect(snap.warnings.length).toBeGreaterThan(0);
    const probe = await probeKubeApi(kc, undefined, 2_000);
    expect(probe.ok).toBe(false);
    expect(probe.error).toBeTruthy();
  });

  it('honours the caller signal while waiting', async () => {
    const { s, kc } = await sim({});
    await s.suspend();
    const slow = createKubeCache({
      kubeConfig: kc,
      clusterName: 'Kubernetes',
      istioNamespace: 'istio-system',
      timeoutMs: 60_000,
      backoff: { initialMs: 5_000, maxMs: 5_000 },
    });
    caches.push(slow);
    const ac = new AbortController();
    const p = slow.getSnapshot({ signal: ac.signal });
    ac.abort(new Error('client went away'));
    await expect(p).rejects.toThrow('client went away');
  });
});

describe('process singleton (KUBECONFIG via the standard loading rules)', () => {
  it('loads the kubeconfig from $KUBECONFIG and serves snapshots and probes', async () => {
    const { s } = await sim();
    const saved = { KUBECONFIG: process.env.KUBECONFIG, MESH_CLUSTER_NAME: process.env.MESH_CLUSTER_NAME };
    process.env.KUBECONFIG = s.kubeconfigPath;
    process.env.MESH_CLUSTER_NAME = 'east';
    resetConfigCache();
    try {
      const snap = await getKubeSnapshot({ timeoutMs: 15_000 });
      expect(snap.available).toBe(true);
      expect(snap.cluster).toBe('east');
      expect(snap.istioNamespace).toBe('istio-system');
      expect(snap.pods.length).toBeGreaterThan(0);
      expect(await probeKube({ timeoutMs: 5_000 })).toMatchObject({ ok: true });
      expect(getKubeCache()).toBe(getKubeCache());
    } finally {
      getKubeCache()?.stop();
      process.env.KUBECONFIG = saved.KUBECONFIG;
      process.env.MESH_CLUSTER_NAME = saved.MESH_CLUSTER_NAME;
      if (saved.KUBECONFIG === undefined) delete process.env.KUBECONFIG;
      if (saved.MESH_CLUSTER_NAME === undefined) delete process.env.MESH_CLUSTER_NAME;
      resetConfigCache();
    }
  });
});

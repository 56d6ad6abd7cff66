/** The dashboard's real path: @kubernetes/client-node 1.4.0 (typed APIs and informers) against the simulator. */
import { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig, makeInformer, type V1Pod } from '@kubernetes/client-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSimulator, type KubeSimulator } from './server';
import { FIXTURE_DIR, eventually, podObject } from './test-helpers';

let sim: KubeSimulator;
let stateDir: string;
let kc: KubeConfig;

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), 'kube-sim-cn-'));
  sim = await startKubeSimulator({ manifestsDir: FIXTURE_DIR, port: 0, stateDir });
  kc = new KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
});

afterAll(async () => {
  await sim?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('@kubernetes/client-node against the simulator', { timeout: 30_000 }, () => {
  it('lists pods in all namespaces over verified TLS', async () => {
    const api = kc.makeApiClient(CoreV1Api);
    const list = await api.listPodForAllNamespaces();
    expect(list.items.map((p) => p.metadata?.name)).toEqual(['stock-7d9f8b6c4-abcde', 'stock-7d9f8b6c4-fghij', 'cart-5c6d7e8f9-klmno']);
    expect(list.items[2]?.metadata?.annotations?.['sidecar.istio.io/status']).toContain('istio-proxy');
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
    const sel = await api.listPodForAllNamespaces({ labelSelector: 'app=stock', fieldSelector: 'status.phase=Running' });
    expect(sel.items.map((p) => p.metadata?.name)).toEqual(['stock-7d9f8b6c4-abcde']);
  });

  it('surfaces 404 and 403 as ApiException codes', async () => {
    const api = kc.makeApiClient(CoreV1Api);
    const notFound = await api.readNamespacedPod({ name: 'nope', namespace: 'shop' }).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(ApiException);
    expect((notFound as ApiException<unknown>).code).toBe(404);
    sim.setFault({ forbidden: [{ group: '', resource: 'pods' }] });
    try {
      const denied = await api.listPodForAllNamespaces().catch((e: unknown) => e);
      expect((denied as ApiException<unknown>).code).toBe(403);
    } finally {
      sim.clearFaults();
    }
  });

  it('reads Istio custom resources with status conditions', async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const aps = await custom.listNamespacedCustomObject({ group: 'security.istio.io', version: 'v1', namespace: 'inventory', plural: 'authorizationpolicies' });
    expect(aps.items[0].status.conditions[0].reason).toBe('TargetNotFound');
    sim.setFault({ disabledGroups: ['security.istio.io'] });
    try {
      const missing = await custom
        .listClusterCustomObject({ group: 'security.istio.io', version: 'v1', plural: 'peerauthentications' })
        .catch((e: unknown) => e);
      expect((missing as ApiException<unknown>).code).toBe(404);
    } finally {
      sim.clearFaults();
    }
  });

  it('feeds an informer: initial list, then ADDED/DELETED from the watch', async () => {
    const api = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer(kc, '/api/v1/pods', () => api.listPodForAllNamespaces());
    const added: string[] = [];
    const deleted: string[] = [];
    informer.on('add', (p: V1Pod) => added.push(`${p.metadata?.namespace}/${p.metadata?.name}`));
    informer.on('delete', (p: V1Pod) => deleted.push(`${p.metadata?.namespace}/${p.metadata?.name}`));
    informer.on('error', () => setTimeout(() => void informer.start(), 50));
    await informer.start();
    try {
      expect(added).toHaveLength(3);
      sim.apply(podObject('informed', 'shop', { app: 'informed' }));
      await eventually(() => added.includes('shop/informed'));
      expect(informer.get('informed', 'shop')?.status?.phase).toBe('Running');
      sim.delete({ apiVersion: 'v1', kind: 'Pod', name: 'informed', namespace: 'shop' });
      await eventually(() => deleted.includes('shop/informed'));
      expect(informer.list()).toHaveLength(3);
    } finally {
      await informer.stop();
    }
  });

  it('lets an informer recover after the API server restarts on the same port', async () => {
    const api = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer(kc, '/api/v1/pods', () => api.listPodForAllNamespaces());
    const added: string[] = [];
    let errors = 0;
    informer.on('add', (p: V1Pod) => added.push(p.metadata?.name ?? ''));
    informer.on('error', () => {
      errors++;
      setTimeout(() => void informer.start(), 50);
    });
    await informer.start();
    try {
      await sim.suspend();
      await eventually(() => errors > 0);
      sim.apply(podObject('while-down', 'shop', { app: 'late' }));
      await sim.resume();
      await eventually(() => added.includes('while-down'));
      sim.apply(podObject('after-restart', 'shop', { app: 'late' }));
      await eventually(() => added.includes('after-restart'));
      expect(
        informer
          .list('shop')
          .map((p) => p.metadata?.name)
          .sort(),
      ).toEqual(['after-restart', 'cart-5c6d7e8f9-klmno', 'while-down']);
    } finally {
      await informer.stop();
      sim.delete({ apiVersion: 'v1', kind: 'Pod', name: 'while-down', namespace: 'shop' });
      sim.delete({ apiVersion: 'v1', kind: 'Pod', name: 'after-restart', namespace: 'shop' });
    }
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadManifests, startKubeSimulator, type KubeSimulator } from './server';
import { FIXTURE_DIR, eventually, kubeGet, openWatch, podObject } from './test-helpers';

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

let sim: KubeSimulator;
let stateDir: string;

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), 'kube-sim-test-'));
  sim = await startKubeSimulator({ manifestsDir: FIXTURE_DIR, port: 0, stateDir, bookmarkIntervalMs: 50 });
});

afterAll(async () => {
  await sim?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('fixture loading', () => {
  it('loads every fixture object without warnings', () => {
    expect(sim.warnings).toEqual([]);
    expect(sim.objects()).toHaveLength(loadManifests(FIXTURE_DIR).length);
  });

  it('skips unknown kinds with a warning', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kube-sim-bad-'));
    try {
      const other = await startKubeSimulator({
        port: 0,
        stateDir: dir,
        objects: [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }, podObject('p', 'default', {})],
      });
      expect(other.warnings.join('\n')).toMatch(/Widget/);
      expect(other.objects().map((o) => o.metadata.name)).toEqual(['p']);
      await other.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('authentication and kubeconfig', () => {
  it('answers 401 Status without or with a wrong token', async () => {
    for (const token of [null, 'wrong']) {
      const r = await kubeGet(sim, '/api/v1/pods', { token });
      expect(r.status).toBe(401);
      expect(r.json()).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: 401 });
    }
  });

  it('writes a kubeconfig with the CA and token', () => {
    const kc = parse(readFileSync(sim.kubeconfigPath, 'utf8'));
    expect(kc['current-context']).toBeTruthy();
    expect(kc.clusters[0].cluster.server).toBe(sim.url);
    expect(Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString()).toBe(readFileSync(sim.caPath, 'utf8'));
    expect(kc.users[0].user.token).toBe(sim.token);
  });

  it('keeps CA and token across restarts of the process, and old resourceVersions get 410', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kube-sim-state-'));
    try {
      const a = await startKubeSimulator({ port: 0, stateDir: dir, objects: [podObject('p1', 'default', { app: 'a' })] });
      const ca = readFileSync(a.caPath, 'utf8');
      const token = a.token;
      a.apply(podObject('p2', 'default', { app: 'a' }));
      const oldRv = a.resourceVersion();
      await a.stop();
      const b = await startKubeSimulator({ port: 0, stateDir: dir, objects: [podObject('p1', 'default', { app: 'a' })] });
      expect(readFileSync(b.caPath, 'utf8')).toBe(ca);
      expect(b.token).toBe(token);
      expect(b.resourceVersion()).toBeGreaterThan(oldRv);
      const list = (await kubeGet(b, '/api/v1/pods')).json();
      expect(list.items.map((p: any) => p.metadata.name)).toEqual(['p1']);
      const w = openWatch(b, `/api/v1/pods?watch=true&resourceVersion=${oldRv}`);
      const e = await w.next();
      expect(e.type).toBe('ERROR');
      expect(e.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
      await w.untilEnd();
      await b.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('discovery', () => {
  it('serves /version, /api and /api/v1', async () => {
    expect((await kubeGet(sim, '/version')).json()).toMatchObject({ major: '1', gitVersion: expect.stringMatching(/^v1\./) });
    expect((await kubeGet(sim, '/api')).json()).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const core = (await kubeGet(sim, '/api/v1')).json();
    expect(core).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    const pods = core.resources.find((r: any) => r.name === 'pods');
    expect(pods).toMatchObject({ singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list', 'watch'] });
    expect(core.resources.find((r: any) => r.name === 'namespaces')).toMatchObject({ namespaced: false, kind: 'Namespace' });
  });

  it('serves /apis and each group version', async () => {
    const groups = (await kubeGet(sim, '/apis')).json();
    expect(groups.kind).toBe('APIGroupList');
    const names = groups.groups.map((g: any) => g.name);
    expect(names).toEqual(expect.arrayContaining(['apps', 'batch', 'gateway.networking.k8s.io', 'security.istio.io', 'networking.istio.io']));
    const sec = groups.groups.find((g: any) => g.name === 'security.istio.io');
    expect(sec.preferredVersion).toEqual({ groupVersion: 'security.istio.io/v1', version: 'v1' });
    const list = (await kubeGet(sim, '/apis/security.istio.io/v1')).json();
    expect(list.resources.map((r: any) => r.name).sort()).toEqual(expect.arrayContaining(['authorizationpolicies', 'peerauthentications']));
    expect(list.resources.find((r: any) => r.name === 'authorizationpolicies')).toMatchObject({
      kind: 'AuthorizationPolicy',
      singularName: 'authorizationpolicy',
      namespaced: true,
    });
    expect((await kubeGet(sim, '/apis/gateway.networking.k8s.io')).json()).toMatchObject({ kind: 'APIGroup', name: 'gateway.networking.k8s.io' });
    expect((await kubeGet(sim, '/apis/nope.example.com/v1')).status).toBe(404);
  });

  it('answers aggregated-discovery requests with the legacy format or 406', async () => {
    const agg = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
    const withFallback = await kubeGet(sim, '/apis', { accept: `${agg},application/json` });
    expect(withFallback.status).toBe(200);
    expect(withFallback.headers['content-type']).toBe('application/json');
    expect(withFallback.json().kind).toBe('APIGroupList');
    const only = await kubeGet(sim, '/apis', { accept: agg });
    expect(only.status).toBe(406);
    expect(only.json()).toMatchObject({ kind: 'Status', reason: 'NotAcceptable', code: 406 });
  });
});

describe('list and get', () => {
  it('lists cluster-wide and per namespace with resourceVersions', async () => {
    const all = (await kubeGet(sim, '/api/v1/pods')).json();
    expect(all).toMatchObject({ kind: 'PodList', apiVersion: 'v1' });
    expect(all.items.map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'inventory/stock-7d9f8b6c4-abcde',
      'inventory/stock-7d9f8b6c4-fghij',
      'shop/cart-5c6d7e8f9-klmno',
    ]);
    const listRv = Number(all.metadata.resourceVersion);
    expect(Number.isInteger(listRv)).toBe(true);
    for (const p of all.items) {
      expect(Number(p.metadata.resourceVersion)).toBeLessThanOrEqual(listRv);
      expect(p.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    }
    const inv = (await kubeGet(sim, '/api/v1/namespaces/inventory/pods')).json();
    expect(inv.items.map((p: any) => p.metadata.name)).toEqual(['stock-7d9f8b6c4-abcde', 'stock-7d9f8b6c4-fghij']);
    expect((await kubeGet(sim, '/api/v1/namespaces/empty/pods')).json().items).toEqual([]);
    const ns = (await kubeGet(sim, '/api/v1/namespaces')).json();
    expect(ns.items.map((n: any) => n.metadata.name)).toEqual(['inventory', 'shop']);
    expect(ns.items[0].status.phase).toBe('Active');
  });

  it('gets single objects, including CRDs under every served version', async () => {
    const p = (await kubeGet(sim, '/api/v1/namespaces/shop/pods/cart-5c6d7e8f9-klmno')).json();
    expect(p).toMatchObject({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'cart-5c6d7e8f9-klmno', namespace: 'shop' } });
    expect((await kubeGet(sim, '/api/v1/namespaces/inventory')).json().metadata.name).toBe('inventory');
    const ap = (await kubeGet(sim, '/apis/security.istio.io/v1/namespaces/inventory/authorizationpolicies/stock-allow-cart')).json();
    expect(ap.status.conditions[0]).toMatchObject({ type: 'WaypointAccepted', status: 'False' });
    const apBeta = (await kubeGet(sim, '/apis/security.istio.io/v1beta1/namespaces/inventory/authorizationpolicies/stock-allow-cart')).json();
    expect(apBeta.apiVersion).toBe('security.istio.io/v1beta1');
    const gw = (await kubeGet(sim, '/apis/gateway.networking.k8s.io/v1/gateways')).json();
    expect(gw.items.map((g: any) => g.spec.gatewayClassName)).toEqual(['istio-waypoint']);
    const rs = (await kubeGet(sim, '/apis/apps/v1/namespaces/inventory/replicasets')).json();
    expect(rs.items[0].metadata.ownerReferences[0]).toMatchObject({ kind: 'Deployment', name: 'stock' });
  });

  it("fills ownerReferences uids with the owners' uids", async () => {
    const pod = (await kubeGet(sim, '/api/v1/namespaces/inventory/pods/stock-7d9f8b6c4-abcde')).json();
    const rs = (await kubeGet(sim, '/apis/apps/v1/namespaces/inventory/replicasets/stock-7d9f8b6c4')).json();
    const deploy = (await kubeGet(sim, '/apis/apps/v1/namespaces/inventory/deployments/stock')).json();
    expect(pod.metadata.ownerReferences[0].uid).toBe(rs.metadata.uid);
    expect(rs.metadata.ownerReferences[0].uid).toBe(deploy.metadata.uid);
    expect(rs.metadata.uid).not.toBe(deploy.metadata.uid);
  });

  it('serves the legacy /watch/ path form and HEAD', async () => {
    const w = openWatch(sim, '/api/v1/watch/namespaces/shop/pods');
    try {
      const e = await w.next();
      expect(`${e.type} ${e.object.metadata.name}`).toBe('ADDED cart-5c6d7e8f9-klmno');
    } finally {
      w.close();
    }
    expect((await kubeGet(sim, '/api/v1/pods', { method: 'HEAD' })).status).toBe(200);
  });

  it('answers 404 Status objects for unknown names, kinds and groups', async () => {
    const r = await kubeGet(sim, '/api/v1/namespaces/shop/pods/nope');
    expect(r.status).toBe(404);
    expect(r.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: '', kind: 'pods' },
      code: 404,
    });
    const crd = await kubeGet(sim, '/apis/security.istio.io/v1/namespaces/x/peerauthentications/nope');
    expect(crd.json().message).toBe('peerauthentications.security.istio.io "nope" not found');
    for (const p of ['/api/v1/widgets', '/apis/example.com/v1/widgets', '/apis/apps/v2/deployments', '/api/v1/namespaces/x/namespaces/y']) {
      const u = await kubeGet(sim, p);
      expect(u.status, p).toBe(404);
      expect(u.json()).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
    }
  });

  it('filters with label selectors', async () => {
    const names = async (sel: string): Promise<string[]> => {
      const r = await kubeGet(sim, `/api/v1/pods?labelSelector=${encodeURIComponent(sel)}`);
      expect(r.status, sel).toBe(200);
      return r.json().items.map((p: any) => p.metadata.name);
    };
    expect(await names('app=stock')).toEqual(['stock-7d9f8b6c4-abcde', 'stock-7d9f8b6c4-fghij']);
    expect(await names('app==cart')).toEqual(['cart-5c6d7e8f9-klmno']);
    expect(await names('app!=stock')).toEqual(['cart-5c6d7e8f9-klmno']);
    expect(await names('version in (v2)')).toEqual(['stock-7d9f8b6c4-fghij']);
    expect(await names('version notin (v1)')).toEqual(['stock-7d9f8b6c4-fghij']);
    expect(await names('pod-template-hash')).toEqual(['stock-7d9f8b6c4-abcde', 'stock-7d9f8b6c4-fghij']);
    expect(await names('!pod-template-hash')).toEqual(['cart-5c6d7e8f9-klmno']);
    expect(await names('app=stock,version=v1')).toEqual(['stock-7d9f8b6c4-abcde']);
    const bad = await kubeGet(sim, `/api/v1/pods?labelSelector=${encodeURIComponent('app in (x')}`);
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
  });

  it('filters with field selectors', async () => {
    const names = async (sel: string): Promise<string[]> =>
      (await kubeGet(sim, `/api/v1/pods?fieldSelector=${encodeURIComponent(sel)}`)).json().items.map((p: any) => p.metadata.name);
    expect(await names('metadata.name=cart-5c6d7e8f9-klmno')).toEqual(['cart-5c6d7e8f9-klmno']);
    expect(await names('metadata.namespace=shop')).toEqual(['cart-5c6d7e8f9-klmno']);
    expect(await names('status.phase=Pending')).toEqual(['stock-7d9f8b6c4-fghij']);
    expect(await names('status.phase!=Pending,spec.nodeName=node-a')).toEqual(['stock-7d9f8b6c4-abcde', 'cart-5c6d7e8f9-klmno']);
    expect(await names('spec.nodeName=node-b')).toEqual(['stock-7d9f8b6c4-fghij']);
  });

  it('pages with limit and continue', async () => {
    const first = (await kubeGet(sim, '/api/v1/pods?limit=2')).json();
    expect(first.items).toHaveLength(2);
    expect(first.metadata.continue).toBeTruthy();
    expect(first.metadata.remainingItemCount).toBe(1);
    const second = (await kubeGet(sim, `/api/v1/pods?limit=2&continue=${encodeURIComponent(first.metadata.continue)}`)).json();
    expect(second.items.map((p: any) => p.metadata.name)).toEqual(['cart-5c6d7e8f9-klmno']);
    expect(second.metadata.continue).toBeUndefined();
    expect((await kubeGet(sim, '/api/v1/pods?limit=500')).json().items).toHaveLength(3);
  });

  it('serves meta.k8s.io Tables when asked', async () => {
    const t = (await kubeGet(sim, '/api/v1/pods', { accept: TABLE_ACCEPT })).json();
    expect(t).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    const cols = t.columnDefinitions.map((c: any) => c.name);
    expect(cols.slice(0, 5)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    const row = t.rows.find((r: any) => r.cells[0] === 'stock-7d9f8b6c4-fghij');
    expect(row.cells.slice(0, 4)).toEqual(['stock-7d9f8b6c4-fghij', '0/1', 'CrashLoopBackOff', '3']);
    expect(row.object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { namespace: 'inventory' } });
    const ap = (await kubeGet(sim, '/apis/security.istio.io/v1/authorizationpolicies', { accept: TABLE_ACCEPT })).json();
    expect(ap.columnDefinitions[0].name).toBe('Name');
    expect(ap.columnDefinitions.map((c: any) => c.name)).toContain('Age');
    const plain = (await kubeGet(sim, '/api/v1/pods', { accept: 'application/json' })).json();
    expect(plain.kind).toBe('PodList');
  });

  it('is read-only', async () => {
    const r = await kubeGet(sim, '/api/v1/namespaces/shop/pods', { method: 'POST' });
    expect(r.status).toBe(405);
    expect(r.json().kind).toBe('Status');
  });
});

describe('faults', () => {
  it('answers 404 for disabled groups (missing CRDs) and 403 for forbidden resources', async () => {
    sim.setFault({ disabledGroups: ['security.istio.io'], forbidden: [{ group: '', resource: 'pods' }] });
    try {
      const ap = await kubeGet(sim, '/apis/security.istio.io/v1/authorizationpolicies');
      expect(ap.status).toBe(404);
      expect(ap.json()).toMatchObject({ kind: 'Status', code: 404 });
      expect((await kubeGet(sim, '/apis/security.istio.io/v1')).status).toBe(404);
      const groups = (await kubeGet(sim, '/apis')).json().groups.map((g: any) => g.name);
      expect(groups).not.toContain('security.istio.io');
      expect(groups).toContain('gateway.networking.k8s.io');
      const pods = await kubeGet(sim, '/api/v1/namespaces/shop/pods');
      expect(pods.status).toBe(403);
      expect(pods.json()).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403, details: { kind: 'pods' } });
      expect(pods.json().message).toContain('cannot list resource "pods"');
      expect((await kubeGet(sim, '/api/v1/services')).status).toBe(200);
    } finally {
      sim.clearFaults();
    }
    expect((await kubeGet(sim, '/apis/security.istio.io/v1/authorizationpolicies')).status).toBe(200);
    expect((await kubeGet(sim, '/api/v1/pods')).status).toBe(200);
  });

  it('honours disabledGroups and forbidden given at start', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kube-sim-f-'));
    try {
      const s = await startKubeSimulator({
        port: 0,
        stateDir: dir,
        manifestsDir: FIXTURE_DIR,
        disabledGroups: ['gateway.networking.k8s.io'],
        forbidden: [{ group: 'security.istio.io', resource: 'peerauthentications' }],
      });
      expect((await kubeGet(s, '/apis/gateway.networking.k8s.io/v1/gateways')).status).toBe(404);
      expect((await kubeGet(s, '/apis/security.istio.io/v1/peerauthentications')).status).toBe(403);
      expect((await kubeGet(s, '/apis/security.istio.io/v1/authorizationpolicies')).status).toBe(200);
      await s.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('can simulate a failing API server', async () => {
    sim.setFault({ failAll: 503 });
    try {
      const r = await kubeGet(sim, '/api/v1/pods');
      expect(r.status).toBe(503);
      expect(r.json()).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable' });
    } finally {
      sim.clearFaults();
    }
  });

  it('reports a port already in use clearly', async () => {
    await expect(startKubeSimulator({ port: sim.port, stateDir })).rejects.toThrow(/already in use/);
  });

  it('restarts on the same port, keeping its state', async () => {
    const port = sim.port;
    await sim.suspend();
    await expect(kubeGet(sim, '/api/v1/pods')).rejects.toThrow();
    await sim.resume();
    expect(sim.port).toBe(port);
    expect((await kubeGet(sim, '/api/v1/pods')).json().items).toHaveLength(3);
  });
});

describe('watch', () => {
  it('sends ADDED, MODIFIED and DELETED after apply/delete, from a list resourceVersion', async () => {
    const list = (await kubeGet(sim, '/api/v1/namespaces/shop/pods')).json();
    const w = openWatch(sim, `/api/v1/namespaces/shop/pods?watch=true&resourceVersion=${list.metadata.resourceVersion}`);
    try {
      sim.apply(podObject('w1', 'shop', { app: 'w' }));
      sim.apply(podObject('elsewhere', 'inventory', { app: 'w' }));
      const added = await w.next();
      expect(added.type).toBe('ADDED');
      expect(added.object).toMatchObject({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'w1', namespace: 'shop' } });
      expect(Number(added.object.metadata.resourceVersion)).toBeGreaterThan(Number(list.metadata.resourceVersion));
      sim.apply(podObject('w1', 'shop', { app: 'w' }, 'Succeeded'));
      const modified = await w.next();
      expect(modified.type).toBe('MODIFIED');
      expect(modified.object.status.phase).toBe('Succeeded');
      expect(Number(modified.object.metadata.resourceVersion)).toBeGreaterThan(Number(added.object.metadata.resourceVersion));
      expect(sim.delete({ apiVersion: 'v1', kind: 'Pod', name: 'w1', namespace: 'shop' })).toBe(true);
      const deleted = await w.next();
      expect(deleted.type).toBe('DELETED');
      expect(deleted.object.metadata.name).toBe('w1');
      expect(w.events.every((e) => e.object.metadata.namespace === 'shop')).toBe(true);
    } finally {
      w.close();
      sim.delete({ apiVersion: 'v1', kind: 'Pod', name: 'elsewhere', namespace: 'inventory' });
    }
  });

  it('replays changes since a resourceVersion', async () => {
    const rv = sim.resourceVersion();
    sim.apply(podObject('r1', 'shop', { app: 'r' }));
    sim.delete({ apiVersion: 'v1', kind: 'Pod', name: 'r1', namespace: 'shop' });
    const w = openWatch(sim, `/api/v1/pods?watch=1&resourceVersion=${rv}`);
    try {
      expect((await w.next()).type).toBe('ADDED');
      expect((await w.next()).type).toBe('DELETED');
    } finally {
      w.close();
    }
  });

  it('starts with synthetic ADDED events without a resourceVersion, and honours selectors', async () => {
    const w = openWatch(sim, `/api/v1/pods?watch=true&labelSelector=${encodeURIComponent('app=stock')}`);
    try {
      const a = await w.next();
      const b = await w.next();
      expect([a, b].map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED stock-7d9f8b6c4-abcde', 'ADDED stock-7d9f8b6c4-fghij']);
      // a label change moving a pod out of the selector is a DELETED for this watch, and back in an ADDED
      const pod = sim.objects().find((o) => o.metadata.name === 'stock-7d9f8b6c4-abcde')!;
      sim.apply({ ...pod, metadata: { ...pod.metadata, labels: { app: 'other' } } });
      const out = await w.next();
      expect(`${out.type} ${out.object.metadata.name}`).toBe('DELETED stock-7d9f8b6c4-abcde');
      sim.apply(pod);
      const back = await w.next();
      expect(`${back.type} ${back.object.metadata.name}`).toBe('ADDED stock-7d9f8b6c4-abcde');
      expect(w.events).toHaveLength(4);
    } finally {
      w.close();
    }
  });

  it('emits watch events for setObjects differences only', async () => {
    const before = sim.objects();
    const w = openWatch(sim, `/apis/security.istio.io/v1/authorizationpolicies?watch=true&resourceVersion=${sim.resourceVersion()}`);
    try {
      const withoutAp = before.filter((o) => o.kind !== 'AuthorizationPolicy');
      const res = sim.setObjects(withoutAp);
      expect(res.events).toBe(1);
      const e = await w.next();
      expect(`${e.type} ${e.object.metadata.name}`).toBe('DELETED stock-allow-cart');
      sim.setObjects(before);
      expect((await w.next()).type).toBe('ADDED');
    } finally {
      w.close();
    }
  });

  it('answers 410 Gone for resourceVersions it cannot serve', async () => {
    const w = openWatch(sim, `/api/v1/pods?watch=true&resourceVersion=${sim.resourceVersion() + 1000}`);
    const e = await w.next();
    expect(e).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410 } });
    await w.untilEnd();
  });

  it('ends the stream after timeoutSeconds and sends bookmarks when allowed', async () => {
    const w = openWatch(sim, `/api/v1/namespaces/none/pods?watch=true&resourceVersion=${sim.resourceVersion()}&timeoutSeconds=1&allowWatchBookmarks=true`);
    const b = await w.next((e) => e.type === 'BOOKMARK');
    expect(b.object.metadata.resourceVersion).toBe(String(sim.resourceVersion()));
    await w.untilEnd();
    expect(w.status).toBe(200);
  });

  it('streams Tables to kubectl-style watches', async () => {
    const w = openWatch(sim, `/api/v1/namespaces/inventory/pods?watch=true`, TABLE_ACCEPT);
    try {
      const e = await w.next();
      expect(e.type).toBe('ADDED');
      expect(e.object.kind).toBe('Table');
      expect(e.object.columnDefinitions.length).toBeGreaterThan(0);
      expect((await w.next()).object.columnDefinitions).toEqual([]);
    } finally {
      w.close();
    }
  });

  it('ends open watches when their group disappears', async () => {
    const w = openWatch(sim, `/apis/gateway.networking.k8s.io/v1/gateways?watch=true`);
    await w.next();
    sim.setFault({ disabledGroups: ['gateway.networking.k8s.io'] });
    try {
      await w.untilEnd();
      expect(w.ended).toBe(true);
    } finally {
      sim.clearFaults();
    }
    await eventually(async () => (await kubeGet(sim, '/apis/gateway.networking.k8s.io/v1/gateways')).status === 200);
  });
});

// Integration: policy on the edges of the demo mesh (docs/classification.md §8, docs/demo-mesh.md "Policy"),
// through the real route handlers against the real Prometheus and the Kubernetes API simulator. The rates are
// checked against Prometheus' own increase() over the same window.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GET as findingsGET } from '@/app/api/findings/route';
import { GET as graphGET } from '@/app/api/graph/route';
import type { Finding, MeshGraph } from '@/lib/mesh/types';
import { call, findEdge, findNode, iso, promQuery, relClose, restoreEnv, useEnv } from './helpers';

let T: number;
let prom: string;
let g: MeshGraph;
let findings: Finding[];
const W = 2400; // steady window T−50m … T−10m

/** Prometheus' own per-second increase of a closed-connections series over the window. */
async function closedPerSec(sel: string): Promise<number> {
  const rows = await promQuery(prom, `sum(increase(istio_tcp_connections_closed_total{${sel}}[${W}s]))`, T - 600);
  return (rows[0]?.value ?? 0) / W;
}

beforeAll(async () => {
  T = inject('anchorUnix');
  prom = inject('promIstioSampleUrl');
  useEnv({ PROMETHEUS_URL: prom, KUBECONFIG: inject('kubeconfigPath') });
  const q = `start=${iso(T - 600 - W)}&end=${iso(T - 600)}`;
  const graph = await call(graphGET, `/api/graph?${q}`);
  expect(graph.status).toBe(200);
  g = graph.body as MeshGraph;
  const f = await call(findingsGET, `/api/findings?${q}`);
  expect(f.status).toBe(200);
  findings = (f.body as { findings: Finding[] }).findings;
});
afterAll(() => restoreEnv());

const edge = (from: [string, string], to: [string, string]) => findEdge(g, findNode(g, 'workload', from[1], from[0]), findNode(g, 'workload', to[1], to[0]));

describe('policy on the demo edges', () => {
  it('row 22: CONNECT failures into postgres are attributed to the NetworkPolicy that does not admit shop/cart', async () => {
    const e = edge(['shop', 'cart'], ['inventory', 'postgres']);
    expect(e).toBeDefined();
    const expected = await closedPerSec('response_flags="CONNECT",source_workload="cart",destination_workload="postgres",reporter="source"');
    expect(expected).toBeGreaterThan(0);
    expect(e!.droppedBy?.policies).toEqual(['NetworkPolicy inventory/postgres-from-inventory-api']);
    expect(relClose(e!.droppedBy?.perSec, expected), `${e!.droppedBy?.perSec} vs ${expected}`).toBe(true);
    expect(e!.droppedBy?.note).toBe('likely dropped by NetworkPolicy inventory/postgres-from-inventory-api');
    expect(e!.policies).toContainEqual(
      expect.objectContaining({ kind: 'NetworkPolicy', namespace: 'inventory', name: 'postgres-from-inventory-api', action: 'DENY', enforcedBy: 'cni' }),
    );
    expect(e!.policyVerdict).toBe('denied');
    expect(e!.deniedPerSec).toBeUndefined();
  });

  it('row 8: the same policy admits inventory-api over HBONE (port 15008)', () => {
    const e = edge(['inventory', 'inventory-api'], ['inventory', 'postgres'])!;
    const np = e.policies!.find((p) => p.kind === 'NetworkPolicy')!;
    expect(np).toMatchObject({ action: 'ALLOW', enforcedBy: 'cni', enforced: true });
    expect(np.note).toContain('15008');
    expect(e.droppedBy).toBeUndefined();
    expect(e.policyVerdict).toBe('allowed');
  });

  it('row 23: ztunnel DENYs of shop/pricing into redis, from the L4 AuthorizationPolicy', async () => {
    const e = edge(['shop', 'pricing'], ['inventory', 'redis'])!;
    const expected = await closedPerSec('response_flags="DENY",source_workload="pricing",destination_workload="redis",reporter="destination"');
    expect(expected).toBeGreaterThan(0);
    expect(relClose(e.deniedPerSec, expected), `${e.deniedPerSec} vs ${expected}`).toBe(true);
    expect(e.policies).toEqual([
      expect.objectContaining({
        kind: 'AuthorizationPolicy',
        namespace: 'inventory',
        name: 'redis-deny-shop',
        action: 'DENY',
        enforcedBy: 'ztunnel',
        enforced: true,
        reason: 'enforced',
      }),
    ]);
    expect(e.droppedBy).toBeUndefined(); // no NetworkPolicy selects redis
    expect(e.policyVerdict).toBe('denied');
  });

  it('row 7: the HTTP-attribute policy on inventory-api (ambient, no waypoint) is not enforced', () => {
    const e = edge(['shop', 'cart'], ['inventory', 'inventory-api'])!;
    const ap = e.policies!.find((p) => p.name === 'inventory-api-http-rules')!;
    expect(ap).toMatchObject({ kind: 'AuthorizationPolicy', action: 'ALLOW', enforcedBy: 'ztunnel', enforced: false, reason: 'http-attributes' });
    expect(ap.note).toMatch(/dropped and allow nothing/);
    expect(e.policyVerdict).toBe('not-enforced');
  });

  it('edges no policy selects have no verdict; a missing Calico is not a warning', () => {
    const e = edge(['shop', 'web'], ['shop', 'cart'])!;
    expect(e.policies).toBeUndefined();
    expect(e.policyVerdict).toBeUndefined();
    expect(g.warnings.filter((w) => /calico/i.test(w.message))).toEqual([]);
  });

  it('findings: policy-denials for both refused edges, with their fixes', () => {
    const denials = findings.filter((f) => f.kind === 'policy-denials');
    const np = denials.find((f) => f.objects.includes('inventory/postgres'))!;
    expect(np.objects).toEqual(['inventory/postgres', 'shop/cart']);
    expect(np.evidence).toContain('NetworkPolicy inventory/postgres-from-inventory-api');
    expect(np.fix).toContain('kubectl -n inventory edit networkpolicy postgres-from-inventory-api');
    const zt = denials.find((f) => f.objects.includes('inventory/redis'))!;
    expect(zt.message).toContain('response_flags="DENY"');
    expect(zt.fix).toContain('kubectl -n inventory edit authorizationpolicy redis-deny-shop');
    expect(denials).toHaveLength(2);
    // The HTTP-attribute policy stays l7-policy-not-enforced's subject.
    expect(findings.some((f) => f.kind === 'l7-policy-not-enforced' && f.objects.includes('inventory/inventory-api-http-rules'))).toBe(true);
  });
});

describe('the incident window: CONNECT failures an admitted client has are not blamed on the policy', () => {
  it('inventory-api → postgres during the T−2h incident', async () => {
    const r = await call(graphGET, `/api/graph?start=${iso(T - 2 * 3600)}&end=${iso(T - 2 * 3600 + 600)}`);
    const gi = r.body as MeshGraph;
    const e = findEdge(gi, findNode(gi, 'workload', 'inventory-api', 'inventory'), findNode(gi, 'workload', 'postgres', 'inventory'))!;
    expect(e.failuresByFlag?.CONNECT ?? 0).toBeGreaterThan(0);
    expect(e.droppedBy).toBeUndefined();
  });
});

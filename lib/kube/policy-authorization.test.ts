// Real manifests through the informers' reshaping and lib/mesh/policy's rules (lib/mesh tests cannot read files).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { reshapeAuthorizationPolicy } from './reshape';
import { kube, ns, pod, svc, waypoint } from '@/lib/mesh/findings/test-builders';
import { waypointPod } from '@/lib/mesh/testing/fixtures';
import { inventoryOf } from '@/lib/mesh/inventory';
import { applicationWorkloads } from '@/lib/mesh/workloads';
import { authorizationOnTraffic, policyEnforcement, type AuthzTraffic } from '@/lib/mesh/policy/authorization';

const policies = parseAllDocuments(readFileSync(join(__dirname, 'testdata/authorization-policies.yaml'), 'utf8')).map((d) =>
  reshapeAuthorizationPolicy(d.toJSON()),
);

function cluster(opts: { bindProductpage?: boolean } = {}) {
  const k = kube({
    namespaces: [
      ns('ambient-demo', { 'istio.io/dataplane-mode': 'ambient' }),
      ns('default', { 'istio.io/dataplane-mode': 'ambient' }),
      ns('legacy'),
      ns('istio-system'),
    ],
    pods: [
      pod('ambient-demo', 'httpbin', { mode: 'ambient' }),
      pod('default', 'productpage', { mode: 'ambient' }),
      pod('default', 'reviews', { mode: 'sidecar' }),
      pod('default', 'reviews', { mode: 'ambient' }),
      pod('default', 'ratings', { mode: 'none' }),
    ],
    services: [
      svc('ambient-demo', 'httpbin'),
      svc('default', 'productpage', opts.bindProductpage === false ? {} : { labels: { 'istio.io/use-waypoint': 'waypoint' } }),
      svc('default', 'reviews'),
      svc('default', 'ratings'),
    ],
    gateways: [waypoint('default', 'waypoint')],
    authorizationPolicies: policies,
  });
  return inventoryOf(k);
}

function traffic(inv: ReturnType<typeof cluster>, namespace: string, workload: string, t: Partial<AuthzTraffic> = {}): AuthzTraffic {
  return { namespace, pods: inv.workloads.get(namespace, workload)?.pods ?? [], services: [`${namespace}/${workload}`], waypoints: [], direct: true, ...t };
}

const summary = (xs: ReturnType<typeof authorizationOnTraffic>) => xs.map((x) => `${x.policy.name} ${x.enforcedBy} ${x.enforced ? 'enforced' : x.reason}`);

describe('reshaping real AuthorizationPolicies', () => {
  it('records HTTP and L4 attributes per policy', () => {
    const by = new Map(policies.map((p) => [p.name, p]));
    expect(by.get('allow-curl-to-httpbin')).toMatchObject({ httpAttributes: [], l4Attributes: ['from.source.principals'], ruleCount: 1 });
    expect(by.get('deny-post-8000')).toMatchObject({ httpAttributes: ['to.operation.methods'], l4Attributes: ['to.operation.ports'] });
    expect(by.get('require-header')!.httpAttributes).toEqual(['when.request.headers']);
    expect(by.get('productpage-viewer')!.targetRefs).toEqual([{ group: '', kind: 'Service', name: 'productpage' }]);
  });
});

describe('authorizationOnTraffic: Istio semantics', () => {
  const inv = cluster();

  it('selector policies on an ambient destination are enforced by ztunnel, at L4 only', () => {
    const got = authorizationOnTraffic(inv, traffic(inv, 'ambient-demo', 'httpbin'));
    expect(summary(got)).toEqual([
      'allow-curl-get-httpbin ztunnel http-attributes',
      'allow-curl-to-httpbin ztunnel enforced',
      'deny-post-8000 ztunnel http-attributes',
      'deny-from-legacy ztunnel enforced',
    ]);
    expect(got[0]!.note).toMatch(/dropped and allow nothing/);
    expect(got[2]!.note).toMatch(/without their HTTP attributes \(to\.operation\.methods\).*to\.operation\.ports/);
  });

  it('the root namespace policy applies everywhere; a namespace policy only in its namespace', () => {
    const got = summary(authorizationOnTraffic(inv, traffic(inv, 'default', 'productpage', { services: [] })));
    expect(got).toContain('deny-from-legacy ztunnel enforced');
    expect(got).toContain('require-header ztunnel http-attributes');
    expect(got.some((x) => x.startsWith('allow-curl'))).toBe(false);
  });

  it("the client's identity against the rules' sources: an ALLOW that allows nobody like it, a DENY aimed at others", () => {
    const curl = { principal: 'spiffe://cluster.local/ns/ambient-demo/sa/curl', namespace: 'ambient-demo' };
    const other = { principal: 'spiffe://cluster.local/ns/shop/sa/web', namespace: 'shop' };
    const legacy = { principal: 'spiffe://cluster.local/ns/legacy/sa/reporting', namespace: 'legacy' };
    const note = (client: typeof curl, name: string) =>
      authorizationOnTraffic(inv, traffic(inv, 'ambient-demo', 'httpbin', { client })).find((x) => x.policy.name === name)!.note;
    expect(note(curl, 'allow-curl-to-httpbin')).toBe("the destination's ztunnel enforces it at L4");
    expect(note(other, 'allow-curl-to-httpbin')).toMatch(/no rule allows this client \(spiffe:\/\/cluster.local\/ns\/shop\/sa\/web\)/);
    expect(note(other, 'deny-from-legacy')).toMatch(/its rules do not match this client/);
    expect(note(legacy, 'deny-from-legacy')).toBe("the destination's ztunnel enforces it at L4");
    // Through a waypoint ztunnel sees the waypoint, not the client: nothing is said about the client.
    const via = authorizationOnTraffic(inv, traffic(inv, 'ambient-demo', 'httpbin', { client: other, waypoints: ['default/waypoint'], direct: false }));
    expect(via.find((x) => x.policy.name === 'allow-curl-to-httpbin')!.note).not.toMatch(/this client/);
  });

  it('through a waypoint, ztunnel sees the waypoint as the source', () => {
    const got = authorizationOnTraffic(inv, traffic(inv, 'ambient-demo', 'httpbin', { waypoints: ['default/waypoint'], direct: false }));
    expect(got.find((x) => x.policy.name === 'allow-curl-to-httpbin')!.note).toMatch(/waypoint's identity/);
  });

  it('a mixed workload gets one entry per enforcer; CUSTOM is ignored by ztunnel', () => {
    const got = summary(authorizationOnTraffic(inv, traffic(inv, 'default', 'reviews')));
    expect(got).toEqual([
      'ext-authz sidecar enforced',
      'ext-authz ztunnel unsupported-action',
      'require-header sidecar enforced',
      'require-header ztunnel http-attributes',
      'deny-from-legacy sidecar enforced',
      'deny-from-legacy ztunnel enforced',
    ]);
  });

  it("a waypoint's own pods are not selected by namespace or selector policies", () => {
    const k = kube({
      namespaces: [ns('default', { 'istio.io/dataplane-mode': 'ambient' }), ns('istio-system')],
      pods: [waypointPod({ namespace: 'default', gateway: 'waypoint', name: 'waypoint-1' })],
      gateways: [waypoint('default', 'waypoint')],
      authorizationPolicies: policies,
    });
    const inv2 = inventoryOf(k);
    const wpPods = [...inv2.workloads.workloads.values()].flatMap((w) => w.pods);
    expect(wpPods).toHaveLength(1);
    expect(authorizationOnTraffic(inv2, { namespace: 'default', pods: wpPods, services: [], waypoints: [], direct: true })).toEqual([]);
  });

  it('an out-of-mesh destination enforces nothing', () => {
    const got = authorizationOnTraffic(inv, traffic(inv, 'default', 'ratings'));
    expect(summary(got)).toEqual(['require-header none no-proxy', 'deny-from-legacy none no-proxy']);
  });

  it('targetRefs: enforced only on traffic through the waypoint', () => {
    const via = summary(authorizationOnTraffic(inv, traffic(inv, 'default', 'productpage', { waypoints: ['default/waypoint'], direct: false })));
    expect(via).toContain('productpage-viewer waypoint enforced');
    expect(via).toContain('waypoint-deny-delete waypoint enforced');
    const bypass = authorizationOnTraffic(inv, traffic(inv, 'default', 'productpage'));
    expect(summary(bypass)).toContain('productpage-viewer waypoint bypasses-waypoint');
    expect(bypass.find((x) => x.policy.name === 'productpage-viewer')!.note).toMatch(/does not go through it/);
    const part = authorizationOnTraffic(inv, traffic(inv, 'default', 'productpage', { waypoints: ['default/waypoint'], direct: true }));
    expect(part.find((x) => x.policy.name === 'productpage-viewer')!.note).toMatch(/direct part bypasses it/);
  });

  it('targetRefs to a Service no waypoint serves: nothing enforces it', () => {
    const unbound = cluster({ bindProductpage: false });
    const got = authorizationOnTraffic(unbound, traffic(unbound, 'default', 'productpage'));
    expect(summary(got)).toContain('productpage-viewer waypoint no-waypoint');
    // The Gateway-bound policy does not select traffic the waypoint does not serve.
    expect(summary(got).some((x) => x.startsWith('waypoint-deny-delete'))).toBe(false);
  });

  it('a Gateway targetRef does not select traffic of other waypoints or none', () => {
    expect(summary(authorizationOnTraffic(inv, traffic(inv, 'ambient-demo', 'httpbin'))).some((x) => x.startsWith('waypoint-deny-delete'))).toBe(false);
  });
});

describe('policyEnforcement: the configuration view of the same rule', () => {
  it('groups the selected workloads by enforcer and resolves targetRefs to waypoints', () => {
    const inv = cluster();
    const pods = applicationWorkloads(inv.workloads).flatMap((w) => w.pods.map((p) => ({ workload: w.ref, pod: p })));
    const byName = new Map(policies.map((p) => [p.name, p]));
    expect(policyEnforcement(inv, byName.get('require-header')!, pods).map((x) => [x.target, x.workloads, x.enforcement.enforced])).toEqual([
      ['none', ['default/ratings'], false],
      ['sidecar', ['default/reviews'], true],
      ['ztunnel', ['default/productpage', 'default/reviews'], false],
    ]);
    expect(policyEnforcement(inv, byName.get('productpage-viewer')!, pods)[0]!.enforcement).toMatchObject({ enforcedBy: 'waypoint', enforced: true });
    const unbound = cluster({ bindProductpage: false });
    expect(policyEnforcement(unbound, byName.get('productpage-viewer')!, pods)[0]!.enforcement.reason).toBe('no-waypoint');
  });
});

import { describe, expect, it } from 'vitest';
import { buildMeshGraph } from '../build';
import { authz } from '../findings/test-builders';
import type { GraphEdge, KubeSnapshot, NetworkPolicyInfo, TelemetryInput } from '../types';
import { edgeLabels, k, peers, pods, svc, tb, W, ztunnelTcp } from './scenario.test-helpers';
import { HBONE_PORT, policyVerdictOf } from './policies';
import { edgeId } from '../ids';

const sel = (matchLabels: Record<string, string>) => ({ matchLabels, matchExpressions: [] });
/** api admits only the sidecar client `sc`. */
const apiOnlyFromSc: NetworkPolicyInfo = {
  namespace: 'app',
  name: 'api-only-sc',
  podSelector: sel({ app: 'api' }),
  policyTypes: ['Ingress'],
  ingress: [{ peers: [{ podSelector: sel({ app: 'sc' }) }], ports: [] }],
  egress: [],
};

function edgeOf(kube: KubeSnapshot, t: TelemetryInput, from: string, to: string): GraphEdge {
  const g = buildMeshGraph(kube, t);
  const e = g.edges.find((x) => x.id === edgeId(from, to));
  if (!e) throw new Error(`no edge ${from} -> ${to}: ${g.edges.map((x) => x.id).join(', ')}`);
  return e;
}

describe('policies decorator', () => {
  it('CONNECT failures on an edge a NetworkPolicy does not admit: droppedBy, verdict denied', () => {
    const t = ztunnelTcp('source', 'amb', 'api', { opened: 0, failed: { CONNECT: 30 } });
    const e = edgeOf({ ...k, networkPolicies: [apiOnlyFromSc] }, t, W('app', 'amb'), W('app', 'api'));
    expect(e.droppedBy).toEqual({ policies: ['NetworkPolicy app/api-only-sc'], perSec: 30 / 600, note: 'likely dropped by NetworkPolicy app/api-only-sc' });
    expect(e.policies).toEqual([
      expect.objectContaining({ kind: 'NetworkPolicy', namespace: 'app', name: 'api-only-sc', action: 'DENY', enforcedBy: 'cni', enforced: true }),
    ]);
    expect(e.policyVerdict).toBe('denied');
    // The same failures without the policy are not attributed.
    const bare = edgeOf(k, t, W('app', 'amb'), W('app', 'api'));
    expect(bare.droppedBy).toBeUndefined();
    expect(bare.policyVerdict).toBeUndefined();
  });

  it('an admitted source: the policy allows, CONNECT failures stay unattributed', () => {
    const t = ztunnelTcp('destination', 'amb', 'api', { opened: 6, failed: { CONNECT: 3 } });
    const fromAmb = { ...apiOnlyFromSc, ingress: [{ peers: [{ podSelector: sel({ app: 'amb' }) }], ports: [] }] };
    const e = edgeOf({ ...k, networkPolicies: [fromAmb] }, t, W('app', 'amb'), W('app', 'api'));
    expect(e.droppedBy).toBeUndefined();
    expect(e.policies![0]).toMatchObject({ action: 'ALLOW' });
    expect(e.policies![0]!.note).toMatch(/admits the connection/);
    expect(e.policyVerdict).toBe('allowed');
  });

  it('ztunnel DENY: deniedPerSec from response_flags="DENY", the L4 policy enforced by ztunnel', () => {
    const t = ztunnelTcp('destination', 'amb', 'api', { opened: 12, failed: { DENY: 12 } });
    const deny = authz('app', 'deny-amb', { action: 'DENY', selector: { app: 'api' }, l4Attributes: ['from.source.principals'] });
    const e = edgeOf({ ...k, authorizationPolicies: [deny] }, t, W('app', 'amb'), W('app', 'api'));
    expect(e.deniedPerSec).toBeCloseTo(12 / 600, 12);
    expect(e.policies).toEqual([
      {
        kind: 'AuthorizationPolicy',
        namespace: 'app',
        name: 'deny-amb',
        action: 'DENY',
        enforcedBy: 'ztunnel',
        enforced: true,
        reason: 'enforced',
        note: "the destination's ztunnel enforces it at L4",
      },
    ]);
    expect(e.policyVerdict).toBe('denied');
  });

  it('an HTTP-attribute policy on an ambient destination without waypoint: not enforced', () => {
    const t = ztunnelTcp('destination', 'amb', 'api', { opened: 6 });
    const http = authz('app', 'api-get-only', { selector: { app: 'api' }, httpAttributes: ['to.operation.methods'] });
    const e = edgeOf({ ...k, authorizationPolicies: [http] }, t, W('app', 'amb'), W('app', 'api'));
    expect(e.policies).toEqual([expect.objectContaining({ name: 'api-get-only', enforcedBy: 'ztunnel', enforced: false })]);
    expect(e.policyVerdict).toBe('not-enforced');
  });

  it('through the waypoint: the targetRefs policy is enforced; 403s are forbidden, not denied; NetworkPolicy judged on the waypoint hop over HBONE', () => {
    const t = tb()
      .requests(edgeLabels({ reporter: 'waypoint', src: peers.amb, dst: peers.srv, service: svc.srv, csp: 'mutual_tls' }), pods.wp, { '200': 54, '403': 6 })
      .build();
    const onSrv = authz('wp', 'srv-get', { targetRefs: [{ kind: 'Service', group: '', name: 'srv' }], httpAttributes: ['to.operation.methods'] });
    // srv admits only its waypoint's pods, on the HBONE port.
    const srvFromWaypoint: NetworkPolicyInfo = {
      namespace: 'wp',
      name: 'srv-from-waypoint',
      podSelector: sel({ app: 'srv' }),
      policyTypes: ['Ingress'],
      ingress: [{ peers: [{ podSelector: sel({ 'gateway.networking.k8s.io/gateway-name': 'wp' }) }], ports: [{ protocol: 'TCP', port: HBONE_PORT }] }],
      egress: [],
    };
    const e = edgeOf({ ...k, authorizationPolicies: [onSrv], networkPolicies: [srvFromWaypoint] }, t, W('app', 'amb'), W('wp', 'srv'));
    expect(e.forbiddenPerSec).toBeCloseTo(6 / 600, 12);
    expect(e.deniedPerSec).toBeUndefined();
    expect(e.policies!.map((p) => `${p.kind} ${p.name} ${p.enforcedBy} ${p.action} ${p.enforced}`)).toEqual([
      'AuthorizationPolicy srv-get waypoint ALLOW true',
      'NetworkPolicy srv-from-waypoint cni ALLOW true',
    ]);
    expect(e.policyVerdict).toBe('allowed');
  });

  it('verdict order: denied > not-enforced > allowed > none', () => {
    const p = { kind: 'AuthorizationPolicy' as const, namespace: 'a', name: 'b', action: 'ALLOW' as const, enforcedBy: 'ztunnel' as const, note: '' };
    expect(policyVerdictOf({})).toBe('none');
    expect(policyVerdictOf({ policies: [{ ...p, enforced: true }] })).toBe('allowed');
    expect(
      policyVerdictOf({
        policies: [
          { ...p, enforced: true },
          { ...p, enforced: false },
        ],
      }),
    ).toBe('not-enforced');
    expect(policyVerdictOf({ policies: [{ ...p, enforced: false }], deniedPerSec: 0.1 })).toBe('denied');
    expect(policyVerdictOf({ droppedBy: { policies: [], perSec: 1, note: '' } })).toBe('denied');
  });
});

import { describe, expect, it } from 'vitest';
import type { EdgePolicy } from '../types';
import { policyDenialsFindings } from './policy-denials';
import { policyNotEnforcedFindings } from './policy-not-enforced';
import { edge, graph, kube, wl } from './test-builders';

const k = kube({});
const client = wl('shop', 'web', { mode: 'sidecar' });
const api = wl('shop', 'cart', { mode: 'ambient' });
const pg = wl('data', 'postgres', { mode: 'ambient' });
const ap = (o: Partial<EdgePolicy>): EdgePolicy => ({
  kind: 'AuthorizationPolicy',
  namespace: 'shop',
  name: 'cart-get',
  action: 'ALLOW',
  enforcedBy: 'waypoint',
  enforced: false,
  reason: 'bypasses-waypoint',
  note: 'bound to waypoint shop/wp (Service shop/cart), but this traffic does not go through it',
  ...o,
});

describe('policy-not-enforced', () => {
  it('one finding per policy over the edges it selects, with the fix for the reason', () => {
    const other = wl('shop', 'mobile', { mode: 'sidecar' });
    const g = graph([client, other, api], [edge(client, api, { policies: [ap({})], services: ['shop/cart'] }), edge(other, api, { policies: [ap({})] })]);
    const f = policyNotEnforcedFindings(k, g);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      id: 'policy-not-enforced:shop/cart-get:bypasses-waypoint',
      kind: 'policy-not-enforced',
      severity: 'critical',
      namespace: 'shop',
    });
    expect(f[0]!.objects).toEqual(['shop/cart', 'shop/cart-get']);
    expect(f[0]!.evidence).toHaveLength(3);
    expect(f[0]!.message).toContain('from shop/mobile, shop/web to shop/cart');
    expect(f[0]!.fix).toContain('only-via-waypoint');
  });
  it('leaves enforced policies, NetworkPolicies and HTTP attributes on ztunnel (l7-policy-not-enforced) alone', () => {
    const g = graph(
      [client, api],
      [
        edge(client, api, {
          policies: [
            ap({ enforced: true, reason: 'enforced' }),
            ap({ name: 'http', enforcedBy: 'ztunnel', reason: 'http-attributes' }),
            { kind: 'NetworkPolicy', namespace: 'shop', name: 'np', action: 'DENY', enforcedBy: 'cni', enforced: true, note: '' },
          ],
        }),
      ],
    );
    expect(policyNotEnforcedFindings(k, g)).toEqual([]);
  });
  it.each([
    ['no-waypoint', 'istioctl waypoint apply -n shop'],
    ['unsupported-action', 'targetRefs'],
    ['no-proxy', 'istio.io/dataplane-mode=ambient'],
    ['rejected-by-istio', 'status.conditions'],
  ] as const)('%s → fix mentions %s', (reason, text) => {
    const g = graph([client, api], [edge(client, api, { policies: [ap({ reason })], services: ['shop/cart'] })]);
    expect(policyNotEnforcedFindings(k, g)[0]!.fix).toContain(text);
  });
});

describe('policy-denials', () => {
  it('ztunnel DENY and NetworkPolicy drops, each with its fix', () => {
    const deny = ap({ name: 'deny-web', action: 'DENY', enforcedBy: 'ztunnel', enforced: true, reason: 'enforced' });
    const g = graph(
      [client, api, pg],
      [
        edge(client, api, { deniedPerSec: 0.2, policies: [deny], principals: { source: 'spiffe://cluster.local/ns/shop/sa/web' } }),
        edge(api, pg, {
          droppedBy: { policies: ['NetworkPolicy data/pg-only-billing'], perSec: 0.05, note: 'likely dropped by NetworkPolicy data/pg-only-billing' },
        }),
        edge(client, pg, {}),
      ],
    );
    const f = policyDenialsFindings(k, g);
    expect(f.map((x) => x.id)).toEqual([`policy-denials:${g.edges[1]!.id}`, `policy-denials:${g.edges[0]!.id}`].sort());
    const d = f.find((x) => x.objects.includes('shop/web'))!;
    expect(d.message).toContain('ztunnel refused 0.20 connections/s (response_flags="DENY")');
    expect(d.message).toContain('shop/deny-web (DENY)');
    expect(d.fix).toContain('kubectl -n shop edit authorizationpolicy deny-web');
    expect(d.fix).toContain('spiffe://cluster.local/ns/shop/sa/web');
    const n = f.find((x) => x.objects.includes('data/postgres'))!;
    expect(n.message).toContain('likely dropped by NetworkPolicy data/pg-only-billing');
    expect(n.evidence).toContain('NetworkPolicy data/pg-only-billing');
    expect(n.fix).toContain('kubectl -n data edit networkpolicy pg-only-billing');
    expect(n.fix).toContain('kubernetes.io/metadata.name: shop');
  });
  it('403s alone are not denials', () => {
    expect(policyDenialsFindings(k, graph([client, api], [edge(client, api, { forbiddenPerSec: 3 })]))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { l7PolicyNotEnforcedFindings } from './l7-policy-not-enforced';
import { authz, graph, kube, ns, pod, svc, waypoint } from './test-builders';

const base = {
  namespaces: [ns('inventory', { 'istio.io/dataplane-mode': 'ambient' }), ns('payments', { 'istio-injection': 'enabled' })],
  pods: [pod('inventory', 'inventory-api', { mode: 'ambient' }), pod('payments', 'ledger', { mode: 'sidecar' })],
  services: [svc('inventory', 'inventory-api'), svc('payments', 'ledger')],
};
const g = graph([], []);

describe('l7-policy-not-enforced', () => {
  it('uses the ZtunnelAccepted=False status condition', () => {
    const k = kube({
      ...base,
      authorizationPolicies: [
        authz('inventory', 'inventory-api-http-rules', {
          selector: { app: 'inventory-api' },
          httpAttributes: ['to.operation.methods', 'to.operation.paths'],
          conditions: [{ type: 'ZtunnelAccepted', status: 'False', reason: 'UnsupportedValue', message: 'ztunnel does not support HTTP attributes' }],
        }),
      ],
    });
    const f = l7PolicyNotEnforcedFindings(k, g);
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('warning');
    expect(f[0]!.namespace).toBe('inventory');
    expect(f[0]!.objects).toEqual(['inventory/inventory-api', 'inventory/inventory-api-http-rules']);
    expect(f[0]!.evidence).toContain('condition ZtunnelAccepted=False (UnsupportedValue)');
    expect(f[0]!.message).toContain('more restrictive');
    expect(f[0]!.fix).toContain('istioctl waypoint apply -n inventory');
    expect(f[0]!.fix).toContain('targetRefs');
    expect(f[0]!.fix).toContain('name: inventory-api');
  });

  it('derives it without status and marks DENY critical', () => {
    const k = kube({
      ...base,
      authorizationPolicies: [
        authz('inventory', 'deny-delete', { action: 'DENY', selector: { app: 'inventory-api' }, httpAttributes: ['to.operation.methods'] }),
      ],
    });
    const f = l7PolicyNotEnforcedFindings(k, g);
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('critical');
    expect(f[0]!.message).toMatch(/may not apply/);
  });

  it('ignores L4-only policies and policies on sidecar workloads', () => {
    const k = kube({
      ...base,
      authorizationPolicies: [
        authz('inventory', 'l4', { selector: { app: 'inventory-api' }, httpAttributes: [] }),
        authz('payments', 'ledger-http', { selector: { app: 'ledger' }, httpAttributes: ['to.operation.paths'] }),
      ],
    });
    expect(l7PolicyNotEnforcedFindings(k, g)).toEqual([]);
  });

  it('accepts targetRefs bound to a waypoint-served Service, flags one without a waypoint', () => {
    const bound = kube({
      ...base,
      namespaces: [ns('inventory', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'wp' })],
      gateways: [waypoint('inventory', 'wp')],
      authorizationPolicies: [
        authz('inventory', 'via-wp', {
          targetRefs: [{ kind: 'Service', group: '', name: 'inventory-api' }],
          httpAttributes: ['to.operation.methods'],
        }),
      ],
    });
    expect(l7PolicyNotEnforcedFindings(bound, g)).toEqual([]);
    const unbound = kube({ ...base, authorizationPolicies: bound.authorizationPolicies });
    const f = l7PolicyNotEnforcedFindings(unbound, g);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('not served by a waypoint');
  });

  it('trusts WaypointAccepted=False over derivation', () => {
    const k = kube({
      ...base,
      namespaces: [ns('inventory', { 'istio.io/use-waypoint': 'wp' })],
      gateways: [waypoint('inventory', 'wp')],
      authorizationPolicies: [
        authz('inventory', 'gw', {
          targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'wp' }],
          httpAttributes: ['to.operation.paths'],
          conditions: [{ type: 'WaypointAccepted', status: 'False', reason: 'AncestorNotBound', message: 'not bound' }],
        }),
      ],
    });
    const f = l7PolicyNotEnforcedFindings(k, g);
    expect(f).toHaveLength(1);
    expect(f[0]!.evidence).toContain('condition WaypointAccepted=False (AncestorNotBound)');
  });
});

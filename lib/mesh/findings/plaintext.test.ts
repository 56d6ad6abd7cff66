import { describe, expect, it } from 'vitest';
import { plaintextFindings } from './plaintext';
import { edge, graph, kube, ns, peerAuth, pod, svc, wl } from './test-builders';

const legacy = wl('legacy', 'legacy-reporting', { mode: 'none' });
const api = wl('inventory', 'inventory-api', { mode: 'ambient', services: ['inventory/inventory-api'] });
const ledger = wl('payments', 'ledger', { mode: 'sidecar', services: ['payments/ledger'] });
const batch = wl('payments', 'batch-export', { mode: 'none' });
const unknown = wl('unknown', '203.0.113.10', { kind: 'unknown' });

describe('plaintext', () => {
  it('flags plaintext into a meshed workload and names the out-of-mesh client', () => {
    const k = kube({ namespaces: [ns('legacy'), ns('inventory')], pods: [pod('legacy', 'legacy-reporting')] });
    const f = plaintextFindings(k, graph([legacy, api], [edge(legacy, api, { path: 'ambient', telemetry: 'l4', mtls: 'plaintext' })]));
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('warning');
    expect(f[0]!.namespace).toBe('inventory');
    expect(f[0]!.message).toContain('Out-of-mesh client: legacy/legacy-reporting');
    expect(f[0]!.objects).toEqual(['inventory/inventory-api', 'legacy/legacy-reporting']);
    expect(f[0]!.fix).toContain('kubectl label namespace legacy istio.io/dataplane-mode=ambient');
    expect(f[0]!.fix).toContain('mode: STRICT');
  });

  it('is critical under STRICT, warning when the used port is PERMISSIVE', () => {
    const pods = [pod('payments', 'ledger', { mode: 'sidecar' }), pod('payments', 'batch-export', { labels: { 'sidecar.istio.io/inject': 'false' } })];
    const g = graph([batch, ledger], [edge(batch, ledger, { mtls: 'plaintext' })]);
    const strict = kube({
      namespaces: [ns('payments', { 'istio-injection': 'enabled' })],
      pods,
      services: [svc('payments', 'ledger')],
      peerAuthentications: [peerAuth('payments', 'default')],
    });
    const f = plaintextFindings(strict, g);
    expect(f[0]!.severity).toBe('critical');
    expect(f[0]!.evidence).toContain('PeerAuthentication payments/default');
    expect(f[0]!.fix).toContain('sidecar.istio.io/inject: "false"');
    expect(f[0]!.fix).toContain('kubectl rollout restart deployment/batch-export -n payments');

    const relaxed = { ...strict, peerAuthentications: [peerAuth('payments', 'default', { portLevelMtls: { '8080': 'PERMISSIVE' } })] };
    const f2 = plaintextFindings(relaxed, g);
    expect(f2[0]!.severity).toBe('warning');
    expect(f2[0]!.message).toContain('port 8080 is PERMISSIVE');
  });

  it('ignores mutual/unknown edges and destinations out of the mesh', () => {
    const g = graph(
      [legacy, api, unknown, batch],
      [
        edge(legacy, api, { mtls: 'mutual' }),
        edge(legacy, api, { mtls: 'unknown' }),
        edge(api, unknown, { mtls: 'plaintext', telemetry: 'l4', protocol: 'tcp' }),
        edge(legacy, batch, { mtls: 'plaintext' }),
      ],
    );
    expect(plaintextFindings(kube({}), g)).toEqual([]);
  });
});

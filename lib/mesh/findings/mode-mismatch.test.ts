import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../inventory';
import { modeIssues, modeMismatchFindings } from './mode-mismatch';
import { graph, kube, ns, pod } from './test-builders';

const g = graph([], []);

describe('mode-mismatch', () => {
  it('flags redirection: pending as critical with the node to check', () => {
    const k = kube({
      namespaces: [ns('orders', { 'istio.io/dataplane-mode': 'ambient' })],
      pods: [pod('orders', 'orders-worker', { mode: 'pending', nodeName: 'node-b', labels: { 'istio.io/dataplane-mode': 'ambient' } })],
    });
    const f = modeMismatchFindings(k, g);
    expect(f).toHaveLength(1);
    expect(f[0]!.id).toBe('mode-mismatch:orders/orders-worker:redirection-pending');
    expect(f[0]!.severity).toBe('critical');
    expect(f[0]!.objects[0]).toBe('orders/orders-worker');
    expect(f[0]!.message).toContain('ambient.istio.io/redirection=pending');
    expect(f[0]!.fix).toContain('--field-selector spec.nodeName=node-b');
    expect(f[0]!.fix).toContain('kubectl rollout restart deployment/orders-worker -n orders');
  });

  it('flags namespace ambient label without capture, and both-requested namespaces', () => {
    const k = kube({
      namespaces: [ns('a', { 'istio.io/dataplane-mode': 'ambient' }), ns('b', { 'istio-injection': 'enabled', 'istio.io/dataplane-mode': 'ambient' })],
      pods: [pod('a', 'x'), pod('b', 'y', { mode: 'sidecar' })],
    });
    const codes = modeIssues(k).map((i) => `${i.subject}:${i.code}`);
    expect(codes).toEqual(['b:both-requested-namespace', 'a/x:ambient-not-captured']);
  });

  it('flags a pod labelled ambient that runs a sidecar, and injection that did not happen', () => {
    const k = kube({
      namespaces: [ns('p', { 'istio-injection': 'enabled' })],
      pods: [pod('p', 'x', { mode: 'sidecar', labels: { 'istio.io/dataplane-mode': 'ambient' } }), pod('p', 'y')],
    });
    expect(modeIssues(k).map((i) => i.code)).toEqual(['ambient-label-on-sidecar-pod', 'injection-missing']);
  });

  it('is silent for consistent pods, explicit opt-outs, gateways and mixed workloads', () => {
    const k = kube({
      namespaces: [
        ns('payments', { 'istio-injection': 'enabled' }),
        ns('shop', { 'istio.io/dataplane-mode': 'ambient' }),
        ns('orders', { 'istio.io/dataplane-mode': 'ambient' }),
        ns('istio-system'),
      ],
      pods: [
        pod('payments', 'ledger', { mode: 'sidecar' }),
        pod('payments', 'batch-export', { labels: { 'sidecar.istio.io/inject': 'false' } }),
        pod('shop', 'cart', { mode: 'ambient' }),
        pod('shop', 'opted-out', { labels: { 'istio.io/dataplane-mode': 'none' } }),
        pod('shop', 'shop-waypoint', { labels: { 'gateway.istio.io/managed': 'istio.io-mesh-controller' } }),
        pod('orders', 'orders-api', { mode: 'sidecar' }),
        pod('orders', 'orders-api', { mode: 'ambient' }),
        pod('istio-system', 'ztunnel', { labels: { app: 'ztunnel' } }),
      ],
    });
    expect(modeIssues(k)).toEqual([]);
  });

  it('flags a fully sidecar workload left behind in an ambient namespace', () => {
    const k = kube({ namespaces: [ns('orders', { 'istio.io/dataplane-mode': 'ambient' })], pods: [pod('orders', 'old', { mode: 'sidecar' })] });
    expect(modeIssues(k).map((i) => i.code)).toEqual(['sidecar-in-ambient-namespace']);
  });

  it('reads the one mismatch rule (pods.ts, through the inventory): same pods as the graph node issues; ztunnel found where it runs', () => {
    const k = kube({
      namespaces: [ns('orders', { 'istio.io/dataplane-mode': 'ambient' }), ns('kube-system')],
      pods: [
        pod('kube-system', 'ztunnel', { labels: { app: 'ztunnel' }, workload: { kind: 'DaemonSet', name: 'ztunnel' } }),
        pod('orders', 'w', { mode: 'pending', nodeName: 'node-b' }),
      ],
    });
    const inv = inventoryOf(k);
    const w = inv.workloads.get('orders', 'w')!;
    expect(w.pods[0]!.issues.map((i) => i.code)).toEqual(['redirection-pending']);
    const [issue] = modeIssues(k);
    expect(issue).toMatchObject({ code: 'redirection-pending', subject: 'orders/w' });
    expect(issue!.fix).toContain('kubectl get pods -n kube-system -l app=ztunnel --field-selector spec.nodeName=node-b');
  });

  it('hostNetwork pods are never injected, so no "injection missing" for them', () => {
    const k = kube({ namespaces: [ns('p', { 'istio-injection': 'enabled' })], pods: [pod('p', 'h', { hostNetwork: true })] });
    expect(modeIssues(k)).toEqual([]);
  });
});

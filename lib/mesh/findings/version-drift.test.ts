import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../inventory';
import { proxyPods, proxyVersionsInUse, versionDriftFindings } from './version-drift';
import { graph, kube, pod } from './test-builders';

const g = graph([], []);
const ztunnel = (v: string) =>
  pod('istio-system', 'ztunnel', {
    workload: { kind: 'DaemonSet', name: 'ztunnel' },
    labels: { app: 'ztunnel' },
    containers: [{ name: 'istio-proxy', image: `docker.io/istio/ztunnel:${v}-distroless`, args: [] }],
  });
const istiod = pod('istio-system', 'istiod', {
  labels: { app: 'istiod' },
  containers: [{ name: 'discovery', image: 'docker.io/istio/pilot:1.27.1', args: [] }],
});

describe('version-drift', () => {
  it('lists the versions and where, against the istiod baseline', () => {
    const k = kube({
      pods: [
        istiod,
        ztunnel('1.27.1'),
        pod('payments', 'payments-api', { mode: 'native-sidecar', version: '1.27.1' }),
        pod('payments', 'ledger', { mode: 'sidecar', version: '1.26.3' }),
        pod('payments', 'ledger', { mode: 'sidecar', version: '1.26.3' }),
      ],
    });
    const f = versionDriftFindings(k, g);
    expect(f).toHaveLength(1);
    expect(f[0]!.id).toBe('version-drift:payments');
    expect(f[0]!.severity).toBe('warning'); // 1.26 vs 1.27
    expect(f[0]!.message).toContain('sidecar payments/ledger (2 pods) runs 1.26.3 (revision default)');
    expect(f[0]!.message).toContain('baseline is 1.27.1 (istiod)');
    expect(f[0]!.message).toContain('ztunnel istio-system/ztunnel ×1');
    expect(f[0]!.fix).toContain('kubectl rollout restart deployment/ledger -n payments');
    expect(f[0]!.objects[0]).toBe('payments/ledger');
  });

  it('patch-only drift of ztunnel is info with a helm fix', () => {
    const k = kube({ pods: [istiod, ztunnel('1.27.0'), pod('a', 'x', { mode: 'sidecar', version: '1.27.1' })] });
    const f = versionDriftFindings(k, g);
    expect(f).toHaveLength(1);
    expect(f[0]!.namespace).toBe('istio-system');
    expect(f[0]!.severity).toBe('info');
    expect(f[0]!.fix).toContain('helm upgrade ztunnel');
  });

  it('ignores an istiod tag that is not a version and falls back to the most common proxy version', () => {
    const odd = pod('istio-system', 'istiod', { labels: { app: 'istiod' }, containers: [{ name: 'discovery', image: 'example/istiod:1', args: [] }] });
    const k = kube({
      pods: [
        odd,
        pod('a', 'x', { mode: 'sidecar', version: '1.27.1' }),
        pod('a', 'x', { mode: 'sidecar', version: '1.27.1' }),
        pod('b', 'y', { mode: 'sidecar', version: '1.27.0' }),
      ],
    });
    const f = versionDriftFindings(k, g);
    expect(f.map((x) => x.id)).toEqual(['version-drift:b']);
    expect(f[0]!.message).toContain('baseline is 1.27.1 (most common)');
  });

  it('is silent when every proxy matches, and ignores ambient/none app pods', () => {
    const k = kube({ pods: [istiod, ztunnel('1.27.1'), pod('a', 'x', { mode: 'sidecar' }), pod('a', 'y', { mode: 'ambient' })] });
    expect(versionDriftFindings(k, g)).toEqual([]);
    expect([...proxyVersionsInUse(proxyPods(inventoryOf(k).pods)).keys()]).toEqual(['1.27.1']);
  });
});

import { describe, expect, it } from 'vitest';
import { attributeByMode, attributeKey, attributeTarget } from './attribution';
import { buildWorkloadIndex } from './workloads';
import { ambientPod, kube, plainPod, sidecarPod, waypointPod, ztunnelPod } from './testing/fixtures';
import {
  H_ZTUNNEL_SOURCE_SENT,
  I_ZTUNNEL_DEST_RECEIVED,
  I_ZTUNNEL_SOURCE_UNKNOWN_DEST,
  J_WAYPOINT_REQUESTS,
  K_SIDECAR_CLIENT_CLOSED,
  pick,
} from './testing/real-series';
import { EDGE_LABELS, TARGET_LABELS } from './types';

const idx = buildWorkloadIndex(
  kube({
    pods: [
      ztunnelPod('ztunnel-6f5cp', '10.68.2.42', 'n1'),
      sidecarPod({ namespace: 'example-test-dev', name: 'session-manager-test-dev-1', workload: 'session-manager-test-dev', ip: '10.68.2.50' }),
      ambientPod({ namespace: 'server', name: 'echo-v2-1', workload: 'echo-v2', ip: '10.68.2.60' }),
      ambientPod({ namespace: 'default', name: 'sleep-1', workload: 'sleep', ip: '10.68.2.61' }),
      sidecarPod({ namespace: 'mix', name: 'm-1', workload: 'm' }),
      ambientPod({ namespace: 'mix', name: 'm-2', workload: 'm' }),
      plainPod({ namespace: 'default', name: 'legacy-1', workload: 'legacy' }),
    ],
  }),
);
const target = (l: Record<string, string>) => pick(l, [...EDGE_LABELS, ...TARGET_LABELS]);

describe('rule: reporter=waypoint', () => {
  it('(j) waypoint series → waypoint', () => {
    expect(attributeTarget(target(J_WAYPOINT_REQUESTS), idx)).toEqual({ proxy: 'waypoint', rule: 'waypoint', target: 'waypoint-565898c798-hjdcp' });
  });
  it('a destination series from a waypoint pod (pre-1.22) is not "waypoint"', () => {
    expect(attributeTarget({ ...target(J_WAYPOINT_REQUESTS), reporter: 'destination' }, idx)?.proxy).toBe('envoy');
  });
});

describe('pre-1.22 waypoints (reporter=destination from a waypoint pod)', () => {
  const withWp = buildWorkloadIndex(kube({ pods: [waypointPod({ namespace: 'lab', gateway: 'waypoint', name: 'waypoint-1', ip: '10.9.9.9' })] }));
  it('by scrape labels and by instance IP → waypoint', () => {
    expect(attributeTarget({ reporter: 'destination', pod: 'waypoint-1', namespace: 'lab', instance: '10.9.9.9:15020' }, withWp)).toMatchObject({
      proxy: 'waypoint',
      rule: 'scrape-labels',
    });
    expect(attributeTarget({ reporter: 'destination', instance: '10.9.9.9:15020' }, withWp)).toMatchObject({ proxy: 'waypoint', rule: 'instance-ip' });
  });
  it('an ordinary sidecar pod stays envoy', () => {
    expect(attributeTarget({ reporter: 'destination', instance: '10.68.2.50:15020' }, idx)?.proxy).toBe('envoy');
  });
});

describe('rule (a): scrape-target labels', () => {
  it('(i) app="ztunnel" → ztunnel', () => {
    expect(attributeTarget(target(I_ZTUNNEL_DEST_RECEIVED), idx)).toEqual({ proxy: 'ztunnel', rule: 'scrape-labels', target: 'ztunnel-6f5cp' });
    expect(attributeTarget(target(I_ZTUNNEL_SOURCE_UNKNOWN_DEST), idx)?.proxy).toBe('ztunnel');
  });
  it('pod=~"ztunnel-.*" without app → ztunnel', () => {
    const l = target(I_ZTUNNEL_DEST_RECEIVED);
    delete l.app;
    expect(attributeTarget(l, idx)).toMatchObject({ proxy: 'ztunnel', rule: 'scrape-labels' });
  });
  it('another pod/app → envoy', () => {
    expect(
      attributeTarget(
        { ...target(K_SIDECAR_CLIENT_CLOSED), pod: 'session-manager-test-dev-1', app: 'session-manager-test-dev', instance: '10.68.2.50:15020' },
        idx,
      ),
    ).toMatchObject({
      proxy: 'envoy',
      rule: 'scrape-labels',
    });
  });
});

describe('rule (b): instance address vs pod IPs', () => {
  it('ztunnel pod IP → ztunnel', () => {
    expect(attributeTarget({ reporter: 'destination', instance: '10.68.2.42:15020', job: 'kubernetes-pods' }, idx)).toEqual({
      proxy: 'ztunnel',
      rule: 'instance-ip',
      target: 'ztunnel-6f5cp',
    });
  });
  it('other pod IP → envoy', () => {
    expect(attributeTarget({ reporter: 'source', instance: '10.68.2.50:15020' }, idx)).toMatchObject({ proxy: 'envoy', rule: 'instance-ip' });
  });
  it('unmatched IP → no decision', () => {
    expect(attributeTarget({ reporter: 'source', instance: '10.99.9.9:15020' }, idx)).toBeUndefined();
    expect(attributeTarget({ reporter: 'source' }, idx)).toBeUndefined();
  });
});

describe('rule (c): current mode of the reporting-side workload', () => {
  const none = { hasRequests: false };
  it('(h) reporter=source uses the source workload (sleep, ambient) → ztunnel', () => {
    expect(attributeByMode(H_ZTUNNEL_SOURCE_SENT, idx, none)).toEqual(['ztunnel']);
  });
  it('(i) reporter=destination uses the destination workload (echo-v2, ambient) → ztunnel', () => {
    expect(attributeByMode(I_ZTUNNEL_DEST_RECEIVED, idx, none)).toEqual(['ztunnel']);
  });
  it('(k) sidecar source → envoy', () => {
    expect(attributeByMode(K_SIDECAR_CLIENT_CLOSED, idx, none)).toEqual(['envoy']);
  });
  it('mixed workload → both, narrowed by evidence', () => {
    const l = { reporter: 'destination', destination_workload: 'm', destination_workload_namespace: 'mix', connection_security_policy: 'mutual_tls' };
    expect(attributeByMode(l, idx, none)).toEqual(['envoy', 'ztunnel']);
    expect(attributeByMode({ ...l, connection_security_policy: 'none' }, idx, none)).toEqual(['envoy']);
    expect(attributeByMode({ ...l, connection_security_policy: 'unknown' }, idx, none)).toEqual(['ztunnel']);
  });
  it('requests series only come from Envoy, even if the workload is ambient today', () => {
    const l = { reporter: 'destination', destination_workload: 'echo-v2', destination_workload_namespace: 'server', connection_security_policy: 'mutual_tls' };
    expect(attributeByMode(l, idx, { hasRequests: true })).toEqual(['envoy']);
  });
  it('unknown or out-of-mesh workload → unknown', () => {
    expect(attributeByMode({ reporter: 'source', source_workload: 'ghost', source_workload_namespace: 'x' }, idx, none)).toEqual(['unknown']);
    expect(attributeByMode({ reporter: 'source', source_workload: 'legacy', source_workload_namespace: 'default' }, idx, none)).toEqual(['unknown']);
  });
});

describe('attributeKey', () => {
  it('mixed workload: different pods report differently, all kinds kept', () => {
    const key = { reporter: 'destination', destination_workload: 'm', destination_workload_namespace: 'mix', connection_security_policy: 'mutual_tls' };
    const res = attributeKey(
      key,
      [
        { labels: { ...key, pod: 'm-1', app: 'm', instance: '10.0.0.1:15020' } },
        { labels: { ...key, pod: 'ztunnel-abc', app: 'ztunnel', instance: '10.0.0.2:15020' } },
      ],
      idx,
      {
        hasRequests: true,
      },
    );
    expect(res).toEqual([
      { proxy: 'envoy', rule: 'scrape-labels', targets: ['m-1'] },
      { proxy: 'ztunnel', rule: 'scrape-labels', targets: ['ztunnel-abc'] },
    ]);
  });
  it('falls back to rule (c) with no targets', () => {
    expect(attributeKey(H_ZTUNNEL_SOURCE_SENT, [], idx, { hasRequests: false })).toEqual([{ proxy: 'ztunnel', rule: 'current-mode', targets: [] }]);
  });
});

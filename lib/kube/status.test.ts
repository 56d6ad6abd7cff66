import { describe, expect, it } from 'vitest';
import { summarizeKinds, type KindName, type KindStatus } from './status';

const ok = (kind: KindName): KindStatus => ({ kind, phase: 'ok', synced: true, lastSyncedAt: '2026-11-21T21:00:00.000Z' });
const core = (['namespaces', 'pods', 'services', 'replicasets'] as KindName[]).map(ok);

describe('summarizeKinds', () => {
  it('is silent and available when everything synced', () => {
    expect(summarizeKinds([...core, ok('gateways'), ok('gatewayclasses'), ok('authorizationpolicies'), ok('peerauthentications')])).toEqual({
      warnings: [],
      available: true,
    });
  });

  it('explains missing CRDs and 403s without failing', () => {
    const s = summarizeKinds([
      ...core,
      { kind: 'gateways', phase: 'missing', synced: false },
      { kind: 'gatewayclasses', phase: 'missing', synced: false },
      { kind: 'httproutes', phase: 'missing', synced: false },
      { kind: 'authorizationpolicies', phase: 'forbidden', synced: false, error: 'HTTP 403: authorizationpolicies.security.istio.io is forbidden' },
      ok('peerauthentications'),
      { kind: 'virtualservices', phase: 'missing', synced: false },
      { kind: 'destinationrules', phase: 'missing', synced: false },
    ]);
    expect(s.available).toBe(true);
    expect(s.warnings).toEqual([
      { source: 'kubernetes', message: 'Gateway API CRDs not installed: waypoints unknown' },
      { source: 'kubernetes', message: 'Istio networking CRDs not installed: VirtualService traffic splits unknown' },
      {
        source: 'kubernetes',
        message: 'forbidden to list authorizationpolicies.security.istio.io: HTTP 403: authorizationpolicies.security.istio.io is forbidden',
      },
    ]);
  });

  it('serves stale data with the time it went stale, in one warning per cause', () => {
    const down = (kind: KindName): KindStatus => ({
      kind,
      phase: 'error',
      synced: true,
      error: 'connect ECONNREFUSED 127.0.0.1:16443',
      errorSince: kind === 'pods' ? '2026-11-21T21:05:00.000Z' : '2026-11-21T21:05:02.000Z',
      lastSyncedAt: '2026-11-21T21:04:00.000Z',
    });
    const s = summarizeKinds([down('namespaces'), down('pods'), down('services')]);
    expect(s.available).toBe(true);
    expect(s.warnings).toEqual([
      {
        source: 'kubernetes',
        message:
          'Kubernetes API error for namespaces, pods, services: connect ECONNREFUSED 127.0.0.1:16443; showing last known data from 2026-11-21T21:04:00.000Z (stale since 2026-11-21T21:05:00.000Z)',
      },
    ]);
  });

  it('is unavailable when nothing was ever read', () => {
    const never = (kind: KindName): KindStatus => ({ kind, phase: 'error', synced: false, error: 'ECONNREFUSED' });
    const s = summarizeKinds([never('namespaces'), never('pods'), never('services'), { kind: 'gateways', phase: 'starting', synced: false }]);
    expect(s.available).toBe(false);
    expect(s.warnings.map((w) => w.message)).toEqual([
      'could not read namespaces, pods, services from the Kubernetes API: ECONNREFUSED',
      'could not read gateways.gateway.networking.k8s.io from the Kubernetes API: no answer yet',
    ]);
  });

  it('is unavailable when core kinds are unreadable even if CRD checks answered', () => {
    const s = summarizeKinds([
      { kind: 'namespaces', phase: 'forbidden', synced: false },
      { kind: 'pods', phase: 'forbidden', synced: false },
      { kind: 'services', phase: 'forbidden', synced: false },
      ok('gateways'),
    ]);
    expect(s.available).toBe(false);
  });

  it('names a single missing kind of a CRD group', () => {
    const s = summarizeKinds([...core, { kind: 'gatewayclasses', phase: 'missing', synced: false }, ok('gateways')]);
    expect(s.warnings[0]?.message).toBe('gatewayclasses.gateway.networking.k8s.io not served by the API (CRD missing)');
  });
});

describe('WATCHED_KINDS', () => {
  it('lists every kind once, and every kind has a kubectl resource name in its group', async () => {
    const { WATCHED_KINDS: kinds, RESOURCE_NAMES } = await import('./status');
    expect(new Set(kinds.map((k) => k.kind)).size).toBe(kinds.length);
    expect(kinds.map((k) => k.kind).sort()).toEqual(Object.keys(RESOURCE_NAMES).sort());
    for (const k of kinds) expect(RESOURCE_NAMES[k.kind]).toBe(k.group === '' ? k.kind : `${k.resource ?? k.kind}.${k.group}`);
  });
  it('a missing Calico is not worth a warning; a missing NetworkPolicy API is', async () => {
    const { summarizeKinds: sum } = await import('./status');
    const s = sum([
      ...core,
      { kind: 'caliconetworkpolicies', phase: 'missing', synced: false },
      { kind: 'calicoglobalnetworkpolicies', phase: 'missing', synced: false },
      { kind: 'networkpolicies', phase: 'missing', synced: false },
    ]);
    expect(s.warnings.map((w) => w.message)).toEqual(['networkpolicies.networking.k8s.io not served by the API']);
  });
});

// Pure: per-kind informer states → KubeSnapshot warnings and availability.
import type { Warning } from '@/lib/mesh/types';

export type KindName =
  | 'namespaces'
  | 'pods'
  | 'services'
  | 'replicasets'
  | 'gateways'
  | 'gatewayclasses'
  | 'authorizationpolicies'
  | 'peerauthentications'
  | 'httproutes'
  | 'virtualservices'
  | 'destinationrules'
  | 'networkpolicies'
  | 'caliconetworkpolicies'
  | 'calicoglobalnetworkpolicies';

/**
 * The kinds the informer cache watches (lib/kube/cache.ts) with their API group(s) and resource (the kind's
 * name unless given), and the verbs an informer uses (a paginated list, then a watch). A kind with several
 * groups is tried in order (Calico: the projectcalico.org API server, else its CRDs).
 * deploy/base/clusterrole.yaml grants exactly these; deploy/manifests.test.ts derives its expectation from this
 * list, so RBAC and code cannot drift.
 */
export const WATCHED_KINDS: readonly { kind: KindName; group: string; alsoGroups?: string[]; resource?: string }[] = [
  { kind: 'namespaces', group: '' },
  { kind: 'pods', group: '' },
  { kind: 'services', group: '' },
  { kind: 'replicasets', group: 'apps' },
  { kind: 'gateways', group: 'gateway.networking.k8s.io' },
  { kind: 'gatewayclasses', group: 'gateway.networking.k8s.io' },
  { kind: 'authorizationpolicies', group: 'security.istio.io' },
  { kind: 'peerauthentications', group: 'security.istio.io' },
  { kind: 'httproutes', group: 'gateway.networking.k8s.io' },
  { kind: 'virtualservices', group: 'networking.istio.io' },
  { kind: 'destinationrules', group: 'networking.istio.io' },
  { kind: 'networkpolicies', group: 'networking.k8s.io' },
  { kind: 'caliconetworkpolicies', group: 'projectcalico.org', alsoGroups: ['crd.projectcalico.org'], resource: 'networkpolicies' },
  { kind: 'calicoglobalnetworkpolicies', group: 'projectcalico.org', alsoGroups: ['crd.projectcalico.org'], resource: 'globalnetworkpolicies' },
];

/** Kinds whose absence is normal and not worth a warning (Calico is one CNI among many). */
export const OPTIONAL_KINDS: ReadonlySet<KindName> = new Set(['caliconetworkpolicies', 'calicoglobalnetworkpolicies']);
export const INFORMER_VERBS: readonly string[] = ['list', 'watch'];

/** Resource names as kubectl spells them, for messages. */
export const RESOURCE_NAMES: Record<KindName, string> = {
  namespaces: 'namespaces',
  pods: 'pods',
  services: 'services',
  replicasets: 'replicasets.apps',
  gateways: 'gateways.gateway.networking.k8s.io',
  gatewayclasses: 'gatewayclasses.gateway.networking.k8s.io',
  authorizationpolicies: 'authorizationpolicies.security.istio.io',
  peerauthentications: 'peerauthentications.security.istio.io',
  httproutes: 'httproutes.gateway.networking.k8s.io',
  virtualservices: 'virtualservices.networking.istio.io',
  destinationrules: 'destinationrules.networking.istio.io',
  networkpolicies: 'networkpolicies.networking.k8s.io',
  caliconetworkpolicies: 'networkpolicies.projectcalico.org',
  calicoglobalnetworkpolicies: 'globalnetworkpolicies.projectcalico.org',
};

type KindPhase =
  /** Never answered yet (first list in flight or backing off after a failure before any success). */
  | 'starting'
  /** Listed and watching. */
  | 'ok'
  /** 404: the CRD (or API group) is not installed. */
  | 'missing'
  /** 403: RBAC forbids listing it. */
  | 'forbidden'
  /** Any other failure (API down, 5xx, timeout). */
  | 'error';

export interface KindStatus {
  kind: KindName;
  phase: KindPhase;
  /** A list succeeded at least once: the cache holds data (possibly stale). */
  synced: boolean;
  /** When the current error began (ISO). */
  errorSince?: string;
  /** When the data was last known good (last successful list or watch event, ISO). */
  lastSyncedAt?: string;
  /** Last error message (no secrets: API server messages only). */
  error?: string;
}

const CRD_GROUPS: { kinds: KindName[]; message: string }[] = [
  { kinds: ['gateways', 'gatewayclasses', 'httproutes'], message: 'Gateway API CRDs not installed: waypoints unknown' },
  { kinds: ['authorizationpolicies'], message: 'Istio AuthorizationPolicy CRD not installed: policies unknown' },
  { kinds: ['peerauthentications'], message: 'Istio PeerAuthentication CRD not installed: mTLS modes unknown' },
  { kinds: ['virtualservices', 'destinationrules'], message: 'Istio networking CRDs not installed: VirtualService traffic splits unknown' },
];

/** Kinds whose absence means the snapshot is useless (nothing to draw). */
const CORE_KINDS: KindName[] = ['namespaces', 'pods', 'services'];

export interface Summary {
  warnings: Warning[];
  available: boolean;
}

/**
 * Warnings and availability for a snapshot. Missing CRDs and 403s are explained, never failures;
 * failing kinds with older data are served stale with the time they went stale; failing kinds
 * without data are empty. available=false only when no kind ever answered (missing/forbidden
 * count as answers: the API is up).
 */
export function summarizeKinds(statuses: readonly KindStatus[]): Summary {
  const warnings: Warning[] = [];
  const by = new Map(statuses.map((s) => [s.kind, s]));
  const warn = (message: string) => warnings.push({ source: 'kubernetes', message });

  for (const g of CRD_GROUPS) {
    const missing = g.kinds.filter((k) => by.get(k)?.phase === 'missing');
    if (missing.length === 0) continue;
    if (missing.length === g.kinds.length) warn(g.message);
    else for (const k of missing) warn(`${RESOURCE_NAMES[k]} not served by the API (CRD missing)`);
  }
  for (const s of statuses) {
    if (s.phase === 'missing' && !OPTIONAL_KINDS.has(s.kind) && !CRD_GROUPS.some((g) => g.kinds.includes(s.kind)))
      warn(`${RESOURCE_NAMES[s.kind]} not served by the API`);
    if (s.phase === 'forbidden') warn(`forbidden to list ${RESOURCE_NAMES[s.kind]}: ${s.error ?? 'check the RBAC of the dashboard service account'}`);
  }

  // Failures: group kinds that failed with the same message (API down → one warning).
  const stale = new Map<string, KindStatus[]>();
  const empty = new Map<string, KindStatus[]>();
  for (const s of statuses) {
    if (s.phase !== 'error' && s.phase !== 'starting') continue;
    if (s.phase === 'starting' && s.synced) continue;
    const msg = s.phase === 'starting' ? 'no answer yet' : (s.error ?? 'unknown error');
    const target = s.synced ? stale : empty;
    target.set(msg, [...(target.get(msg) ?? []), s]);
  }
  for (const [msg, kinds] of stale) {
    const since = kinds
      .map((k) => k.errorSince)
      .filter((x): x is string => !!x)
      .sort()[0];
    const asOf = kinds
      .map((k) => k.lastSyncedAt)
      .filter((x): x is string => !!x)
      .sort()[0];
    warn(
      `Kubernetes API error for ${kinds.map((k) => RESOURCE_NAMES[k.kind]).join(', ')}: ${msg}; showing last known data` +
        `${asOf ? ` from ${asOf}` : ''} (stale since ${since ?? 'unknown'})`,
    );
  }
  for (const [msg, kinds] of empty) {
    warn(`could not read ${kinds.map((k) => RESOURCE_NAMES[k.kind]).join(', ')} from the Kubernetes API: ${msg}`);
  }

  const answered = statuses.some((s) => s.synced || s.phase === 'missing' || s.phase === 'forbidden');
  const coreEmpty = CORE_KINDS.every((k) => {
    const s = by.get(k);
    return !s || !s.synced;
  });
  return { warnings, available: answered && !coreEmpty };
}

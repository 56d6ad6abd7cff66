// Which proxy reported a series (docs/classification.md §3.1).
import type { AttributionRule, Labels, ProxyKind, Reporter, ReporterTarget } from './types';
import type { WorkloadIndex } from './workloads';
import { instanceHost, isKnown } from './util';

export interface Attribution {
  proxy: ProxyKind;
  rule: AttributionRule;
  /** Pod name (scrape labels or IP match) or the instance address. */
  target?: string;
}

export function parseReporter(v: string | undefined): Reporter | undefined {
  return v === 'source' || v === 'destination' || v === 'waypoint' ? v : undefined;
}

/** Istio ≤1.21 waypoints reported `destination` (docs/istio-telemetry.md §2.2, §2.5): still a waypoint. */
function preWaypoint(reporter: Reporter | undefined, role: string | undefined): ProxyKind {
  return reporter === 'destination' && role === 'waypoint' ? 'waypoint' : 'envoy';
}

/**
 * Rules waypoint, (a) scrape-target labels and (b) instance IP, for one scrape target.
 * Returns undefined when neither applies: the caller falls back to rule (c), `attributeByMode`.
 */
export function attributeTarget(labels: Labels, index: WorkloadIndex): Attribution | undefined {
  const reporter = parseReporter(labels.reporter);
  const target = labels.pod ?? labels.instance;
  if (reporter === 'waypoint') return { proxy: 'waypoint', rule: 'waypoint', ...(target ? { target } : {}) };
  // (a) target labels from the scrape config
  if (labels.app === 'ztunnel' || (labels.pod !== undefined && /^ztunnel-/.test(labels.pod))) {
    return { proxy: 'ztunnel', rule: 'scrape-labels', ...(target ? { target } : {}) };
  }
  if (isKnown(labels.pod) || isKnown(labels.app)) {
    const known = labels.pod && labels.namespace ? index.podsByName.get(`${labels.namespace}/${labels.pod}`) : undefined;
    return { proxy: preWaypoint(reporter, known?.workload.role), rule: 'scrape-labels', ...(target ? { target } : {}) };
  }
  // (b) instance address vs pod IPs from the Kubernetes API
  if (labels.instance) {
    const matches = index.podsByIp.get(instanceHost(labels.instance)) ?? [];
    if (matches.length > 0) {
      const zt = matches.find((m) => m.pod.classification.class === 'ztunnel');
      const hit = zt ?? matches[0]!;
      return {
        proxy: zt ? 'ztunnel' : preWaypoint(reporter, hit.workload.role),
        rule: 'instance-ip',
        target: hit.pod.pod.name,
      };
    }
  }
  return undefined;
}

/** Evidence carried by the series themselves, used to sharpen rule (c). */
export interface SeriesEvidence {
  /** istio_requests_total exists for the series: only Envoy emits it (ztunnel is L4 only). */
  hasRequests: boolean;
}

/**
 * Rule (c): the current mode of the reporting-side workload (source workload for reporter=source,
 * destination workload for reporter=destination). A guess for past windows. Mixed workloads give
 * both kinds, narrowed by evidence: request series and a server-side `none` come only from Envoy,
 * a server-side `unknown` only from ztunnel (docs/istio-telemetry.md §2.1, §2.4, §2.5).
 */
export function attributeByMode(labels: Labels, index: WorkloadIndex, evidence: SeriesEvidence): ProxyKind[] {
  const reporter = parseReporter(labels.reporter);
  if (reporter === 'waypoint') return ['waypoint'];
  if (!reporter) return ['unknown'];
  const side = reporter === 'source' ? 'source' : 'destination';
  const w = index.get(labels[`${side}_workload_namespace`] ?? '', labels[`${side}_workload`] ?? '');
  let kinds: ProxyKind[];
  if (!w) kinds = [];
  else if (w.role !== 'application') kinds = w.role === 'ztunnel' || w.role === 'istio-cni' || w.role === 'control-plane' ? [] : ['envoy'];
  else if (w.mode === 'sidecar') kinds = ['envoy'];
  else if (w.mode === 'ambient') kinds = ['ztunnel'];
  else if (w.mode === 'mixed') kinds = ['envoy', 'ztunnel'];
  else kinds = [];
  const csp = labels.connection_security_policy;
  if (reporter === 'destination' && csp === 'none') kinds = ['envoy'];
  else if (reporter === 'destination' && csp === 'unknown' && !evidence.hasRequests) kinds = ['ztunnel'];
  if (evidence.hasRequests && !kinds.includes('envoy')) kinds = ['envoy', ...kinds.filter((k) => k !== 'ztunnel')];
  if (kinds.length === 0 && evidence.hasRequests) kinds = ['envoy'];
  return kinds.length > 0 ? kinds : ['unknown'];
}

/** Envoy cluster names that only an Envoy proxy reports as a destination. */
const ENVOY_ONLY_DESTINATIONS: ReadonlySet<string> = new Set(['PassthroughCluster', 'InboundPassthroughCluster', 'BlackHoleCluster']);

/** Attribute every reporter target of one edge-label key, falling back to rule (c) when none decides. */
export function attributeKey(
  keyLabels: Labels,
  targets: ReporterTarget[],
  index: WorkloadIndex,
  evidence: SeriesEvidence,
): { proxy: ProxyKind; rule: AttributionRule; targets: string[] }[] {
  const byKind = new Map<string, { proxy: ProxyKind; rule: AttributionRule; targets: string[] }>();
  const undecided: string[] = [];
  for (const t of targets) {
    const a = attributeTarget(t.labels, index);
    if (!a) {
      if (t.labels.instance) undecided.push(t.labels.instance);
      continue;
    }
    const k = `${a.proxy}|${a.rule}`;
    const e = byKind.get(k) ?? { proxy: a.proxy, rule: a.rule, targets: [] };
    if (a.target) e.targets.push(a.target);
    byKind.set(k, e);
  }
  if (byKind.size === 0 && ENVOY_ONLY_DESTINATIONS.has(keyLabels.destination_service_name ?? '')) {
    // Only Envoy has named egress clusters (docs/istio-telemetry.md §7); ztunnel never writes them.
    byKind.set('envoy|series-labels', { proxy: 'envoy', rule: 'series-labels', targets: undecided.slice() });
  } else if (byKind.size === 0 || undecided.length > 0) {
    const decided = new Set([...byKind.values()].map((e) => e.proxy));
    for (const proxy of attributeByMode(keyLabels, index, evidence)) {
      if (byKind.size > 0 && decided.has(proxy)) continue;
      const rule: AttributionRule = proxy === 'waypoint' ? 'waypoint' : proxy === 'unknown' ? 'none' : 'current-mode';
      byKind.set(`${proxy}|${rule}`, { proxy, rule, targets: undecided.slice() });
    }
  }
  return [...byKind.values()]
    .map((e) => ({ ...e, targets: [...new Set(e.targets)].sort() }))
    .sort((a, b) => `${a.proxy}|${a.rule}`.localeCompare(`${b.proxy}|${b.rule}`));
}

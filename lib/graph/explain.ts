import type { EdgeReporter, GraphEdge, GraphNode } from '@/lib/mesh/types';
import { MODE_LABELS, effectiveMode } from './style-mapping';

// Plain-words explanations for the side panel (docs/api.md §5: "only ztunnel saw this traffic:
// add a waypoint to get request metrics"). Pure so every branch is unit-tested.

export interface Fix {
  text: string;
  command?: string;
}

interface EdgeExplanation {
  path: string;
  /** One sentence per reporter; undefined when the answer did not carry the reporters (`omit=detail`). */
  seenBy?: string[];
  telemetry: string;
  mtls: string;
  notes: string[];
  fixes: Fix[];
}

const PROXY_WORDS: Record<EdgeReporter['proxy'], string> = {
  envoy: 'Envoy (sidecar or gateway)',
  ztunnel: 'ztunnel',
  waypoint: 'the waypoint',
  unknown: 'an unidentified proxy',
};

const RULE_WORDS: Record<EdgeReporter['rule'], string> = {
  waypoint: 'reporter="waypoint"',
  'scrape-labels': 'identified by scrape-target labels',
  'instance-ip': 'identified by matching the scrape address to a ztunnel pod IP',
  'series-labels': 'identified by the series itself (only Envoy names PassthroughCluster/BlackHoleCluster)',
  'current-mode': "guessed from the workload's current mode",
  none: 'not identified',
};

const SIDE_WORDS: Record<EdgeReporter['reporter'], string> = {
  source: 'client side',
  destination: 'server side',
  waypoint: 'waypoint',
};

function nodeName(n: GraphNode | undefined, fallback: string): string {
  return n ? `${n.namespace}/${n.name}` : fallback;
}

function splitRef(ref: string): { ns: string; name: string } {
  const i = ref.indexOf('/');
  return i < 0 ? { ns: '', name: ref } : { ns: ref.slice(0, i), name: ref.slice(i + 1) };
}

function reporterSentence(r: EdgeReporter): string {
  const who = r.reporter === 'waypoint' ? 'The waypoint' : `${PROXY_WORDS[r.proxy]} on the ${SIDE_WORDS[r.reporter]}`;
  const targets = r.targets.length ? ` (${r.targets.slice(0, 3).join(', ')}${r.targets.length > 3 ? ', …' : ''})` : '';
  return `${who}${targets} — reporter="${r.reporter}", ${RULE_WORDS[r.rule]}`;
}

export function explainEdge(edge: GraphEdge, nodes: ReadonlyMap<string, GraphNode>): EdgeExplanation {
  const src = nodes.get(edge.source);
  const dst = nodes.get(edge.target);
  const srcName = nodeName(src, edge.source);
  const dstName = nodeName(dst, edge.target);
  const srcMode = src ? effectiveMode(src) : undefined;
  const dstNs = dst?.namespace ?? '';
  const isHttp = edge.protocol === 'http' || edge.protocol === 'grpc';
  const notes: string[] = [];
  const fixes: Fix[] = [];

  let path: string;
  switch (edge.path) {
    case 'waypoint':
      path = `A waypoint${edge.waypoint ? ` (${edge.waypoint})` : ''} carried this traffic: the client's ztunnel sent it over HBONE to the waypoint, which processed it at L7 and forwarded it to ${dstName}.`;
      break;
    case 'mixed':
      path = edge.slices
        ? `Split path: ${edge.slices.map((s) => `${s.share !== undefined ? `${Math.round(s.share * 100)} %` : 'part'} ${s.via === 'waypoint' ? `through the waypoint${s.waypoint ? ` ${s.waypoint}` : ''}` : `directly (${s.path === 'mixed' ? 'Envoy on one end, ztunnel on the other' : s.path === 'sidecar' ? 'sidecars only' : 'ztunnel only'}), bypassing the waypoint`}`).join('; ')}. ${srcName} → ${dstName} took both ways in this window (a rollout half done, sidecar clients beside ambient ones, or a waypoint enrolled mid-window).`
        : `Mixed path: an Envoy proxy (sidecar or gateway) on one end and ztunnel on the other. ${srcName} → ${dstName} did not go through a waypoint.`;
      break;
    case 'sidecar':
      path = `Sidecar path: only Envoy proxies (sidecars or gateways) handled this traffic between ${srcName} and ${dstName}.`;
      break;
    case 'ambient':
      path = `Ambient L4 path: only ztunnel handled this traffic between ${srcName} and ${dstName}; no waypoint and no sidecar.`;
      break;
  }

  let telemetry: string;
  if (edge.telemetry === 'l7') {
    const from = edge.rateSources?.l7;
    telemetry = `Request metrics (rps, errors, latency) exist${from ? `, taken from the ${from === 'waypoint' ? 'waypoint' : from === 'destination' ? 'server-side' : 'client-side'} reporter` : ''}.`;
    if (edge.partialL7) {
      notes.push(
        edge.slices?.some((sl) => sl.telemetry === 'l4')
          ? 'Only part of this traffic has request metrics: the share that bypassed the waypoint was seen at L4 only.'
          : 'Only part of this traffic has request metrics: some pods of the workload run a sidecar and others are ambient (L4 only) — a migration in progress.',
      );
    }
  } else if (edge.l7Gap) {
    telemetry = `This is ${edge.protocol.toUpperCase()} traffic, but only ztunnel${edge.path === 'sidecar' || edge.path === 'mixed' ? ' or an L4 listener' : ''} saw it, so there are only TCP metrics (bytes, connections): no request rate, no errors, no latency. This is an L7 gap.`;
  } else if (edge.protocol === 'tcp') {
    telemetry = 'Plain TCP traffic: bytes and connection metrics are all Istio can record here; no request metrics are expected.';
  } else {
    telemetry = 'Only TCP metrics (bytes, connections) exist for this traffic.';
  }

  // Why no L7, and the fix.
  if (edge.telemetry === 'l4' && isHttp) {
    if (srcMode === 'none' && dst?.waypoint) {
      const { ns } = splitRef(dst.waypoint);
      notes.push(
        `${dstName} has waypoint ${dst.waypoint}, but ${srcName} is out of the mesh: its traffic goes straight to the destination's ztunnel and bypasses the waypoint.`,
      );
      fixes.push({
        text: `Enrol the client namespace in ambient mode so its traffic is sent through the waypoint`,
        command: `kubectl label namespace ${src?.namespace ?? ''} istio.io/dataplane-mode=ambient`,
      });
      if (ns) notes.push(`The waypoint lives in namespace ${ns}.`);
    } else if (!dst?.waypoint && dstNs) {
      fixes.push({
        text: `Add a waypoint to namespace ${dstNs} to get request metrics and L7 policy`,
        command: `istioctl waypoint apply -n ${dstNs} --enroll-namespace`,
      });
    }
  }

  if (edge.path === 'mixed' && dst?.waypoint && src && (src.kind === 'gateway' || srcMode === 'sidecar')) {
    const svc = edge.services[0] ? splitRef(edge.services[0]) : { ns: dstNs, name: dst.name };
    notes.push(
      `Waypoint bypass: ${dst.name} is served by waypoint ${dst.waypoint}, but the ${src.kind === 'gateway' ? 'gateway' : 'sidecar'} client sends directly to the destination pods, so the waypoint's L7 policy does not apply to this traffic.`,
    );
    if (src.kind === 'gateway')
      fixes.push({
        text: 'Let ingress traffic use the waypoint',
        command: `kubectl label service ${svc.name} -n ${svc.ns || dstNs} istio.io/ingress-use-waypoint=true`,
      });
    else
      fixes.push({
        text: `Move ${srcName} to ambient mode so its traffic goes through the waypoint`,
        command: `kubectl label namespace ${src.namespace} istio-injection- istio.io/dataplane-mode=ambient`,
      });
  }

  let mtls: string;
  switch (edge.mtls) {
    case 'mutual':
      mtls = edge.path === 'waypoint' ? 'Mutual TLS: waypoint traffic is always HBONE (mTLS).' : 'Mutual TLS, as reported by the server side.';
      break;
    case 'plaintext':
      mtls = `Plaintext: the server side saw no mutual TLS${srcMode === 'none' ? ` (${srcName} is out of the mesh)` : ''}.`;
      if (srcMode === 'none' && src?.kind === 'workload' && !fixes.some((f) => f.command?.includes('dataplane-mode'))) {
        fixes.push({
          text: `Bring ${srcName} into the mesh, then require mTLS with a STRICT PeerAuthentication`,
          command: `kubectl label namespace ${src.namespace} istio.io/dataplane-mode=ambient`,
        });
      }
      break;
    case 'unknown':
      mtls =
        'Unknown: only the client side reported this traffic, and Envoy clients never record the security policy. The application may still use its own TLS.';
      break;
  }

  if (edge.attributionGuessed) {
    notes.push(
      "Which proxy reported part of this traffic was guessed from the workload's current mode (no scrape labels or pod IP match). For a past window this is a guess.",
    );
  }
  if (src?.modeChanged || dst?.modeChanged) {
    const changed = [src, dst].filter((n): n is GraphNode => Boolean(n?.modeChanged));
    for (const n of changed)
      notes.push(
        `${n.namespace}/${n.name} was ${MODE_LABELS[n.modeInWindow ?? 'none']} in this window; it is ${n.mode ? MODE_LABELS[n.mode] : 'unknown'} now (mode changed since).`,
      );
  }

  // `seenBy` undefined: the answer left the reporters out (omit=detail) and the follow-up has not lent them yet.
  return { path, seenBy: edge.reporters?.map(reporterSentence), telemetry, mtls, notes, fixes };
}

interface NodeExplanation {
  summary: string;
  notes: string[];
  fixes: Fix[];
}

export function explainNode(node: GraphNode): NodeExplanation {
  const mode = effectiveMode(node);
  const notes: string[] = [];
  const fixes: Fix[] = [];
  let summary: string;
  switch (node.kind) {
    case 'waypoint':
      summary = 'A waypoint proxy: carries ambient traffic to the workloads or services enrolled to it and reports request metrics for it.';
      break;
    case 'gateway':
      summary = 'An ingress/egress gateway (Envoy).';
      break;
    case 'service':
      summary = `A destination known only as a service or host${node.host ? ` (${node.host})` : ''}, with no workload in the cluster.`;
      break;
    case 'unknown':
      summary = 'A peer Istio could not identify (outside the mesh and outside the cluster).';
      break;
    default:
      summary =
        mode === 'sidecar'
          ? 'Runs with Envoy sidecars: full L7 telemetry for its traffic.'
          : mode === 'ambient'
            ? node.waypoint
              ? `Ambient mode (ztunnel) behind waypoint ${node.waypoint}: L7 telemetry for traffic that goes through the waypoint.`
              : 'Ambient mode (ztunnel) without a waypoint: L4 telemetry only.'
            : mode === 'mixed'
              ? 'Mixed: some pods run a sidecar and others are ambient (a migration in progress).'
              : mode === 'none'
                ? 'Out of the mesh: no sidecar, not captured by ztunnel; its traffic is plaintext unless the app does TLS.'
                : 'Mode unknown.';
  }
  if (node.modeChanged)
    notes.push(
      `Mode changed since this window: it was ${MODE_LABELS[node.modeInWindow ?? 'none']} then and is ${node.mode ? MODE_LABELS[node.mode] : 'unknown'} now.`,
    );
  if (node.kind === 'workload' && mode === 'ambient' && !node.waypoint) {
    fixes.push({ text: 'Add a waypoint for request metrics and L7 policy', command: `istioctl waypoint apply -n ${node.namespace} --enroll-namespace` });
  }
  if (node.kind === 'workload' && mode === 'mixed')
    notes.push('Finish the rollout so every pod runs in the same mode; until then part of its traffic is L4-only.');
  if (node.egress === 'passthrough') {
    notes.push(
      "Envoy's PassthroughCluster: sidecars sent this traffic to hosts the mesh registry does not know (outboundTrafficPolicy ALLOW_ANY). No policy or telemetry names the real destination.",
    );
    fixes.push({ text: 'Register the external hosts so their traffic is named and can be governed', command: 'kubectl apply -f <ServiceEntry for each host>' });
  } else if (node.egress === 'blackhole') {
    notes.push("Envoy's BlackHoleCluster: outboundTrafficPolicy is REGISTRY_ONLY and the destination is not registered, so these requests were dropped.");
    fixes.push({ text: 'If the destination is legitimate, register it', command: 'kubectl apply -f <ServiceEntry for the host>' });
  } else if (node.telemetryOnly) notes.push('Seen only in telemetry: no Kubernetes object matches it.');
  return { summary, notes, fixes };
}

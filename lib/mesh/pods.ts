// Per-pod classification (docs/istio-telemetry.md §1.2–§1.8), intent and intent-vs-state mismatches.
import type { ContainerInfo, ModeIntent, NamespaceInfo, PodInfo, PodMode } from './types';

export type PodClass = 'istiod' | 'ztunnel' | 'istio-cni' | 'waypoint' | 'ambient-east-west-gateway' | 'gateway' | 'sidecar' | 'ambient' | 'none';

export interface PodClassification {
  class: PodClass;
  /** Data-plane mode of the pod as an application pod (docs/classification.md §1). Infrastructure: its own proxy. */
  mode: PodMode;
  /** Mesh infrastructure (ztunnel, cni, waypoints, gateways): excluded from namespace mode. */
  infrastructure: boolean;
  /** `ambient.istio.io/redirection: pending`: enrolled but no ztunnel has accepted it yet. */
  ambientPending: boolean;
  /** istio-proxy runs as a native sidecar (init container with restartPolicy Always). */
  nativeSidecar: boolean;
  /** Proxy image tag (e.g. "1.27.1") of the istio-proxy container (istiod: its discovery container), when present. */
  proxyVersion?: string;
  /** The image proxyVersion was read from. */
  proxyImage?: string;
  /** Revision from sidecar.istio.io/status or annotation istio.io/rev. */
  revision?: string;
  /** Why this class was chosen (debuggable, shown in side panels). */
  reason: string;
}

export const ANNOTATION_SIDECAR_STATUS = 'sidecar.istio.io/status';
export const ANNOTATION_REDIRECTION = 'ambient.istio.io/redirection';
export const LABEL_DATAPLANE_MODE = 'istio.io/dataplane-mode';
export const LABEL_INJECTION = 'istio-injection';
export const LABEL_REV = 'istio.io/rev';
export const LABEL_SIDECAR_INJECT = 'sidecar.istio.io/inject';
export const LABEL_MANAGED = 'gateway.istio.io/managed';
export const LABEL_GATEWAY_NAME = 'gateway.networking.k8s.io/gateway-name';
export const LABEL_GATEWAY_CLASS = 'gateway.networking.k8s.io/gateway-class-name';

function istioProxy(pod: PodInfo): { container: ContainerInfo; native: boolean } | undefined {
  const main = pod.containers.find((c) => c.name === 'istio-proxy');
  if (main) return { container: main, native: false };
  const init = pod.initContainers.find((c) => c.name === 'istio-proxy');
  if (init) return { container: init, native: init.restartPolicy === 'Always' };
  return undefined;
}

/** Version of an image reference: "docker.io/istio/proxyv2:1.26.3@sha256:…" → "1.26.3", "…/ztunnel:1.28.0-distroless" → "1.28.0". */
export function imageTag(image: string): string | undefined {
  const noDigest = image.split('@')[0] ?? image;
  const lastSlash = noDigest.lastIndexOf('/');
  const tail = noDigest.slice(lastSlash + 1);
  const colon = tail.lastIndexOf(':');
  const tag = colon >= 0 ? tail.slice(colon + 1) : '';
  // Istio publishes the same release as "1.28.0", "1.28.0-distroless" and "1.28.0-debug": one version.
  return tag.replace(/-(distroless|debug)$/, '') || undefined;
}

/**
 * The annotation's text → its revision. Pods injected by one template carry the same text, so an inventory of
 * thousands of pods parses a handful of distinct strings instead of one JSON document per pod (the parse was
 * one of the larger costs of the inventory build at 4,000 pods, bench/results.md). A cache of a pure function:
 * bounded, and cleared whole when full.
 */
const REVISION_MEMO = new Map<string, string | undefined>();
const REVISION_MEMO_MAX = 1_000;

function sidecarStatusRevision(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (REVISION_MEMO.has(raw)) return REVISION_MEMO.get(raw);
  const revision = parseSidecarStatusRevision(raw);
  if (REVISION_MEMO.size >= REVISION_MEMO_MAX) REVISION_MEMO.clear();
  REVISION_MEMO.set(raw, revision);
  return revision;
}

function parseSidecarStatusRevision(raw: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === 'object' && 'revision' in parsed) {
      const r = (parsed as { revision?: unknown }).revision;
      return typeof r === 'string' && r ? r : undefined;
    }
  } catch {
    // malformed annotation: still a sidecar signal, just no revision
  }
  return undefined;
}

/** Last path segment of an image's repository: "gcr.io/istio-release/ztunnel:1.28.0-distroless" → "ztunnel". */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const tail = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  const colon = tail.indexOf(':');
  return colon >= 0 ? tail.slice(0, colon) : tail;
}

function runsImage(pod: PodInfo, name: string): boolean {
  return pod.containers.some((c) => imageName(c.image) === name);
}

/**
 * Mesh infrastructure recognised by what it is, in any namespace (docs/istio-telemetry.md §1.7, §7: GKE
 * runs ztunnel and istio-cni in kube-system; revisioned control planes run as istiod-<rev>). A label alone
 * is not enough outside the Istio namespace hint: it must come with the owner kind or the image Istio's
 * charts give it, so an application that happens to be labelled app=ztunnel stays an application.
 */
function infrastructureClass(pod: PodInfo, istioNamespace: string | undefined): { cls: 'ztunnel' | 'istio-cni' | 'istiod'; reason: string } | undefined {
  const l = pod.labels;
  const hinted = istioNamespace !== undefined && pod.namespace === istioNamespace;
  const kind = pod.workload.kind;
  const ztLabel = l.app === 'ztunnel' || l['app.kubernetes.io/name'] === 'ztunnel';
  const ztImage = runsImage(pod, 'ztunnel');
  if ((ztLabel && (hinted || kind === 'DaemonSet' || ztImage)) || (ztImage && kind === 'DaemonSet')) {
    return { cls: 'ztunnel', reason: ztLabel ? `label app=ztunnel (${kind} in ${pod.namespace})` : `ztunnel image (DaemonSet in ${pod.namespace})` };
  }
  const cniLabel = l['k8s-app'] === 'istio-cni-node' || l['app.kubernetes.io/name'] === 'istio-cni';
  if (cniLabel || (kind === 'DaemonSet' && runsImage(pod, 'install-cni'))) {
    return { cls: 'istio-cni', reason: `istio-cni node agent (${pod.namespace})` };
  }
  const istiodLabel = l.app === 'istiod' || l.istio === 'pilot' || l['app.kubernetes.io/name'] === 'istiod';
  const pilotImage = runsImage(pod, 'pilot');
  if ((istiodLabel && (hinted || kind === 'Deployment' || pilotImage)) || (pilotImage && pod.containers.some((c) => c.name === 'discovery'))) {
    return { cls: 'istiod', reason: `control plane (${pod.workload.name} in ${pod.namespace})` };
  }
  return undefined;
}

/** CLUSTER_ID of an istiod or ztunnel pod: the cluster name its proxies write into the telemetry. */
export function clusterIdOf(pod: PodInfo): string | undefined {
  for (const c of pod.containers) {
    const v = c.env?.CLUSTER_ID;
    if (v !== undefined && v.trim() !== '') return v.trim();
  }
  return undefined;
}

/** What a pod is (docs/istio-telemetry.md §1.8). `istioNamespace` is a hint, never a requirement. */
export function classifyPod(pod: PodInfo, istioNamespace?: string): PodClassification {
  const l = pod.labels;
  const a = pod.annotations;
  const proxy = istioProxy(pod);
  const args = proxy?.container.args ?? [];
  const base = {
    ambientPending: false,
    nativeSidecar: false,
    proxyVersion: proxy ? imageTag(proxy.container.image) : undefined,
    proxyImage: proxy?.container.image,
    revision: sidecarStatusRevision(a[ANNOTATION_SIDECAR_STATUS]) ?? a[LABEL_REV] ?? l[LABEL_REV],
  };
  const infra = (cls: PodClass, reason: string, mode: PodMode = 'none'): PodClassification => ({
    ...base,
    class: cls,
    mode,
    infrastructure: true,
    reason,
  });

  // 1. ztunnel / istio-cni / istiod
  const platform = infrastructureClass(pod, istioNamespace);
  if (platform) {
    if (platform.cls !== 'istiod') return infra(platform.cls, platform.reason);
    const discovery = pod.containers.find((c) => c.name === 'discovery') ?? pod.containers.find((c) => imageName(c.image) === 'pilot');
    const version = discovery ? imageTag(discovery.image) : undefined;
    return { ...infra('istiod', platform.reason), proxyVersion: version, proxyImage: discovery?.image };
  }
  // 2. waypoints and gateways (they also carry an istio-proxy container, gateways even the status annotation)
  const managed = l[LABEL_MANAGED];
  const cls = l[LABEL_GATEWAY_CLASS];
  if (managed === 'istio.io-eastwest-controller' || cls === 'istio-east-west') {
    return infra('ambient-east-west-gateway', 'managed by istio.io-eastwest-controller', 'sidecar');
  }
  if (managed === 'istio.io-mesh-controller' || cls === 'istio-waypoint') {
    return infra('waypoint', 'managed by istio.io-mesh-controller (class istio-waypoint)', 'sidecar');
  }
  if (
    managed === 'istio.io-gateway-controller' ||
    a['inject.istio.io/templates'] === 'gateway' ||
    args.includes('router') ||
    l.istio === 'ingressgateway' ||
    l.istio === 'egressgateway'
  ) {
    return infra('gateway', 'ingress/egress gateway (proxy router)', 'sidecar');
  }
  if (args.includes('waypoint')) {
    return infra('waypoint', 'istio-proxy runs "proxy waypoint"', 'sidecar');
  }
  // 3. sidecar
  if (a[ANNOTATION_SIDECAR_STATUS] !== undefined) {
    return {
      ...base,
      class: 'sidecar',
      mode: 'sidecar',
      infrastructure: false,
      nativeSidecar: proxy?.native ?? false,
      reason: proxy?.native ? 'sidecar.istio.io/status (native sidecar)' : 'sidecar.istio.io/status',
    };
  }
  // 4. ambient
  const redirection = a[ANNOTATION_REDIRECTION];
  if (redirection === 'enabled' || redirection === 'pending') {
    return {
      ...base,
      class: 'ambient',
      mode: 'ambient',
      infrastructure: false,
      ambientPending: redirection === 'pending',
      reason: `ambient.istio.io/redirection=${redirection}`,
    };
  }
  return { ...base, class: 'none', mode: 'none', infrastructure: false, reason: 'no sidecar, not captured by ztunnel' };
}

/** Intent expressed by labels on the pod and its namespace (pod labels win). */
export function podIntent(pod: PodInfo, ns: NamespaceInfo | undefined): ModeIntent {
  const nl = ns?.labels ?? {};
  const intent: ModeIntent = {};
  const inj = nl[LABEL_INJECTION];
  if (inj !== undefined) intent.istioInjection = inj;
  const rev = pod.labels[LABEL_REV] ?? nl[LABEL_REV];
  if (rev !== undefined) intent.istioRev = rev;
  const dp = pod.labels[LABEL_DATAPLANE_MODE] ?? nl[LABEL_DATAPLANE_MODE];
  if (dp !== undefined) intent.dataplaneMode = dp;
  // "if both are present we prefer the label"
  const si = pod.labels[LABEL_SIDECAR_INJECT] ?? pod.annotations[LABEL_SIDECAR_INJECT];
  if (si !== undefined) intent.sidecarInject = si;
  return intent;
}

/** Does the intent ask for a sidecar (webhook semantics, docs/istio-telemetry.md §1.1/§1.3)? */
export function sidecarRequested(intent: ModeIntent): boolean {
  if (intent.sidecarInject === 'false') return false;
  if (intent.istioInjection === 'enabled') return true;
  if (intent.istioInjection === 'disabled') return false;
  if (intent.istioRev !== undefined && intent.istioRev !== '') return true;
  // object selector entry of the webhook: pod label sidecar.istio.io/inject=true in an unlabelled namespace
  return intent.sidecarInject === 'true';
}

/** Does the intent ask for ztunnel capture (istio-cni enablement selectors)? */
export function ambientRequested(pod: PodInfo, ns: NamespaceInfo | undefined): boolean {
  const podLabel = pod.labels[LABEL_DATAPLANE_MODE];
  if (podLabel === 'ambient') return true;
  if (podLabel === 'none') return false;
  return ns?.labels[LABEL_DATAPLANE_MODE] === 'ambient';
}

function where(pod: PodInfo, label: string): 'pod' | 'namespace' {
  return pod.labels[label] !== undefined ? 'pod' : 'namespace';
}

/** The kinds of intent-vs-state mismatch of an application pod (docs/classification.md §1: flagged, never classified by the label). */
export type PodIssueCode =
  /** Sidecar injection and istio.io/dataplane-mode=ambient both requested: the sidecar wins. */
  | 'both-requested'
  /** ambient.istio.io/redirection=pending: no ztunnel has accepted the pod. */
  | 'redirection-pending'
  /** istio.io/dataplane-mode=ambient requested, no redirection annotation. */
  | 'ambient-not-captured'
  /** istio.io/dataplane-mode=ambient requested on a hostNetwork pod (istio-cni never captures those). */
  | 'ambient-host-network'
  /** Sidecar injection requested, no sidecar. */
  | 'injection-missing'
  /** A sidecar pod whose labels (pod or namespace) now ask for ambient only. */
  | 'sidecar-not-migrated'
  /** A sidecar pod that nothing requests injection for any more. */
  | 'sidecar-not-requested'
  /** Captured by ztunnel although nothing requests ambient. */
  | 'ambient-not-requested';

export interface PodIssue {
  code: PodIssueCode;
  /** Where the deciding label sits (istio.io/dataplane-mode for the ambient codes). */
  labelOn: 'pod' | 'namespace';
  /** One line, human readable. */
  text: string;
}

/**
 * Intent-vs-state mismatches of an application pod, the one rule for them (the graph's node issues, the
 * mode-mismatch finding and the namespace issues all read it through the inventory). Infrastructure pods have
 * none. `sidecar.istio.io/inject=false` in an injected namespace is intent (an opt-out), not a mismatch; the
 * injection webhook never injects hostNetwork pods, so those are not "injection missing".
 */
export function podMismatches(pod: PodInfo, ns: NamespaceInfo | undefined, c: PodClassification): PodIssue[] {
  if (c.infrastructure) return [];
  const issues: PodIssue[] = [];
  const intent = podIntent(pod, ns);
  const wantsAmbient = ambientRequested(pod, ns);
  const wantsSidecar = sidecarRequested(intent);
  const dpWhere = where(pod, LABEL_DATAPLANE_MODE);
  const add = (code: PodIssueCode, text: string) => issues.push({ code, labelOn: dpWhere, text });
  if (wantsAmbient && wantsSidecar) {
    add(
      'both-requested',
      `both sidecar injection (${intent.istioInjection === 'enabled' ? 'istio-injection=enabled' : `istio.io/rev=${intent.istioRev}`}) and ${dpWhere} label istio.io/dataplane-mode=ambient are set: the sidecar wins, istio-cni never captures sidecar pods`,
    );
  }
  if (c.class === 'ambient' && c.ambientPending) {
    add(
      'redirection-pending',
      `${wantsAmbient ? `${dpWhere} label istio.io/dataplane-mode=ambient but ` : ''}ambient.istio.io/redirection=pending: no ztunnel has accepted the pod, it cannot send or receive traffic`,
    );
  }
  if (c.class === 'none' && wantsAmbient && !pod.hostNetwork) {
    add('ambient-not-captured', `${dpWhere} label istio.io/dataplane-mode=ambient but no ambient.istio.io/redirection annotation: not captured by ztunnel`);
  }
  if (c.class === 'none' && wantsAmbient && pod.hostNetwork) {
    add('ambient-host-network', `${dpWhere} label istio.io/dataplane-mode=ambient but the pod uses hostNetwork: istio-cni never captures it`);
  }
  if (c.class === 'none' && wantsSidecar && !wantsAmbient && !pod.hostNetwork) {
    add('injection-missing', 'sidecar injection is requested but the pod has no sidecar (created before injection was enabled? restart it)');
  }
  if (c.class === 'sidecar' && wantsAmbient && !wantsSidecar) {
    add(
      'sidecar-not-migrated',
      `${dpWhere} label istio.io/dataplane-mode=ambient but the pod still runs a sidecar (istio-cni skips sidecar pods; restart it to migrate)`,
    );
  }
  if (c.class === 'sidecar' && !wantsAmbient && !wantsSidecar && intent.sidecarInject !== 'true') {
    add('sidecar-not-requested', 'pod runs a sidecar but neither its labels nor its namespace request injection any more');
  }
  if (c.class === 'ambient' && !c.ambientPending && !wantsAmbient) {
    add('ambient-not-requested', 'captured by ztunnel (ambient.istio.io/redirection=enabled) but no istio.io/dataplane-mode=ambient label requests it');
  }
  return issues;
}

/** The texts of podMismatches. */
export function podIssues(pod: PodInfo, ns: NamespaceInfo | undefined, c: PodClassification): string[] {
  return podMismatches(pod, ns, c).map((i) => i.text);
}

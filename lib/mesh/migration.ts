// Migration view: for each namespace that still runs sidecars, what moving it to ambient changes.
// Pure. Facts used (docs/istio-telemetry.md §4): ztunnel is L4-only; after the move an edge keeps L7
// telemetry only if the proxy on its other end is Envoy (a sidecar or gateway client/server still
// reports requests) or a waypoint carries it (the destination is waypoint-served and the client is
// in the mesh — out-of-mesh and sidecar clients bypass waypoints).
import { inventoryOf } from './inventory';
import { LABEL_DATAPLANE_MODE as L_DATAPLANE, LABEL_INJECTION as L_INJECTION, LABEL_REV as L_REV, podIntent } from './pods';
import { ref, uniqSorted } from './util';
import { applicationWorkloads, namespaceModeOf, type ClassifiedPod } from './workloads';
import type { GraphEdge, GraphNode, KubeSnapshot, MeshGraph, Protocol, WorkloadMode } from './types';

// ---------------------------------------------------------------------------------------------
// Kubernetes quantities
// ---------------------------------------------------------------------------------------------

const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/**
 * Parse a Kubernetes resource quantity ("100m", "0.5", "128Mi", "1G", "1e3", "+2Ki") into base
 * units (cores for CPU, bytes for memory). Returns undefined for anything malformed.
 */
export function parseQuantity(q: string | undefined): number | undefined {
  if (q === undefined) return undefined;
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)\s*$/.exec(q);
  if (!m) return undefined;
  const base = Number(m[1]);
  if (!Number.isFinite(base)) return undefined;
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  const mult = BINARY[suffix] ?? DECIMAL[suffix];
  return mult === undefined ? undefined : base * mult;
}

export function cpuMillicores(q: string | undefined): number | undefined {
  const v = parseQuantity(q);
  return v === undefined ? undefined : Math.round(v * 1000 * 1000) / 1000;
}

export function memoryBytes(q: string | undefined): number | undefined {
  const v = parseQuantity(q);
  return v === undefined ? undefined : Math.round(v);
}

export function formatMillicores(m: number): string {
  return m >= 1000 && m % 1000 === 0 ? `${m / 1000}` : `${Math.round(m)}m`;
}

export function formatBytes(b: number): string {
  if (b >= 2 ** 30 && b % 2 ** 30 === 0) return `${b / 2 ** 30}Gi`;
  if (b >= 2 ** 20) return `${Math.round((b / 2 ** 20) * 10) / 10}Mi`;
  if (b >= 2 ** 10) return `${Math.round((b / 2 ** 10) * 10) / 10}Ki`;
  return `${b}`;
}

// ---------------------------------------------------------------------------------------------
// Plan
// ---------------------------------------------------------------------------------------------

export type MigrationOutcome =
  /** L7 telemetry disappears (only ztunnels left on the path). */
  | 'lost'
  /** Only part of the traffic keeps L7 (the peer is a mixed workload). */
  | 'partial'
  /** The Envoy proxy on the other end (sidecar, gateway) still reports requests. */
  | 'kept-peer-proxy'
  /** The destination is waypoint-served; the migrated client will go through the waypoint. */
  | 'kept-waypoint';

export interface MigrationEdge {
  id: string;
  /** "ns/name" (or host) of both ends. */
  source: string;
  target: string;
  direction: 'in' | 'out' | 'internal';
  protocol: Protocol;
  rps?: number;
  outcome: MigrationOutcome;
  /** True when a waypoint in the migrated namespace would bring L7 back for this edge. */
  restoredByWaypoint: boolean;
  reason: string;
}

export interface MigrationPlan {
  namespace: string;
  mode: WorkloadMode;
  /** Migration already under way (namespace labelled ambient, sidecars left). */
  inProgress: boolean;
  /** "ns/name" of workloads with sidecar pods. */
  sidecarWorkloads: string[];
  /** Sidecar proxies retired and their summed requests (istio-proxy container, native sidecars included). */
  sidecars: {
    pods: number;
    cpuMillicores: number;
    memoryBytes: number;
    /** Human-readable totals, Kubernetes style ("300m", "384Mi"). */
    cpu: string;
    memory: string;
    /** Sidecar pods whose istio-proxy declares no request (not counted above). */
    podsWithoutRequests: number;
  };
  /** Every current L7 edge into, out of or inside the namespace, with what happens to it. */
  edges: MigrationEdge[];
  /** Edges that would lose (all or part of) their L7 telemetry without a waypoint. */
  l7Lost: number;
  /** Request rate (rps) of those edges. */
  l7LostRps: number;
  waypoint: {
    /** Edges a namespace waypoint would give L7 back to. */
    restores: number;
    restoresRps: number;
    /** Lost edges a namespace waypoint would not fix (destination elsewhere, out-of-mesh clients). */
    stillLost: number;
    /** Istio's default proxy requests, what one waypoint replica asks for. */
    cost: string;
    command: string;
    benefits: string[];
  };
  /** Selector-bound AuthorizationPolicies with HTTP attributes that ztunnel cannot enforce after the move. */
  policiesNeedingTargetRefs: string[];
  /** Pods that opted out of injection and would be captured by ztunnel unless labelled dataplane-mode=none. */
  optOutsCapturedAfterMove: string[];
  steps: string[];
}

function nref(n: GraphNode | undefined, id: string): string {
  if (!n) return id;
  return n.namespace ? ref(n.namespace, n.name) : n.name;
}

function destinationWaypoint(kube: KubeSnapshot, e: GraphEdge, n: GraphNode | undefined): string | undefined {
  if (n?.waypoint) return n.waypoint;
  const { waypoints, workloads } = inventoryOf(kube);
  for (const s of e.services.length > 0 ? e.services : (n?.services ?? [])) {
    const svc = s.includes('/') ? workloads.services.get(s) : undefined;
    const w = svc ? waypoints.serviceWaypoint(svc) : undefined;
    if (w) return w;
  }
  return undefined;
}

/** The istio-proxy container of a sidecar pod (native sidecars run it as an init container). */
function sidecarProxy(p: ClassifiedPod) {
  return p.pod.containers.find((c) => c.name === 'istio-proxy') ?? p.pod.initContainers.find((c) => c.name === 'istio-proxy');
}

function isEnvoy(n: GraphNode | undefined): boolean {
  return n?.kind === 'gateway' || (n?.kind === 'workload' && n.mode === 'sidecar');
}

/**
 * For every namespace that still runs sidecar pods (infrastructure and the Istio namespace
 * excluded), what moving it to ambient would change: L7 edges lost without a waypoint, sidecar
 * proxies retired with their summed CPU/memory requests, and what a namespace waypoint gives back.
 *
 * @param kube  Kubernetes snapshot (pods, services, policies)
 * @param graph MeshGraph of the window (folded view)
 */
export function planMigrations(kube: KubeSnapshot, graph: MeshGraph): MigrationPlan[] {
  const inv = inventoryOf(kube);
  const workloads = applicationWorkloads(inv.workloads);
  /** Application pods with their workload ref. */
  const facts = workloads.flatMap((w) => w.pods.map((p) => ({ ...p, workload: w.ref, mode: p.classification.mode })));
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const edges = graph.edges.filter((e) => e.leg === undefined && e.telemetry === 'l7').sort((a, b) => (a.id < b.id ? -1 : 1));
  const namespaces = uniqSorted(facts.filter((f) => f.mode === 'sidecar' && f.pod.namespace !== inv.istioNamespace).map((f) => f.pod.namespace));

  return namespaces.map((ns) => {
    const nsInfo = inv.namespace(ns);
    const nsLabels = nsInfo?.labels ?? {};
    const nsWorkloads = workloads.filter((w) => w.namespace === ns);
    const mode: WorkloadMode = namespaceModeOf(nsWorkloads.map((w) => w.mode));
    const sidecarPods = facts.filter((f) => f.mode === 'sidecar' && f.pod.namespace === ns);

    let cpu = 0;
    let mem = 0;
    let without = 0;
    for (const f of sidecarPods) {
      const proxy = sidecarProxy(f);
      const c = cpuMillicores(proxy?.cpuRequest);
      const m = memoryBytes(proxy?.memoryRequest);
      if (c === undefined && m === undefined) without += 1;
      cpu += c ?? 0;
      mem += m ?? 0;
    }

    const optOuts = facts
      .filter((f) => f.pod.namespace === ns && f.mode === 'none' && f.pod.labels[L_DATAPLANE] !== 'none' && podIntent(f.pod, nsInfo).sidecarInject === 'false')
      .map((f) => f.workload);
    // Opted-out workloads stay out of the mesh (the steps label them dataplane-mode=none): they are
    // treated as out-of-mesh peers, not as workloads that move.
    const staysOut = new Set(optOuts);
    const inNs = (n: GraphNode | undefined) => n?.kind === 'workload' && n.namespace === ns && !staysOut.has(ref(n.namespace, n.name));
    const planEdges: MigrationEdge[] = [];
    for (const e of edges) {
      const s = nodes.get(e.source);
      const t = nodes.get(e.target);
      const sIn = inNs(s);
      const tIn = inNs(t);
      if (!sIn && !tIn) continue;
      const direction = sIn && tIn ? 'internal' : tIn ? 'in' : 'out';
      const peer = direction === 'in' ? s : t;
      let outcome: MigrationOutcome;
      let restoredByWaypoint = false;
      let reason: string;
      if (direction === 'internal') {
        outcome = 'lost';
        restoredByWaypoint = true;
        reason = 'both ends become ambient: only ztunnel would see it';
      } else if (direction === 'out' && destinationWaypoint(kube, e, t)) {
        outcome = 'kept-waypoint';
        reason = `the destination is served by waypoint ${destinationWaypoint(kube, e, t)}; an ambient client goes through it (a sidecar client bypasses it today)`;
      } else if (isEnvoy(peer)) {
        outcome = 'kept-peer-proxy';
        reason = `${nref(peer, direction === 'in' ? e.source : e.target)} keeps its Envoy proxy, which still reports requests`;
      } else if (peer?.kind === 'workload' && peer.mode === 'mixed') {
        outcome = 'partial';
        restoredByWaypoint = direction === 'in';
        reason = `only the sidecar pods of ${nref(peer, '')} would still report requests`;
      } else {
        outcome = 'lost';
        const outOfMesh = !peer || peer.kind === 'unknown' || peer.mode === 'none' || staysOut.has(nref(peer, ''));
        if (direction === 'in') {
          restoredByWaypoint = !outOfMesh;
          reason = outOfMesh ? 'the client is out of the mesh: it would bypass a waypoint too' : 'ambient client → ambient server: only ztunnel would see it';
        } else {
          reason = `the destination ${nref(t, e.target)} has no waypoint: a waypoint there (not in ${ns}) would be needed`;
        }
      }
      const me: MigrationEdge = {
        id: e.id,
        source: nref(s, e.source),
        target: nref(t, e.target),
        direction,
        protocol: e.protocol,
        outcome,
        restoredByWaypoint,
        reason,
      };
      if (e.rates.rps !== undefined) me.rps = e.rates.rps;
      planEdges.push(me);
    }
    const lostEdges = planEdges.filter((x) => x.outcome === 'lost' || x.outcome === 'partial');
    const restored = lostEdges.filter((x) => x.restoredByWaypoint);
    const sumRps = (xs: MigrationEdge[]) => xs.reduce((a, x) => a + (x.rps ?? 0), 0);

    const policies = inv.authorizationPolicies
      .filter((p) => p.httpAttributes.length > 0 && p.targetRefs.length === 0 && p.namespace === ns)
      .filter((p) => sidecarPods.some((f) => inv.policySelects(p, f.pod)))
      .map((p) => ref(p.namespace, p.name))
      .sort();

    const inProgress = nsLabels[L_DATAPLANE] === 'ambient';
    const unlabel = [nsLabels[L_INJECTION] !== undefined ? `${L_INJECTION}-` : '', nsLabels[L_REV] !== undefined ? `${L_REV}-` : ''].filter(Boolean);
    const steps: string[] = [];
    for (const w of uniqSorted(optOuts)) {
      const wl = nsWorkloads.find((x) => x.ref === w);
      steps.push(
        `# ${w} opted out of injection; keep it out of ambient too (pod template label):\nkubectl -n ${ns} patch ${(wl?.kind ?? 'Deployment').toLowerCase()} ${wl?.name ?? w} --type merge -p '{"spec":{"template":{"metadata":{"labels":{"istio.io/dataplane-mode":"none"}}}}}'`,
      );
    }
    steps.push(`istioctl waypoint apply -n ${ns} --enroll-namespace --wait   # first, so L7 telemetry continues`);
    if (!inProgress || unlabel.length > 0) {
      steps.push(`kubectl label namespace ${ns} ${[...unlabel, `${L_DATAPLANE}=ambient`].join(' ')} --overwrite`);
    }
    steps.push(`kubectl rollout restart deployment,statefulset -n ${ns}   # pods restart without sidecars`);
    for (const p of policies) steps.push(`# rebind ${p} with targetRefs (Service or waypoint) — ztunnel cannot enforce its HTTP rules`);

    return {
      namespace: ns,
      mode,
      inProgress,
      sidecarWorkloads: uniqSorted(sidecarPods.map((f) => f.workload)),
      sidecars: {
        pods: sidecarPods.length,
        cpuMillicores: cpu,
        memoryBytes: mem,
        cpu: formatMillicores(cpu),
        memory: formatBytes(mem),
        podsWithoutRequests: without,
      },
      edges: planEdges,
      l7Lost: lostEdges.length,
      l7LostRps: sumRps(lostEdges),
      waypoint: {
        restores: restored.length,
        restoresRps: sumRps(restored),
        stillLost: lostEdges.length - restored.length,
        cost: '1 waypoint replica ≈ 100m CPU / 128Mi (Istio default proxy requests)',
        command: `istioctl waypoint apply -n ${ns} --enroll-namespace --wait`,
        benefits: [
          'request rate, errors and latency for traffic from ambient clients into the namespace',
          'HTTP rules of AuthorizationPolicies bound with targetRefs',
          'L7 traffic management (retries, timeouts, routing) for the namespace’s services',
        ],
      },
      policiesNeedingTargetRefs: policies,
      optOutsCapturedAfterMove: uniqSorted(optOuts),
      steps,
    };
  });
}

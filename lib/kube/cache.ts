import 'server-only';
import { makeInformer, type Informer, type KubeConfig, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node';
import { getConfig } from '@/lib/config/env';
import { emptySnapshot } from '@/lib/mesh/merge';
import type { KubeSnapshot, Warning } from '@/lib/mesh/types';
import { loadKubeConfig, makeKindApis, messageOf, probeKubeApi, statusOf, type KindApis, type KindVersion, type KubeProbeResult } from './client';
import {
  reshapeAuthorizationPolicy,
  reshapeDestinationRule,
  reshapeCalicoPolicy,
  reshapeNetworkPolicy,
  reshapeGateway,
  reshapeGatewayClass,
  reshapeHttpRoute,
  reshapeNamespace,
  reshapePeerAuthentication,
  reshapePod,
  reshapeService,
  reshapeVirtualService,
  type OwnerLookup,
} from './reshape';
import { summarizeKinds, WATCHED_KINDS, type KindName, type KindStatus } from './status';

export { summarizeKinds } from './status';

/** Limits with a reason (docs/engineering.md A6.10). */
/** One list page: big enough for few round trips, small enough not to stall the API server (kubectl uses 500). */
const LIST_PAGE_SIZE = 500;
/** A full list of a large cluster's pods can take tens of seconds; beyond a minute something is wrong. */
const DEFAULT_LIST_TIMEOUT_MS = 60_000;
/** Retry schedule after errors: 1 s doubling to 30 s, so a restarted API server is picked up quickly. */
const DEFAULT_BACKOFF = { initialMs: 1_000, maxMs: 30_000 };
/** Missing CRDs / 403s are re-checked every minute (someone may install Gateway API or fix RBAC). */
const DEFAULT_RECHECK_MS = 60_000;
/**
 * The API server ends each watch after this long and the informer re-watches (a `connect` event).
 * client-node's Watch has no client-side timeout, so a silently dead connection would hang forever:
 * no `connect` for this long plus a grace period means the watch is stalled, and the kind restarts.
 */
const DEFAULT_WATCH_TIMEOUT_SECONDS = 300;
const WATCHDOG_GRACE_MS = 30_000;

/** Every watched kind (lib/kube/status.ts WATCHED_KINDS: also the source of the ClusterRole's expectation). */
const ALL_KINDS: KindName[] = WATCHED_KINDS.map((k) => k.kind);

type Store = Informer<KubernetesObject> & ObjectCache<KubernetesObject>;

interface KindWatcherOptions {
  kc: KubeConfig;
  kind: KindName;
  versions: KindVersion[];
  listTimeoutMs: number;
  backoff: { initialMs: number; maxMs: number };
  recheckMs: number;
  watchTimeoutSeconds: number;
  watchdogGraceMs: number;
  onChange: () => void;
}

/**
 * One kind: a client-node informer (ListWatch), restarted with backoff after errors (client-node
 * informers stop for good on error). Every restart builds a fresh informer (fresh list), and the last
 * informer that completed a list keeps serving its objects meanwhile (stale data beats no data).
 */
class KindWatcher {
  readonly kind: KindName;
  private readonly o: KindWatcherOptions;
  private informer?: Store;
  private serving?: Store;
  private generation = 0;
  private versionIndex = 0;
  private backoffMs: number;
  private timer?: ReturnType<typeof setTimeout>;
  private watchdog?: ReturnType<typeof setInterval>;
  private lastConnectAt = 0;
  private stopped = false;
  /** Bumped whenever the served objects change, for memoized reshaping. */
  version = 0;
  status: KindStatus;

  constructor(o: KindWatcherOptions) {
    this.o = o;
    this.kind = o.kind;
    this.backoffMs = o.backoff.initialMs;
    this.status = { kind: o.kind, phase: 'starting', synced: false };
  }

  start(): void {
    this.stopped = false;
    this.begin();
    if (!this.watchdog) {
      const limitMs = this.o.watchTimeoutSeconds * 1000 + this.o.watchdogGraceMs;
      this.watchdog = setInterval(
        () => {
          // Only a kind that is watching can stall; starting/erroring kinds have their own timers.
          if (this.status.phase === 'ok' && Date.now() - this.lastConnectAt > limitMs) {
            this.onError(this.generation, new Error(`watch stalled: no answer from the API server for ${Math.round(limitMs / 1000)} s`));
          }
        },
        Math.max(250, Math.min(limitMs / 4, 10_000)),
      );
      this.watchdog.unref?.();
    }
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
    void this.informer?.stop().catch(() => undefined);
  }

  list(): readonly KubernetesObject[] {
    return this.serving?.list() ?? [];
  }

  get(name: string, namespace?: string): KubernetesObject | undefined {
    return this.serving?.get(name, namespace);
  }

  private begin(): void {
    if (this.stopped) return;
    const gen = ++this.generation;
    const v = this.o.versions[this.versionIndex];
    if (!v) return;
    // The query string survives client-node's `new URL(server + path)`; the API server ends the watch
    // after timeoutSeconds and the informer re-watches from its resourceVersion (no relist).
    const informer = makeInformer<KubernetesObject>(this.o.kc, `${v.path}?timeoutSeconds=${this.o.watchTimeoutSeconds}`, () => this.listAll(v, gen));
    this.lastConnectAt = Date.now();
    const changed = () => {
      if (gen !== this.generation || this.serving !== informer) return;
      this.version++;
      this.status = { ...this.status, lastSyncedAt: new Date().toISOString() };
      this.o.onChange();
    };
    informer.on('add', changed);
    informer.on('update', changed);
    informer.on('delete', changed);
    informer.on('error', (err: unknown) => this.onError(gen, err));
    informer.on('connect', () => {
      if (gen === this.generation) this.lastConnectAt = Date.now();
    });
    this.informer = informer;
    informer.start().catch((err: unknown) => this.onError(gen, err));
  }

  /** Paginated list; marks the kind synced once the informer has stored the items. */
  private async listAll(v: KindVersion, gen: number) {
    const items: KubernetesObject[] = [];
    let continueToken: string | undefined;
    let resourceVersion: string | undefined;
    do {
      const page = await v.list({ limit: LIST_PAGE_SIZE, ...(continueToken ? { continueToken } : {}), signal: AbortSignal.timeout(this.o.listTimeoutMs) });
      items.push(...(page.items ?? []));
      resourceVersion = page.metadata?.resourceVersion;
      continueToken = page.metadata?._continue || undefined;
    } while (continueToken);
    // ListWatch stores the items right after this promise resolves (same tick chain); setImmediate runs after.
    setImmediate(() => this.onSynced(gen));
    return { items, metadata: { resourceVersion: resourceVersion ?? '' } };
  }

  private onSynced(gen: number): void {
    if (gen !== this.generation || this.stopped || !this.informer) return;
    const old = this.serving;
    this.serving = this.informer;
    if (old && old !== this.informer) void old.stop().catch(() => undefined);
    this.backoffMs = this.o.backoff.initialMs;
    this.version++;
    this.status = { kind: this.kind, phase: 'ok', synced: true, lastSyncedAt: new Date().toISOString() };
    this.o.onChange();
  }

  private onError(gen: number, err: unknown): void {
    if (gen !== this.generation || this.stopped) return;
    this.generation++; // late events of this informer are ignored from now on
    // A stopped ListWatch keeps its objects readable: if it was the serving one, it serves stale data.
    void this.informer?.stop().catch(() => undefined);
    const status = statusOf(err);
    const message = messageOf(err);
    let delay: number;
    if (status === 404 && this.versionIndex + 1 < this.o.versions.length) {
      this.versionIndex++; // try the next API version at once (v1 → v1beta1)
      delay = 0;
    } else if (status === 404 || status === 403) {
      this.versionIndex = 0;
      const phase = status === 404 ? 'missing' : 'forbidden';
      // The API answered: the kind is definitely empty for us; drop stale objects. A re-check that finds the kind
      // still missing changes nothing: the served (empty) list keeps its version, so the snapshot keeps its arrays
      // and the inventory is not rebuilt every minute (bench/results.md: a 10k-object inventory, 0.3–1.3 s, rebuilt
      // on every re-check of the absent Calico CRDs).
      if (this.serving !== undefined) {
        this.serving = undefined;
        this.version++;
      }
      this.status = { kind: this.kind, phase, synced: false, error: message };
      delay = this.o.recheckMs;
    } else {
      const now = new Date().toISOString();
      this.status = {
        ...this.status,
        phase: 'error',
        synced: this.serving !== undefined,
        error: message,
        errorSince: this.status.phase === 'error' ? (this.status.errorSince ?? now) : now,
      };
      delay = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, this.o.backoff.maxMs);
    }
    this.o.onChange();
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.begin(), delay);
    this.timer.unref?.();
  }
}

interface KubeCacheOptions {
  kubeConfig: KubeConfig;
  clusterName: string;
  /** Where clusterName came from: `config` overrides the cluster's own CLUSTER_ID, `default` yields to it. */
  clusterSource?: 'config' | 'default';
  istioNamespace: string;
  /** Default wait for the first sync in getSnapshot. */
  timeoutMs: number;
  listTimeoutMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  recheckMs?: number;
  /** Server-side watch timeout; a watch silent for longer (plus a grace period) is restarted. */
  watchTimeoutSeconds?: number;
  watchdogGraceMs?: number;
  /** Override the per-kind APIs (tests). */
  apis?: KindApis;
}

interface SnapshotOptions {
  signal?: AbortSignal;
  /** How long to wait for the first sync; defaults to the cache's timeout. */
  timeoutMs?: number;
}

/**
 * Informer cache of everything the graph needs from Kubernetes. Started lazily; getSnapshot waits for
 * the first sync (bounded) and then serves from memory.
 */
export class KubeCache {
  readonly kubeConfig: KubeConfig;
  private readonly o: KubeCacheOptions;
  private readonly watchers: KindWatcher[];
  private readonly byKind: Map<KindName, KindWatcher>;
  private started = false;
  private waiters = new Set<() => void>();
  private memo = new Map<KindName, { version: number; value: unknown[] }>();

  constructor(o: KubeCacheOptions) {
    this.o = o;
    this.kubeConfig = o.kubeConfig;
    const apis = o.apis ?? makeKindApis(o.kubeConfig);
    this.watchers = ALL_KINDS.map(
      (kind) =>
        new KindWatcher({
          kc: o.kubeConfig,
          kind,
          versions: apis[kind],
          listTimeoutMs: o.listTimeoutMs ?? DEFAULT_LIST_TIMEOUT_MS,
          backoff: o.backoff ?? DEFAULT_BACKOFF,
          recheckMs: o.recheckMs ?? DEFAULT_RECHECK_MS,
          watchTimeoutSeconds: o.watchTimeoutSeconds ?? DEFAULT_WATCH_TIMEOUT_SECONDS,
          watchdogGraceMs: o.watchdogGraceMs ?? WATCHDOG_GRACE_MS,
          onChange: () => this.notify(),
        }),
    );
    this.byKind = new Map(this.watchers.map((w) => [w.kind, w]));
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const w of this.watchers) w.start();
  }

  stop(): void {
    this.started = false;
    for (const w of this.watchers) w.stop();
    this.notify();
  }

  statuses(): KindStatus[] {
    return this.watchers.map((w) => w.status);
  }

  private notify(): void {
    for (const f of [...this.waiters]) f();
  }

  /** Every kind has answered once (data, missing, forbidden or an error). */
  private settled(): boolean {
    return this.watchers.every((w) => w.status.synced || w.status.phase !== 'starting');
  }

  private async waitForFirstSync(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.settled()) return;
    signal?.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
        signal?.removeEventListener('abort', onAbort);
      };
      const check = () => {
        if (this.settled() || !this.started) {
          done();
          resolve();
        }
      };
      const onAbort = () => {
        done();
        reject(signal?.reason ?? new DOMException('aborted', 'AbortError'));
      };
      const timer = setTimeout(() => {
        done();
        resolve();
      }, timeoutMs);
      this.waiters.add(check);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private reshaped<T>(kind: KindName, fn: (o: KubernetesObject) => T): T[] {
    const w = this.byKind.get(kind)!;
    const m = this.memo.get(kind);
    if (m && m.version === w.version) return m.value as T[];
    const value = w.list().map(fn);
    this.memo.set(kind, { version: w.version, value });
    return value;
  }

  async getSnapshot(opts: SnapshotOptions = {}): Promise<KubeSnapshot> {
    this.start();
    await this.waitForFirstSync(opts.timeoutMs ?? this.o.timeoutMs, opts.signal);
    const rs = this.byKind.get('replicasets')!;
    const owners: OwnerLookup = {
      replicaSet: (namespace, name) => {
        const o = rs.get(name, namespace);
        return o ? { ownerReferences: (o.metadata?.ownerReferences ?? []) as unknown[] } : undefined;
      },
    };
    // Pods depend on ReplicaSets for their workload name: memoize on both versions.
    const podsKey = rs.version * 1_000_003 + this.byKind.get('pods')!.version;
    let pods = this.memo.get('pods');
    if (!pods || pods.version !== podsKey) {
      pods = {
        version: podsKey,
        value: this.byKind
          .get('pods')!
          .list()
          .map((p) => reshapePod(p, owners)),
      };
      this.memo.set('pods', pods);
    }
    const statuses = this.statuses();
    const summary = summarizeKinds(statuses);
    return {
      cluster: this.o.clusterName,
      clusterSource: this.o.clusterSource ?? 'config',
      istioNamespace: this.o.istioNamespace,
      namespaces: this.reshaped('namespaces', reshapeNamespace),
      pods: pods.value as KubeSnapshot['pods'],
      services: this.reshaped('services', reshapeService),
      gateways: this.reshaped('gateways', reshapeGateway),
      gatewayClasses: this.reshaped('gatewayclasses', reshapeGatewayClass),
      authorizationPolicies: this.reshaped('authorizationpolicies', reshapeAuthorizationPolicy),
      peerAuthentications: this.reshaped('peerauthentications', reshapePeerAuthentication),
      httpRoutes: this.reshaped('httproutes', reshapeHttpRoute),
      virtualServices: this.reshaped('virtualservices', reshapeVirtualService),
      destinationRules: this.reshaped('destinationrules', reshapeDestinationRule),
      networkPolicies: this.reshaped('networkpolicies', reshapeNetworkPolicy),
      calicoPolicies: this.calicoPolicies(
        this.reshaped('caliconetworkpolicies', (o) => reshapeCalicoPolicy(o, 'NetworkPolicy')),
        this.reshaped('calicoglobalnetworkpolicies', (o) => reshapeCalicoPolicy(o, 'GlobalNetworkPolicy')),
      ),
      warnings: summary.warnings,
      available: summary.available,
    };
  }

  /**
   * Both Calico kinds as one array, the same array while neither list changed: lib/mesh/inventory.ts memoises the
   * inventory on the identity of the snapshot's arrays, and a fresh concatenation per snapshot rebuilt the
   * inventory of the whole cluster on every request (~450 ms on 10k objects, bench/results.md).
   */
  private calicoJoined?: { a: CalicoList; b: CalicoList; value: CalicoList };
  private calicoPolicies(a: CalicoList, b: CalicoList): CalicoList {
    const c = this.calicoJoined;
    if (c && c.a === a && c.b === b) return c.value;
    const value = a.length === 0 ? b : b.length === 0 ? a : [...a, ...b];
    this.calicoJoined = { a, b, value };
    return value;
  }
}

type CalicoList = NonNullable<KubeSnapshot['calicoPolicies']>;

export function createKubeCache(o: KubeCacheOptions): KubeCache {
  return new KubeCache(o);
}

// ---------------------------------------------------------------------------
// Process singleton (globalThis, so Next dev HMR does not start a second set of informers).
// One informer cache per configured cluster: KUBE_CONTEXTS lists several, else one (KUBE_CONTEXT or the
// current context, named MESH_CLUSTER_NAME). A context that cannot be loaded affects only its cluster.
// ---------------------------------------------------------------------------

const CACHE_KEY = Symbol.for('meshglass.kubeCache');
type Entry = { cluster: string; context?: string; cache?: KubeCache; error?: string };
type Singleton = { entries: Entry[]; multi: boolean };
const g = globalThis as unknown as Record<symbol, Singleton | undefined>;

function singleton(): Singleton {
  let s = g[CACHE_KEY];
  if (!s) {
    const config = getConfig();
    const contexts = config.kube.contexts;
    const targets = contexts
      ? contexts.map((c) => ({ cluster: c.cluster, explicit: c.explicit === true, context: c.context as string | undefined, variable: 'KUBE_CONTEXTS' }))
      : [{ cluster: config.clusterName, explicit: config.clusterNameExplicit === true, context: config.kube.context, variable: 'KUBE_CONTEXT' }];
    const entries = targets.map((t): Entry => {
      try {
        const kc = loadKubeConfig(t.context ? { context: t.context } : {}, t.variable);
        return {
          cluster: t.cluster,
          ...(t.context ? { context: t.context } : {}),
          cache: createKubeCache({
            kubeConfig: kc,
            clusterName: t.cluster,
            clusterSource: t.explicit ? 'config' : 'default',
            istioNamespace: config.istioNamespace,
            timeoutMs: config.kube.timeoutMs,
          }),
        };
      } catch (e) {
        return { cluster: t.cluster, ...(t.context ? { context: t.context } : {}), error: `cannot load Kubernetes configuration: ${(e as Error).message}` };
      }
    });
    s = { entries, multi: contexts !== undefined };
    g[CACHE_KEY] = s;
  }
  return s;
}

/** For tests: stop the process-wide informer caches and forget them (the next call reads KUBECONFIG again). */
export function resetKubeCacheForTests(): void {
  for (const e of g[CACHE_KEY]?.entries ?? []) e.cache?.stop();
  g[CACHE_KEY] = undefined;
}

/** Every configured cluster's informer cache (undefined where its context could not be loaded). */
export function getKubeCaches(): { cluster: string; context?: string; cache?: KubeCache }[] {
  return singleton().entries.map((e) => ({ cluster: e.cluster, ...(e.context ? { context: e.context } : {}), ...(e.cache ? { cache: e.cache } : {}) }));
}

/** The first configured cluster's informer cache. */
export function getKubeCache(): KubeCache | undefined {
  return singleton().entries[0]?.cache;
}

function unavailable(message: string, cluster?: string): KubeSnapshot {
  const config = getConfig();
  const warnings: Warning[] = [{ source: 'kubernetes', message }];
  return emptySnapshot(cluster ?? config.clusterName, config.istioNamespace, warnings);
}

async function entrySnapshot(e: Entry, opts: SnapshotOptions): Promise<KubeSnapshot> {
  if (!e.cache) return unavailable(e.error ?? 'Kubernetes configuration unavailable', e.cluster);
  return e.cache.getSnapshot(opts);
}

/** The (first) cluster's snapshot; never throws for upstream problems (only when `signal` aborts). */
export async function getKubeSnapshot(opts: SnapshotOptions = {}): Promise<KubeSnapshot> {
  const e = singleton().entries[0];
  if (!e) return unavailable('Kubernetes configuration unavailable');
  return entrySnapshot(e, opts);
}

/**
 * One snapshot per configured cluster, in KUBE_CONTEXTS order, each with its `cluster`. With several
 * clusters every warning is prefixed with its cluster name. A cluster whose API is down or whose context
 * is missing is an unavailable snapshot with a warning; the others are unaffected. Never throws for
 * upstream problems (only when `signal` aborts).
 */
export async function getKubeSnapshots(opts: SnapshotOptions = {}): Promise<KubeSnapshot[]> {
  const s = singleton();
  const snaps = await Promise.all(s.entries.map((e) => entrySnapshot(e, opts)));
  if (!s.multi) return snaps;
  return snaps.map((snap, i) => {
    const cluster = s.entries[i]!.cluster;
    return { ...snap, warnings: snap.warnings.map((w) => ({ ...w, message: `${cluster}: ${w.message}` })) };
  });
}

interface ClusterProbeResult extends KubeProbeResult {
  cluster: string;
  context?: string;
}

/**
 * GET /version of the configured API server(s), for /api/healthz. Never throws. With several clusters:
 * ok only when every cluster answers, `error` names the clusters that did not, `clusters` has each result.
 */
export async function probeKube(opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<KubeProbeResult & { clusters?: ClusterProbeResult[] }> {
  const s = singleton();
  const timeoutMs = opts.timeoutMs ?? getConfig().kube.timeoutMs;
  const probe = (e: Entry): Promise<KubeProbeResult> =>
    e.cache
      ? probeKubeApi(e.cache.kubeConfig, opts.signal, timeoutMs)
      : Promise.resolve({ ok: false, error: e.error ?? 'Kubernetes configuration unavailable' });
  if (!s.multi) {
    const e = s.entries[0];
    return e ? probe(e) : { ok: false, error: 'Kubernetes configuration unavailable' };
  }
  const results = await Promise.all(
    s.entries.map(async (e): Promise<ClusterProbeResult> => ({ cluster: e.cluster, ...(e.context ? { context: e.context } : {}), ...(await probe(e)) })),
  );
  const failed = results.filter((r) => !r.ok);
  return {
    ok: failed.length === 0,
    ...(failed.length > 0 ? { error: failed.map((r) => `${r.cluster}: ${r.error ?? 'unavailable'}`).join('; ') } : {}),
    clusters: results,
  };
}

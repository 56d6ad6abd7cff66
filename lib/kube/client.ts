import 'server-only';
import {
  AppsV1Api,
  NetworkingV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Observable,
  VersionApi,
  type ConfigurationOptions,
  type KubernetesObject,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import type { KubeSettings } from '@/lib/config/parse';
import type { KindName } from './status';

/**
 * KubeConfig by the standard loading rules: $KUBECONFIG, then the in-cluster service account, then
 * ~/.kube/config (KubeConfig.loadFromDefault). KUBE_CONTEXT picks a context other than the current one.
 */
export function loadKubeConfig(settings: Pick<KubeSettings, 'context'> = {}, variable = 'KUBE_CONTEXT'): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  if (settings.context) {
    if (!kc.getContexts().some((c) => c.name === settings.context)) {
      throw new Error(`${variable} names a context that is not in the kubeconfig: ${settings.context}`);
    }
    kc.setCurrentContext(settings.context);
  }
  return kc;
}

/** Per-call options carrying an AbortSignal into client-node's generated API (it has no signal parameter). */
function withSignal(signal: AbortSignal): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (ctx: RequestContext) => {
          ctx.setSignal(signal);
          return new Observable(Promise.resolve(ctx));
        },
        post: (res: ResponseContext) => new Observable(Promise.resolve(res)),
      },
    ],
    // Keep the configuration's own middleware (none today) and add ours; the object-parameter API
    // runs Observable middleware (client-node's rxjs stub), like its own setHeaderMiddleware.
    middlewareMergeStrategy: 'append',
  } as unknown as ConfigurationOptions;
}

interface ListPage<T> {
  items: T[];
  metadata?: { resourceVersion?: string; _continue?: string };
}

interface ListRequest {
  limit: number;
  continueToken?: string;
  signal: AbortSignal;
}

export interface KindVersion {
  /** Watch path (collection across all namespaces). */
  path: string;
  list: (req: ListRequest) => Promise<ListPage<KubernetesObject>>;
}

/** API versions to try in order: the first that is not a 404 wins (older clusters serve only v1beta1). */
export type KindApis = Record<KindName, KindVersion[]>;

export function makeKindApis(kc: KubeConfig): KindApis {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const networking = kc.makeApiClient(NetworkingV1Api);
  const page = (r: ListRequest) => ({ limit: r.limit, ...(r.continueToken ? { _continue: r.continueToken } : {}) });
  const asPage = (x: unknown) => x as ListPage<KubernetesObject>;
  const crd = (group: string, versions: string[], plural: string): KindVersion[] =>
    versions.map((version) => ({
      path: `/apis/${group}/${version}/${plural}`,
      list: async (r) => asPage(await custom.listClusterCustomObject({ group, version, plural, ...page(r) }, withSignal(r.signal))),
    }));
  return {
    namespaces: [{ path: '/api/v1/namespaces', list: async (r) => asPage(await core.listNamespace(page(r), withSignal(r.signal))) }],
    pods: [{ path: '/api/v1/pods', list: async (r) => asPage(await core.listPodForAllNamespaces(page(r), withSignal(r.signal))) }],
    services: [{ path: '/api/v1/services', list: async (r) => asPage(await core.listServiceForAllNamespaces(page(r), withSignal(r.signal))) }],
    replicasets: [{ path: '/apis/apps/v1/replicasets', list: async (r) => asPage(await apps.listReplicaSetForAllNamespaces(page(r), withSignal(r.signal))) }],
    gateways: crd('gateway.networking.k8s.io', ['v1', 'v1beta1'], 'gateways'),
    gatewayclasses: crd('gateway.networking.k8s.io', ['v1', 'v1beta1'], 'gatewayclasses'),
    authorizationpolicies: crd('security.istio.io', ['v1', 'v1beta1'], 'authorizationpolicies'),
    peerauthentications: crd('security.istio.io', ['v1', 'v1beta1'], 'peerauthentications'),
    httproutes: crd('gateway.networking.k8s.io', ['v1', 'v1beta1'], 'httproutes'),
    virtualservices: crd('networking.istio.io', ['v1', 'v1beta1'], 'virtualservices'),
    destinationrules: crd('networking.istio.io', ['v1', 'v1beta1'], 'destinationrules'),
    networkpolicies: [
      {
        path: '/apis/networking.k8s.io/v1/networkpolicies',
        list: async (r) => asPage(await networking.listNetworkPolicyForAllNamespaces(page(r), withSignal(r.signal))),
      },
    ],
    // The Calico API server's group first, else the CRDs it stores them in (same spec).
    caliconetworkpolicies: [...crd('projectcalico.org', ['v3'], 'networkpolicies'), ...crd('crd.projectcalico.org', ['v1'], 'networkpolicies')],
    calicoglobalnetworkpolicies: [
      ...crd('projectcalico.org', ['v3'], 'globalnetworkpolicies'),
      ...crd('crd.projectcalico.org', ['v1'], 'globalnetworkpolicies'),
    ],
  };
}

/** HTTP status of a client-node failure (ApiException.code, Watch error statusCode), if any. */
export function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; statusCode?: unknown };
  if (typeof e.code === 'number') return e.code;
  if (typeof e.statusCode === 'number') return e.statusCode;
  return undefined;
}

/** A short, single-line message for warnings: the API server's Status message when present. */
export function messageOf(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const e = err as { body?: unknown; message?: unknown; name?: unknown; code?: unknown };
  let msg: string | undefined;
  if (typeof e.body === 'string') {
    try {
      const parsed = JSON.parse(e.body) as { message?: unknown };
      if (typeof parsed.message === 'string') msg = parsed.message;
    } catch {
      /* not JSON */
    }
  } else if (typeof e.body === 'object' && e.body !== null && typeof (e.body as { message?: unknown }).message === 'string') {
    msg = (e.body as { message: string }).message;
  }
  if (!msg && e.name === 'AbortError') msg = 'request timed out';
  if (!msg && typeof e.message === 'string') msg = e.message.split('\n')[0];
  const status = statusOf(err);
  const out = `${status !== undefined ? `HTTP ${status}: ` : ''}${msg ?? 'unknown error'}`.replace(/\s+/g, ' ').trim();
  return out.length > 300 ? `${out.slice(0, 297)}...` : out;
}

export interface KubeProbeResult {
  ok: boolean;
  server?: string;
  version?: string;
  error?: string;
}

/** GET /version with a deadline, for /api/healthz. Never throws. */
export async function probeKubeApi(kc: KubeConfig, signal: AbortSignal | undefined, timeoutMs: number): Promise<KubeProbeResult> {
  const server = kc.getCurrentCluster()?.server;
  const deadline = AbortSignal.timeout(timeoutMs);
  const merged = signal ? AbortSignal.any([signal, deadline]) : deadline;
  try {
    const v = await kc.makeApiClient(VersionApi).getCode({}, withSignal(merged));
    return { ok: true, ...(server ? { server } : {}), version: v.gitVersion };
  } catch (e) {
    const error = deadline.aborted ? `no answer within ${timeoutMs} ms` : signal?.aborted ? 'canceled' : messageOf(e);
    return { ok: false, ...(server ? { server } : {}), error };
  }
}

/**
 * Kubernetes API server simulator for the Meshglass demo: real HTTPS, bearer-token auth, discovery, list,
 * get, watch, label/field selectors, Tables for kubectl. Read-only over HTTP; the owner mutates the state
 * with setObjects/apply/delete (watchers receive the events).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { READ_VERBS, RESOURCES, findByResource, groupVersionString, servedGroups, type ResourceDef } from './resources';
import { SelectorError, parseFieldSelector, parseLabelSelector, type KubeObject, type Matcher } from './selectors';
import { ObjectError, Store, type ObjectRef, type StoreEvent } from './store';
import { toTable, type IncludeObject } from './table';
import { ensureTls } from './tls';

type ForbiddenRule = { group: string; resource: string };

export type KubeSimFaults = {
  /** API groups answered 404 everywhere (as if their CRDs were not installed); '' is the core group */
  disabledGroups?: string[];
  /** resources answered with a 403 Forbidden Status (discovery still lists them, as RBAC does) */
  forbidden?: ForbiddenRule[];
  /** every authenticated API request (not discovery) answers this HTTP status with a Status body */
  failAll?: number | null;
  /** delay added before answering each request */
  latencyMs?: number;
};

type KubeSimOptions = {
  objects?: object[];
  manifestsDir?: string;
  /** default 16443; 0 = random */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  stateDir: string;
  /** default: read from <stateDir>/token, else generated and saved there */
  token?: string;
  disabledGroups?: string[];
  forbidden?: ForbiddenRule[];
  /** interval of BOOKMARK events on watches that asked for them (allowWatchBookmarks=true); default 15 s */
  bookmarkIntervalMs?: number;
  /** name used for cluster, user and context in the kubeconfig; default "meshglass-demo" */
  contextName?: string;
  /** default namespace written into the kubeconfig context */
  namespace?: string;
};

export type KubeSimulator = {
  url: string;
  port: number;
  kubeconfigPath: string;
  token: string;
  caPath: string;
  /** objects skipped while loading (unknown kinds, missing names) */
  warnings: string[];
  stop(): Promise<void>;
  /** close the listener and every open connection (watches end abruptly); state is kept */
  suspend(): Promise<void>;
  /** listen again on the same port */
  resume(): Promise<void>;
  /** suspend, wait downMs (default 0), resume */
  restart(downMs?: number): Promise<void>;
  /** replace all objects; emits ADDED/MODIFIED/DELETED for the differences */
  setObjects(objs: readonly object[]): { events: number; warnings: string[] };
  /** re-read manifestsDir (when given) and setObjects with its content */
  reload(): { events: number; warnings: string[] };
  apply(obj: object): void;
  delete(ref: ObjectRef): boolean;
  setFault(f: KubeSimFaults): void;
  clearFaults(): void;
  resourceVersion(): number;
  objects(): KubeObject[];
};

type Status = { code: number; reason: string; message: string; details?: Record<string, unknown> };

// ---------------------------------------------------------------------------------------------------------
// Manifests

/** Reads every *.yaml, *.yml and *.json file below dir (sorted), flattening `kind: List`. */
export function loadManifests(dir: string): object[] {
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
  } catch (err) {
    throw new Error(`kube-sim: manifests directory ${path.resolve(dir)} is not readable (${err instanceof Error ? err.message : String(err)})`);
  }
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/i.test(name)) files.push(p);
    }
  };
  walk(dir);
  const out: object[] = [];
  const push = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
    const o = v as Record<string, unknown>;
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) o.items.forEach(push);
    else out.push(o);
  };
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`${f}: ${doc.errors[0]!.message}`);
      push(doc.toJS());
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// HTTP helpers

function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const data = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data), 'Cache-Control': 'no-cache, private' });
  res.end(data);
}

function statusBody(s: Status): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: s.message,
    reason: s.reason,
    ...(s.details ? { details: s.details } : {}),
    code: s.code,
  };
}

function sendStatus(res: ServerResponse, s: Status): void {
  sendJson(res, s.code, statusBody(s));
}

const NOT_FOUND_PATH: Status = { code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} };

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

type MediaType = { type: string; params: Record<string, string> };

function parseAccept(header: string | undefined): MediaType[] {
  if (!header) return [{ type: '*/*', params: {} }];
  return header.split(',').map((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const p: Record<string, string> = {};
    for (const kv of params) {
      const eq = kv.indexOf('=');
      if (eq > 0) p[kv.slice(0, eq).trim().toLowerCase()] = kv.slice(eq + 1).trim();
    }
    return { type: (type ?? '').toLowerCase(), params: p };
  });
}

type Format = 'json' | 'table' | 'partial';

/** First acceptable representation for API objects, in the client's order; null = nothing we can produce. */
function negotiate(accept: MediaType[]): Format | null {
  for (const m of accept) {
    const jsonish = m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*';
    if (!jsonish) continue;
    const as = m.params.as;
    if (as === undefined) return 'json';
    if (m.params.g !== 'meta.k8s.io' || (m.params.v !== 'v1' && m.params.v !== 'v1beta1')) continue;
    if (as === 'Table') return 'table';
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return 'partial';
  }
  return null;
}

/** Discovery: legacy JSON unless the client accepts nothing but aggregated discovery. */
function acceptsLegacyDiscovery(accept: MediaType[]): boolean {
  return accept.some(
    (m) => (m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*') && m.params.g === undefined && m.params.as === undefined,
  );
}

function encodeContinue(key: string): string {
  return Buffer.from(JSON.stringify({ k: key }), 'utf8').toString('base64url');
}

function decodeContinue(token: string): string {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && typeof (v as { k?: unknown }).k === 'string') return (v as { k: string }).k;
  } catch {
    /* fall through */
  }
  throw new SelectorError('continue token is not valid');
}

const objSortKey = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

// ---------------------------------------------------------------------------------------------------------

export async function startKubeSimulator(opts: KubeSimOptions): Promise<KubeSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const stateDir = path.resolve(opts.stateDir);
  mkdirSync(stateDir, { recursive: true });
  const tls = await ensureTls(stateDir, [host]);

  const tokenPath = path.join(stateDir, 'token');
  let token = opts.token;
  if (!token) {
    try {
      token = readFileSync(tokenPath, 'utf8').trim() || undefined;
    } catch {
      token = undefined;
    }
    if (!token) {
      token = randomBytes(24).toString('hex');
      writeFileSync(tokenPath, `${token}\n`, { mode: 0o600 });
    }
  }
  const expectedAuth = `Bearer ${token}`;

  // resourceVersion stays monotonic across restarts of the process (clients holding an old one get 410).
  const rvPath = path.join(stateDir, 'resource-version');
  let initialRv = 0;
  try {
    initialRv = Math.max(0, Number.parseInt(readFileSync(rvPath, 'utf8'), 10) || 0);
  } catch {
    /* first start */
  }
  let rvWriteScheduled = false;
  const store = new Store(initialRv, {
    onResourceVersion: () => {
      if (rvWriteScheduled) return;
      rvWriteScheduled = true;
      setImmediate(persistRv);
    },
  });
  function persistRv(): void {
    rvWriteScheduled = false;
    try {
      writeFileSync(`${rvPath}.tmp`, String(store.currentResourceVersion()));
      renameSync(`${rvPath}.tmp`, rvPath);
    } catch {
      /* state dir removed under us: not fatal */
    }
  }

  const warnings: string[] = [];
  const initial: unknown[] = [...(opts.manifestsDir ? loadManifests(opts.manifestsDir) : []), ...(opts.objects ?? [])];
  warnings.push(...store.setObjects(initial, false).warnings);
  persistRv();

  const faults: Required<Pick<KubeSimFaults, 'disabledGroups' | 'forbidden'>> & KubeSimFaults = {
    disabledGroups: [...(opts.disabledGroups ?? [])],
    forbidden: [...(opts.forbidden ?? [])],
    failAll: null,
    latencyMs: 0,
  };
  const groupEnabled = (g: string): boolean => !faults.disabledGroups.includes(g);
  const isForbidden = (def: ResourceDef): boolean => faults.forbidden.some((f) => f.group === def.group && f.resource === def.resource);

  // Open watches, so faults and suspend can cut them.
  type Watcher = { def: ResourceDef; close: () => void };
  const watchers = new Set<Watcher>();
  const sockets = new Set<Socket>();
  const bookmarkIntervalMs = opts.bookmarkIntervalMs ?? 15_000;

  let server: Server | undefined;
  let port = opts.port ?? 16443;
  let stopped = false;
  let url = '';

  // -------------------------------------------------------------------------------------------------------
  // Discovery documents

  const versionDoc = {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0-meshglass-sim',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };

  function resourceList(group: string, version: string): Record<string, unknown> {
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: groupVersionString(group, version),
      resources: RESOURCES.filter((r) => r.group === group && r.versions.includes(version)).map((r) => ({
        name: r.resource,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: [...READ_VERBS],
        ...(r.shortNames ? { shortNames: r.shortNames } : {}),
        ...(r.categories ? { categories: r.categories } : {}),
        storageVersionHash: createHash('sha256').update(`${r.group}/${r.resource}`).digest('base64').slice(0, 11),
      })),
    };
  }

  function apiGroup(g: { group: string; versions: string[] }): Record<string, unknown> {
    const versions = g.versions.map((v) => ({ groupVersion: groupVersionString(g.group, v), version: v }));
    return { name: g.group, versions, preferredVersion: versions[0] };
  }

  function serverAddress(): { clientCIDR: string; serverAddress: string }[] {
    return [{ clientCIDR: '0.0.0.0/0', serverAddress: `${host.includes(':') ? `[${host}]` : host}:${port}` }];
  }

  // -------------------------------------------------------------------------------------------------------
  // Objects out

  function present(obj: KubeObject, def: ResourceDef, version: string): KubeObject {
    return { ...obj, apiVersion: groupVersionString(def.group, version), kind: def.kind };
  }

  function partial(obj: KubeObject): Record<string, unknown> {
    return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
  }

  function includeObjectParam(q: URLSearchParams): IncludeObject {
    const v = q.get('includeObject');
    return v === 'None' || v === 'Object' ? v : 'Metadata';
  }

  // -------------------------------------------------------------------------------------------------------
  // Request handling

  function notFoundObject(def: ResourceDef, name: string): Status {
    const what = def.group === '' ? def.resource : `${def.resource}.${def.group}`;
    return { code: 404, reason: 'NotFound', message: `${what} "${name}" not found`, details: { name, group: def.group, kind: def.resource } };
  }

  function forbidden(def: ResourceDef, verb: string, namespace: string | undefined, name?: string): Status {
    const what = def.group === '' ? def.resource : `${def.resource}.${def.group}`;
    const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
    return {
      code: 403,
      reason: 'Forbidden',
      message: `${what}${name ? ` "${name}"` : ''} is forbidden: User "system:serviceaccount:meshglass:meshglass" cannot ${verb} resource "${def.resource}" in API group "${def.group}" ${scope}`,
      details: { ...(name ? { name } : {}), group: def.group, kind: def.resource },
    };
  }

  function handleDiscovery(req: IncomingMessage, res: ServerResponse, segs: string[]): boolean {
    const accept = parseAccept(req.headers.accept);
    const isRoot = segs.length === 1 && (segs[0] === 'api' || segs[0] === 'apis');
    if (isRoot && !acceptsLegacyDiscovery(accept)) {
      sendStatus(res, { code: 406, reason: 'NotAcceptable', message: 'only legacy discovery (application/json) is served' });
      return true;
    }
    if (segs.length === 1 && segs[0] === 'version') {
      sendJson(res, 200, versionDoc);
      return true;
    }
    if (segs.length === 1 && segs[0] === 'api') {
      if (!groupEnabled('')) return false;
      sendJson(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: serverAddress() });
      return true;
    }
    if (segs.length === 2 && segs[0] === 'api' && segs[1] === 'v1') {
      if (!groupEnabled('')) return false;
      sendJson(res, 200, resourceList('', 'v1'));
      return true;
    }
    if (segs.length === 1 && segs[0] === 'apis') {
      const groups = servedGroups()
        .filter((g) => g.group !== '' && groupEnabled(g.group))
        .map(apiGroup);
      sendJson(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
      return true;
    }
    if (segs[0] === 'apis' && (segs.length === 2 || segs.length === 3)) {
      const g = servedGroups().find((x) => x.group !== '' && x.group === segs[1]);
      if (!g || !groupEnabled(g.group)) return false;
      if (segs.length === 2) {
        sendJson(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) });
        return true;
      }
      if (!g.versions.includes(segs[2]!)) return false;
      sendJson(res, 200, resourceList(g.group, segs[2]!));
      return true;
    }
    return false;
  }

  type ResourceRequest = { def: ResourceDef; version: string; namespace?: string; name?: string; subresource?: string; watchPath: boolean };

  function parseResourcePath(segs: string[]): ResourceRequest | null {
    let group: string;
    let version: string;
    let rest: string[];
    if (segs[0] === 'api' && segs[1] === 'v1') {
      group = '';
      version = 'v1';
      rest = segs.slice(2);
    } else if (segs[0] === 'apis' && segs.length >= 4) {
      group = segs[1]!;
      version = segs[2]!;
      rest = segs.slice(3);
    } else {
      return null;
    }
    let watchPath = false;
    if (rest[0] === 'watch') {
      watchPath = true;
      rest = rest.slice(1);
    }
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [resource, name, subresource, ...extra] = rest;
    if (!resource || extra.length > 0) return null;
    const def = findByResource(group, version, resource);
    if (!def) return null;
    if (namespace !== undefined && !def.namespaced) return null;
    if (name !== undefined && namespace === undefined && def.namespaced) return null;
    if (subresource !== undefined && subresource !== 'status') return null;
    return {
      def,
      version,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(subresource ? { subresource } : {}),
      watchPath,
    };
  }

  function matchers(q: URLSearchParams, namespace: string | undefined, name: string | undefined): Matcher {
    const label = parseLabelSelector(q.get('labelSelector'));
    const field = parseFieldSelector(q.get('fieldSelector'));
    return (o) => (namespace === undefined || o.metadata.namespace === namespace) && (name === undefined || o.metadata.name === name) && label(o) && field(o);
  }

  function handleList(res: ServerResponse, r: ResourceRequest, q: URLSearchParams, format: Format): void {
    const match = matchers(q, r.namespace, undefined);
    let items = store.list(r.def, r.namespace).filter(match);
    const rv = String(store.currentResourceVersion());
    const cont = q.get('continue');
    if (cont) {
      const after = decodeContinue(cont);
      items = items.filter((o) => objSortKey(o) > after);
    }
    const limit = Number.parseInt(q.get('limit') ?? '', 10);
    let continueToken: string | undefined;
    let remaining: number | undefined;
    if (Number.isFinite(limit) && limit > 0 && items.length > limit) {
      remaining = items.length - limit;
      items = items.slice(0, limit);
      continueToken = encodeContinue(objSortKey(items[items.length - 1]!));
    }
    const presented = items.map((o) => present(o, r.def, r.version));
    if (format === 'table') {
      sendJson(res, 200, toTable(r.def, presented, { resourceVersion: rv, includeObject: includeObjectParam(q), ...(continueToken ? { continueToken } : {}) }));
      return;
    }
    const metadata = { resourceVersion: rv, ...(continueToken ? { continue: continueToken, remainingItemCount: remaining } : {}) };
    if (format === 'partial') {
      sendJson(res, 200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata, items: presented.map(partial) });
      return;
    }
    sendJson(res, 200, { kind: `${r.def.kind}List`, apiVersion: groupVersionString(r.def.group, r.version), metadata, items: presented });
  }

  function handleGet(res: ServerResponse, r: ResourceRequest, q: URLSearchParams, format: Format): void {
    const obj = store.get(r.def, r.namespace, r.name!);
    if (!obj) {
      sendStatus(res, notFoundObject(r.def, r.name!));
      return;
    }
    const o = present(obj, r.def, r.version);
    if (format === 'table')
      sendJson(res, 200, toTable(r.def, [o], { resourceVersion: String(obj.metadata.resourceVersion ?? ''), includeObject: includeObjectParam(q) }));
    else if (format === 'partial') sendJson(res, 200, partial(o));
    else sendJson(res, 200, o);
  }

  function handleWatch(req: IncomingMessage, res: ServerResponse, r: ResourceRequest, q: URLSearchParams, format: Format): void {
    const match = matchers(q, r.namespace, r.name);
    const rvParam = q.get('resourceVersion');
    let replay: StoreEvent[] | 'gone' = [];
    let initialObjects: KubeObject[] = [];
    const sendInitial = q.get('sendInitialEvents') === 'true';
    if (!rvParam || rvParam === '0' || sendInitial) {
      initialObjects = store.list(r.def, r.namespace).filter(match);
    } else {
      const rv = Number(rvParam);
      if (!Number.isInteger(rv) || rv < 0) {
        sendStatus(res, { code: 400, reason: 'BadRequest', message: `invalid resourceVersion "${rvParam}"` });
        return;
      }
      replay = store.eventsSince(rv);
    }
    const bookmarks = q.get('allowWatchBookmarks') === 'true';
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    let first = true;
    const write = (type: string, obj: unknown): void => {
      if (res.writableEnded || res.destroyed) return;
      let payload = obj;
      if (format === 'table' && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) {
        payload = toTable(r.def, [obj as KubeObject], {
          resourceVersion: String((obj as KubeObject).metadata.resourceVersion ?? ''),
          includeObject: includeObjectParam(q),
          withColumns: first,
        });
        first = false;
      } else if (format === 'partial' && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) {
        payload = partial(obj as KubeObject);
      }
      res.write(`${JSON.stringify({ type, object: payload })}\n`);
    };
    const bookmark = (initialEnd = false): void =>
      write('BOOKMARK', {
        kind: r.def.kind,
        apiVersion: groupVersionString(r.def.group, r.version),
        metadata: { resourceVersion: String(store.currentResourceVersion()), ...(initialEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}) },
      });

    if (replay === 'gone') {
      write('ERROR', statusBody({ code: 410, reason: 'Expired', message: `too old resource version: ${rvParam} (${store.currentResourceVersion()})` }));
      res.end();
      return;
    }

    const deliver = (e: StoreEvent): void => {
      if (e.def !== r.def) return;
      const now = match(e.obj);
      if (e.type === 'MODIFIED') {
        const before = e.prev ? match(e.prev) : false;
        if (now && before) write('MODIFIED', present(e.obj, r.def, r.version));
        else if (now) write('ADDED', present(e.obj, r.def, r.version));
        else if (before) write('DELETED', present(e.obj, r.def, r.version));
      } else if (now) {
        write(e.type, present(e.obj, r.def, r.version));
      }
    };
    for (const o of initialObjects) write('ADDED', present(o, r.def, r.version));
    if (sendInitial && bookmarks) bookmark(true);
    for (const e of replay) deliver(e);
    const unsubscribe = store.subscribe(deliver);

    const timers: NodeJS.Timeout[] = [];
    const watcher: Watcher = {
      def: r.def,
      close: () => {
        cleanup();
        if (!res.writableEnded) res.end();
      },
    };
    const cleanup = (): void => {
      unsubscribe();
      timers.forEach(clearTimeout);
      timers.forEach(clearInterval);
      watchers.delete(watcher);
    };
    watchers.add(watcher);
    const timeoutSeconds = Number.parseInt(q.get('timeoutSeconds') ?? '', 10);
    if (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0) timers.push(setTimeout(watcher.close, timeoutSeconds * 1000));
    if (bookmarks) timers.push(setInterval(() => bookmark(false), bookmarkIntervalMs));
    req.on('close', cleanup);
    res.on('close', cleanup);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'https://kube-sim.invalid');
    const segs = u.pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    const q = u.searchParams;

    if (segs.length === 1 && ['healthz', 'livez', 'readyz'].includes(segs[0]!)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (req.headers.authorization !== expectedAuth) {
      sendStatus(res, { code: 401, reason: 'Unauthorized', message: 'Unauthorized' });
      return;
    }
    if (faults.latencyMs) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const r = parseResourcePath(segs);
      if (r && groupEnabled(r.def.group)) {
        sendStatus(res, { code: 405, reason: 'MethodNotAllowed', message: `the simulator is read-only: ${req.method} is not supported` });
      } else {
        sendStatus(res, NOT_FOUND_PATH);
      }
      return;
    }
    if (handleDiscovery(req, res, segs)) return;

    const r = parseResourcePath(segs);
    if (!r || !groupEnabled(r.def.group)) {
      if (segs[0] === 'openapi') {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('404 page not found\n');
        return;
      }
      sendStatus(res, NOT_FOUND_PATH);
      return;
    }
    if (faults.failAll) {
      const code = faults.failAll;
      sendStatus(res, { code, reason: REASONS[code] ?? 'InternalError', message: `simulated failure (HTTP ${code})` });
      return;
    }
    const watch = r.watchPath || q.get('watch') === 'true' || q.get('watch') === '1';
    const verb = watch ? 'watch' : r.name !== undefined ? 'get' : 'list';
    if (isForbidden(r.def)) {
      sendStatus(res, forbidden(r.def, verb, r.namespace, r.name));
      return;
    }
    const format = negotiate(parseAccept(req.headers.accept));
    if (format === null) {
      sendStatus(res, {
        code: 406,
        reason: 'NotAcceptable',
        message: `only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io`,
      });
      return;
    }
    if (watch) handleWatch(req, res, r, q, format);
    else if (r.name !== undefined) handleGet(res, r, q, format);
    else handleList(res, r, q, format);
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof SelectorError || err instanceof ObjectError) sendStatus(res, { code: 400, reason: 'BadRequest', message: err.message });
      else sendStatus(res, { code: 500, reason: 'InternalError', message: err instanceof Error ? err.message : String(err) });
    });
  };

  // -------------------------------------------------------------------------------------------------------
  // Lifecycle

  async function listen(): Promise<void> {
    const s = createServer({ cert: tls.cert, key: tls.key, ca: tls.caCert }, onRequest);
    s.keepAliveTimeout = 30_000;
    s.on('connection', (sock: Socket) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
    });
    s.on('tlsClientError', () => {
      /* clients that do not trust the CA: nothing to do */
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'EADDRINUSE' ? new Error(`kube-sim: ${host}:${port} is already in use (another simulator running?)`) : err),
      );
      s.listen(port, host, () => {
        s.removeAllListeners('error');
        resolve();
      });
    });
    const addr = s.address();
    if (addr && typeof addr === 'object') port = addr.port;
    server = s;
    url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  async function suspend(): Promise<void> {
    const s = server;
    server = undefined;
    for (const w of [...watchers]) w.close();
    for (const sock of sockets) sock.destroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  await listen();

  const kubeconfigPath = path.join(stateDir, 'kubeconfig');
  const ctx = opts.contextName ?? 'meshglass-demo';
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: ctx, cluster: { server: url, 'certificate-authority-data': Buffer.from(tls.caCert).toString('base64') } }],
    users: [{ name: ctx, user: { token } }],
    contexts: [{ name: ctx, context: { cluster: ctx, user: ctx, ...(opts.namespace ? { namespace: opts.namespace } : {}) } }],
    'current-context': ctx,
    preferences: {},
  };
  writeFileSync(`${kubeconfigPath}.tmp`, stringify(kubeconfig), { mode: 0o600 });
  renameSync(`${kubeconfigPath}.tmp`, kubeconfigPath);

  const closeWatchersOf = (pred: (def: ResourceDef) => boolean): void => {
    for (const w of [...watchers]) if (pred(w.def)) w.close();
  };

  const sim: KubeSimulator = {
    get url() {
      return url;
    },
    get port() {
      return port;
    },
    kubeconfigPath,
    token,
    caPath: tls.caPath,
    warnings,
    async stop() {
      stopped = true;
      await suspend();
      persistRv();
    },
    suspend,
    async resume() {
      if (stopped) throw new Error('kube simulator was stopped');
      if (!server) await listen();
    },
    async restart(downMs = 0) {
      await suspend();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await sim.resume();
    },
    setObjects(objs) {
      const { events, warnings: w } = store.setObjects(objs);
      return { events: events.length, warnings: w };
    },
    reload() {
      if (!opts.manifestsDir) return { events: 0, warnings: ['no manifestsDir to reload'] };
      return sim.setObjects([...loadManifests(opts.manifestsDir), ...(opts.objects ?? [])]);
    },
    apply(obj) {
      store.apply(obj);
    },
    delete(ref) {
      return store.delete(ref) !== null;
    },
    setFault(f) {
      if (f.disabledGroups) faults.disabledGroups = [...f.disabledGroups];
      if (f.forbidden) faults.forbidden = [...f.forbidden];
      if (f.failAll !== undefined) faults.failAll = f.failAll;
      if (f.latencyMs !== undefined) faults.latencyMs = f.latencyMs;
      // Open watches of resources that just became unavailable end, like an apiserver dropping a CRD.
      closeWatchersOf((def) => !groupEnabled(def.group) || isForbidden(def) || Boolean(faults.failAll));
    },
    clearFaults() {
      sim.setFault({ disabledGroups: [], forbidden: [], failAll: null, latencyMs: 0 });
    },
    resourceVersion: () => store.currentResourceVersion(),
    objects: () => store.all().map((o) => structuredClone(o)),
  };
  return sim;
}

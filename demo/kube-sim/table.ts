/** meta.k8s.io/v1 Table rendering (what `kubectl get` asks for), with kubectl-like columns for common kinds. */
import type { ResourceDef } from './resources';
import type { KubeObject } from './selectors';

type ColumnDefinition = { name: string; type: string; format: string; description: string; priority: number };
type Cell = string | number | boolean | null;
type Column = ColumnDefinition & { cell: (o: KubeObject, now: Date) => Cell };

/** kubectl's HumanDuration (k8s.io/apimachinery/pkg/util/duration). */
function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 0) return '<invalid>';
  if (s < 60 * 2) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 60 * 3) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  const y = Math.floor(h / 24 / 365);
  if (y < 8) return `${y}y${Math.floor(h / 24) % 365}d`;
  return `${y}y`;
}

const get = (o: unknown, path: string): unknown => {
  let cur = o;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
};
const str = (v: unknown, dflt = '<none>'): string => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : dflt);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function col(name: string, cell: Column['cell'], opts: Partial<ColumnDefinition> = {}): Column {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description: opts.description ?? name, priority: opts.priority ?? 0, cell };
}

const NAME = col('Name', (o) => o.metadata.name, { format: 'name', description: 'Name must be unique within a namespace.' });
const AGE = col(
  'Age',
  (o, now) => {
    const ts = o.metadata.creationTimestamp;
    if (typeof ts !== 'string') return '<unknown>';
    const t = Date.parse(ts);
    return Number.isNaN(t) ? '<unknown>' : humanDuration(now.getTime() - t);
  },
  { description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' },
);

function podStatus(o: KubeObject): string {
  if (o.metadata.deletionTimestamp) return 'Terminating';
  let reason = str(get(o, 'status.reason'), '') || str(get(o, 'status.phase'), 'Unknown');
  for (const cs of arr(get(o, 'status.initContainerStatuses'))) {
    const w = str(get(cs, 'state.waiting.reason'), '');
    if (w && w !== 'PodInitializing') return `Init:${w}`;
  }
  for (const cs of arr(get(o, 'status.containerStatuses'))) {
    const w = str(get(cs, 'state.waiting.reason'), '');
    const t = str(get(cs, 'state.terminated.reason'), '');
    if (w) reason = w;
    else if (t) reason = t;
  }
  return reason;
}

function condition(o: KubeObject, type: string): string {
  const c = arr(get(o, 'status.conditions')).find((x) => get(x, 'type') === type);
  return str(get(c, 'status'), 'Unknown');
}

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    NAME,
    col(
      'Ready',
      (o) => {
        const statuses = arr(get(o, 'status.containerStatuses'));
        const total = arr(get(o, 'spec.containers')).length;
        return `${statuses.filter((s) => get(s, 'ready') === true).length}/${total}`;
      },
      { description: 'The aggregate readiness state of this pod for accepting traffic.' },
    ),
    col('Status', podStatus, { description: 'The aggregate status of the containers in this pod.' }),
    col('Restarts', (o) => String(arr(get(o, 'status.containerStatuses')).reduce<number>((n, s) => n + num(get(s, 'restartCount')), 0)), {
      description: 'The number of times the containers in this pod have been restarted.',
    }),
    AGE,
    col('IP', (o) => str(get(o, 'status.podIP')), { priority: 1 }),
    col('Node', (o) => str(get(o, 'spec.nodeName')), { priority: 1 }),
  ],
  Namespace: [NAME, col('Status', (o) => str(get(o, 'status.phase'), 'Active')), AGE],
  Service: [
    NAME,
    col('Type', (o) => str(get(o, 'spec.type'), 'ClusterIP')),
    col('Cluster-IP', (o) => str(get(o, 'spec.clusterIP'))),
    col('External-IP', (o) => {
      const ing = arr(get(o, 'status.loadBalancer.ingress'))
        .map((i) => str(get(i, 'ip'), '') || str(get(i, 'hostname'), ''))
        .filter(Boolean);
      return ing.length ? ing.join(',') : get(o, 'spec.type') === 'LoadBalancer' ? '<pending>' : '<none>';
    }),
    col('Port(s)', (o) => {
      const ports = arr(get(o, 'spec.ports')).map(
        (p) => `${num(get(p, 'port'))}${get(p, 'nodePort') ? `:${num(get(p, 'nodePort'))}` : ''}/${str(get(p, 'protocol'), 'TCP')}`,
      );
      return ports.length ? ports.join(',') : '<none>';
    }),
    AGE,
    col(
      'Selector',
      (o) => {
        const sel = get(o, 'spec.selector');
        return sel && typeof sel === 'object'
          ? Object.entries(sel)
              .map(([k, v]) => `${k}=${String(v)}`)
              .join(',') || '<none>'
          : '<none>';
      },
      { priority: 1 },
    ),
  ],
  Deployment: [
    NAME,
    col('Ready', (o) => `${num(get(o, 'status.readyReplicas'))}/${num(get(o, 'spec.replicas') ?? 1)}`),
    col('Up-to-date', (o) => num(get(o, 'status.updatedReplicas')), { type: 'integer' }),
    col('Available', (o) => num(get(o, 'status.availableReplicas')), { type: 'integer' }),
    AGE,
  ],
  ReplicaSet: [
    NAME,
    col('Desired', (o) => num(get(o, 'spec.replicas')), { type: 'integer' }),
    col('Current', (o) => num(get(o, 'status.replicas')), { type: 'integer' }),
    col('Ready', (o) => num(get(o, 'status.readyReplicas')), { type: 'integer' }),
    AGE,
  ],
  StatefulSet: [NAME, col('Ready', (o) => `${num(get(o, 'status.readyReplicas'))}/${num(get(o, 'spec.replicas') ?? 1)}`), AGE],
  DaemonSet: [
    NAME,
    col('Desired', (o) => num(get(o, 'status.desiredNumberScheduled')), { type: 'integer' }),
    col('Current', (o) => num(get(o, 'status.currentNumberScheduled')), { type: 'integer' }),
    col('Ready', (o) => num(get(o, 'status.numberReady')), { type: 'integer' }),
    AGE,
  ],
  Job: [
    NAME,
    col('Status', (o) => (condition(o, 'Complete') === 'True' ? 'Complete' : condition(o, 'Failed') === 'True' ? 'Failed' : 'Running')),
    col('Completions', (o) => `${num(get(o, 'status.succeeded'))}/${num(get(o, 'spec.completions') ?? 1)}`),
    AGE,
  ],
  Gateway: [
    NAME,
    col('Class', (o) => str(get(o, 'spec.gatewayClassName'), '')),
    col(
      'Address',
      (o) =>
        arr(get(o, 'status.addresses'))
          .map((a) => str(get(a, 'value'), ''))
          .filter(Boolean)[0] ?? '',
    ),
    col('Programmed', (o) => condition(o, 'Programmed')),
    AGE,
  ],
  GatewayClass: [NAME, col('Controller', (o) => str(get(o, 'spec.controllerName'), '')), col('Accepted', (o) => condition(o, 'Accepted')), AGE],
  HTTPRoute: [NAME, col('Hostnames', (o) => arr(get(o, 'spec.hostnames')).map(String).join(',')), AGE],
  AuthorizationPolicy: [NAME, col('Action', (o) => str(get(o, 'spec.action'), '')), AGE],
  PeerAuthentication: [NAME, col('Mode', (o) => str(get(o, 'spec.mtls.mode'), '')), AGE],
  // kubectl's own columns for networking.k8s.io NetworkPolicy.
  NetworkPolicy: [NAME, col('Pod-Selector', (o) => podSelectorText(get(o, 'spec.podSelector'))), AGE],
  ServiceEntry: [
    NAME,
    col('Hosts', (o) => arr(get(o, 'spec.hosts')).map(String).join(',')),
    col('Location', (o) => str(get(o, 'spec.location'), '')),
    col('Resolution', (o) => str(get(o, 'spec.resolution'), '')),
    AGE,
  ],
};

/** kubectl's rendering of a podSelector: "app=x,tier=y", "<none>" for the empty selector. */
function podSelectorText(sel: unknown): string {
  const labels = Object.entries((get(sel, 'matchLabels') ?? {}) as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`);
  const exprs = arr(get(sel, 'matchExpressions')).map((e) => {
    const key = str(get(e, 'key'), '');
    const op = str(get(e, 'operator'), '');
    const values = arr(get(e, 'values')).map(String).join(',');
    return op === 'Exists' ? key : op === 'DoesNotExist' ? `!${key}` : `${key} ${op === 'In' ? 'in' : 'notin'} (${values})`;
  });
  const all = [...labels, ...exprs];
  return all.length > 0 ? all.join(',') : '<none>';
}

function columnsFor(def: ResourceDef): Column[] {
  return COLUMNS[def.kind] ?? [NAME, AGE];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function toTable(
  def: ResourceDef,
  objects: KubeObject[],
  opts: { resourceVersion: string; includeObject: IncludeObject; withColumns?: boolean; now?: Date; continueToken?: string },
): Record<string, unknown> {
  const cols = columnsFor(def);
  const now = opts.now ?? new Date();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: opts.resourceVersion, ...(opts.continueToken ? { continue: opts.continueToken } : {}) },
    columnDefinitions: opts.withColumns === false ? [] : cols.map(({ cell: _cell, ...d }) => (void _cell, d)),
    rows: objects.map((o) => ({
      cells: cols.map((c) => c.cell(o, now)),
      ...(opts.includeObject === 'None'
        ? {}
        : {
            object: opts.includeObject === 'Object' ? o : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
          }),
    })),
  };
}

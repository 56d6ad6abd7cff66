import { z } from 'zod';
import { CLUSTER_NAME, MAX_WINDOW_SECONDS, MIN_WINDOW_SECONDS, NAMESPACE_NAME, parseInstant, rangeToSeconds, type TimeWindow } from '@/lib/api/scope';
import type { EdgePath, Mtls, Telemetry } from '@/lib/mesh/types';
import { compareSchema } from '@/lib/compare/url';

// Every piece of graph view state lives in the URL so an incident link reproduces the view
// (docs/api.md §5). Parsing is forgiving: a bad parameter falls back to its default and is
// reported by name, so the page can say what is wrong instead of crashing.

export const RANGE_PRESETS = ['5m', '15m', '1h', '6h', '24h', '7d'] as const;
export const LAYOUT_NAMES = ['fcose', 'grid', 'concentric', 'breadthfirst'] as const;
export const PATHS: readonly EdgePath[] = ['sidecar', 'ambient', 'waypoint', 'mixed'];
export const TELEMETRIES: readonly Telemetry[] = ['l7', 'l4'];
export const MTLS_VALUES: readonly Mtls[] = ['mutual', 'plaintext', 'unknown'];
/** Refresh intervals offered in the toolbar, in seconds; 0 = paused. */
export const REFRESH_CHOICES = [0, 10, 30, 60, 300] as const;
export const DEFAULT_RANGE = '15m';
export const DEFAULT_REFRESH = 30;

export type LayoutName = (typeof LAYOUT_NAMES)[number];
export type ViewMode = 'graph' | 'list';
/** Graph overlays: `coverage` (where are we blind), `policy` (allowed / denied / not enforced / no policy). */
export type Overlay = 'none' | 'coverage' | 'policy';

export interface GraphFilters {
  /** Empty = all. */
  paths: EdgePath[];
  telemetry: Telemetry[];
  mtls: Mtls[];
  hideOutOfMesh: boolean;
  hideIdle: boolean;
  search: string;
}

export interface GraphUrlState {
  namespaces: string[];
  /** Istio cluster names (`clusters=a,b`); empty = every cluster. */
  clusters: string[];
  window: TimeWindow;
  selected?: string;
  filters: GraphFilters;
  /** undefined = automatic (fcose). */
  layout?: LayoutName;
  expandWaypoints: boolean;
  /** `group=version`: apps with several versions drawn as boxes, the side panel compares the versions; absent = by workload. */
  group?: 'version';
  /** Namespaces drawn with their workloads when a large graph is collapsed (`expandNs=a,b`); absent = none. */
  expandNamespaces?: string[];
  /** false = never collapse namespaces (`collapse=0`); absent = automatic (above COLLAPSE_NODE_THRESHOLD). */
  collapse?: false;
  view: ViewMode;
  overlay: Overlay;
  /** Seconds; 0 = paused. */
  refresh: number;
  /** "What changed?" base (`compare=1h|24h|7d|snap:<id>|<start>~<end>`, lib/compare/url.ts); absent = no comparison. */
  compare?: string;
}

export interface UrlParamError {
  param: string;
  message: string;
}

export interface ParsedUrlState {
  state: GraphUrlState;
  errors: UrlParamError[];
}

export const DEFAULT_FILTERS: GraphFilters = {
  paths: [],
  telemetry: [],
  mtls: [],
  hideOutOfMesh: false,
  hideIdle: false,
  search: '',
};

export function defaultUrlState(): GraphUrlState {
  return {
    namespaces: [],
    clusters: [],
    window: { kind: 'range', range: DEFAULT_RANGE },
    filters: { ...DEFAULT_FILTERS, paths: [], telemetry: [], mtls: [] },
    expandWaypoints: false,
    view: 'graph',
    overlay: 'none',
    refresh: DEFAULT_REFRESH,
  };
}

// Window bounds, duration and instant syntax, namespace and cluster names: lib/api/scope.ts.
const namespaceSchema = z.string().regex(NAMESPACE_NAME, 'not a valid namespace name');

const rangeSchema = z.string().refine((v) => {
  const s = rangeToSeconds(v);
  return s !== undefined && s >= MIN_WINDOW_SECONDS && s <= MAX_WINDOW_SECONDS;
}, 'must be a duration between 1m and 30d, e.g. 15m, 1h, 7d');

const instantSchema = z.string().refine((v) => parseInstant(v) !== undefined, 'must be RFC 3339 (2026-11-21T21:00:00Z) or unix seconds');

function listSchema<T extends string>(values: readonly T[]) {
  return z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values as unknown as [T, ...T[]], { error: `allowed values: ${values.join(', ')}` })));
}

const boolSchema = z.enum(['1', 'true', '0', 'false']).transform((v) => v === '1' || v === 'true');

// Ids from lib/mesh/ids.ts: printable, bounded; rendered as text only.
const selectedSchema = z
  .string()
  .min(1)
  .max(600)
  .regex(/^[\x21-\x7e]+$/, 'not a valid node or edge id');

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function getParam(params: Params, name: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(name) ?? undefined;
  const v = params[name];
  return Array.isArray(v) ? v[0] : v;
}

function issueMessage(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'invalid value';
}

/** Parse graph view state from URL search params. Never throws. */
export function parseUrlState(params: Params): ParsedUrlState {
  const state = defaultUrlState();
  const errors: UrlParamError[] = [];

  function take<T>(name: string, schema: z.ZodType<T>, apply: (v: T) => void): void {
    const raw = getParam(params, name);
    if (raw === undefined || raw === '') return;
    const r = schema.safeParse(raw);
    if (r.success) apply(r.data);
    else errors.push({ param: name, message: issueMessage(r.error) });
  }

  const nsRaw = getParam(params, 'namespaces');
  if (nsRaw) {
    const list = nsRaw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = list.find((n) => !namespaceSchema.safeParse(n).success);
    if (bad !== undefined) errors.push({ param: 'namespaces', message: `"${bad.slice(0, 64)}" is not a valid namespace name` });
    else state.namespaces = [...new Set(list)];
  }

  const clustersRaw = getParam(params, 'clusters');
  if (clustersRaw) {
    const list = clustersRaw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = list.find((c) => !CLUSTER_NAME.test(c));
    if (bad !== undefined) errors.push({ param: 'clusters', message: `"${bad.slice(0, 64)}" is not a valid cluster name` });
    else state.clusters = [...new Set(list)];
  }

  const start = getParam(params, 'start');
  const end = getParam(params, 'end');
  const range = getParam(params, 'range');
  if (start || end) {
    const s = start ? instantSchema.safeParse(start) : undefined;
    const e = end ? instantSchema.safeParse(end) : undefined;
    if (!start) errors.push({ param: 'start', message: 'is required when end is given' });
    else if (!s?.success) errors.push({ param: 'start', message: s ? issueMessage(s.error) : 'invalid' });
    if (!end) errors.push({ param: 'end', message: 'is required when start is given' });
    else if (!e?.success) errors.push({ param: 'end', message: e ? issueMessage(e.error) : 'invalid' });
    if (start && end && s?.success && e?.success) {
      const a = parseInstant(start)!;
      const b = parseInstant(end)!;
      if (b <= a) errors.push({ param: 'end', message: 'must be after start' });
      else if ((b - a) / 1000 > MAX_WINDOW_SECONDS) errors.push({ param: 'start', message: 'window longer than 30 days' });
      else state.window = { kind: 'absolute', start: new Date(a).toISOString(), end: new Date(b).toISOString() };
    }
    if (range) errors.push({ param: 'range', message: 'cannot be combined with start/end' });
  } else {
    take('range', rangeSchema, (v) => (state.window = { kind: 'range', range: v }));
  }

  take('selected', selectedSchema, (v) => (state.selected = v));
  take('path', listSchema(PATHS), (v) => (state.filters.paths = [...new Set(v)]));
  take('telemetry', listSchema(TELEMETRIES), (v) => (state.filters.telemetry = [...new Set(v)]));
  take('mtls', listSchema(MTLS_VALUES), (v) => (state.filters.mtls = [...new Set(v)]));
  take('hideOutOfMesh', boolSchema, (v) => (state.filters.hideOutOfMesh = v));
  take('hideIdle', boolSchema, (v) => (state.filters.hideIdle = v));
  take('q', z.string().max(100, 'longer than 100 characters'), (v) => (state.filters.search = v));
  take('layout', z.enum(LAYOUT_NAMES, { error: `allowed values: ${LAYOUT_NAMES.join(', ')}` }), (v) => (state.layout = v));
  take('expand', boolSchema, (v) => (state.expandWaypoints = v));
  take('group', z.enum(['workload', 'version'], { error: 'allowed values: workload, version' }), (v) => {
    if (v === 'version') state.group = 'version';
  });
  // `expand` already names the waypoint switch, so the namespace list has its own name.
  const expandNsRaw = getParam(params, 'expandNs');
  if (expandNsRaw) {
    const list = expandNsRaw
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    const bad = list.find((n) => !namespaceSchema.safeParse(n).success);
    if (bad !== undefined) errors.push({ param: 'expandNs', message: `"${bad.slice(0, 64)}" is not a valid namespace name` });
    else if (list.length) state.expandNamespaces = [...new Set(list)];
  }
  take('collapse', boolSchema, (v) => {
    if (!v) state.collapse = false;
  });
  take('view', z.enum(['graph', 'list'], { error: 'allowed values: graph, list' }), (v) => (state.view = v));
  take('overlay', z.enum(['none', 'coverage', 'policy'], { error: 'allowed values: none, coverage, policy' }), (v) => (state.overlay = v));
  take(
    'refresh',
    z.union([
      z.literal('off').transform(() => 0),
      z
        .string()
        .refine((v) => rangeToSeconds(v) !== undefined && rangeToSeconds(v)! >= 5 && rangeToSeconds(v)! <= 3600, 'must be off or a duration between 5s and 1h')
        .transform((v) => rangeToSeconds(v)!),
    ]),
    (v) => (state.refresh = v),
  );

  take('compare', compareSchema, (v) => (state.compare = v));

  return { state, errors };
}

function formatRefresh(seconds: number): string {
  if (seconds === 0) return 'off';
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** Serialise state to search params; defaults are omitted so links stay short. */
export function serializeUrlState(state: GraphUrlState): URLSearchParams {
  const p = new URLSearchParams();
  if (state.namespaces.length) p.set('namespaces', state.namespaces.join(','));
  if (state.clusters.length) p.set('clusters', state.clusters.join(','));
  if (state.window.kind === 'absolute') {
    p.set('start', state.window.start);
    p.set('end', state.window.end);
  } else if (state.window.range !== DEFAULT_RANGE) {
    p.set('range', state.window.range);
  }
  if (state.selected) p.set('selected', state.selected);
  const f = state.filters;
  if (f.paths.length) p.set('path', f.paths.join(','));
  if (f.telemetry.length) p.set('telemetry', f.telemetry.join(','));
  if (f.mtls.length) p.set('mtls', f.mtls.join(','));
  if (f.hideOutOfMesh) p.set('hideOutOfMesh', '1');
  if (f.hideIdle) p.set('hideIdle', '1');
  if (f.search) p.set('q', f.search);
  if (state.layout) p.set('layout', state.layout);
  if (state.expandWaypoints) p.set('expand', '1');
  if (state.group === 'version') p.set('group', 'version');
  if (state.expandNamespaces?.length) p.set('expandNs', state.expandNamespaces.join(','));
  if (state.collapse === false) p.set('collapse', '0');
  if (state.view !== 'graph') p.set('view', state.view);
  if (state.overlay !== 'none') p.set('overlay', state.overlay);
  if (state.refresh !== DEFAULT_REFRESH) p.set('refresh', formatRefresh(state.refresh));
  if (state.compare) p.set('compare', state.compare);
  return p;
}

/** The share link: same view, but the window frozen to the absolute window the data was computed for. */
export function shareState(state: GraphUrlState, dataWindow: { start: string; end: string }): GraphUrlState {
  return { ...state, window: { kind: 'absolute', start: dataWindow.start, end: dataWindow.end } };
}

'use client';

import { useState, type ReactNode } from 'react';
import type { PickerNamespace } from '@/lib/graph/picker';
import type { EdgePath, Mtls, Telemetry } from '@/lib/mesh/types';
import { MODE_LABELS, MTLS_LABELS, PATH_STYLES } from '@/lib/graph/style-mapping';
import { LAYOUT_NAMES, MTLS_VALUES, PATHS, RANGE_PRESETS, REFRESH_CHOICES, TELEMETRIES, type GraphUrlState, type LayoutName } from '@/lib/graph/url-state';
import { Button } from '@/components/ui/button';

interface ToolbarProps {
  state: GraphUrlState;
  /** The picker's namespaces (lib/graph/picker.ts): the Kubernetes inventory's, plus the drawn graph's telemetry-only ones. */
  namespaces: PickerNamespace[] | undefined;
  namespacesError?: string;
  /** Clusters to offer (configured ∪ seen on the graph ∪ selected); the menu shows only when there is more than one. */
  clusters?: string[];
  onChange: (next: GraphUrlState, opts?: { push?: boolean }) => void;
  onRefresh: () => void;
  onRelayout: () => void;
  onShare: () => void;
  onExportPng: () => void;
  onExportJson: () => void;
  onSearchSubmit: () => void;
  fetching: boolean;
  canExport: boolean;
}

function Menu({ label, badge, children, testId }: { label: string; badge?: string; children: ReactNode; testId?: string }) {
  return (
    <details className="group relative" data-testid={testId}>
      <summary className="inline-flex cursor-pointer list-none items-center gap-1 rounded border border-gray-300 bg-white px-2.5 py-1 text-sm font-medium hover:bg-gray-50">
        {label}
        {badge && <span className="rounded bg-blue-100 px-1 text-xs text-blue-900">{badge}</span>}
        <span aria-hidden="true">▾</span>
      </summary>
      <div className="absolute left-0 z-30 mt-1 max-h-[70vh] min-w-[14rem] overflow-y-auto rounded border border-gray-300 bg-white p-2 shadow-lg">
        {children}
      </div>
    </details>
  );
}

function toggle<T>(list: T[], v: T): T[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}

/** datetime-local (read as UTC) ↔ ISO. */
function toLocalInput(iso: string): string {
  return iso.slice(0, 16);
}

const REFRESH_LABELS: Record<number, string> = { 0: 'off', 10: '10s', 30: '30s', 60: '1m', 300: '5m' };

export function GraphToolbar(p: ToolbarProps) {
  const { state, onChange } = p;
  const f = state.filters;
  const [from, setFrom] = useState(state.window.kind === 'absolute' ? toLocalInput(state.window.start) : '');
  const [to, setTo] = useState(state.window.kind === 'absolute' ? toLocalInput(state.window.end) : '');
  const windowKey = state.window.kind === 'absolute' ? `${state.window.start}|${state.window.end}` : '';
  const [syncedKey, setSyncedKey] = useState(windowKey);
  if (windowKey !== syncedKey && state.window.kind === 'absolute') {
    // The URL changed under us (back button, shared link): show its window in the inputs.
    setSyncedKey(windowKey);
    setFrom(toLocalInput(state.window.start));
    setTo(toLocalInput(state.window.end));
  }
  const [timeError, setTimeError] = useState<string>();
  const [lastRefresh, setLastRefresh] = useState(state.refresh || 30);
  const filterCount = f.paths.length + f.telemetry.length + f.mtls.length + (f.hideIdle ? 1 : 0) + (f.hideOutOfMesh ? 1 : 0);
  const set = (patch: Partial<GraphUrlState>) => onChange({ ...state, ...patch });
  const setFilters = (patch: Partial<GraphUrlState['filters']>) => onChange({ ...state, filters: { ...f, ...patch } });

  function applyAbsolute() {
    const s = Date.parse(`${from}:00Z`);
    const e = Date.parse(`${to}:00Z`);
    if (Number.isNaN(s) || Number.isNaN(e)) return setTimeError('Enter both from and to.');
    if (e <= s) return setTimeError('"to" must be after "from".');
    setTimeError(undefined);
    set({ window: { kind: 'absolute', start: new Date(s).toISOString(), end: new Date(e).toISOString() } });
  }

  const paused = state.refresh === 0;
  const relative = state.window.kind === 'range';

  return (
    <div role="toolbar" aria-label="Graph controls" className="flex flex-wrap items-center gap-2 border-b border-gray-300 bg-white px-3 py-2">
      <Menu label="Namespaces" badge={state.namespaces.length ? String(state.namespaces.length) : 'all'} testId="namespace-menu">
        {p.namespacesError && (
          <p className="text-xs text-red-800">
            {p.namespaces?.length ? 'Only the namespaces in the graph' : 'Namespaces unavailable'}: {p.namespacesError}
          </p>
        )}
        {!p.namespaces && !p.namespacesError && <p className="text-xs text-gray-600">Loading…</p>}
        <fieldset>
          <legend className="sr-only">Namespaces to show</legend>
          {(p.namespaces ?? []).map((ns) => (
            <label key={ns.name} className="flex items-center gap-2 py-0.5 text-sm">
              <input
                type="checkbox"
                checked={state.namespaces.includes(ns.name)}
                onChange={() => onChange({ ...state, namespaces: toggle(state.namespaces, ns.name), selected: undefined }, { push: true })}
              />
              <span>{ns.name}</span>
              <span className="text-xs text-gray-600">[{MODE_LABELS[ns.mode]}]</span>
            </label>
          ))}
        </fieldset>
        {state.namespaces.length > 0 && (
          <Button className="mt-1 text-xs" onClick={() => onChange({ ...state, namespaces: [], selected: undefined }, { push: true })}>
            Whole mesh
          </Button>
        )}
      </Menu>

      {(p.clusters?.length ?? 0) > 1 && (
        <Menu label="Clusters" badge={state.clusters.length ? String(state.clusters.length) : 'all'} testId="cluster-menu">
          <fieldset>
            <legend className="sr-only">Clusters to show</legend>
            {(p.clusters ?? []).map((c) => (
              <label key={c} className="flex items-center gap-2 py-0.5 text-sm">
                <input
                  type="checkbox"
                  checked={state.clusters.includes(c)}
                  onChange={() => onChange({ ...state, clusters: toggle(state.clusters, c), selected: undefined }, { push: true })}
                />
                <span>{c}</span>
              </label>
            ))}
          </fieldset>
          {state.clusters.length > 0 && (
            <Button className="mt-1 text-xs" onClick={() => onChange({ ...state, clusters: [], selected: undefined }, { push: true })}>
              All clusters
            </Button>
          )}
        </Menu>
      )}

      <label className="flex items-center gap-1 text-sm">
        <span>Window</span>
        <select
          className="rounded border border-gray-300 bg-white px-1.5 py-1"
          value={state.window.kind === 'range' ? state.window.range : 'absolute'}
          onChange={(e) => {
            if (e.target.value === 'absolute') {
              const end = new Date();
              const start = new Date(end.getTime() - 3600_000);
              setFrom(toLocalInput(start.toISOString()));
              setTo(toLocalInput(end.toISOString()));
              set({ window: { kind: 'absolute', start: start.toISOString(), end: end.toISOString() } });
            } else set({ window: { kind: 'range', range: e.target.value } });
          }}
        >
          {RANGE_PRESETS.map((r) => (
            <option key={r} value={r}>
              last {r}
            </option>
          ))}
          {state.window.kind === 'range' && !(RANGE_PRESETS as readonly string[]).includes(state.window.range) && (
            <option value={state.window.range}>last {state.window.range}</option>
          )}
          <option value="absolute">absolute…</option>
        </select>
      </label>
      {state.window.kind === 'absolute' && (
        <form
          className="flex flex-wrap items-center gap-1 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            applyAbsolute();
          }}
        >
          <label className="flex items-center gap-1">
            from <span className="text-xs text-gray-600">(UTC)</span>
            <input type="datetime-local" className="rounded border border-gray-300 px-1 py-0.5" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label className="flex items-center gap-1">
            to
            <input type="datetime-local" className="rounded border border-gray-300 px-1 py-0.5" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <Button type="submit">Apply</Button>
          {timeError && (
            <span role="alert" className="text-xs text-red-800">
              {timeError}
            </span>
          )}
        </form>
      )}

      <label className="flex items-center gap-1 text-sm">
        <span>Refresh</span>
        <select
          className="rounded border border-gray-300 bg-white px-1.5 py-1 disabled:opacity-60"
          value={state.refresh}
          disabled={!relative}
          title={relative ? undefined : 'An absolute window does not change: no polling'}
          onChange={(e) => {
            const v = Number(e.target.value);
            if (v > 0) setLastRefresh(v);
            set({ refresh: v });
          }}
        >
          {REFRESH_CHOICES.map((r) => (
            <option key={r} value={r}>
              {REFRESH_LABELS[r] ?? `${r}s`}
            </option>
          ))}
          {!(REFRESH_CHOICES as readonly number[]).includes(state.refresh) && <option value={state.refresh}>{state.refresh}s</option>}
        </select>
      </label>
      <Button disabled={!relative} aria-pressed={paused} onClick={() => set({ refresh: paused ? lastRefresh : 0 })}>
        {paused ? '▶ Resume' : '❚❚ Pause'}
      </Button>
      <Button onClick={p.onRefresh} disabled={p.fetching} aria-label="Refresh now">
        ↻ {p.fetching ? 'Loading…' : 'Refresh'}
      </Button>

      <Menu label="Filters" badge={filterCount ? String(filterCount) : undefined} testId="filter-menu">
        <fieldset className="mb-2">
          <legend className="text-xs font-semibold uppercase text-gray-600">Path</legend>
          {PATHS.map((x: EdgePath) => (
            <label key={x} className="flex items-center gap-2 py-0.5 text-sm">
              <input type="checkbox" checked={f.paths.includes(x)} onChange={() => setFilters({ paths: toggle(f.paths, x) })} />
              {PATH_STYLES[x].label}
            </label>
          ))}
        </fieldset>
        <fieldset className="mb-2">
          <legend className="text-xs font-semibold uppercase text-gray-600">Telemetry</legend>
          {TELEMETRIES.map((x: Telemetry) => (
            <label key={x} className="flex items-center gap-2 py-0.5 text-sm">
              <input type="checkbox" checked={f.telemetry.includes(x)} onChange={() => setFilters({ telemetry: toggle(f.telemetry, x) })} />
              {x === 'l7' ? 'L7 (requests)' : 'L4 only'}
            </label>
          ))}
        </fieldset>
        <fieldset className="mb-2">
          <legend className="text-xs font-semibold uppercase text-gray-600">mTLS</legend>
          {MTLS_VALUES.map((x: Mtls) => (
            <label key={x} className="flex items-center gap-2 py-0.5 text-sm">
              <input type="checkbox" checked={f.mtls.includes(x)} onChange={() => setFilters({ mtls: toggle(f.mtls, x) })} />
              {MTLS_LABELS[x]}
            </label>
          ))}
        </fieldset>
        <label className="flex items-center gap-2 py-0.5 text-sm">
          <input type="checkbox" checked={f.hideOutOfMesh} onChange={() => setFilters({ hideOutOfMesh: !f.hideOutOfMesh })} />
          Hide out-of-mesh
        </label>
        <label className="flex items-center gap-2 py-0.5 text-sm">
          <input type="checkbox" checked={f.hideIdle} onChange={() => setFilters({ hideIdle: !f.hideIdle })} />
          Hide idle
        </label>
        {filterCount > 0 && (
          <Button className="mt-1 text-xs" onClick={() => setFilters({ paths: [], telemetry: [], mtls: [], hideIdle: false, hideOutOfMesh: false })}>
            Clear filters
          </Button>
        )}
      </Menu>

      <label className="flex items-center gap-1 text-sm">
        <span className="sr-only">Search by name</span>
        <input
          type="search"
          placeholder="Search name…"
          className="w-36 rounded border border-gray-300 px-2 py-1"
          value={f.search}
          maxLength={100}
          onChange={(e) => setFilters({ search: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              p.onSearchSubmit();
            }
          }}
          aria-describedby="search-hint"
        />
        <span id="search-hint" className="sr-only">
          Matching nodes are highlighted; Enter selects the first match.
        </span>
      </label>

      <label className="flex items-center gap-1 text-sm">
        <input type="checkbox" checked={state.expandWaypoints} onChange={() => set({ expandWaypoints: !state.expandWaypoints, selected: undefined })} />
        Expand waypoint hops
      </label>

      <label className="flex items-center gap-1 text-sm">
        <span>Layout</span>
        <select
          className="rounded border border-gray-300 bg-white px-1.5 py-1"
          value={state.layout ?? 'fcose'}
          onChange={(e) => set({ layout: e.target.value === 'fcose' ? undefined : (e.target.value as LayoutName) })}
        >
          {LAYOUT_NAMES.map((l) => (
            <option key={l} value={l}>
              {l === 'fcose' ? 'force (fcose)' : l}
            </option>
          ))}
        </select>
      </label>
      <Button onClick={p.onRelayout} disabled={state.view !== 'graph'}>
        Re-layout
      </Button>

      <div className="flex items-center gap-2 border-l border-gray-300 pl-2">
        <div role="group" aria-label="View" className="flex">
          <Button aria-pressed={state.view === 'graph'} className="rounded-r-none" onClick={() => set({ view: 'graph' })}>
            Graph
          </Button>
          <Button aria-pressed={state.view === 'list'} className="rounded-l-none" onClick={() => set({ view: 'list' })} data-testid="view-list">
            List
          </Button>
        </div>
        <Button
          aria-pressed={state.group === 'version'}
          onClick={() => set({ group: state.group === 'version' ? undefined : 'version' })}
          data-testid="versions-toggle"
          title="Group each app's versions in one box and compare their traffic, errors and latency"
        >
          Versions
        </Button>
        <Button
          aria-pressed={state.overlay === 'coverage'}
          onClick={() => set({ overlay: state.overlay === 'coverage' ? 'none' : 'coverage' })}
          data-testid="coverage-toggle"
        >
          Where are we blind?
        </Button>
        <Button
          aria-pressed={state.overlay === 'policy'}
          onClick={() => set({ overlay: state.overlay === 'policy' ? 'none' : 'policy' })}
          data-testid="policy-toggle"
          title="Colour edges by policy: allowed, denied, policy not enforced, no policy"
        >
          Policy
        </Button>
      </div>

      <div className="ml-auto flex items-center gap-2">
        <Button variant="primary" onClick={p.onShare} disabled={!p.canExport} data-testid="share">
          Share
        </Button>
        <Button onClick={p.onExportPng} disabled={!p.canExport || state.view !== 'graph'} data-testid="export-png">
          PNG
        </Button>
        <Button onClick={p.onExportJson} disabled={!p.canExport} data-testid="export-json">
          JSON
        </Button>
      </div>
    </div>
  );
}

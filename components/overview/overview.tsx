'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import { Banner } from '@/components/ui/banner';
import { Button } from '@/components/ui/button';
import type { TimeWindow } from '@/lib/api/scope';
import { formatInstantUtc } from '@/lib/utils/format';
import { FindingsList } from './findings-list';
import { MeshSummaryCards } from './mesh-summary';
import { MigrationView } from './migration-view';
import { NamespaceTable } from './namespace-table';
import { OVERVIEW_RANGES, countFindingsByNamespace, overviewHref, windowFromParams } from './overview-model';
import { overviewFindingsQuery, overviewMigrationQuery, overviewNamespacesQuery } from './queries';

function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="text-sm text-gray-700">
      Loading {what}…
    </p>
  );
}

function ErrorBanner({ what, error }: { what: string; error: unknown }) {
  return (
    <Banner tone="error">
      Could not load {what}: {error instanceof Error ? error.message : String(error)}
    </Banner>
  );
}

function RangeSelector({ window }: { window: TimeWindow }) {
  const router = useRouter();
  const set = (w: TimeWindow) => router.replace(overviewHref(w), { scroll: false });
  return (
    <div role="group" aria-label="Time range" className="flex flex-wrap items-center gap-1">
      <span className="mr-1 text-sm text-gray-700">Time range</span>
      {OVERVIEW_RANGES.map((r) => (
        <Button key={r} aria-pressed={window.kind === 'range' && window.range === r} onClick={() => set({ kind: 'range', range: r })}>
          {r}
        </Button>
      ))}
      {window.kind === 'absolute' ? (
        <span className="text-sm text-gray-700">
          (fixed window {formatInstantUtc(window.start)} – {formatInstantUtc(window.end)})
        </span>
      ) : null}
    </div>
  );
}

export function Overview() {
  const params = useSearchParams();
  const { window, error: paramError } = useMemo(() => windowFromParams((k) => params.get(k)), [params]);
  const ns = useQuery(overviewNamespacesQuery(window));
  const findings = useQuery(overviewFindingsQuery(window));
  const migration = useQuery(overviewMigrationQuery(window));
  const counts = useMemo(() => (findings.data ? countFindingsByNamespace(findings.data.findings) : undefined), [findings.data]);
  const dataWindow = ns.data?.window ?? findings.data?.window;
  const warnings = [...(ns.data?.warnings ?? []), ...(findings.data?.warnings ?? [])];
  const uniqueWarnings = [...new Map(warnings.map((w) => [`${w.source}:${w.message}`, w])).values()];

  return (
    <div className="flex-1 overflow-y-auto">
      <div className="mx-auto flex max-w-7xl flex-col gap-4 p-4">
        <div className="flex flex-wrap items-end justify-between gap-2">
          <div>
            <h1 className="text-xl font-semibold">Mesh overview</h1>
            <p className="text-sm text-gray-700" aria-live="polite">
              {dataWindow ? `Window ${formatInstantUtc(dataWindow.start)} – ${formatInstantUtc(dataWindow.end)}` : 'Window loading…'}
              {ns.isFetching || findings.isFetching ? ' · refreshing' : ''}
            </p>
          </div>
          <RangeSelector window={window} />
        </div>
        {paramError ? <Banner tone="warning">{paramError}</Banner> : null}
        {uniqueWarnings.map((w) => (
          <Banner key={`${w.source}:${w.message}`} tone="warning">
            {w.source}: {w.message}
          </Banner>
        ))}

        {ns.error ? <ErrorBanner what="namespaces" error={ns.error} /> : null}
        {ns.data ? (
          <MeshSummaryCards mesh={ns.data.mesh} {...(ns.data.trends ? { trends: ns.data.trends } : {})} />
        ) : ns.isPending ? (
          <Loading what="the mesh summary" />
        ) : null}
        {ns.data ? <NamespaceTable rows={ns.data.namespaces} window={window} findings={counts} /> : ns.isPending ? <Loading what="namespaces" /> : null}

        {findings.error ? <ErrorBanner what="findings" error={findings.error} /> : null}
        {findings.data ? <FindingsList findings={findings.data.findings} /> : findings.isPending ? <Loading what="findings" /> : null}

        {migration.error ? <ErrorBanner what="the migration view" error={migration.error} /> : null}
        {migration.data ? <MigrationView plans={migration.data.migrations} /> : migration.isPending ? <Loading what="the migration view" /> : null}

        <p className="text-xs text-gray-600">
          Open the{' '}
          <Link href="/graph" className="underline">
            service graph
          </Link>{' '}
          for every edge, its path and its numbers.
        </p>
      </div>
    </div>
  );
}

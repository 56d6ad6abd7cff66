import { Sparkline } from '@/components/graph/sparkline';
import type { MeshTrendPoint, MeshTrends } from '@/lib/api/types';
import type { MeshSummary } from '@/lib/mesh/namespaces';
import { deltaLabel, share, trendDomain, type DeltaLabel, type TrendKind } from './overview-model';

/** Width of a card's trend line: a card's inner width in the six-column grid of the 1280 px page. */
const TREND_WIDTH = 168;

interface Trend {
  kind: TrendKind;
  values: (number | null)[];
  delta: DeltaLabel;
  /** Where the line's numbers come from, for screen readers and the tooltip. */
  source: string;
  /** A rising line is good news (coverage), or neither (proxy counts). */
  upIsGood: boolean;
}

const ARROW: Record<DeltaLabel['direction'], string> = { up: '▲', down: '▼', none: '', unknown: '' };

function deltaTone(t: Trend): string {
  if (t.delta.direction === 'none' || t.delta.direction === 'unknown' || !t.upIsGood) return 'text-gray-700';
  return t.delta.direction === 'up' ? 'text-green-800' : 'text-red-800';
}

function Stat({ label, value, detail, testId, trend }: { label: string; value: string; detail?: string; testId?: string; trend?: Trend }) {
  const format = (v: number) => (trend?.kind === 'share' ? share(v) : String(Math.round(v)));
  return (
    <div className="min-w-0 rounded border border-gray-300 bg-white px-3 py-2" data-testid={testId}>
      <dt className="text-xs font-medium uppercase tracking-wide text-gray-600">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums">{value}</dd>
      {trend ? (
        <dd className={`text-xs font-medium tabular-nums ${deltaTone(trend)}`} data-testid="stat-delta" data-direction={trend.delta.direction}>
          {ARROW[trend.delta.direction] ? <span aria-hidden="true">{ARROW[trend.delta.direction]} </span> : null}
          {trend.delta.text}
        </dd>
      ) : null}
      {trend ? (
        <dd className="mt-1" title={trend.source} data-testid="stat-trend">
          <Sparkline
            label={`${label} over the selected range (${trend.source})`}
            values={trend.values}
            width={TREND_WIDTH}
            height={24}
            format={format}
            domain={trendDomain(trend.values, trend.kind)}
            caption={false}
          />
        </dd>
      ) : null}
      {detail ? <dd className="mt-1 text-xs text-gray-700">{detail}</dd> : null}
    </div>
  );
}

function trendOf(
  trends: MeshTrends | undefined,
  key: keyof Omit<MeshTrendPoint, 'time'>,
  kind: TrendKind,
  source: string,
  upIsGood: boolean,
): Trend | undefined {
  if (!trends) return undefined;
  return { kind, values: trends.points.map((p) => p[key]), delta: deltaLabel(kind, trends.delta[key]), source, upIsGood };
}

export function MeshSummaryCards({ mesh, trends }: { mesh: MeshSummary; trends?: MeshTrends }) {
  const versions = Object.entries(mesh.proxyVersions)
    .sort(([a], [b]) => (a < b ? 1 : -1))
    .map(([v, n]) => `${v} ×${n}`)
    .join(', ');
  const proxySource = 'proxies reporting to Prometheus';
  const trafficSource = 'share of traffic per point';
  return (
    <section aria-labelledby="mesh-summary-h">
      <h2 id="mesh-summary-h" className="sr-only">
        Mesh summary
      </h2>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6">
        <Stat
          label="Sidecars running"
          value={String(mesh.proxies.sidecars)}
          testId="stat-sidecars"
          trend={trendOf(trends, 'sidecars', 'count', proxySource, false)}
        />
        <Stat
          label="ztunnels running"
          value={String(mesh.proxies.ztunnels)}
          testId="stat-ztunnels"
          trend={trendOf(trends, 'ztunnels', 'count', proxySource, false)}
        />
        <Stat
          label="Waypoints running"
          value={String(mesh.proxies.waypoints)}
          detail={mesh.waypoints.length ? mesh.waypoints.map((w) => `${w.ref}${w.ready ? '' : ' (no address)'}`).join(', ') : 'none declared'}
          testId="stat-waypoints"
        />
        <Stat
          label="Traffic with L7 telemetry"
          value={share(mesh.l7.share)}
          detail={`${mesh.l7.edges} of ${mesh.l7.totalEdges} edges; ${mesh.edges.l7Gaps} L7 gap${mesh.edges.l7Gaps === 1 ? '' : 's'}`}
          testId="stat-l7"
          trend={trendOf(trends, 'l7Share', 'share', trafficSource, true)}
        />
        <Stat
          label="Traffic with mTLS"
          value={share(mesh.mtls.share)}
          detail={`${mesh.mtls.plaintextEdges} plaintext, ${mesh.mtls.unknownEdges} unknown of ${mesh.mtls.totalEdges} edges`}
          testId="stat-mtls"
          trend={trendOf(trends, 'mtlsShare', 'share', trafficSource, true)}
        />
        <Stat
          label="Namespaces"
          value={String(mesh.namespaces.total)}
          detail={`${mesh.namespaces.sidecar} sidecar, ${mesh.namespaces.ambient} ambient, ${mesh.namespaces.mixed} mixed, ${mesh.namespaces.none} none`}
          testId="stat-namespaces"
        />
      </dl>
      <p className="mt-1 text-xs text-gray-600">
        Traffic shares weigh each edge by its request rate (L7 edges) or connection rate (L4 edges).
        {trends ? ' Trend lines span the selected range; changes compare with the same window 24 h earlier.' : ''}
        {versions ? ` Proxy versions: ${versions}.` : ''}
      </p>
    </section>
  );
}

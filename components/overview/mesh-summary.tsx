import type { MeshSummary } from '@/lib/mesh/namespaces';
import { share } from './overview-model';

function Stat({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId?: string }) {
  return (
    <div className="rounded border border-gray-300 bg-white px-3 py-2" data-testid={testId}>
      <dt className="text-xs font-medium uppercase tracking-wide text-gray-600">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums">{value}</dd>
      {detail ? <dd className="text-xs text-gray-700">{detail}</dd> : null}
    </div>
  );
}

export function MeshSummaryCards({ mesh }: { mesh: MeshSummary }) {
  const versions = Object.entries(mesh.proxyVersions)
    .sort(([a], [b]) => (a < b ? 1 : -1))
    .map(([v, n]) => `${v} ×${n}`)
    .join(', ');
  return (
    <section aria-labelledby="mesh-summary-h">
      <h2 id="mesh-summary-h" className="sr-only">
        Mesh summary
      </h2>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6">
        <Stat label="Sidecars running" value={String(mesh.proxies.sidecars)} testId="stat-sidecars" />
        <Stat label="ztunnels running" value={String(mesh.proxies.ztunnels)} testId="stat-ztunnels" />
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
        />
        <Stat
          label="Traffic with mTLS"
          value={share(mesh.mtls.share)}
          detail={`${mesh.mtls.plaintextEdges} plaintext, ${mesh.mtls.unknownEdges} unknown of ${mesh.mtls.totalEdges} edges`}
          testId="stat-mtls"
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
        {versions ? ` Proxy versions: ${versions}.` : ''}
      </p>
    </section>
  );
}

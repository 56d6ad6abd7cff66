import type { MigrationOutcome, MigrationPlan } from '@/lib/mesh/migration';
import { formatRate } from '@/lib/utils/format';
import { CopyBlock } from './copy-block';

const OUTCOME: Record<MigrationOutcome, string> = {
  lost: 'L7 lost',
  partial: 'L7 partly lost',
  'kept-peer-proxy': 'L7 kept (peer proxy)',
  'kept-waypoint': 'L7 kept (waypoint)',
};

function Plan({ p }: { p: MigrationPlan }) {
  return (
    <article className="rounded border border-gray-300 bg-white p-3" aria-labelledby={`mig-${p.namespace}`} data-testid={`migration-${p.namespace}`}>
      <h3 id={`mig-${p.namespace}`} className="text-sm font-semibold">
        {p.namespace}{' '}
        <span className="font-normal text-gray-700">
          (mode {p.mode}
          {p.inProgress ? ', migration to ambient in progress' : ''})
        </span>
      </h3>
      <dl className="mt-1 grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-xs text-gray-600">Sidecars retired</dt>
          <dd>
            {p.sidecars.pods} proxies in {p.sidecarWorkloads.join(', ')}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-gray-600">Requests freed (istio-proxy)</dt>
          <dd>
            CPU {p.sidecars.cpu}, memory {p.sidecars.memory}
            {p.sidecars.podsWithoutRequests > 0 ? ` (+${p.sidecars.podsWithoutRequests} pods without requests)` : ''}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-gray-600">Without a waypoint</dt>
          <dd>
            {p.l7Lost} edge{p.l7Lost === 1 ? '' : 's'} lose L7 telemetry ({formatRate(p.l7LostRps, ' rps')})
          </dd>
        </div>
        <div className="sm:col-span-3">
          <dt className="text-xs text-gray-600">A waypoint in {p.namespace} gives back</dt>
          <dd>
            L7 on {p.waypoint.restores} of those edges ({formatRate(p.waypoint.restoresRps, ' rps')}); {p.waypoint.stillLost} stay L4-only. Also:{' '}
            {p.waypoint.benefits.join('; ')}. Cost: {p.waypoint.cost}.
          </dd>
        </div>
      </dl>
      {p.edges.length > 0 ? (
        <div className="mt-2 overflow-x-auto">
          <table className="min-w-full text-left text-xs">
            <caption className="sr-only">Current L7 edges of {p.namespace} and what happens to their telemetry after the move</caption>
            <thead className="border-b border-gray-300 text-gray-700">
              <tr>
                <th scope="col" className="px-1.5 py-1">
                  Edge
                </th>
                <th scope="col" className="px-1.5 py-1">
                  Direction
                </th>
                <th scope="col" className="px-1.5 py-1 text-right">
                  Requests
                </th>
                <th scope="col" className="px-1.5 py-1">
                  After the move
                </th>
                <th scope="col" className="px-1.5 py-1">
                  With a waypoint in {p.namespace}
                </th>
                <th scope="col" className="px-1.5 py-1">
                  Why
                </th>
              </tr>
            </thead>
            <tbody>
              {p.edges.map((e) => (
                <tr key={e.id} className="border-b border-gray-100 align-top">
                  <th scope="row" className="px-1.5 py-1 font-normal">
                    {e.source} → {e.target}
                  </th>
                  <td className="px-1.5 py-1">{e.direction}</td>
                  <td className="px-1.5 py-1 text-right tabular-nums">{formatRate(e.rps, ' rps')}</td>
                  <td className="px-1.5 py-1">{OUTCOME[e.outcome]}</td>
                  <td className="px-1.5 py-1">
                    {e.outcome === 'lost' || e.outcome === 'partial' ? (e.restoredByWaypoint ? 'L7 restored' : 'still L4 only') : '–'}
                  </td>
                  <td className="px-1.5 py-1">{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="mt-2 text-xs text-gray-700">No L7 traffic touches this namespace in the window.</p>
      )}
      {p.policiesNeedingTargetRefs.length > 0 ? (
        <p className="mt-2 text-xs">
          <strong>Policies to rebind:</strong> {p.policiesNeedingTargetRefs.join(', ')} use HTTP attributes with spec.selector; after the move only a waypoint
          can enforce them (targetRefs).
        </p>
      ) : null}
      {p.optOutsCapturedAfterMove.length > 0 ? (
        <p className="mt-1 text-xs">
          <strong>Opted-out workloads:</strong> {p.optOutsCapturedAfterMove.join(', ')} would be captured by ztunnel unless labelled
          istio.io/dataplane-mode=none.
        </p>
      ) : null}
      <div className="mt-2">
        <div className="mb-0.5 text-xs font-medium">Steps</div>
        <CopyBlock text={p.steps.join('\n')} label={`migration steps for ${p.namespace}`} />
      </div>
    </article>
  );
}

export function MigrationView({ plans }: { plans: MigrationPlan[] }) {
  return (
    <section aria-labelledby="migration-h">
      <h2 id="migration-h" className="mb-1 text-base font-semibold">
        Moving sidecar namespaces to ambient
      </h2>
      {plans.length === 0 ? (
        <p className="text-sm text-gray-700">No namespace runs sidecars.</p>
      ) : (
        <div className="flex flex-col gap-2">
          {plans.map((p) => (
            <Plan key={p.namespace} p={p} />
          ))}
        </div>
      )}
    </section>
  );
}

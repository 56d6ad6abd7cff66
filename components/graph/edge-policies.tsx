'use client';

import type { EdgePolicy, GraphEdge, PolicyEnforcer } from '@/lib/mesh/types';
import { POLICY_STYLES, policyVerdict } from '@/lib/graph/style-mapping';
import { formatRate } from '@/lib/utils/format';

// The edge's policies in the side panel (docs/classification.md §8): each policy with where it is enforced and,
// when it is not, why; then what the telemetry says was refused. Label values are rendered as text.

const ENFORCER_LABELS: Record<PolicyEnforcer, string> = {
  ztunnel: 'ztunnel (L4)',
  waypoint: 'waypoint (L7)',
  sidecar: 'sidecar (L7)',
  cni: 'CNI',
  none: 'nothing',
};

function policyName(p: EdgePolicy): string {
  return p.namespace ? `${p.namespace}/${p.name}` : p.name;
}

function PolicyItem({ p }: { p: EdgePolicy }) {
  return (
    <li className="border-b border-gray-100 py-1 last:border-b-0" data-testid="panel-policy" data-enforced={p.enforced ? 'true' : 'false'}>
      <div className="flex flex-wrap items-baseline gap-x-1.5">
        <span className="text-gray-600">{p.kind}</span>
        <span className="font-medium">{policyName(p)}</span>
        <span className={p.action === 'DENY' ? 'font-semibold text-orange-900' : 'text-gray-800'}>{p.action}</span>
      </div>
      <div>
        enforced by {ENFORCER_LABELS[p.enforcedBy]}:{' '}
        {p.enforced ? (
          <span className="text-green-900">yes</span>
        ) : (
          <strong className="text-orange-900" data-testid="panel-policy-not-enforced">
            not enforced
          </strong>
        )}
      </div>
      <p className="text-gray-700">{p.note}</p>
    </li>
  );
}

export function EdgePolicies({ edge }: { edge: GraphEdge }) {
  const policies = edge.policies ?? [];
  const verdict = policyVerdict(edge);
  const style = POLICY_STYLES[verdict];
  return (
    <section className="border-t border-gray-200 pt-2" data-testid="panel-policies">
      <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-gray-700">Policy</h3>
      <p className="text-sm">
        <svg width="12" height="12" className="mr-1 inline-block align-middle" aria-hidden="true">
          <circle cx="6" cy="6" r="5" fill={style.color} />
        </svg>
        <strong data-testid="panel-policy-verdict">{style.label}</strong>
        <span className="text-gray-700"> — {style.description}</span>
      </p>
      <dl className="mt-1 text-sm">
        {edge.deniedPerSec !== undefined && (
          <div className="grid grid-cols-[8.5rem_1fr] gap-2 py-0.5">
            <dt className="text-gray-600">Denied by ztunnel</dt>
            <dd data-testid="panel-denied">{formatRate(edge.deniedPerSec)} connections/s (response_flags DENY)</dd>
          </div>
        )}
        {edge.droppedBy && (
          <div className="grid grid-cols-[8.5rem_1fr] gap-2 py-0.5">
            <dt className="text-gray-600">Dropped</dt>
            <dd data-testid="panel-dropped">
              {formatRate(edge.droppedBy.perSec)} failed connects/s (CONNECT), {edge.droppedBy.note}
            </dd>
          </div>
        )}
        {edge.forbiddenPerSec !== undefined && (
          <div className="grid grid-cols-[8.5rem_1fr] gap-2 py-0.5">
            <dt className="text-gray-600">Forbidden (403)</dt>
            <dd data-testid="panel-forbidden">
              {formatRate(edge.forbiddenPerSec)} requests/s — RBAC or the application: Istio&apos;s metrics do not say which
            </dd>
          </div>
        )}
      </dl>
      {policies.length > 0 ? (
        <ul className="mt-1 text-sm" aria-label="Policies selecting this edge">
          {policies.map((p, i) => (
            <PolicyItem key={`${p.kind}/${p.namespace}/${p.name}/${p.enforcedBy}/${i}`} p={p} />
          ))}
        </ul>
      ) : (
        <p className="mt-1 text-sm text-gray-700">No AuthorizationPolicy or NetworkPolicy selects this traffic.</p>
      )}
    </section>
  );
}

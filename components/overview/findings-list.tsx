'use client';

import { useState } from 'react';
import type { Finding, FindingKind, Severity } from '@/lib/mesh/types';
import { Button } from '@/components/ui/button';
import { CopyBlock } from './copy-block';
import { SeverityBadge } from './severity-badge';
import { SEVERITIES, SEVERITY_LABEL } from './overview-model';

const KIND_LABEL: Record<FindingKind, string> = {
  'l7-gap': 'L7 gap',
  'l7-policy-not-enforced': 'L7 policy not enforced',
  'policy-not-enforced': 'Policy not enforced on this traffic',
  'policy-denials': 'Policy denials',
  'waypoint-bypass': 'Waypoint bypass',
  plaintext: 'Plaintext traffic',
  'mode-mismatch': 'Mode mismatch',
  'mixed-workload': 'Mixed workload',
  'version-drift': 'Version drift',
  'split-drift': 'Traffic split differs from its weights',
  'split-not-applied': 'Traffic split cannot apply',
};

function FindingItem({ f }: { f: Finding }) {
  return (
    <li className="rounded border border-gray-300 bg-white p-3" data-testid={`finding-${f.kind}`} data-finding-id={f.id} data-severity={f.severity}>
      <article aria-labelledby={`fh-${f.id}`}>
        <header className="flex flex-wrap items-center gap-2">
          <SeverityBadge severity={f.severity} />
          <h3 id={`fh-${f.id}`} className="text-sm font-semibold">
            {KIND_LABEL[f.kind] ?? f.kind}
            <span className="font-normal text-gray-700"> in {f.namespace || 'the mesh'}</span>
          </h3>
        </header>
        <p className="mt-1 text-sm" data-testid="finding-message">
          {f.message}
        </p>
        <div className="mt-1 text-xs">
          <span className="font-medium">Affected: </span>
          <span data-testid="finding-objects">{f.objects.join(', ')}</span>
        </div>
        <details className="mt-1 text-xs">
          <summary className="cursor-pointer font-medium">Evidence ({f.evidence.length})</summary>
          <ul className="ml-4 list-disc break-all font-mono">
            {f.evidence.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </details>
        <div className="mt-2">
          <div className="mb-0.5 text-xs font-medium">Fix</div>
          <CopyBlock text={f.fix} label={`fix for ${KIND_LABEL[f.kind] ?? f.kind} in ${f.namespace}`} />
        </div>
      </article>
    </li>
  );
}

export function FindingsList({ findings }: { findings: Finding[] }) {
  const [shown, setShown] = useState<Severity[]>([...SEVERITIES]);
  const counts = { critical: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  const visible = findings.filter((f) => shown.includes(f.severity));
  const toggle = (s: Severity) => setShown((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));
  return (
    <section aria-labelledby="findings-h">
      <div className="mb-1 flex flex-wrap items-center gap-2">
        <h2 id="findings-h" className="text-base font-semibold">
          Findings ({findings.length})
        </h2>
        <div role="group" aria-label="Show findings by severity" className="flex gap-1">
          {SEVERITIES.map((s) => (
            <Button key={s} aria-pressed={shown.includes(s)} onClick={() => toggle(s)} className="text-xs">
              {SEVERITY_LABEL[s]} ({counts[s]})
            </Button>
          ))}
        </div>
      </div>
      {findings.length === 0 ? (
        <p className="text-sm text-gray-700">No findings for this window.</p>
      ) : visible.length === 0 ? (
        <p className="text-sm text-gray-700">All findings are hidden by the severity filter.</p>
      ) : (
        <ol className="flex flex-col gap-2" data-testid="findings-list">
          {visible.map((f) => (
            <FindingItem key={f.id} f={f} />
          ))}
        </ol>
      )}
    </section>
  );
}

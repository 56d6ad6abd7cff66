import type { Severity } from '@/lib/mesh/types';
import { SEVERITY_LABEL } from './overview-model';

// Severity is always spelled out; the symbol and colour only repeat it.
const STYLE: Record<Severity, { cls: string; symbol: string }> = {
  critical: { cls: 'border-red-700 bg-red-50 text-red-900', symbol: '■' },
  warning: { cls: 'border-amber-600 bg-amber-50 text-amber-900', symbol: '▲' },
  info: { cls: 'border-blue-600 bg-blue-50 text-blue-900', symbol: '●' },
};

export function SeverityBadge({ severity }: { severity: Severity }) {
  const s = STYLE[severity];
  return (
    <span className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-xs font-semibold ${s.cls}`} data-severity={severity}>
      <span aria-hidden="true">{s.symbol}</span>
      {SEVERITY_LABEL[severity]}
    </span>
  );
}

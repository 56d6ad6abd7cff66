'use client';

import type { EdgePath, PolicyVerdict, WorkloadMode } from '@/lib/mesh/types';
import { CROSS_CLUSTER_CASING, HEALTH_COLORS, MODE_LABELS, MODE_STYLES, PATH_STYLES, POLICY_STYLES } from '@/lib/graph/style-mapping';
import type { Overlay } from '@/lib/graph/url-state';

const PATH_ORDER: EdgePath[] = ['sidecar', 'ambient', 'waypoint', 'mixed'];
const POLICY_ORDER: PolicyVerdict[] = ['allowed', 'denied', 'not-enforced', 'none'];

function PolicySample({ verdict }: { verdict: PolicyVerdict }) {
  const p = POLICY_STYLES[verdict];
  return (
    <svg width="46" height="14" aria-hidden="true">
      {verdict === 'denied' && <line x1="2" y1="7" x2="38" y2="7" stroke={p.color} strokeOpacity="0.3" strokeWidth="8" />}
      <line x1="2" y1="7" x2="38" y2="7" stroke={p.color} strokeWidth="2.5" strokeDasharray={p.dash} />
      <polygon points="38,3 45,7 38,11" fill={p.color} />
    </svg>
  );
}
const MODE_ORDER: WorkloadMode[] = ['sidecar', 'ambient', 'mixed', 'none'];
const SVG_DASH: Record<string, string | undefined> = { solid: undefined, double: undefined, dashed: '5 3', dotted: '1.5 2.5' };

function PathSample({ path }: { path: EdgePath }) {
  const p = PATH_STYLES[path];
  return (
    <svg width="46" height="14" aria-hidden="true">
      {p.cased ? (
        <>
          <line x1="2" y1="7" x2="38" y2="7" stroke={p.color} strokeWidth="6" />
          <line x1="2" y1="7" x2="38" y2="7" stroke="#D4C2EA" strokeWidth="2.5" />
        </>
      ) : (
        <line x1="2" y1="7" x2="38" y2="7" stroke={p.color} strokeWidth="2.5" strokeDasharray={p.dash} />
      )}
      {p.midMarker === 'diamond' && <polygon points="20,2 25,7 20,12 15,7" fill={p.color} />}
      {p.midMarker === 'square' && <rect x="16.5" y="3.5" width="7" height="7" fill={p.color} />}
      <polygon points="38,3 45,7 38,11" fill={p.color} />
    </svg>
  );
}

function ModeSample({ mode }: { mode: WorkloadMode }) {
  const m = MODE_STYLES[mode];
  const dash = SVG_DASH[m.borderStyle];
  return (
    <svg width="18" height="18" aria-hidden="true">
      <circle
        cx="9"
        cy="9"
        r="7"
        fill={m.fill}
        stroke={m.borderColor}
        strokeWidth={m.borderStyle === 'double' ? 1.5 : Math.min(m.borderWidth, 2.5)}
        strokeDasharray={dash}
      />
      {m.borderStyle === 'double' && <circle cx="9" cy="9" r="4.5" fill="none" stroke={m.borderColor} strokeWidth="1.5" />}
    </svg>
  );
}

function Shape({ d }: { d: 'hexagon' | 'diamond' | 'triangle' | 'octagon' }) {
  const pts = {
    hexagon: '4,9 6.5,3 11.5,3 14,9 11.5,15 6.5,15',
    diamond: '9,2 16,9 9,16 2,9',
    triangle: '9,2 16,15 2,15',
    octagon: '6,2 12,2 16,6 16,12 12,16 6,16 2,12 2,6',
  }[d];
  return (
    <svg width="18" height="18" aria-hidden="true">
      <polygon points={pts} fill="#F3F4F6" stroke="#374151" strokeWidth="1.5" />
    </svg>
  );
}

/**
 * Always-on legend strip under the canvas (never covering the graph): every encoding is shown
 * with its words, so nothing depends on colour.
 */
export function GraphLegend({ multiCluster = false, overlay = 'none', versions = false }: { multiCluster?: boolean; overlay?: Overlay; versions?: boolean }) {
  return (
    <section
      aria-label="Legend"
      data-testid="graph-legend"
      className="flex flex-wrap items-center gap-x-4 gap-y-1 border-t border-gray-300 bg-white px-3 py-1.5 text-xs"
    >
      <h2 className="font-semibold">Legend</h2>
      {overlay === 'policy' && (
        <ul className="flex flex-wrap items-center gap-x-3 gap-y-1" aria-label="Policy overlay" data-testid="legend-policy">
          {POLICY_ORDER.map((v) => (
            <li key={v} className="flex items-center gap-1" title={POLICY_STYLES[v].description} data-testid={`legend-policy-${v}`}>
              <PolicySample verdict={v} />
              <span>{POLICY_STYLES[v].label}</span>
            </li>
          ))}
        </ul>
      )}
      <ul className="flex flex-wrap items-center gap-x-3 gap-y-1" aria-label="Edge path">
        {PATH_ORDER.map((p) => (
          <li key={p} className="flex items-center gap-1" title={PATH_STYLES[p].description}>
            <PathSample path={p} />
            <span>{PATH_STYLES[p].label}</span>
          </li>
        ))}
      </ul>
      <ul className="flex flex-wrap items-center gap-x-3 gap-y-1" aria-label="Edge health and security">
        <li className="flex items-center gap-1">
          <svg width="34" height="14" aria-hidden="true">
            <line x1="2" y1="7" x2="28" y2="7" stroke="#6B7280" strokeWidth="2" />
            <line x1="29" y1="2" x2="29" y2="12" stroke={HEALTH_COLORS.error} strokeWidth="3" />
          </svg>
          <span>plaintext</span>
        </li>
        <li className="flex items-center gap-1">
          <svg width="30" height="14" aria-hidden="true">
            <line x1="2" y1="7" x2="28" y2="7" stroke={HEALTH_COLORS.error} strokeWidth="2.5" />
          </svg>
          <span>errors / failed conn. (labelled)</span>
        </li>
        <li className="flex items-center gap-1">
          <svg width="30" height="14" aria-hidden="true">
            <line x1="2" y1="4" x2="28" y2="4" stroke="#6B7280" strokeWidth="1.5" />
            <line x1="2" y1="10" x2="28" y2="10" stroke="#6B7280" strokeWidth="5" />
          </svg>
          <span>width = traffic (log)</span>
        </li>
        {multiCluster && (
          <li className="flex items-center gap-1" data-testid="legend-cross-cluster">
            <svg width="30" height="14" aria-hidden="true">
              <line x1="2" y1="7" x2="28" y2="7" stroke={CROSS_CLUSTER_CASING} strokeWidth="5" />
              <line x1="2" y1="7" x2="28" y2="7" stroke="#9CA3AF" strokeWidth="2" />
            </svg>
            <span>cross-cluster (cased)</span>
          </li>
        )}
      </ul>
      <ul className="flex flex-wrap items-center gap-x-3 gap-y-1" aria-label="Workload mode: border style and [tag]">
        {MODE_ORDER.map((m) => (
          <li key={m} className="flex items-center gap-1">
            <ModeSample mode={m} />
            <span>[{MODE_LABELS[m]}]</span>
          </li>
        ))}
        <li>⚠ mode changed since</li>
      </ul>
      <ul className="flex flex-wrap items-center gap-x-3 gap-y-1" aria-label="Other node kinds">
        <li className="flex items-center gap-1">
          <Shape d="hexagon" /> waypoint
        </li>
        <li className="flex items-center gap-1">
          <Shape d="diamond" /> gateway
        </li>
        <li className="flex items-center gap-1">
          <Shape d="triangle" /> service/host
        </li>
        <li className="flex items-center gap-1">
          <Shape d="octagon" /> unknown peer
        </li>
        <li className="text-gray-700">boxes = namespaces (double-click to drill down)</li>
        {versions && (
          <li className="flex items-center gap-1 text-gray-700" data-testid="legend-app-box">
            <span aria-hidden className="inline-block h-3 w-5 rounded-sm border border-dashed border-blue-500 bg-blue-50" /> an app&apos;s versions (click for
            the comparison)
          </li>
        )}
      </ul>
    </section>
  );
}

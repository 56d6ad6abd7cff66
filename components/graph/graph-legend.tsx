'use client';

import { useState } from 'react';
import type { EdgePath, WorkloadMode } from '@/lib/mesh/types';
import { HEALTH_COLORS, MODE_LABELS, MODE_STYLES, PATH_STYLES } from '@/lib/graph/style-mapping';

const PATH_ORDER: EdgePath[] = ['sidecar', 'ambient', 'waypoint', 'mixed'];
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
      <circle cx="9" cy="9" r="7" fill={m.fill} stroke={m.borderColor} strokeWidth={m.borderStyle === 'double' ? 1.5 : Math.min(m.borderWidth, 2.5)} strokeDasharray={dash} />
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

/** Always-on legend: every encoding is shown with its words, so nothing depends on colour. */
export function GraphLegend() {
  const [open, setOpen] = useState(true);
  return (
    <section aria-label="Legend" data-testid="graph-legend" className="pointer-events-auto max-w-[17rem] rounded border border-gray-300 bg-white/95 p-2 text-xs shadow">
      <div className="flex items-center justify-between gap-2">
        <h2 className="font-semibold">Legend</h2>
        <button type="button" className="rounded px-1 text-gray-700 underline" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'less' : 'more'}
        </button>
      </div>
      <ul className="mt-1 space-y-0.5">
        {PATH_ORDER.map((p) => (
          <li key={p} className="flex items-center gap-2" title={PATH_STYLES[p].description}>
            <PathSample path={p} />
            <span>{PATH_STYLES[p].label}</span>
          </li>
        ))}
      </ul>
      {open && (
        <>
          <ul className="mt-1 space-y-0.5">
            <li className="flex items-center gap-2">
              <svg width="46" height="14" aria-hidden="true">
                <line x1="2" y1="7" x2="40" y2="7" stroke="#6B7280" strokeWidth="2" />
                <line x1="41" y1="2" x2="41" y2="12" stroke={HEALTH_COLORS.error} strokeWidth="3" />
              </svg>
              <span>plaintext (red bar + word)</span>
            </li>
            <li className="flex items-center gap-2">
              <svg width="46" height="14" aria-hidden="true">
                <line x1="2" y1="7" x2="44" y2="7" stroke={HEALTH_COLORS.error} strokeWidth="2.5" />
              </svg>
              <span>errors / failed connections (labelled)</span>
            </li>
            <li className="flex items-center gap-2">
              <svg width="46" height="14" aria-hidden="true">
                <line x1="2" y1="4" x2="44" y2="4" stroke="#6B7280" strokeWidth="1.5" />
                <line x1="2" y1="10" x2="44" y2="10" stroke="#6B7280" strokeWidth="5" />
              </svg>
              <span>width = traffic (log)</span>
            </li>
          </ul>
          <p className="mt-1.5 font-semibold">Workload mode (border + [tag])</p>
          <ul className="grid grid-cols-2 gap-x-2 gap-y-0.5">
            {MODE_ORDER.map((m) => (
              <li key={m} className="flex items-center gap-1">
                <ModeSample mode={m} />
                <span>{MODE_LABELS[m]}</span>
              </li>
            ))}
          </ul>
          <p className="mt-1.5 font-semibold">Other nodes</p>
          <ul className="grid grid-cols-2 gap-x-2 gap-y-0.5">
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
          </ul>
          <p className="mt-1 text-gray-700">⚠ = mode changed since the window. Boxes are namespaces (double-click to drill down).</p>
        </>
      )}
    </section>
  );
}

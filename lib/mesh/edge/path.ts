// Edge path and telemetry (product contract, docs/classification.md §1): one slice → its path; a waypoint
// slice beside a direct one → `mixed` (the slices say which share took which way).
import type { EdgeDecorator } from './facts';

export const path: EdgeDecorator = (f) => {
  const only = f.slices.length === 1 ? f.slices[0] : undefined;
  return {
    path: only ? only.path : f.slices.length > 1 ? 'mixed' : 'ambient',
    telemetry: f.slices.some((s) => s.telemetry === 'l7') ? 'l7' : 'l4',
  };
};

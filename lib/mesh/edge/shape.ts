// Facts of the edge's shape: its waypoint, expanded-view leg, cross-cluster ends, partial L7 coverage.
import { uniqSorted } from '../util';
import type { EdgeDecorator } from './facts';

export const shape: EdgeDecorator = (f) => {
  const waypoint = uniqSorted(f.acc.waypoints)[0];
  const l7 = f.slices.some((s) => s.telemetry === 'l7');
  const partial = f.slices.some((s) => s.partialL7) || (l7 && f.slices.some((s) => s.telemetry === 'l4'));
  return {
    ...(waypoint ? { waypoint } : {}),
    ...(partial ? { partialL7: true } : {}),
    ...(f.acc.leg ? { leg: f.acc.leg } : {}),
    ...(f.acc.src.cluster !== f.acc.dst.cluster ? { crossCluster: true } : {}),
  };
};

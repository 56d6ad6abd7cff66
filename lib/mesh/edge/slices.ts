// The slices themselves in the API (`edge.slices`), only when an edge has more than one: which share of the
// traffic took the waypoint and which went directly, each with its own path, telemetry, mTLS and numbers.
import type { EdgeRates, EdgeSlice } from '../types';
import type { EdgeDecorator } from './facts';
import type { SliceView } from './slice';

/** The measure every slice has: requests, else connections, else bytes. */
function measure(views: readonly SliceView[]): ((r: EdgeRates) => number | undefined) | undefined {
  const candidates: ((r: EdgeRates) => number | undefined)[] = [
    (r) => r.rps,
    (r) => r.connectionsPerSec,
    (r) => (r.requestBytesPerSec === undefined && r.responseBytesPerSec === undefined ? undefined : (r.requestBytesPerSec ?? 0) + (r.responseBytesPerSec ?? 0)),
  ];
  return candidates.find((m) => views.every((v) => m(v.rates) !== undefined));
}

export const slices: EdgeDecorator = (f, edge) => {
  if (f.slices.length < 2) return {};
  // (one slice: the edge's own fields say it all)
  const m = measure(f.slices);
  const total = m ? f.slices.reduce((a, v) => a + (m(v.rates) ?? 0), 0) : 0;
  const out: EdgeSlice[] = f.slices.map((v) => ({
    via: v.via,
    path: v.path,
    telemetry: v.telemetry,
    mtls: v.mtls,
    ...(m && total > 0 ? { share: (m(v.rates) ?? 0) / total } : {}),
    rates: v.rates,
    rateSources: { ...(v.l7Reporter ? { l7: v.l7Reporter } : {}), ...(v.l4Reporter ? { l4: v.l4Reporter } : {}) },
    ...(v.partialL7 ? { partialL7: true } : {}),
    ...(v.via === 'waypoint' && edge.waypoint ? { waypoint: edge.waypoint } : {}),
  }));
  return { slices: out };
};

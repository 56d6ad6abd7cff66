// SPIFFE identities of the two ends, server-side observers first (they see both certificates).
import { isKnown } from '../util';
import type { EdgeDecorator } from './facts';

export const principals: EdgeDecorator = (f) => {
  const out: { source?: string; destination?: string } = {};
  for (const rep of ['waypoint', 'destination', 'source'] as const) {
    for (const g of f.counted.filter((x) => x.rank === rep)) {
      if (!out.source && isKnown(g.labels.source_principal)) out.source = g.labels.source_principal;
      if (!out.destination && isKnown(g.labels.destination_principal)) out.destination = g.labels.destination_principal;
    }
  }
  return out.source || out.destination ? { principals: out } : {};
};

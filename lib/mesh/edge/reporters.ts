// Which proxies reported the edge, by which attribution rule (docs/classification.md §3.1), evidence included.
import type { EdgeReporter } from '../types';
import { uniqSorted } from '../util';
import type { EdgeDecorator } from './facts';

export const reporters: EdgeDecorator = (f) => {
  const byKey = new Map<string, EdgeReporter>();
  for (const g of f.evidence) {
    for (const a of g.attributions) {
      const k = `${g.reporter}|${a.proxy}|${a.rule}`;
      const r = byKey.get(k) ?? { reporter: g.reporter, proxy: a.proxy, rule: a.rule, targets: [] };
      r.targets = uniqSorted([...r.targets, ...a.targets]);
      byKey.set(k, r);
    }
  }
  const list = [...byKey.values()].sort((a, b) => `${a.reporter}|${a.proxy}|${a.rule}`.localeCompare(`${b.reporter}|${b.proxy}|${b.rule}`));
  return { reporters: list, ...(list.some((r) => r.rule === 'current-mode') ? { attributionGuessed: true } : {}) };
};

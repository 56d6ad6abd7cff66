import { ParamError, parseGraphQuery, parseWindow, type GraphQuery, type WindowSeconds } from '@/lib/api/params';
import { isSnapshotIdLike } from './snapshot-id';

// GET /api/graph/diff parameters (README "HTTP API"): the current window as on /api/graph, and the base
// as `baseStart`+`baseEnd` or `baseSnapshot=<id>`.

export interface DiffQuery {
  current: GraphQuery;
  base: { kind: 'window'; window: WindowSeconds } | { kind: 'snapshot'; id: string };
}

export function parseDiffQuery(params: URLSearchParams, nowSeconds: number): DiffQuery {
  const current = parseGraphQuery(params, nowSeconds, ['baseStart', 'baseEnd', 'baseSnapshot']);
  const bs = params.get('baseStart');
  const be = params.get('baseEnd');
  const snap = params.get('baseSnapshot');
  if (snap !== null) {
    if (bs !== null || be !== null) throw new ParamError('baseSnapshot', 'give either baseSnapshot or baseStart+baseEnd, not both');
    if (!isSnapshotIdLike(snap)) throw new ParamError('baseSnapshot', 'baseSnapshot is not a snapshot id');
    return { current, base: { kind: 'snapshot', id: snap } };
  }
  if (bs === null && be === null) throw new ParamError('baseStart', 'baseStart and baseEnd (or baseSnapshot) are required');
  const p = new URLSearchParams();
  if (bs !== null) p.set('start', bs);
  if (be !== null) p.set('end', be);
  try {
    return { current, base: { kind: 'window', window: parseWindow(p, nowSeconds) } };
  } catch (e) {
    if (e instanceof ParamError)
      throw new ParamError(e.param === 'end' ? 'baseEnd' : 'baseStart', e.message.replace(/\bstart\b/g, 'baseStart').replace(/\bend\b/g, 'baseEnd'));
    throw e;
  }
}

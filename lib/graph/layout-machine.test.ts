import { describe, expect, it } from 'vitest';
import { initialLayoutMachine, layoutStep, type LayoutEvent, type LayoutMachine } from './layout-machine';

const MAIN = { name: 'fcose', quality: 'default' };
const run = (events: LayoutEvent[], from: LayoutMachine = initialLayoutMachine()) => {
  let state = from;
  const effects = events.map((e) => {
    const r = layoutStep(state, e);
    state = r.state;
    return r.effect;
  });
  return { state, effects };
};

describe('layout machine', () => {
  it('a small or non-fcose layout runs on the main thread at once', () => {
    const { state, effects } = run([{ type: 'request', main: MAIN, offMainThread: false }]);
    expect(effects).toEqual([{ kind: 'run-on-main-thread', options: MAIN }]);
    expect(state).toEqual({ seq: 1, pending: null, worker: 'usable' });
  });

  it('a large fcose layout goes to the worker and its result is applied', () => {
    const { state, effects } = run([
      { type: 'request', main: MAIN, offMainThread: true },
      { type: 'result', result: { seq: 1, positions: { a: { x: 1, y: 2 } }, ms: 5 } },
    ]);
    expect(effects).toEqual([
      { kind: 'post-to-worker', seq: 1 },
      { kind: 'apply-positions', positions: { a: { x: 1, y: 2 } } },
    ]);
    expect(state.pending).toBeNull();
  });

  it('a result for an older request is ignored; the newest one wins', () => {
    const { effects } = run([
      { type: 'request', main: MAIN, offMainThread: true },
      { type: 'request', main: MAIN, offMainThread: true },
      { type: 'result', result: { seq: 1, positions: {}, ms: 1 } },
      { type: 'result', result: { seq: 2, positions: { b: { x: 0, y: 0 } }, ms: 1 } },
      { type: 'result', result: { seq: 2, positions: {}, ms: 1 } },
    ]);
    expect(effects.map((e) => e.kind)).toEqual(['post-to-worker', 'post-to-worker', 'none', 'apply-positions', 'none']);
  });

  it('a main-thread request makes a pending worker result stale', () => {
    const { effects } = run([
      { type: 'request', main: MAIN, offMainThread: true },
      { type: 'request', main: { name: 'grid' }, offMainThread: false },
      { type: 'result', result: { seq: 1, positions: {}, ms: 1 } },
    ]);
    expect(effects.map((e) => e.kind)).toEqual(['post-to-worker', 'run-on-main-thread', 'none']);
  });

  it('a worker error lays out the pending request on the main thread', () => {
    const { state, effects } = run([
      { type: 'request', main: MAIN, offMainThread: true },
      { type: 'result', result: { seq: 1, error: 'boom' } },
    ]);
    expect(effects[1]).toEqual({ kind: 'run-on-main-thread', options: MAIN });
    expect(state.worker).toBe('usable');
  });

  it('a failed worker (e.g. refused by CSP) finishes the pending layout here and is not used again', () => {
    const { state, effects } = run([
      { type: 'request', main: MAIN, offMainThread: true },
      { type: 'worker-failed' },
      { type: 'request', main: MAIN, offMainThread: true },
    ]);
    expect(effects).toEqual([
      { kind: 'post-to-worker', seq: 1 },
      { kind: 'run-on-main-thread', options: MAIN },
      { kind: 'run-on-main-thread', options: MAIN },
    ]);
    expect(state.worker).toBe('unavailable');
  });

  it('reset forgets the pending layout and allows a new worker', () => {
    const { state, effects } = run([
      { type: 'request', main: MAIN, offMainThread: true },
      { type: 'worker-failed' },
      { type: 'reset' },
      { type: 'result', result: { seq: 1, positions: {}, ms: 1 } },
    ]);
    expect(effects.at(-1)).toEqual({ kind: 'none' });
    expect(state).toMatchObject({ pending: null, worker: 'usable' });
  });
});

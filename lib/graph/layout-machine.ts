import type { LayoutJobResult } from './layout-job';
import type { Position } from './layout';

// The bookkeeping of full layouts, without cytoscape or a Worker: which request is current, whether a
// Web Worker result is still awaited, and what to do when a result or a worker failure arrives. The
// canvas (components/graph/canvas/use-layout-worker.ts) performs the effects this returns.

export interface LayoutMachine {
  /** Sequence number of the latest request; results for older ones are stale. */
  seq: number;
  /** The layout the worker is computing, with the options to use on the main thread if it fails. */
  pending: { seq: number; main: Record<string, unknown> } | null;
  /** `unavailable` once a worker could not be created or failed (e.g. a CSP refusing its script): main thread from then on. */
  worker: 'usable' | 'unavailable';
}

export type LayoutEvent =
  /** A full layout: `main` are the options for the main thread; `offMainThread` when it is worth a worker (fcose, many leaves). */
  | { type: 'request'; main: Record<string, unknown>; offMainThread: boolean }
  | { type: 'result'; result: LayoutJobResult }
  | { type: 'worker-failed' }
  /** The canvas went away: forget what was pending, a new worker may be tried next time. */
  | { type: 'reset' };

export type LayoutEffect =
  | { kind: 'none' }
  | { kind: 'run-on-main-thread'; options: Record<string, unknown> }
  /** Show a placeholder (or keep the drawing) and send the job numbered `seq` to the worker. */
  | { kind: 'post-to-worker'; seq: number }
  | { kind: 'apply-positions'; positions: Record<string, Position> };

export function initialLayoutMachine(): LayoutMachine {
  return { seq: 0, pending: null, worker: 'usable' };
}

export function layoutStep(m: LayoutMachine, e: LayoutEvent): { state: LayoutMachine; effect: LayoutEffect } {
  switch (e.type) {
    case 'request': {
      const seq = m.seq + 1;
      if (e.offMainThread && m.worker === 'usable') return { state: { ...m, seq, pending: { seq, main: e.main } }, effect: { kind: 'post-to-worker', seq } };
      return { state: { ...m, seq, pending: null }, effect: { kind: 'run-on-main-thread', options: e.main } };
    }
    case 'result': {
      const job = m.pending;
      if (!job || e.result.seq !== job.seq) return { state: m, effect: { kind: 'none' } }; // a newer layout was requested meanwhile
      if ('error' in e.result) return { state: { ...m, pending: null }, effect: { kind: 'run-on-main-thread', options: job.main } };
      return { state: { ...m, pending: null }, effect: { kind: 'apply-positions', positions: e.result.positions } };
    }
    case 'worker-failed': {
      const job = m.pending;
      const state: LayoutMachine = { ...m, worker: 'unavailable', pending: null };
      return { state, effect: job ? { kind: 'run-on-main-thread', options: job.main } : { kind: 'none' } };
    }
    case 'reset':
      return { state: { ...m, pending: null, worker: 'usable' }, effect: { kind: 'none' } };
  }
}

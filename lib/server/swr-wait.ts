// Whether a poll of a rolling window waits for the running computation or gets the last answer at once. Pure.

/** How long a poll waits for the running computation before it is served the last answer (docs/api.md §4.2). */
export const SWR_WAIT_MS = 100;

/**
 * Wait only when the computation may end within the wait: its expected end (its start plus the last computation's
 * duration of the same query) is less than SWR_WAIT_MS away, or nothing is known of its duration. A whole mesh of
 * 2,000 workloads takes seconds, and every stale poll of it waited the 100 ms for nothing (bench/results.md,
 * rolling window: 125 of 160 answers stale).
 */
export function waitForRunning(now: number, startedAt: number, lastDurationMs: number | undefined): boolean {
  if (lastDurationMs === undefined) return true;
  return startedAt + lastDurationMs - now <= SWR_WAIT_MS;
}

import { describe, expect, it } from 'vitest';
import { SWR_WAIT_MS, waitForRunning } from './swr-wait';

describe('waitForRunning', () => {
  it('waits when nothing is known of the duration, or the computation may end within the wait', () => {
    expect(waitForRunning(1000, 1000, undefined)).toBe(true);
    expect(waitForRunning(1000, 1000, 80)).toBe(true);
    expect(waitForRunning(5000, 1000, 4050)).toBe(true);
    expect(waitForRunning(1000, 1000, SWR_WAIT_MS)).toBe(true);
  });
  it('does not wait for a computation expected to run longer than the wait', () => {
    expect(waitForRunning(1000, 1000, 4000)).toBe(false);
    expect(waitForRunning(2000, 1000, 4000)).toBe(false);
    expect(waitForRunning(1000, 1000, SWR_WAIT_MS + 1)).toBe(false);
  });
  it('an overdue computation (running past its last duration) is waited for', () => {
    expect(waitForRunning(9000, 1000, 4000)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { bridgeGaps } from './sparkline';

describe('bridgeGaps', () => {
  it('interpolates short gaps between samples and keeps long or open-ended gaps', () => {
    expect(bridgeGaps([1, null, 3])).toEqual([1, 2, 3]);
    expect(bridgeGaps([null, 1, null, null, null, null, 2, null])).toEqual([null, 1, null, null, null, null, 2, null]);
    expect(bridgeGaps([0, null, null, 3], 3)).toEqual([0, 1, 2, 3]);
  });
});

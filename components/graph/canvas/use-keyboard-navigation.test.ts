import { describe, expect, it } from 'vitest';
import { nextInOrder } from './use-keyboard-navigation';

describe('nextInOrder (arrow keys on the canvas)', () => {
  const order = ['a', 'b', 'c'];
  it('nothing selected: the first forwards, the last backwards', () => {
    expect(nextInOrder(order, undefined, 1)).toBe('a');
    expect(nextInOrder(order, undefined, -1)).toBe('c');
    expect(nextInOrder(order, 'gone', -1)).toBe('c');
  });
  it('steps and wraps around', () => {
    expect(nextInOrder(order, 'a', 1)).toBe('b');
    expect(nextInOrder(order, 'c', 1)).toBe('a');
    expect(nextInOrder(order, 'a', -1)).toBe('c');
    expect(nextInOrder([], undefined, 1)).toBeUndefined();
  });
});

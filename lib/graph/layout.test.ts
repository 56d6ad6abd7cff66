import { describe, expect, it } from 'vitest';
import { FCOSE_PROOF_MAX_NODES, layoutOptions, placeNewNodes } from './layout';

describe('layoutOptions', () => {
  it('uses fcose by default, draft quality above the threshold', () => {
    expect(layoutOptions(undefined, 10)).toMatchObject({ name: 'fcose', quality: 'default', animate: false });
    expect(layoutOptions(undefined, FCOSE_PROOF_MAX_NODES + 1)).toMatchObject({ name: 'fcose', quality: 'draft' });
    expect(layoutOptions('grid', 10).name).toBe('grid');
    expect(layoutOptions('breadthfirst', 10).name).toBe('breadthfirst');
  });
});

describe('placeNewNodes', () => {
  it('places a new node near its positioned neighbours and leaves isolated ones unplaced', () => {
    const pos = new Map([
      ['a', { x: 0, y: 0 }],
      ['b', { x: 200, y: 0 }],
    ]);
    const placed = placeNewNodes(
      ['n', 'lonely', 'chain'],
      [
        { source: 'a', target: 'n' },
        { source: 'n', target: 'b' },
        { source: 'n', target: 'chain' },
      ],
      pos,
    );
    const n = placed.get('n')!;
    expect(Math.hypot(n.x - 100, n.y)).toBeLessThanOrEqual(81);
    expect(placed.has('chain')).toBe(true);
    expect(placed.has('lonely')).toBe(false);
    expect(placed.has('a')).toBe(false);
  });
});

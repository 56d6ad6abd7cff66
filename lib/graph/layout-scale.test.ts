import { describe, expect, it } from 'vitest';
import { FCOSE_DRAFT_MIN_EDGES, layoutOptionsFor } from './layout-scale';

describe('layoutOptionsFor', () => {
  it('uses fcose draft for many nodes or many edges, never animates', () => {
    expect(layoutOptionsFor(undefined, 50, 60)).toMatchObject({ name: 'fcose', quality: 'default', animate: false });
    expect(layoutOptionsFor(undefined, 206, FCOSE_DRAFT_MIN_EDGES + 1)).toMatchObject({ name: 'fcose', quality: 'draft', animate: false });
    expect(layoutOptionsFor('fcose', 2000, 10)).toMatchObject({ quality: 'draft', animate: false });
    expect(layoutOptionsFor('grid', 2000, 9000)).toMatchObject({ name: 'grid', animate: false });
    expect(layoutOptionsFor('grid', 2000, 9000).quality).toBeUndefined();
  });
});

describe('layoutOptionsFor off the main thread', () => {
  it('keeps fcose default quality up to 500 nodes, caps iterations for many edges, spreads aggregates', () => {
    expect(layoutOptionsFor(undefined, 206, 1654, { offMainThread: true })).toMatchObject({ name: 'fcose', quality: 'default', numIter: 150 });
    expect(layoutOptionsFor(undefined, 150, 90, { offMainThread: true }).numIter).toBe(2500);
    expect(layoutOptionsFor(undefined, 2000, 9000, { offMainThread: true })).toMatchObject({ quality: 'draft' });
    expect(layoutOptionsFor(undefined, 206, 1654, { offMainThread: true, aggregates: true }).nodeRepulsion).toBeGreaterThan(
      layoutOptionsFor(undefined, 206, 1654, { offMainThread: true }).nodeRepulsion as number,
    );
    expect(layoutOptionsFor('grid', 206, 1654, { offMainThread: true, aggregates: true })).not.toHaveProperty('nodeRepulsion');
  });
});

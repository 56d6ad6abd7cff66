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

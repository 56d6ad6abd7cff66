import { describe, expect, it } from 'vitest';
import { calicoSelectorMatches, parseCalicoSelector } from './calico-selector';

const pod = { app: 'billing', tier: 'db', 'projectcalico.org/namespace': 'data', version: 'v2-canary' };

describe('Calico selector expressions', () => {
  it.each([
    ['', true],
    ['all()', true],
    ['global()', false],
    ["app == 'billing'", true],
    ['app == "web"', false],
    ["app != 'web'", true],
    ["missing != 'x'", true],
    ['has(tier)', true],
    ['!has(tier)', false],
    ['has(missing)', false],
    ["app in {'billing', 'orders'}", true],
    ["app in {'orders'}", false],
    ["missing in {'x'}", false],
    ["app not in {'orders'}", true],
    ["missing not in {'x'}", true],
    ["app == 'billing' && tier == 'db'", true],
    ["app == 'billing' && tier == 'web'", false],
    ["app == 'web' || tier == 'db'", true],
    ["!(app == 'web' || tier == 'web')", true],
    ["(app == 'web' || app == 'billing') && !has(missing)", true],
    ["app == 'web' || app == 'billing' && tier == 'web'", false],
    ["version starts with 'v2'", true],
    ["version ends with 'canary'", true],
    ["version contains '-can'", true],
    ["version not contains 'can'", false],
    ["projectcalico.org/namespace == 'data'", true],
    ['app in {}', false],
  ])('%s → %s', (sel, expected) => {
    expect(calicoSelectorMatches(sel, pod)).toBe(expected);
  });

  it.each(["app == 'x", 'app ==', '(app == "x"', 'app ~ "x"', "has('x')", "app == 'x' &&", 'in {'])('rejects %s (matches nothing)', (sel) => {
    expect(parseCalicoSelector(sel)).toBeUndefined();
    expect(calicoSelectorMatches(sel, pod)).toBe(false);
  });

  it('&& binds tighter than ||', () => {
    const f = parseCalicoSelector("a == '1' || b == '1' && c == '1'")!;
    expect(f({ a: '1' })).toBe(true);
    expect(f({ b: '1' })).toBe(false);
    expect(f({ b: '1', c: '1' })).toBe(true);
  });
});

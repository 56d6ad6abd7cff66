import { describe, expect, it } from 'vitest';
import { SelectorError, fieldValue, parseFieldSelector, parseLabelSelector, type KubeObject } from './selectors';

const pod = (name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns1', labels },
  ...extra,
});

const pods = [
  pod('a', { app: 'x', tier: 'web' }, { spec: { nodeName: 'n1' }, status: { phase: 'Running' } }),
  pod('b', { app: 'y', tier: 'db', ver: '3' }, { spec: { nodeName: 'n2' }, status: { phase: 'Pending' } }),
  pod('c', {}, { spec: {}, status: { phase: 'Running' } }),
];

const names = (sel: string): string[] => pods.filter(parseLabelSelector(sel)).map((p) => p.metadata.name);
const fnames = (sel: string): string[] => pods.filter(parseFieldSelector(sel)).map((p) => p.metadata.name);

describe('label selectors', () => {
  it.each([
    ['', ['a', 'b', 'c']],
    ['app=x', ['a']],
    ['app==x', ['a']],
    ['app!=x', ['b', 'c']],
    ['app in (x, y)', ['a', 'b']],
    ['app notin (x)', ['b', 'c']],
    ['tier', ['a', 'b']],
    ['!tier', ['c']],
    ['app=y,tier=db', ['b']],
    ['app in (x,y),tier!=web', ['b']],
    ['ver>2', ['b']],
    ['ver<2', []],
  ])('%s', (sel, expected) => {
    expect(names(sel)).toEqual(expected);
  });

  it.each(['app=(x', 'in (x)', 'app in x', ',', 'app=x,'])('rejects %s', (sel) => {
    expect(() => parseLabelSelector(sel)).toThrow(SelectorError);
  });
});

describe('field selectors', () => {
  it.each([
    ['metadata.name=a', ['a']],
    ['metadata.namespace=ns1', ['a', 'b', 'c']],
    ['metadata.namespace!=ns1', []],
    ['status.phase=Running', ['a', 'c']],
    ['status.phase==Pending', ['b']],
    ['spec.nodeName=n1,status.phase=Running', ['a']],
    ['spec.nodeName=', ['c']],
    ['spec.nodeName!=n1', ['b', 'c']],
  ])('%s', (sel, expected) => {
    expect(fnames(sel)).toEqual(expected);
  });

  it('rejects garbage', () => {
    expect(() => parseFieldSelector('metadata.name')).toThrow(SelectorError);
  });

  it('reads nested scalars only', () => {
    expect(fieldValue({ a: { b: 3 } }, 'a.b')).toBe('3');
    expect(fieldValue({ a: { b: { c: 1 } } }, 'a.b')).toBe('');
    expect(fieldValue({}, 'x.y')).toBe('');
  });
});

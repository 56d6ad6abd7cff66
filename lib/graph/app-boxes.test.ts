import { describe, expect, it } from 'vitest';
import type { VersionedApp } from '@/lib/mesh/types';
import { appBoxesChanged, diffElements } from './diff';
import { APP_BOX_CLASS, withAppBoxes, withVersionLatency } from './app-boxes';
import type { GraphElement } from './to-elements';

const ns: GraphElement = { group: 'nodes', data: { id: 'ns:shop', label: 'shop', namespace: 'shop', kind: 'namespace' }, classes: 'namespace' };
const node = (name: string, extra: Record<string, unknown> = {}): GraphElement => ({
  group: 'nodes',
  data: {
    id: `workload:Kubernetes/shop/${name}`,
    parent: 'ns:shop',
    label: `${name}\n[ambient]`,
    kind: 'workload',
    namespace: 'shop',
    name,
    cluster: 'Kubernetes',
    ...extra,
  },
  classes: 'kind-workload',
});
const edge: GraphElement = {
  group: 'edges',
  data: { id: 'e', source: 'workload:Kubernetes/shop/web', target: 'workload:Kubernetes/shop/rec-v2' },
  classes: '',
};
const app = (versions: [string, string][]): VersionedApp => ({
  id: 'app:Kubernetes/shop/rec',
  cluster: 'Kubernetes',
  namespace: 'shop',
  app: 'rec',
  versions: versions.map(([version, w]) => ({ version, workloads: [`workload:Kubernetes/shop/${w}`] })),
});

describe('withAppBoxes', () => {
  it('puts the versions of a multi-version app in one box inside the namespace box, labelled with their versions', () => {
    const out = withAppBoxes(
      [ns, node('web'), node('rec-v1'), node('rec-v2'), edge],
      [
        app([
          ['v1', 'rec-v1'],
          ['v2', 'rec-v2'],
        ]),
      ],
    );
    expect(out.map((e) => e.data.id)).toEqual([
      'ns:shop',
      'app:Kubernetes/shop/rec',
      'workload:Kubernetes/shop/web',
      'workload:Kubernetes/shop/rec-v1',
      'workload:Kubernetes/shop/rec-v2',
      'e',
    ]);
    const box = out[1]!;
    expect(box).toEqual({
      group: 'nodes',
      data: { id: 'app:Kubernetes/shop/rec', parent: 'ns:shop', label: 'rec · 2 versions', kind: 'app', namespace: 'shop', cluster: 'Kubernetes' },
      classes: APP_BOX_CLASS,
    });
    expect(out[4]!.data).toMatchObject({ parent: 'app:Kubernetes/shop/rec', label: 'rec-v2\n[ambient]\nversion v2' });
    expect(out[2]!.data.parent).toBe('ns:shop');
    // the parent change re-creates the members (cytoscape cannot move a node between parents in place)
    const d = diffElements([ns, node('web'), node('rec-v1'), node('rec-v2'), edge], out);
    expect(d.add.map((e) => e.data.id)[0]).toBe('app:Kubernetes/shop/rec');
    expect(d.remove).toContain('workload:Kubernetes/shop/rec-v1');
    // a box appearing or disappearing asks for a new layout; a poll that keeps it does not
    expect(appBoxesChanged(d, [ns, node('web'), node('rec-v1'), node('rec-v2'), edge])).toBe(true);
    expect(appBoxesChanged(diffElements(out, [ns, node('web'), node('rec-v1'), node('rec-v2'), edge]), out)).toBe(true);
    expect(appBoxesChanged(diffElements(out, out), out)).toBe(false);
  });

  it('single-version apps, collapsed namespaces and the default view are left alone', () => {
    const els = [ns, node('rec-v1'), node('rec-v2', { aggregate: true })];
    expect(withAppBoxes(els, [app([['v1', 'rec-v1']])])).toEqual(els);
    expect(withAppBoxes(els, undefined)).toEqual(els);
    const out = withAppBoxes(els, [
      app([
        ['v1', 'rec-v1'],
        ['v2', 'rec-v2'],
      ]),
    ]);
    expect(out.find((e) => e.data.id === 'workload:Kubernetes/shop/rec-v2')!.data.parent).toBe('ns:shop');
  });

  it('a workload running two versions shows both', () => {
    const a: VersionedApp = {
      ...app([
        ['v1', 'rec-v1'],
        ['v1-rc', 'rec-v1'],
      ]),
    };
    const out = withAppBoxes([ns, node('rec-v1')], [a]);
    expect(out.find((e) => e.data.id === 'workload:Kubernetes/shop/rec-v1')!.data.label).toBe('rec-v1\n[ambient]\nversion v1, v1-rc');
  });
});

describe('withVersionLatency', () => {
  it('takes the p95 per version from the latency answer, keeping the drawn traffic', () => {
    const drawn = {
      apps: [
        {
          ...app([
            ['v1', 'rec-v1'],
            ['v2', 'rec-v2'],
          ]),
          versions: [
            { version: 'v1', workloads: [], rps: 7 },
            { version: 'v2', workloads: [], rps: 3 },
          ],
        },
      ],
    };
    const latency = {
      apps: [
        {
          ...drawn.apps[0]!,
          versions: [
            { version: 'v1', workloads: [], rps: 6.9, p95Ms: 44 },
            { version: 'v2', workloads: [], p95Ms: 65 },
          ],
        },
      ],
    };
    const out = withVersionLatency(drawn, latency);
    expect(out.apps![0]!.versions).toEqual([
      { version: 'v1', workloads: [], rps: 7, p95Ms: 44 },
      { version: 'v2', workloads: [], rps: 3, p95Ms: 65 },
    ]);
    expect(withVersionLatency(drawn, undefined)).toBe(drawn);
    expect(withVersionLatency({}, latency)).toEqual({});
  });
});

import { describe, expect, it } from 'vitest';
import { configuredClusters, parseConfig } from './parse';

function ok(env: Record<string, string | undefined>) {
  const r = parseConfig(env);
  if (!r.ok) throw new Error(`expected ok, got ${r.error}`);
  return r.config;
}

function err(env: Record<string, string | undefined>): string {
  const r = parseConfig(env);
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

describe('KUBE_CONTEXTS', () => {
  it('unset: one cluster, configuration unchanged', () => {
    const c = ok({ MESH_CLUSTER_NAME: 'west' });
    expect(c.kube).toEqual({ timeoutMs: 5000 });
    expect(configuredClusters(c)).toEqual(['west']);
    expect(configuredClusters(ok({}))).toEqual(['Kubernetes']);
    expect(ok({ KUBE_CONTEXTS: ' ' }).kube.contexts).toBeUndefined();
  });

  it('parses context and context=cluster entries; the cluster name defaults to the context name', () => {
    const c = ok({ KUBE_CONTEXTS: 'kind-west , ctx-b=east-1,gke_p_z_c=gke.prod_2' });
    expect(c.kube.contexts).toEqual([
      { context: 'kind-west', cluster: 'kind-west' },
      { context: 'ctx-b', cluster: 'east-1', explicit: true },
      { context: 'gke_p_z_c', cluster: 'gke.prod_2', explicit: true },
    ]);
    expect(c.clusterName).toBe('kind-west');
    expect(configuredClusters(c)).toEqual(['kind-west', 'east-1', 'gke.prod_2']);
  });

  it('rejects bad entries with a message naming the variable', () => {
    expect(err({ KUBE_CONTEXTS: 'a,,b' })).toMatch(/^KUBE_CONTEXTS has an empty entry/);
    expect(err({ KUBE_CONTEXTS: 'a,' })).toMatch(/^KUBE_CONTEXTS has an empty entry/);
    expect(err({ KUBE_CONTEXTS: '=east' })).toMatch(/^KUBE_CONTEXTS entry "=east"/);
    expect(err({ KUBE_CONTEXTS: 'a=' })).toMatch(/^KUBE_CONTEXTS cluster name ""/);
    expect(err({ KUBE_CONTEXTS: 'a=b=c' })).toMatch(/^KUBE_CONTEXTS cluster name "b=c"/);
    expect(err({ KUBE_CONTEXTS: 'a=x y' })).toMatch(/^KUBE_CONTEXTS cluster name/);
    expect(err({ KUBE_CONTEXTS: 'arn:aws:eks:eu-west-1:1:cluster/prod' })).toMatch(
      /^KUBE_CONTEXTS cluster name .* write "arn:aws:eks:eu-west-1:1:cluster\/prod=<cluster name/,
    );
    expect(ok({ KUBE_CONTEXTS: 'arn:aws:eks:eu-west-1:1:cluster/prod=prod' }).kube.contexts).toEqual([
      { context: 'arn:aws:eks:eu-west-1:1:cluster/prod', cluster: 'prod', explicit: true },
    ]);
    expect(err({ KUBE_CONTEXTS: 'a\u0001b' })).toMatch(/^KUBE_CONTEXTS entry/);
    expect(err({ KUBE_CONTEXTS: `a=${'x'.repeat(64)}` })).toMatch(/^KUBE_CONTEXTS cluster name/);
  });

  it('rejects duplicates and more than 20 contexts', () => {
    expect(err({ KUBE_CONTEXTS: 'a,b,a=c' })).toMatch(/^KUBE_CONTEXTS names context "a" twice/);
    expect(err({ KUBE_CONTEXTS: 'a=x,b=x' })).toMatch(/^KUBE_CONTEXTS names cluster "x" twice/);
    const many = Array.from({ length: 21 }, (_, i) => `c${i}`).join(',');
    expect(err({ KUBE_CONTEXTS: many })).toMatch(/^KUBE_CONTEXTS lists 21 contexts, at most 20/);
    expect(ok({ KUBE_CONTEXTS: many.split(',').slice(0, 20).join(',') }).kube.contexts).toHaveLength(20);
  });

  it('conflicts with KUBE_CONTEXT and MESH_CLUSTER_NAME', () => {
    expect(err({ KUBE_CONTEXTS: 'a', KUBE_CONTEXT: 'b' })).toMatch(/^KUBE_CONTEXT and KUBE_CONTEXTS are both set/);
    expect(err({ KUBE_CONTEXTS: 'a', MESH_CLUSTER_NAME: 'b' })).toMatch(/^MESH_CLUSTER_NAME and KUBE_CONTEXTS are both set/);
  });
});

// Real manifests through the informers' reshaping and lib/mesh/policy's rules (lib/mesh tests cannot read files).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { reshapeCalicoPolicy, reshapeNetworkPolicy } from './reshape';
import type { CalicoPolicyInfo, NetworkPolicyInfo } from '@/lib/mesh/types';
import { connectionDecision, ipInCidr, networkDecision, policyRefText, type NetworkPolicySet, type PolicyEndpoint } from '@/lib/mesh/policy/network-policy';

const docs = parseAllDocuments(readFileSync(join(__dirname, 'testdata/network-policies.yaml'), 'utf8')).map((d) => d.toJSON() as Record<string, unknown>);
const k8s: NetworkPolicyInfo[] = docs.filter((d) => d.apiVersion === 'networking.k8s.io/v1').map(reshapeNetworkPolicy);
const calico: CalicoPolicyInfo[] = docs
  .filter((d) => String(d.apiVersion).includes('projectcalico.org'))
  .map((d) => reshapeCalicoPolicy(d, d.kind === 'GlobalNetworkPolicy' ? 'GlobalNetworkPolicy' : 'NetworkPolicy'));
const only = (...names: string[]): NetworkPolicySet => ({
  kubernetes: k8s.filter((p) => names.includes(p.name)),
  calico: calico.filter((p) => names.includes(p.name)),
});

function pod(namespace: string, labels: Record<string, string>, extra: Partial<PolicyEndpoint> = {}): PolicyEndpoint {
  return { namespace, labels, namespaceLabels: {}, ...extra };
}
const tcp = (port: number) => ({ port, protocol: 'TCP' });

describe('reshaping real NetworkPolicy manifests', () => {
  it('defaults policyTypes as Kubernetes does', () => {
    const byName = new Map(k8s.map((p) => [p.name, p]));
    expect(byName.get('default-deny-ingress')!.policyTypes).toEqual(['Ingress']);
    expect(byName.get('default-deny-egress')!.policyTypes).toEqual(['Egress']);
    expect(byName.get('test-network-policy')!.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(byName.get('pg-only-billing')!.ingress[0]!.ports).toEqual([{ protocol: 'TCP', port: 'tcp-postgres' }]);
  });
  it("reads client-node's typed objects, where `from` is `_from`", () => {
    const typed = reshapeNetworkPolicy({
      metadata: { name: 'typed', namespace: 'data' },
      spec: { podSelector: { matchLabels: { app: 'pg' } }, ingress: [{ _from: [{ podSelector: { matchLabels: { app: 'api' } } }] }] },
    });
    expect(typed.ingress[0]!.peers).toEqual([{ podSelector: { matchLabels: { app: 'api' }, matchExpressions: [] } }]);
  });
  it('strips the default. tier prefix of crd.projectcalico.org objects', () => {
    expect(calico.map((p) => p.name).sort()).toEqual(['allow-tcp-6379', 'deny-blue', 'deny-metrics-scrapers']);
    expect(calico.find((p) => p.name === 'deny-blue')).toMatchObject({ kind: 'GlobalNetworkPolicy', namespace: '', order: 10 });
  });
});

describe('Kubernetes NetworkPolicy semantics', () => {
  const set = only('test-network-policy');
  const db = pod('default', { role: 'db' });

  it('an unselected pod is not isolated', () => {
    const d = networkDecision(set, 'ingress', pod('default', { role: 'web' }), pod('default', { role: 'x' }), tcp(80));
    expect(d).toMatchObject({ selecting: [], admitted: true });
  });
  it('podSelector peer: pods of the policy namespace only', () => {
    expect(networkDecision(set, 'ingress', db, pod('default', { role: 'frontend' }), tcp(6379)).admitted).toBe(true);
    expect(networkDecision(set, 'ingress', db, pod('other', { role: 'frontend' }), tcp(6379)).admitted).toBe(false);
  });
  it('namespaceSelector peer: every pod of the selected namespaces', () => {
    expect(networkDecision(set, 'ingress', db, pod('p', { any: 'x' }, { namespaceLabels: { project: 'myproject' } }), tcp(6379)).admitted).toBe(true);
  });
  it('ipBlock with except', () => {
    expect(networkDecision(set, 'ingress', db, pod('x', {}, { ip: '172.17.2.9' }), tcp(6379)).admitted).toBe(true);
    expect(networkDecision(set, 'ingress', db, pod('x', {}, { ip: '172.17.1.9' }), tcp(6379)).admitted).toBe(false);
  });
  it('ports restrict the rule', () => {
    const d = networkDecision(set, 'ingress', db, pod('default', { role: 'frontend' }), tcp(6380));
    expect(d.admitted).toBe(false);
    expect(d.droppedBy.map(policyRefText)).toEqual(['NetworkPolicy default/test-network-policy']);
  });
  it('egress rules of the source', () => {
    expect(networkDecision(set, 'egress', db, pod('x', {}, { ip: '10.0.0.7' }), tcp(5978)).admitted).toBe(true);
    expect(networkDecision(set, 'egress', db, pod('x', {}, { ip: '10.0.1.7' }), tcp(5978)).admitted).toBe(false);
  });
  it('default deny ingress / allow all / default deny egress', () => {
    expect(networkDecision(only('default-deny-ingress'), 'ingress', pod('locked', { a: 'b' }), pod('x', {}), tcp(80)).admitted).toBe(false);
    expect(networkDecision(only('allow-all-ingress'), 'ingress', pod('open', { a: 'b' }), undefined, tcp(80)).admitted).toBe(true);
    const sealed = connectionDecision(only('default-deny-egress'), pod('sealed', {}), pod('open', {}), tcp(80));
    expect(sealed.ingress.admitted).toBe(true);
    expect(sealed.egress!.admitted).toBe(false);
  });
  it('namespaceSelector AND podSelector in one peer; named ports resolve on the destination', () => {
    const pg = pod('data', { app: 'postgres' }, { ports: [{ name: 'tcp-postgres', containerPort: 5432, protocol: 'TCP' }] });
    const set2 = only('pg-only-billing');
    expect(networkDecision(set2, 'ingress', pg, pod('billing', { app: 'invoices' }), tcp(5432)).admitted).toBe(true);
    expect(networkDecision(set2, 'ingress', pg, pod('billing', { app: 'web' }), tcp(5432)).admitted).toBe(false);
    expect(networkDecision(set2, 'ingress', pg, pod('data', { app: 'invoices' }), tcp(5432)).admitted).toBe(false);
    expect(networkDecision(set2, 'ingress', pg, pod('billing', { app: 'invoices' }), tcp(5433)).admitted).toBe(false);
    // Without the container port the named port cannot match.
    expect(networkDecision(set2, 'ingress', pod('data', { app: 'postgres' }), pod('billing', { app: 'invoices' }), tcp(5432)).admitted).toBe(false);
    // Port unknown: judged on the peers alone.
    expect(networkDecision(set2, 'ingress', pg, pod('billing', { app: 'invoices' })).admitted).toBe(true);
  });
  it('two peers are ORed; endPort ranges; several policies are a union', () => {
    const redis = pod('data', { app: 'redis' });
    const both = only('cache-two-peers', 'cache-allow-monitoring');
    expect(networkDecision(both, 'ingress', redis, pod('billing', { app: 'web' }), tcp(6379)).admitted).toBe(true);
    expect(networkDecision(both, 'ingress', redis, pod('data', { app: 'invoices' }), tcp(6400)).admitted).toBe(true);
    expect(networkDecision(both, 'ingress', redis, pod('data', { app: 'invoices' }), tcp(6401)).admitted).toBe(false);
    const mon = networkDecision(both, 'ingress', redis, pod('prom', {}, { namespaceLabels: { team: 'monitoring' } }), tcp(9))!;
    expect(mon.admitted).toBe(true);
    expect(mon.admittedBy.map((r) => r.name)).toEqual(['cache-allow-monitoring']);
    const out = networkDecision(both, 'ingress', redis, pod('web', {}), tcp(6379));
    expect(out.admitted).toBe(false);
    expect(out.droppedBy.map((r) => r.name).sort()).toEqual(['cache-allow-monitoring', 'cache-two-peers']);
  });
  it('an unknown peer leaves the answer open unless a rule admits every peer', () => {
    expect(networkDecision(only('pg-only-billing'), 'ingress', pod('data', { app: 'postgres' }), undefined).admitted).toBeUndefined();
    expect(networkDecision(only('default-deny-ingress'), 'ingress', pod('locked', {}), undefined).admitted).toBe(false);
  });
});

describe('Calico semantics', () => {
  it('first matching rule decides, lower order first', () => {
    const set = only('allow-tcp-6379', 'deny-blue');
    const db = pod('production', { role: 'database' });
    // deny-blue (order 10) denies sources in blue namespaces before allow-tcp-6379 (order 100) is reached.
    const blue = networkDecision(set, 'ingress', db, pod('production', { role: 'frontend' }, { namespaceLabels: { color: 'blue' } }), tcp(6379));
    expect(blue).toMatchObject({ admitted: false, droppedBy: [{ kind: 'GlobalNetworkPolicy', name: 'deny-blue' }] });
    const ok = networkDecision(set, 'ingress', db, pod('production', { role: 'frontend' }), tcp(6379));
    expect(ok).toMatchObject({ admitted: true, admittedBy: [{ kind: 'CalicoNetworkPolicy', name: 'allow-tcp-6379' }] });
    // Selected by both, admitted by neither: end-of-tier drop names both.
    const other = networkDecision(set, 'ingress', db, pod('production', { role: 'frontend' }), tcp(5432));
    expect(other.admitted).toBe(false);
    expect(other.droppedBy.map(policyRefText)).toEqual(['GlobalNetworkPolicy deny-blue', 'CalicoNetworkPolicy production/allow-tcp-6379']);
  });
  it('a namespaced policy selector stays in its namespace; GlobalNetworkPolicy namespaceSelector excludes kube-system', () => {
    const set = only('allow-tcp-6379', 'deny-blue');
    expect(networkDecision(set, 'ingress', pod('production', { role: 'database' }), pod('staging', { role: 'frontend' }), tcp(6379)).admitted).toBe(false);
    expect(
      networkDecision(set, 'ingress', pod('kube-system', { role: 'database' }), pod('x', {}, { namespaceLabels: { color: 'blue' } }), tcp(1)).selecting,
    ).toEqual([]);
  });
  it('Pass leaves the tier', () => {
    const d = networkDecision(only('deny-blue'), 'ingress', pod('production', { a: 'b' }), pod('production', { bypass: 'yes' }), tcp(1));
    expect(d.admitted).toBe(true);
  });
  it('nets, port ranges and protocol; Kubernetes policies sit at order 1000', () => {
    const api = pod('production', { app: 'api' });
    const set: NetworkPolicySet = { kubernetes: [], calico: calico.filter((p) => p.name === 'deny-metrics-scrapers') };
    expect(networkDecision(set, 'ingress', api, pod('x', {}, { ip: '10.100.0.1' }), tcp(9050)).admitted).toBe(false);
    expect(networkDecision(set, 'ingress', api, pod('x', {}, { ip: '10.100.0.1' }), tcp(8080)).admitted).toBe(true);
    expect(networkDecision(set, 'ingress', api, pod('x', {}, { ip: '10.200.0.1' }), tcp(9050)).admitted).toBe(true);
    expect(networkDecision(set, 'ingress', api, pod('x', {}, { ip: '10.100.0.1' }), { port: 9050, protocol: 'UDP' }).admitted).toBe(true);
    // A Kubernetes allow (order 1000) is reached before the Calico deny at order 1500.
    const allowAll: NetworkPolicyInfo = { ...k8s.find((p) => p.name === 'allow-all-ingress')!, namespace: 'production' };
    const d = networkDecision({ kubernetes: [allowAll], calico: set.calico }, 'ingress', api, pod('x', {}, { ip: '10.100.0.1' }), tcp(9050));
    expect(d).toMatchObject({ admitted: true, admittedBy: [{ kind: 'NetworkPolicy', name: 'allow-all-ingress' }] });
  });
});

describe('ipInCidr', () => {
  it.each([
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.1.2.3', '10.0.0.0/8', false],
    ['10.1.2.3', '10.1.2.3', true],
    ['10.1.2.3', '0.0.0.0/0', true],
    ['fd00::5', 'fd00::/8', true],
    ['fe00::5', 'fd00::/8', false],
    ['10.1.2.3', 'fd00::/8', false],
    ['10.1.2.300', '10.0.0.0/8', false],
    ['10.1.2.3', '10.0.0.0/33', false],
  ])('%s in %s → %s', (ip, cidr, expected) => expect(ipInCidr(ip, cidr)).toBe(expected));
});

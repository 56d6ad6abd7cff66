import { describe, expect, it } from 'vitest';
import { EAST_CLUSTER, EAST_EDGES, EAST_OBJECTS, topologyPart, withEastCluster } from './east-cluster';
import { buildEmitPlan, emitAll, exposition, ZTUNNEL_LABELS, type EmitPlan } from './emit';
import { buildManifests } from './manifests';
import { buildDemoTopology } from './topology';
import { finalTargetLabels } from '../prometheus/profiles';

const ANCHOR = 1_800_000_000;
const demo = buildDemoTopology();
const multi = withEastCluster(demo);
const single = buildEmitPlan(demo, ANCHOR);
const plan = buildEmitPlan(multi, ANCHOR);

interface Row {
  proxy: string;
  cluster: string;
  name: string;
  l: Record<string, string>;
  keys: string[];
  value: number;
}

function rows(p: EmitPlan, t: number): Row[] {
  const out: Row[] = [];
  for (const [id, samples] of emitAll(p, t)) {
    const pod = p.proxies.get(id)!.pod;
    for (const s of samples)
      out.push({
        proxy: id,
        cluster: pod.cluster ?? p.topology.cluster,
        name: s.name,
        l: Object.fromEntries(s.labels),
        keys: s.labels.map(([k]) => k),
        value: s.value,
      });
  }
  return out;
}

type PodObj = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; status?: { podIP?: string } };
const eastPods = (EAST_OBJECTS as PodObj[]).filter((o) => o.kind === 'Pod');

describe('cluster east in the emitter (--second-cluster)', () => {
  const now = rows(plan, ANCHOR);
  const cross = now.filter((r) => r.name !== 'istio_build' && (r.l.source_cluster === EAST_CLUSTER || r.l.destination_cluster === EAST_CLUSTER));

  it('every east pod of the topology is a pod of the east simulator, with its IP and labels', () => {
    const part = topologyPart(EAST_OBJECTS, EAST_CLUSTER);
    const pods = part.workloads.flatMap((w) => w.pods);
    expect(pods.map((p) => `${p.namespace}/${p.name}`).sort()).toEqual(eastPods.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort());
    for (const p of pods) {
      const o = eastPods.find((x) => x.metadata.name === p.name && x.metadata.namespace === p.namespace)!;
      expect(p.ip).toBe(o.status?.podIP);
      expect(p.labels).toEqual(o.metadata.labels ?? {});
      expect(p.cluster).toBe(EAST_CLUSTER);
    }
    expect(pods.find((p) => p.name === 'inventory-api-5f7c9-abcde')).toMatchObject({ mode: 'ambient', role: 'app', workload: 'inventory-api' });
    expect(pods.filter((p) => p.proxy).map((p) => [p.name, p.proxy, p.role])).toEqual([['ztunnel-e4x7k', 'ztunnel', 'ztunnel']]);
  });

  it('shop/cart → east inventory-api is carried by ztunnels only: client ztunnels report source, east’s ztunnel destination, both mTLS', () => {
    expect(EAST_EDGES.map((e) => e.server)).toContainEqual(expect.objectContaining({ kind: 'service', cluster: EAST_CLUSTER }));
    expect(cross.length).toBeGreaterThan(0);
    const reporters = [...new Set(cross.map((r) => `${r.cluster}:${r.proxy.split('/')[1]!.replace(/-[a-z0-9]{5}$/, '')}:${r.l.reporter}`))].sort();
    expect(reporters).toEqual(['Kubernetes:ztunnel:source', 'east:ztunnel:destination']);
    for (const r of cross) {
      expect(r.keys).toEqual(expect.arrayContaining([...ZTUNNEL_LABELS]));
      expect(r.name).toMatch(/^istio_tcp_/);
      expect(r.l).toMatchObject({
        source_workload: 'cart',
        source_workload_namespace: 'shop',
        source_cluster: 'Kubernetes',
        source_principal: 'spiffe://cluster.local/ns/shop/sa/cart',
        destination_workload: 'inventory-api',
        destination_workload_namespace: 'inventory',
        destination_cluster: EAST_CLUSTER,
        destination_principal: 'spiffe://cluster.local/ns/inventory/sa/inventory-api',
        destination_service: 'inventory-api.inventory.svc.cluster.local',
        request_protocol: 'tcp',
        connection_security_policy: 'mutual_tls',
        destination_region: 'east-region',
      });
    }
    // the east ztunnel's scrape target is the pod the east simulator serves
    const z = plan.proxies.get('istio-system/ztunnel-e4x7k')!;
    const target = Object.fromEntries(finalTargetLabels('istio-sample', z.pod));
    const obj = eastPods.find((o) => o.metadata.name === 'ztunnel-e4x7k')!;
    expect(target).toMatchObject({ app: 'ztunnel', pod: 'ztunnel-e4x7k', namespace: 'istio-system', instance: `${obj.status!.podIP}:15020` });
    // both sides count the same connections
    const opened = (reporter: string) =>
      cross.filter((r) => r.name === 'istio_tcp_connections_opened_total' && r.l.reporter === reporter).reduce((a, r) => a + r.value, 0);
    expect(opened('source')).toBeGreaterThan(0);
    expect(opened('destination')).toBe(opened('source'));
  });

  it('the demo cluster’s own series and manifests are exactly the single-cluster ones', () => {
    for (const t of [ANCHOR - 5 * 3600, ANCHOR]) {
      for (const id of single.proxies.keys()) {
        const withEast = (exposition(plan, id, t) ?? '')
          .split('\n')
          .filter((l) => !l.includes(`destination_cluster="${EAST_CLUSTER}"`))
          .join('\n');
        expect(withEast).toBe(exposition(single, id, t) ?? '');
      }
    }
    expect(rows(single, ANCHOR).some((r) => r.l.source_cluster === EAST_CLUSTER || r.l.destination_cluster === EAST_CLUSTER)).toBe(false);
    expect(buildManifests(multi)).toEqual(buildManifests(demo));
  });
});

import { describe, expect, it } from 'vitest';
import { buildEmitPlan, DURATION_BUCKETS, emitAll, ENVOY_LABELS, evaluateProxy, exposition, ZTUNNEL_LABELS, type EmitPlan, type ProxyRole } from './emit';
import { buildDemoTopology, generateSyntheticTopology } from './topology';

const ANCHOR = 1_800_000_000; // a whole minute
const H = 3600;
const topology = buildDemoTopology();
const plan = buildEmitPlan(topology, ANCHOR);

interface Row {
  proxy: string;
  role: ProxyRole;
  name: string;
  l: Record<string, string>;
  keys: string[];
  value: number;
}

function rows(p: EmitPlan, t: number): Row[] {
  const out: Row[] = [];
  for (const [id, samples] of emitAll(p, t)) {
    const role = p.proxies.get(id)!.role;
    for (const s of samples) out.push({ proxy: id, role, name: s.name, l: Object.fromEntries(s.labels), keys: s.labels.map(([k]) => k), value: s.value });
  }
  return out;
}

const now = rows(plan, ANCHOR);
const traffic = (r: Row) => r.name !== 'istio_build';
/** Distinct (proxy role, reporter) pairs among the given rows. */
const sets = (rs: Row[]) => [...new Set(rs.map((r) => `${r.role}:${r.l.reporter}`))].sort();

describe('waypoint call web → cart', () => {
  const related = now.filter(
    (r) =>
      traffic(r) &&
      ((r.l.source_workload === 'web' && r.l.destination_service_name === 'cart') ||
        (r.l.source_workload === 'shop-waypoint' && r.l.destination_workload === 'cart')),
  );
  it('yields exactly three series sets: waypoint L7, client ztunnel source, server ztunnel destination', () => {
    expect(sets(related)).toEqual(['waypoint:waypoint', 'ztunnel:destination', 'ztunnel:source']);
  });
  it('waypoint set: L7 client → backend, mutual_tls, emitted by the waypoint pod', () => {
    const wp = related.filter((r) => r.l.reporter === 'waypoint' && r.name === 'istio_requests_total');
    expect(wp.length).toBeGreaterThan(0);
    for (const r of wp) {
      expect(r.proxy).toMatch(/^shop\/shop-waypoint-/);
      expect(r.l).toMatchObject({
        source_workload: 'web',
        destination_workload: 'cart',
        destination_service: 'cart.shop.svc.cluster.local',
        connection_security_policy: 'mutual_tls',
      });
      expect(r.l.source_principal).toBe('spiffe://cluster.local/ns/shop/sa/web');
    }
  });
  it('client ztunnel names the waypoint as destination workload and the target Service', () => {
    const src = related.filter((r) => r.l.reporter === 'source');
    expect(src.length).toBeGreaterThan(0);
    for (const r of src) {
      expect(r.name.startsWith('istio_tcp_')).toBe(true);
      expect(r.l).toMatchObject({
        destination_workload: 'shop-waypoint',
        destination_service: 'cart.shop.svc.cluster.local',
        connection_security_policy: 'mutual_tls',
        request_protocol: 'tcp',
      });
    }
  });
  it('server ztunnel sees the waypoint identity as source', () => {
    const dst = related.filter((r) => r.l.reporter === 'destination');
    expect(dst.length).toBeGreaterThan(0);
    for (const r of dst) {
      expect(r.l).toMatchObject({
        source_workload: 'shop-waypoint',
        source_principal: 'spiffe://cluster.local/ns/shop/sa/shop-waypoint',
        destination_workload: 'cart',
      });
      expect(r.proxy).toMatch(/^istio-system\/ztunnel-/);
    }
  });
  it('no ztunnel series pairs web directly with cart', () => {
    expect(now.filter((r) => r.l.source_workload === 'web' && r.l.destination_workload === 'cart' && r.role === 'ztunnel')).toEqual([]);
  });
});

describe('out-of-mesh client', () => {
  it('legacy → inventory-api (ambient) yields only server-ztunnel series with unknown security policy', () => {
    const rs = now.filter((r) => traffic(r) && r.l.source_workload === 'legacy-reporting' && r.l.destination_service_name === 'inventory-api');
    expect(rs.length).toBeGreaterThan(0);
    expect(sets(rs)).toEqual(['ztunnel:destination']);
    for (const r of rs) expect(r.l).toMatchObject({ connection_security_policy: 'unknown', source_principal: 'unknown' });
  });
  it('legacy → catalog bypasses the waypoint', () => {
    const rs = now.filter((r) => traffic(r) && r.l.source_workload === 'legacy-reporting' && r.l.destination_service_name === 'catalog');
    expect(sets(rs)).toEqual(['ztunnel:destination']);
  });
  it('legacy → orders-api (mixed): sidecar pods report L7 with none, the ambient pod via ztunnel with unknown', () => {
    const rs = now.filter((r) => traffic(r) && r.l.source_workload === 'legacy-reporting' && r.l.destination_service_name === 'orders-api');
    expect(sets(rs)).toEqual(['sidecar:destination', 'ztunnel:destination']);
    for (const r of rs) expect(r.l.connection_security_policy).toBe(r.role === 'sidecar' ? 'none' : 'unknown');
    expect(new Set(rs.filter((r) => r.role === 'sidecar').map((r) => r.proxy)).size).toBe(2);
  });
});

describe('connection_security_policy rules', () => {
  it('Envoy clients (sidecars, gateway) always say unknown', () => {
    const clients = now.filter((r) => traffic(r) && r.role !== 'ztunnel' && r.l.reporter === 'source');
    expect(clients.length).toBeGreaterThan(0);
    expect(new Set(clients.map((r) => r.l.connection_security_policy))).toEqual(new Set(['unknown']));
  });
  it('server Envoy says mutual_tls or none; ztunnel never says none', () => {
    for (const r of now.filter(traffic)) {
      if (r.role === 'ztunnel') expect(['mutual_tls', 'unknown']).toContain(r.l.connection_security_policy);
      else if (r.l.reporter !== 'source') expect(['mutual_tls', 'none']).toContain(r.l.connection_security_policy);
    }
  });
  it('sidecar → ambient-with-waypoint (payments-api → cart) bypasses the waypoint', () => {
    const rs = now.filter((r) => traffic(r) && r.l.source_workload === 'payments-api' && r.l.destination_service_name === 'cart');
    expect(sets(rs)).toEqual(['sidecar:source', 'ztunnel:destination']);
    expect(rs.find((r) => r.role === 'ztunnel')!.l.connection_security_policy).toBe('mutual_tls');
  });
  it('ingress gateway reports source; destination ztunnel sees the gateway', () => {
    const rs = now.filter((r) => traffic(r) && r.l.source_workload === 'istio-ingressgateway');
    expect(sets(rs)).toEqual(['gateway:source', 'ztunnel:destination']);
  });
  it('ambient → unknown IP: client ztunnel only, plaintext', () => {
    const rs = now.filter((r) => traffic(r) && r.l.source_workload === 'inventory-api' && r.l.destination_workload === 'unknown');
    expect(sets(rs)).toEqual(['ztunnel:source']);
    for (const r of rs)
      expect(r.l).toMatchObject({ connection_security_policy: 'unknown', destination_canonical_revision: 'unknown', source_principal: 'unknown' });
  });
  it('sidecar → external host: client sidecar TCP only', () => {
    const rs = now.filter((r) => traffic(r) && r.l.destination_service === 'api.stripe.com');
    expect(sets(rs)).toEqual(['sidecar:source']);
    for (const r of rs) expect(r.name.startsWith('istio_tcp_')).toBe(true);
  });
});

describe('label sets and order', () => {
  it('Envoy series use the Envoy order; ztunnel series the ztunnel order', () => {
    const envoyTcp = ENVOY_LABELS.filter((k) => k !== 'response_code' && k !== 'grpc_response_status');
    for (const r of now.filter(traffic)) {
      if (r.role === 'ztunnel') expect(r.keys).toEqual([...ZTUNNEL_LABELS]);
      else if (r.name.endsWith('_bucket')) expect(r.keys).toEqual([...ENVOY_LABELS, 'le']);
      else if (r.l.request_protocol === 'tcp') expect(r.keys).toEqual(envoyTcp);
      else expect(r.keys).toEqual([...ENVOY_LABELS]);
    }
  });
  it('ztunnel fills app/version from canonical names, Envoy from pod labels', () => {
    const zPostgres = now.find((r) => r.role === 'ztunnel' && r.l.destination_workload === 'postgres')!;
    expect(zPostgres.l.destination_app).toBe('postgres');
    expect(zPostgres.l.destination_version).toBe('latest'); // canonical revision default; no version label
    const wp = now.find((r) => r.l.reporter === 'waypoint')!;
    expect(wp.l.destination_version).toBe(wp.l.destination_canonical_revision);
  });
  it('istio_build on every proxy with the right component and tag', () => {
    const builds = now.filter((r) => r.name === 'istio_build');
    expect(builds.length).toBe(emitAll(plan, ANCHOR).size);
    for (const b of builds) expect(b.l.component).toBe(b.role === 'ztunnel' ? 'ztunnel' : 'proxy');
    expect(builds.filter((b) => b.l.tag === '1.26.3').map((b) => b.proxy.split('/')[1]!.replace(/-[^-]+-[^-]+$/, ''))).toEqual(['ledger', 'ledger']);
  });
});

describe('counters', () => {
  const times: number[] = [];
  for (let t = ANCHOR - 6 * H; t <= ANCHOR + 600; t += 97) times.push(t);
  it('are monotonic over 6 h (incident and migration included) and never disappear while the pod lives', () => {
    const violations: string[] = [];
    let checked = 0;
    for (const proxy of plan.proxies.values()) {
      let prev: Float64Array | undefined;
      for (const t of times) {
        const off = t - ANCHOR;
        if ((proxy.pod.startOffset ?? -Infinity) > off || (proxy.pod.endOffset ?? Infinity) <= off) {
          prev = undefined;
          continue;
        }
        const v = evaluateProxy(plan, proxy, t);
        checked++;
        if (prev) {
          for (let i = 0; i < v.length; i++) {
            if (Number.isNaN(prev[i]!)) continue;
            if (!(v[i]! >= prev[i]!)) violations.push(`${proxy.id} ${proxy.series[i]!.name} at ${off}: ${prev[i]} → ${v[i]}`);
          }
        }
        prev = v;
      }
    }
    expect(violations).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  }, 60_000);
  it('histograms are consistent: buckets grow with le, +Inf = _count = istio_requests_total', () => {
    for (const [, samples] of emitAll(plan, ANCHOR - 1234)) {
      const req = new Map<string, number>();
      const key = (l: [string, string][]) =>
        l
          .filter(([k]) => k !== 'le')
          .map(([k, v]) => `${k}=${v}`)
          .join(',');
      for (const s of samples) if (s.name === 'istio_requests_total') req.set(key(s.labels), s.value);
      const buckets = new Map<string, number[]>();
      for (const s of samples) {
        if (s.name === 'istio_request_duration_milliseconds_count') expect(s.value).toBe(req.get(key(s.labels)));
        if (s.name === 'istio_request_duration_milliseconds_bucket') buckets.set(key(s.labels), [...(buckets.get(key(s.labels)) ?? []), s.value]);
      }
      for (const [k, b] of buckets) {
        expect(b.length).toBe(DURATION_BUCKETS.length + 1);
        for (let i = 1; i < b.length; i++) expect(b[i]!).toBeGreaterThanOrEqual(b[i - 1]!);
        expect(b[b.length - 1]).toBe(req.get(k));
      }
    }
  });
  it('the ledger incident shows a 30 % 5xx spike in T−2h…T−1h50m only', () => {
    const share = (a: number, b: number) => {
      const sum = (t: number, f: (r: Row) => boolean) =>
        rows(plan, t)
          .filter((r) => r.name === 'istio_requests_total' && r.l.reporter === 'destination' && r.l.destination_workload === 'ledger' && f(r))
          .reduce((x, r) => x + r.value, 0);
      const all = sum(b, () => true) - sum(a, () => true);
      const err = sum(b, (r) => r.l.response_code!.startsWith('5')) - sum(a, (r) => r.l.response_code!.startsWith('5'));
      return err / all;
    };
    expect(share(ANCHOR - 2 * H + 60, ANCHOR - 2 * H + 540)).toBeGreaterThan(0.25);
    expect(share(ANCHOR - 3 * H, ANCHOR - 2.5 * H)).toBeLessThan(0.01);
  });
  it('the postgres incident closes connections with CONNECT on both ztunnels', () => {
    const failed = (t: number) =>
      rows(plan, t).filter(
        (r) => r.name === 'istio_tcp_connections_failed_total' && r.l.destination_workload === 'postgres' && r.l.source_workload === 'inventory-api',
      );
    expect(failed(ANCHOR - 2 * H - 60)).toEqual([]);
    const after = failed(ANCHOR - H);
    expect(sets(after)).toEqual(['ztunnel:destination', 'ztunnel:source']);
    for (const r of after) expect(r.l.response_flags).toBe('CONNECT');
  });
  it('row 22: the NetworkPolicy drop is reported by the client ztunnel only, every connection a CONNECT failure', () => {
    const rs = now.filter((r) => r.l.source_workload === 'cart' && r.l.destination_workload === 'postgres');
    expect(sets(rs)).toEqual(['ztunnel:source']);
    const closed = rs.filter((r) => r.name === 'istio_tcp_connections_closed_total' && r.value > 0);
    expect(new Set(closed.map((r) => r.l.response_flags))).toEqual(new Set(['CONNECT']));
  });
  it('row 23: the server ztunnel denies (DENY), the client ztunnel sees plain closes', () => {
    const rs = now.filter(
      (r) => r.l.source_workload === 'pricing' && r.l.destination_workload === 'redis' && r.name === 'istio_tcp_connections_closed_total' && r.value > 0,
    );
    expect([...new Set(rs.map((r) => `${r.l.reporter}:${r.l.response_flags}`))].sort()).toEqual(['destination:DENY', 'source:-']);
  });
});

describe('catalog migration at T−3h', () => {
  it('before: catalog sidecar reports destination and web ztunnel reports source (no waypoint)', () => {
    const before = rows(plan, ANCHOR - 3 * H - 60).filter((r) => traffic(r) && r.l.source_workload === 'web' && r.l.destination_service_name === 'catalog');
    expect(sets(before)).toEqual(['sidecar:destination', 'ztunnel:source']);
  });
  it('after: through the waypoint', () => {
    const after = now.filter(
      (r) =>
        traffic(r) &&
        ((r.l.source_workload === 'web' && r.l.destination_service_name === 'catalog') ||
          (r.l.source_workload === 'shop-waypoint' && r.l.destination_workload === 'catalog')),
    );
    expect(sets(after)).toEqual(['waypoint:waypoint', 'ztunnel:destination', 'ztunnel:source']);
  });
});

describe('exposition', () => {
  it('renders text format 0.0.4 with TYPE lines and escaped labels', () => {
    const id = [...plan.proxies.keys()].find((k) => k.startsWith('shop/shop-waypoint'))!;
    const text = exposition(plan, id, ANCHOR)!;
    expect(text).toContain('# TYPE istio_requests_total counter');
    expect(text).toContain('# TYPE istio_request_duration_milliseconds histogram');
    expect(text).toMatch(/^istio_build\{component="proxy",tag="1\.27\.1"\} 1$/m);
    expect(text).toMatch(/^istio_request_duration_milliseconds_bucket\{.*le="\+Inf"\} \d+$/m);
  });
  it('old pods do not expose metrics after they ended', () => {
    const old = [...plan.proxies.values()].find((p) => p.pod.endOffset !== undefined)!;
    expect(exposition(plan, old.id, ANCHOR)).toBeUndefined();
    expect(exposition(plan, old.id, ANCHOR - 4 * H)).toBeDefined();
  });
});

describe('synthetic topology', () => {
  it('covers every path kind at small scale', () => {
    const t = generateSyntheticTopology({ namespaces: 10, workloadsPerNamespace: 4, seed: 7 });
    const p = buildEmitPlan(t, ANCHOR);
    const rs = rows(p, ANCHOR).filter(traffic);
    const kinds = new Set(rs.map((r) => `${r.role}:${r.l.reporter}`));
    for (const k of ['waypoint:waypoint', 'sidecar:source', 'sidecar:destination', 'ztunnel:source', 'ztunnel:destination', 'gateway:source'])
      expect(kinds).toContain(k);
  });
  it('200 namespaces × 10 workloads gives about 10k edges', () => {
    const t = generateSyntheticTopology({ namespaces: 200, workloadsPerNamespace: 10, seed: 42 });
    expect(t.edges.length).toBeGreaterThan(9000);
    expect(t.edges.length).toBeLessThan(11000);
    expect(new Set(t.edges.map((e) => e.server.kind))).toEqual(new Set(['service', 'external', 'ip']));
  });
});

// ---------------------------------------------------------------------------------------------------------
// Edges added for issue 12 (docs/demo-mesh.md rows 17–21) and the install variants

/** Increase of istio_requests_total over [a, b] summed over the rows selected by f. */
function reqIncrease(p: EmitPlan, a: number, b: number, f: (r: Row) => boolean): number {
  const sum = (t: number) =>
    rows(p, t)
      .filter((r) => r.name === 'istio_requests_total' && f(r))
      .reduce((x, r) => x + r.value, 0);
  return sum(b) - sum(a);
}

describe('half-migrated client checkout (2 sidecar pods, 3 ambient pods) → pricing behind shop-waypoint', () => {
  const rel = now.filter(
    (r) =>
      traffic(r) &&
      ((r.l.source_workload === 'checkout' && r.l.destination_service_name === 'pricing') ||
        (r.l.source_workload === 'shop-waypoint' && r.l.destination_workload === 'pricing')),
  );
  const checkoutPods = topology.workloads.find((w) => w.name === 'checkout')!.pods;
  it('pods: two with sidecar.istio.io/status, three with ambient.istio.io/redirection=enabled, one Deployment', () => {
    expect(checkoutPods.filter((p) => p.annotations['sidecar.istio.io/status']).length).toBe(2);
    expect(checkoutPods.filter((p) => p.annotations['ambient.istio.io/redirection'] === 'enabled').length).toBe(3);
    expect(checkoutPods.every((p) => p.endOffset === undefined && p.startOffset === undefined)).toBe(true);
  });
  it('yields both slices: client sidecar source L7 + server ztunnel destination (direct), client ztunnel + waypoint + server ztunnel (via waypoint)', () => {
    expect(sets(rel)).toEqual(['sidecar:source', 'waypoint:waypoint', 'ztunnel:destination', 'ztunnel:source']);
  });
  it('sidecar pods bypass the waypoint: L7 straight to pricing, server ztunnel sees checkout', () => {
    const direct = rel.filter((r) => r.role === 'sidecar');
    expect(new Set(direct.map((r) => r.proxy)).size).toBe(2);
    for (const r of direct)
      expect(r.l).toMatchObject({ reporter: 'source', destination_workload: 'pricing', connection_security_policy: 'unknown', request_protocol: 'http' });
    const zDst = rel.filter((r) => r.role === 'ztunnel' && r.l.reporter === 'destination' && r.l.source_workload === 'checkout');
    expect(zDst.length).toBeGreaterThan(0);
    for (const r of zDst)
      expect(r.l).toMatchObject({ source_principal: 'spiffe://cluster.local/ns/checkout/sa/checkout', connection_security_policy: 'mutual_tls' });
  });
  it('ambient pods go through the waypoint: client ztunnel → shop-waypoint (service pricing), waypoint L7, server ztunnel sees the waypoint', () => {
    const zSrc = rel.filter((r) => r.role === 'ztunnel' && r.l.reporter === 'source');
    expect(zSrc.length).toBeGreaterThan(0);
    for (const r of zSrc)
      expect(r.l).toMatchObject({ source_workload: 'checkout', destination_workload: 'shop-waypoint', destination_service: 'pricing.shop.svc.cluster.local' });
    for (const r of rel.filter((x) => x.role === 'waypoint'))
      expect(r.l).toMatchObject({ source_workload: 'checkout', destination_workload: 'pricing', connection_security_policy: 'mutual_tls' });
    const zDst = rel.filter((r) => r.role === 'ztunnel' && r.l.reporter === 'destination' && r.l.source_workload === 'shop-waypoint');
    expect(zDst.length).toBeGreaterThan(0);
    for (const r of zDst) expect(r.l.source_principal).toBe('spiffe://cluster.local/ns/shop/sa/shop-waypoint');
  });
  it('requests split 40 % direct (sidecar source) / 60 % via the waypoint', () => {
    const a = ANCHOR - H;
    const b = ANCHOR - 600;
    const direct = reqIncrease(plan, a, b, (r) => r.l.reporter === 'source' && r.l.source_workload === 'checkout');
    const viaWp = reqIncrease(plan, a, b, (r) => r.l.reporter === 'waypoint' && r.l.source_workload === 'checkout');
    expect(direct / (direct + viaWp)).toBeCloseTo(0.4, 3);
  });
});

describe('gRPC payments-api → fraud-check', () => {
  const rs = now.filter((r) => traffic(r) && r.l.destination_service_name === 'fraud-check');
  it('request_protocol grpc, HTTP 200 on every series, outcome in grpc_response_status (0, 14, 4)', () => {
    expect(rs.length).toBeGreaterThan(0);
    expect(sets(rs)).toEqual(['sidecar:destination', 'sidecar:source']);
    for (const r of rs) expect(r.l).toMatchObject({ request_protocol: 'grpc', response_code: '200', response_flags: '-' });
    expect(new Set(rs.map((r) => r.l.grpc_response_status))).toEqual(new Set(['0', '14', '4']));
    // the duration histogram carries the status too
    expect(new Set(rs.filter((r) => r.name.endsWith('_bucket')).map((r) => r.l.grpc_response_status))).toEqual(new Set(['0', '14', '4']));
  });
  it('8 % of calls fail (6 % UNAVAILABLE, 2 % DEADLINE_EXCEEDED) in the steady state', () => {
    const f = (code?: string) => (r: Row) =>
      r.l.reporter === 'destination' && r.l.destination_workload === 'fraud-check' && (code === undefined || r.l.grpc_response_status === code);
    const all = reqIncrease(plan, ANCHOR - H, ANCHOR - 600, f());
    expect(reqIncrease(plan, ANCHOR - H, ANCHOR - 600, f('14')) / all).toBeCloseTo(0.06, 3);
    expect(reqIncrease(plan, ANCHOR - H, ANCHOR - 600, f('4')) / all).toBeCloseTo(0.02, 3);
  });
  it('plain HTTP series carry grpc_response_status="" (Envoy emits the label, empty)', () => {
    const http = now.filter((r) => traffic(r) && r.l.request_protocol === 'http');
    expect(http.length).toBeGreaterThan(0);
    for (const r of http) expect(r.l.grpc_response_status).toBe('');
  });
});

describe('fraud-check → risk-model: every request between 50 and 100 ms', () => {
  it('buckets le ≤ 50 exist and stay 0, le ≥ 100 equal the count', () => {
    const b = now.filter((r) => r.name === 'istio_request_duration_milliseconds_bucket' && r.l.destination_workload === 'risk-model');
    expect(b.length).toBe(3 * (DURATION_BUCKETS.length + 1)); // 2 fraud-check client sidecars (source) + the risk-model sidecar (destination), one code
    const count = (r: Row) =>
      now.find((x) => x.proxy === r.proxy && x.name === 'istio_requests_total' && x.l.reporter === r.l.reporter && x.l.source_workload === r.l.source_workload)!
        .value;
    for (const r of b) {
      const le = r.l.le === '+Inf' ? Infinity : Number(r.l.le);
      if (le <= 50) expect(r.value).toBe(0);
      else if (le >= 100) expect(r.value).toBe(count(r));
      expect(DURATION_BUCKETS).toContain(le === Infinity ? 10000 : le); // Istio default bounds only
    }
  });
});

describe('named egress (sidecar clients)', () => {
  it('fraud-check → 198.51.100.20:443 through PassthroughCluster: TCP, destination_service unknown', () => {
    const rs = now.filter((r) => traffic(r) && r.l.destination_service_name === 'PassthroughCluster');
    expect(sets(rs)).toEqual(['sidecar:source']);
    expect(new Set(rs.map((r) => r.name))).toEqual(
      new Set(['istio_tcp_connections_opened_total', 'istio_tcp_connections_closed_total', 'istio_tcp_sent_bytes_total', 'istio_tcp_received_bytes_total']),
    );
    for (const r of rs)
      expect(r.l).toMatchObject({
        source_workload: 'fraud-check',
        destination_service: 'unknown',
        destination_service_namespace: 'unknown',
        destination_workload: 'unknown',
        destination_cluster: 'unknown',
        response_flags: '-',
      });
  });
  it('risk-model (REGISTRY_ONLY) → BlackHoleCluster: only closed connections, flag UH, no bytes', () => {
    const rs = now.filter((r) => traffic(r) && r.l.destination_service_name === 'BlackHoleCluster');
    expect(sets(rs)).toEqual(['sidecar:source']);
    expect(new Set(rs.map((r) => r.name))).toEqual(new Set(['istio_tcp_connections_closed_total']));
    for (const r of rs) expect(r.l).toMatchObject({ source_workload: 'risk-model', destination_service: 'unknown', response_flags: 'UH' });
    expect(rs.reduce((x, r) => x + r.value, 0)).toBeGreaterThan(0);
    expect(topology.sidecars?.find((s) => s.namespace === 'fraud')?.spec).toMatchObject({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
  });
});

describe('install variants (same mesh, installed differently)', () => {
  const vt = buildDemoTopology({ clusterName: 'prod-eu1', ztunnelNamespace: 'kube-system', revision: '1-28' });
  const vplan = buildEmitPlan(vt, ANCHOR);
  it('the default install names its cluster Kubernetes in CLUSTER_ID of istiod and ztunnel', () => {
    const env = (name: string) => topology.workloads.find((w) => w.name === name)!.appContainer!.env;
    expect(env('istiod')).toContainEqual({ name: 'CLUSTER_ID', value: 'Kubernetes' });
    expect(env('ztunnel')).toContainEqual({ name: 'CLUSTER_ID', value: 'Kubernetes' });
  });
  it('variant: istiod-1-28 (istio.io/rev=1-28), ztunnel and istio-cni in kube-system, CLUSTER_ID=prod-eu1', () => {
    const istiod = vt.workloads.find((w) => w.role === 'istiod')!;
    expect(istiod.name).toBe('istiod-1-28');
    expect(istiod.pods[0]!.labels['istio.io/rev']).toBe('1-28');
    expect(istiod.appContainer!.env).toContainEqual({ name: 'CLUSTER_ID', value: 'prod-eu1' });
    for (const w of vt.workloads.filter((x) => x.role === 'ztunnel' || x.role === 'cni')) expect(w.pods.every((p) => p.namespace === 'kube-system')).toBe(true);
    expect(vt.workloads.find((w) => w.role === 'ztunnel')!.appContainer!.env).toEqual([{ name: 'CLUSTER_ID', value: 'prod-eu1' }]);
    expect(vt.namespaces.map((n) => n.name)).toContain('kube-system');
  });
  it('variant: every series equals the default one with the cluster name replaced (same pods, IPs, numbers)', () => {
    const norm = (p: EmitPlan, cluster: string) =>
      rows(p, ANCHOR - 1234)
        .map(
          (r) =>
            `${r.proxy.split('/')[1]} ${r.name}{${Object.entries(r.l)
              .map(([k, v]) => `${k}=${v === cluster ? '<C>' : v}`)
              .join(',')}} ${r.value}`,
        )
        .sort();
    const a = norm(plan, 'Kubernetes');
    const b = norm(vplan, 'prod-eu1');
    expect(b).toEqual(a);
    const variantTraffic = rows(vplan, ANCHOR).filter(traffic);
    for (const r of variantTraffic) {
      for (const k of ['source_cluster', 'destination_cluster'] as const) expect(['prod-eu1', 'unknown']).toContain(r.l[k]);
    }
    expect(variantTraffic.filter((r) => r.role === 'ztunnel').every((r) => r.proxy.startsWith('kube-system/'))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import {
  httpAttributesOf,
  reshapeAuthorizationPolicy,
  reshapeGateway,
  reshapeGatewayClass,
  reshapeNamespace,
  reshapePeerAuthentication,
  reshapeHttpRoute,
  reshapeVirtualService,
  reshapeDestinationRule,
  reshapePod,
  reshapeService,
  workloadOf,
  type OwnerLookup,
} from './reshape';

function pod(owner?: { kind: string; name: string }, labels: Record<string, string> = {}, name = 'cart-7d9f8c6b5-x2x9q') {
  return {
    metadata: {
      name,
      namespace: 'shop',
      labels,
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, controller: true, uid: 'u' }] } : {}),
    },
  };
}

const owners = (rs: Record<string, { kind: string; name: string } | null>): OwnerLookup => ({
  replicaSet: (ns, name) => {
    if (ns !== 'shop' || !(name in rs)) return undefined;
    const o = rs[name];
    return { ownerReferences: o ? [{ kind: o.kind, name: o.name, controller: true }] : [] };
  },
});

describe('workloadOf', () => {
  it('resolves a ReplicaSet to its Deployment through the ReplicaSet cache', () => {
    expect(
      workloadOf(pod({ kind: 'ReplicaSet', name: 'cart-v2-7d9f8c6b5' }), owners({ 'cart-v2-7d9f8c6b5': { kind: 'Deployment', name: 'cart-v2' } })),
    ).toEqual({
      kind: 'Deployment',
      name: 'cart-v2',
    });
  });

  it('keeps a ReplicaSet without owner (created by hand)', () => {
    expect(workloadOf(pod({ kind: 'ReplicaSet', name: 'solo' }), owners({ solo: null }))).toEqual({ kind: 'ReplicaSet', name: 'solo' });
  });

  it('falls back to stripping the pod-template-hash suffix when the ReplicaSet is unknown', () => {
    expect(workloadOf(pod({ kind: 'ReplicaSet', name: 'cart-7d9f8c6b5' }, { 'pod-template-hash': '7d9f8c6b5' }))).toEqual({
      kind: 'Deployment',
      name: 'cart',
    });
    // hash label absent or not a suffix → the ReplicaSet name as is
    expect(workloadOf(pod({ kind: 'ReplicaSet', name: 'cart-7d9f8c6b5' }))).toEqual({ kind: 'ReplicaSet', name: 'cart-7d9f8c6b5' });
    expect(workloadOf(pod({ kind: 'ReplicaSet', name: 'cart-abc' }, { 'pod-template-hash': 'zzz' }))).toEqual({ kind: 'ReplicaSet', name: 'cart-abc' });
  });

  it('names StatefulSet, DaemonSet, Job, CronJob and bare pods like Istio', () => {
    expect(workloadOf(pod({ kind: 'StatefulSet', name: 'db' }))).toEqual({ kind: 'StatefulSet', name: 'db' });
    expect(workloadOf(pod({ kind: 'DaemonSet', name: 'ztunnel' }))).toEqual({ kind: 'DaemonSet', name: 'ztunnel' });
    expect(workloadOf(pod({ kind: 'Job', name: 'migrate' }))).toEqual({ kind: 'Job', name: 'migrate' });
    expect(workloadOf(pod({ kind: 'Job', name: 'report-28391040' }))).toEqual({ kind: 'CronJob', name: 'report' });
    expect(workloadOf(pod(undefined, {}, 'debug'))).toEqual({ kind: 'Pod', name: 'debug' });
  });

  it('ignores non-controller owners when a controller exists', () => {
    const p = {
      metadata: {
        name: 'p',
        namespace: 'shop',
        ownerReferences: [
          { kind: 'ConfigMap', name: 'cm' },
          { kind: 'StatefulSet', name: 'db', controller: true },
        ],
      },
    };
    expect(workloadOf(p)).toEqual({ kind: 'StatefulSet', name: 'db' });
  });
});

describe('reshapePod', () => {
  it('keeps what the classifier needs, from typed objects with Date timestamps', () => {
    const p = reshapePod({
      metadata: {
        name: 'reviews-1',
        namespace: 'bookinfo',
        labels: { app: 'reviews', bad: 42 },
        annotations: { 'sidecar.istio.io/status': '{"initContainers":["istio-init","istio-proxy"]}' },
        creationTimestamp: new Date('2026-11-21T20:00:00Z'),
        ownerReferences: [{ kind: 'StatefulSet', name: 'reviews', controller: true }],
      },
      spec: {
        nodeName: 'node-1',
        serviceAccountName: 'bookinfo-reviews',
        initContainers: [
          { name: 'istio-init', image: 'proxyv2:1.28.0', args: ['istio-iptables'] },
          {
            name: 'istio-proxy',
            image: 'proxyv2:1.28.0',
            args: ['proxy', 'sidecar'],
            restartPolicy: 'Always',
            resources: { requests: { cpu: '100m', memory: '128Mi' } },
          },
        ],
        containers: [{ name: 'reviews', image: 'reviews:v1' }, { image: 'nameless' }],
      },
      status: { phase: 'Running', podIP: '10.1.2.3' },
    });
    expect(p).toEqual({
      namespace: 'bookinfo',
      name: 'reviews-1',
      labels: { app: 'reviews' },
      annotations: { 'sidecar.istio.io/status': '{"initContainers":["istio-init","istio-proxy"]}' },
      ip: '10.1.2.3',
      nodeName: 'node-1',
      phase: 'Running',
      hostNetwork: false,
      serviceAccount: 'bookinfo-reviews',
      workload: { kind: 'StatefulSet', name: 'reviews' },
      containers: [{ name: 'reviews', image: 'reviews:v1', args: [] }],
      initContainers: [
        { name: 'istio-init', image: 'proxyv2:1.28.0', args: ['istio-iptables'] },
        { name: 'istio-proxy', image: 'proxyv2:1.28.0', args: ['proxy', 'sidecar'], restartPolicy: 'Always', cpuRequest: '100m', memoryRequest: '128Mi' },
      ],
      creationTimestamp: '2026-11-21T20:00:00.000Z',
    });
  });

  it('survives garbage', () => {
    const p = reshapePod({ metadata: 'x', spec: { containers: 'nope', hostNetwork: 'true' } });
    expect(p).toMatchObject({
      name: '',
      namespace: '',
      phase: 'Unknown',
      hostNetwork: false,
      serviceAccount: 'default',
      containers: [],
      workload: { kind: 'Pod', name: '' },
    });
  });
});

describe('reshapeService and reshapeNamespace', () => {
  it('reshapes a Service with named and numeric target ports', () => {
    expect(
      reshapeService({
        metadata: { name: 'cart', namespace: 'shop', labels: { 'istio.io/use-waypoint': 'shop-waypoint' } },
        spec: {
          selector: { app: 'cart' },
          clusterIP: '10.96.0.10',
          type: 'ClusterIP',
          ports: [
            { name: 'http-web', port: 80, targetPort: 8080, protocol: 'TCP' },
            { name: 'grpc', port: 9090, targetPort: 'grpc', appProtocol: 'grpc' },
            { name: 'broken' },
          ],
        },
      }),
    ).toEqual({
      namespace: 'shop',
      name: 'cart',
      labels: { 'istio.io/use-waypoint': 'shop-waypoint' },
      annotations: {},
      selector: { app: 'cart' },
      clusterIP: '10.96.0.10',
      type: 'ClusterIP',
      ports: [
        { name: 'http-web', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: 'grpc', port: 9090, targetPort: 'grpc', appProtocol: 'grpc' },
      ],
    });
  });

  it('reshapes a Namespace', () => {
    expect(reshapeNamespace({ metadata: { name: 'shop', labels: { 'istio.io/dataplane-mode': 'ambient' } } })).toEqual({
      name: 'shop',
      labels: { 'istio.io/dataplane-mode': 'ambient' },
      annotations: {},
    });
  });
});

describe('Gateway API', () => {
  it('reshapes a waypoint Gateway with addresses and conditions', () => {
    expect(
      reshapeGateway({
        metadata: { name: 'shop-waypoint', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'service' } },
        spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
        status: {
          addresses: [{ type: 'Hostname', value: 'shop-waypoint.shop.svc.cluster.local' }, { type: 'IPAddress' }],
          conditions: [{ type: 'Programmed', status: 'True', reason: 'Programmed', message: '' }, { type: 'Broken' }],
        },
      }),
    ).toEqual({
      namespace: 'shop',
      name: 'shop-waypoint',
      labels: { 'istio.io/waypoint-for': 'service' },
      annotations: {},
      className: 'istio-waypoint',
      listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
      addresses: ['shop-waypoint.shop.svc.cluster.local'],
      conditions: [{ type: 'Programmed', status: 'True', reason: 'Programmed' }],
    });
  });

  it('reads listeners[].allowedRoutes.namespaces, validated: Same by default, All, Selector with a LabelSelector', () => {
    const listener = (allowedRoutes: unknown) =>
      reshapeGateway({
        metadata: { name: 'wp', namespace: 'infra' },
        spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', allowedRoutes }] },
      }).listeners[0];
    expect(listener(undefined)).toEqual({ name: 'mesh', port: 15008, protocol: 'HBONE' });
    expect(listener({ namespaces: {} })!.allowedRoutes).toEqual({ from: 'Same' });
    expect(listener({ namespaces: { from: 'All' } })!.allowedRoutes).toEqual({ from: 'All' });
    expect(listener({ namespaces: { from: 'Everywhere' } })!.allowedRoutes).toEqual({ from: 'Same' });
    expect(
      listener({
        namespaces: {
          from: 'Selector',
          selector: {
            matchLabels: { team: 'shop' },
            matchExpressions: [
              { key: 'env', operator: 'In', values: ['prod', 7] },
              { key: 'tier', operator: 'Exists' },
            ],
          },
        },
      })!.allowedRoutes,
    ).toEqual({
      from: 'Selector',
      selector: {
        matchLabels: { team: 'shop' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod'] },
          { key: 'tier', operator: 'Exists', values: [] },
        ],
      },
    });
    // a selector Kubernetes would reject selects nothing: no selector kept
    expect(listener({ namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'env', operator: 'Like' }] } } })!.allowedRoutes).toEqual({
      from: 'Selector',
    });
    expect(listener({ namespaces: { from: 'Selector', selector: { matchLabels: { team: 3 } } } })!.allowedRoutes).toEqual({ from: 'Selector' });
    expect(listener({ namespaces: { from: 'Selector' } })!.allowedRoutes).toEqual({ from: 'Selector' });
  });

  it('reshapes a GatewayClass', () => {
    expect(reshapeGatewayClass({ metadata: { name: 'istio-waypoint' }, spec: { controllerName: 'istio.io/mesh-controller' } })).toEqual({
      name: 'istio-waypoint',
      labels: {},
      controllerName: 'istio.io/mesh-controller',
    });
  });
});

describe('AuthorizationPolicy', () => {
  it('lists L7-only attributes and keeps L4 policies empty', () => {
    const l7 = reshapeAuthorizationPolicy({
      metadata: { name: 'cart-get-only', namespace: 'shop' },
      spec: {
        targetRefs: [{ kind: 'Service', group: '', name: 'cart' }, { kind: 'Bad' }],
        action: 'ALLOW',
        rules: [
          {
            from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'], requestPrincipals: ['*'] } }],
            to: [{ operation: { methods: ['GET'], paths: ['/api/*'], ports: ['8080'] } }],
            when: [
              { key: 'request.headers[x-user]', values: ['a'] },
              { key: 'source.ip', values: ['10.0.0.0/8'] },
              { key: 'request.auth.claims[groups]', values: ['admin'] },
            ],
          },
          { to: [{ operation: { notHosts: ['evil.example'], notMethods: [] } }] },
        ],
      },
      status: { conditions: [{ type: 'WaypointAccepted', status: 'True', reason: 'Accepted' }] },
    });
    expect(l7).toEqual({
      namespace: 'shop',
      name: 'cart-get-only',
      labels: {},
      action: 'ALLOW',
      targetRefs: [{ group: '', kind: 'Service', name: 'cart' }],
      httpAttributes: [
        'from.source.requestPrincipals',
        'to.operation.methods',
        'to.operation.notHosts',
        'to.operation.paths',
        'when.request.auth.claims',
        'when.request.headers',
      ],
      l4Attributes: ['from.source.principals', 'to.operation.ports', 'when.source.ip'],
      ruleCount: 2,
      ruleSources: [[{ principals: ['cluster.local/ns/shop/sa/web'], notPrincipals: [], namespaces: [], notNamespaces: [], other: true }], []],
      conditions: [{ type: 'WaypointAccepted', status: 'True', reason: 'Accepted' }],
    });

    const l4 = reshapeAuthorizationPolicy({
      metadata: { name: 'deny-other-ns', namespace: 'shop' },
      spec: {
        action: 'DENY',
        selector: { matchLabels: { app: 'cart' } },
        rules: [
          { from: [{ source: { notNamespaces: ['shop'] } }], to: [{ operation: { ports: ['5432'] } }], when: [{ key: 'destination.port', values: ['5432'] }] },
        ],
      },
    });
    expect(l4).toMatchObject({ action: 'DENY', selector: { app: 'cart' }, httpAttributes: [], targetRefs: [] });
  });

  it('defaults the action, accepts the legacy targetRef and tolerates malformed specs', () => {
    expect(reshapeAuthorizationPolicy({ metadata: { name: 'a', namespace: 'n' }, spec: { targetRef: { kind: 'Gateway', name: 'wp' } } })).toMatchObject({
      action: 'ALLOW',
      targetRefs: [{ kind: 'Gateway', name: 'wp' }],
    });
    expect(reshapeAuthorizationPolicy({ metadata: { name: 'a', namespace: 'n' }, spec: { action: 'EXPLODE', rules: 'x', selector: 7 } })).toMatchObject({
      action: 'ALLOW',
      httpAttributes: [],
    });
    expect(reshapeAuthorizationPolicy({ metadata: { name: 'a', namespace: 'n' } }).httpAttributes).toEqual([]);
  });

  it('httpAttributesOf ignores empty lists', () => {
    expect(httpAttributesOf([{ to: [{ operation: { methods: [] } }] }])).toEqual([]);
  });
});

describe('PeerAuthentication', () => {
  it('reads mode, selector and port-level modes', () => {
    expect(
      reshapePeerAuthentication({
        metadata: { name: 'strict', namespace: 'shop' },
        spec: { selector: { matchLabels: { app: 'db' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { '5432': { mode: 'PERMISSIVE' }, '9': { mode: 'BOGUS' } } },
      }),
    ).toEqual({ namespace: 'shop', name: 'strict', selector: { app: 'db' }, mode: 'STRICT', portLevelMtls: { '5432': 'PERMISSIVE', '9': 'UNSET' } });
    expect(reshapePeerAuthentication({ metadata: { name: 'x', namespace: 'y' }, spec: {} })).toEqual({
      namespace: 'y',
      name: 'x',
      mode: 'UNSET',
      portLevelMtls: {},
    });
  });
});

describe('traffic-split kinds', () => {
  it('HTTPRoute: parentRefs and backendRefs with the Gateway API defaults (kind Gateway / Service, weight 1, own namespace)', () => {
    const r = reshapeHttpRoute({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'canary', namespace: 'shop' },
      spec: {
        parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 8080 }, { name: 'public', namespace: 'istio-system' }, { kind: 'Service' }],
        rules: [
          {
            backendRefs: [
              { name: 'reviews-v1', port: 8080, weight: 90 },
              { name: 'reviews-v2', weight: 10 },
              { name: 'x', namespace: 'other' },
              { name: 'b', group: 'example.com', kind: 'Bucket' },
            ],
          },
          { matches: [{ path: { value: '/' } }] },
        ],
      },
    });
    expect(r).toEqual({
      namespace: 'shop',
      name: 'canary',
      parentRefs: [
        { group: '', kind: 'Service', namespace: 'shop', name: 'reviews', port: 8080 },
        { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'istio-system', name: 'public' },
      ],
      rules: [
        {
          backendRefs: [
            { kind: 'Service', namespace: 'shop', name: 'reviews-v1', port: 8080, weight: 90 },
            { kind: 'Service', namespace: 'shop', name: 'reviews-v2', weight: 10 },
            { kind: 'Service', namespace: 'other', name: 'x', weight: 1 },
            { kind: 'Bucket.example.com', namespace: 'shop', name: 'b', weight: 1 },
          ],
        },
        { backendRefs: [] },
      ],
    });
  });

  it('VirtualService and DestinationRule: destinations, weights, subsets; junk is dropped', () => {
    expect(
      reshapeVirtualService({
        metadata: { name: 'reviews', namespace: 'shop' },
        spec: {
          hosts: ['reviews', 7],
          http: [
            {
              route: [
                { destination: { host: 'reviews', subset: 'v1' }, weight: 75 },
                { destination: { host: 'reviews', subset: 'v2' }, weight: -1 },
                { weight: 5 },
              ],
            },
          ],
        },
      }),
    ).toEqual({
      namespace: 'shop',
      name: 'reviews',
      hosts: ['reviews'],
      gateways: [],
      http: [
        {
          route: [
            { host: 'reviews', subset: 'v1', weight: 75 },
            { host: 'reviews', subset: 'v2' },
          ],
        },
      ],
    });
    expect(
      reshapeDestinationRule({
        metadata: { name: 'reviews', namespace: 'shop' },
        spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1', n: 1 } }, { labels: {} }] },
      }),
    ).toEqual({ namespace: 'shop', name: 'reviews', host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
  });
});

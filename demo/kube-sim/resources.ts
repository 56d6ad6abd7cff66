/**
 * Static resource table of the Kubernetes API simulator. The served kinds are exactly those listed here,
 * whatever objects are loaded. Each resource is stored once per (group, resource) and served under every
 * version listed for it (apiVersion is rewritten on the way out), like a CRD with several served versions.
 */

export type ResourceDef = {
  /** '' for the core group */
  group: string;
  /** served versions, preferred first */
  versions: string[];
  /** plural, lower case: the URL segment */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
};

const core = (resource: string, singular: string, kind: string, namespaced: boolean, shortNames?: string[]): ResourceDef => ({
  group: '',
  versions: ['v1'],
  resource,
  singular,
  kind,
  namespaced,
  ...(shortNames ? { shortNames } : {}),
  categories: namespaced && resource !== 'serviceaccounts' && resource !== 'endpoints' ? ['all'] : undefined,
});

export const RESOURCES: readonly ResourceDef[] = [
  core('namespaces', 'namespace', 'Namespace', false, ['ns']),
  core('nodes', 'node', 'Node', false, ['no']),
  core('pods', 'pod', 'Pod', true, ['po']),
  core('services', 'service', 'Service', true, ['svc']),
  core('endpoints', 'endpoints', 'Endpoints', true, ['ep']),
  core('serviceaccounts', 'serviceaccount', 'ServiceAccount', true, ['sa']),
  core('configmaps', 'configmap', 'ConfigMap', true, ['cm']),
  {
    group: 'apps',
    versions: ['v1'],
    resource: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
  },
  {
    group: 'apps',
    versions: ['v1'],
    resource: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
  },
  {
    group: 'apps',
    versions: ['v1'],
    resource: 'statefulsets',
    singular: 'statefulset',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
  },
  {
    group: 'apps',
    versions: ['v1'],
    resource: 'daemonsets',
    singular: 'daemonset',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
  },
  {
    group: 'networking.k8s.io',
    versions: ['v1'],
    resource: 'networkpolicies',
    singular: 'networkpolicy',
    kind: 'NetworkPolicy',
    namespaced: true,
    shortNames: ['netpol'],
  },
  { group: 'batch', versions: ['v1'], resource: 'jobs', singular: 'job', kind: 'Job', namespaced: true, categories: ['all'] },
  {
    group: 'gateway.networking.k8s.io',
    versions: ['v1', 'v1beta1'],
    resource: 'gateways',
    singular: 'gateway',
    kind: 'Gateway',
    namespaced: true,
    shortNames: ['gtw'],
    categories: ['gateway-api'],
  },
  {
    group: 'gateway.networking.k8s.io',
    versions: ['v1', 'v1beta1'],
    resource: 'gatewayclasses',
    singular: 'gatewayclass',
    kind: 'GatewayClass',
    namespaced: false,
    shortNames: ['gc'],
    categories: ['gateway-api'],
  },
  {
    group: 'gateway.networking.k8s.io',
    versions: ['v1', 'v1beta1'],
    resource: 'httproutes',
    singular: 'httproute',
    kind: 'HTTPRoute',
    namespaced: true,
    categories: ['gateway-api'],
  },
  {
    group: 'gateway.networking.k8s.io',
    versions: ['v1'],
    resource: 'grpcroutes',
    singular: 'grpcroute',
    kind: 'GRPCRoute',
    namespaced: true,
    categories: ['gateway-api'],
  },
  {
    group: 'security.istio.io',
    versions: ['v1', 'v1beta1'],
    resource: 'authorizationpolicies',
    singular: 'authorizationpolicy',
    kind: 'AuthorizationPolicy',
    namespaced: true,
    shortNames: ['ap'],
    categories: ['istio-io', 'security-istio-io'],
  },
  {
    group: 'security.istio.io',
    versions: ['v1', 'v1beta1'],
    resource: 'peerauthentications',
    singular: 'peerauthentication',
    kind: 'PeerAuthentication',
    namespaced: true,
    shortNames: ['pa'],
    categories: ['istio-io', 'security-istio-io'],
  },
  {
    group: 'security.istio.io',
    versions: ['v1', 'v1beta1'],
    resource: 'requestauthentications',
    singular: 'requestauthentication',
    kind: 'RequestAuthentication',
    namespaced: true,
    shortNames: ['ra'],
    categories: ['istio-io', 'security-istio-io'],
  },
  {
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    resource: 'serviceentries',
    singular: 'serviceentry',
    kind: 'ServiceEntry',
    namespaced: true,
    shortNames: ['se'],
    categories: ['istio-io', 'networking-istio-io'],
  },
  {
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    resource: 'destinationrules',
    singular: 'destinationrule',
    kind: 'DestinationRule',
    namespaced: true,
    shortNames: ['dr'],
    categories: ['istio-io', 'networking-istio-io'],
  },
  {
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    resource: 'sidecars',
    singular: 'sidecar',
    kind: 'Sidecar',
    namespaced: true,
    categories: ['istio-io', 'networking-istio-io'],
  },
  {
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    resource: 'virtualservices',
    singular: 'virtualservice',
    kind: 'VirtualService',
    namespaced: true,
    shortNames: ['vs'],
    categories: ['istio-io', 'networking-istio-io'],
  },
];

export const READ_VERBS = ['get', 'list', 'watch'] as const;

export function groupVersionString(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** Parses an object's apiVersion into group and version ("v1" → core). */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return { group: '', version: apiVersion };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function findByKind(group: string, kind: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.group === group && r.kind === kind);
}

export function findByResource(group: string, version: string, resource: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.group === group && r.resource === resource && r.versions.includes(version));
}

/** Groups in table order, each with its versions (preferred first). */
export function servedGroups(): { group: string; versions: string[] }[] {
  const out: { group: string; versions: string[] }[] = [];
  for (const r of RESOURCES) {
    let g = out.find((x) => x.group === r.group);
    if (!g) {
      g = { group: r.group, versions: [] };
      out.push(g);
    }
    for (const v of r.versions) if (!g.versions.includes(v)) g.versions.push(v);
  }
  return out;
}

export function groupResourceKey(r: Pick<ResourceDef, 'group' | 'resource'>): string {
  return `${r.resource}.${r.group}`;
}

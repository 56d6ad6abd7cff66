// A second, small cluster for multi-cluster runs (`demo/cli.ts serve --second-cluster`, the multi-cluster
// integration test and e2e spec). The demo telemetry only knows cluster "Kubernetes", so east's
// workloads are idle nodes: enough to show two clusters' namespaces, the Clusters menu and the filter.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

export const EAST_CLUSTER = 'east';

/** Cluster "east": an ambient inventory/inventory-api (same namespace and name as in the demo cluster)
 *  and a bare sidecar-less pod billing/ledger. No telemetry mentions east: both are idle workloads. */
export const EAST_OBJECTS = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'inventory', labels: { 'istio.io/dataplane-mode': 'ambient' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'billing' } },
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'inventory-api-5f7c9',
      namespace: 'inventory',
      labels: { app: 'inventory-api', 'pod-template-hash': '5f7c9' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'inventory-api', uid: 'e1', controller: true }],
    },
    spec: { replicas: 1, selector: { matchLabels: { app: 'inventory-api' } }, template: { metadata: { labels: { app: 'inventory-api' } }, spec: { containers: [{ name: 'a', image: 'x' }] } } },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'inventory-api-5f7c9-abcde',
      namespace: 'inventory',
      labels: { app: 'inventory-api', 'pod-template-hash': '5f7c9' },
      annotations: { 'ambient.istio.io/redirection': 'enabled' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'inventory-api-5f7c9', uid: 'e2', controller: true }],
    },
    spec: { containers: [{ name: 'inventory-api', image: 'registry.example.com/inventory-api:2.0.0' }], nodeName: 'east-1', serviceAccountName: 'inventory-api' },
    status: { phase: 'Running', podIP: '10.99.0.7', podIPs: [{ ip: '10.99.0.7' }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'ledger', namespace: 'billing', labels: { app: 'ledger' } },
    spec: { containers: [{ name: 'ledger', image: 'registry.example.com/ledger:1.0.0' }], nodeName: 'east-1', serviceAccountName: 'ledger' },
    status: { phase: 'Running', podIP: '10.99.0.8', podIPs: [{ ip: '10.99.0.8' }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'inventory-api', namespace: 'inventory' },
    spec: { selector: { app: 'inventory-api' }, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], clusterIP: '10.96.9.9' },
  },
];

type KubeconfigDoc = { clusters: object[]; users: object[]; contexts: object[] };

/** One kubeconfig holding every context of the given files (each simulator writes its own); current context = the first file's. */
export function mergeKubeconfigs(paths: string[], out: string): void {
  const docs = paths.map((p) => parse(readFileSync(p, 'utf8')) as KubeconfigDoc & { 'current-context'?: string });
  const merged = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: docs.flatMap((d) => d.clusters),
    users: docs.flatMap((d) => d.users),
    contexts: docs.flatMap((d) => d.contexts),
    'current-context': docs[0]?.['current-context'],
    preferences: {},
  };
  writeFileSync(out, stringify(merged), { mode: 0o600 });
}

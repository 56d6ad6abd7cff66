// kubectl command lines the findings and the migration plan suggest. Pure string helpers.

/** "deployment/orders-api" style kubectl target for a workload. */
export function kubectlTarget(kind: string, name: string): string {
  const k = kind.toLowerCase();
  if (k === 'deployment' || k === 'statefulset' || k === 'daemonset') return `${k}/${name}`;
  if (k === 'replicaset') return `deployment/${name}`;
  return `pod/${name}`;
}

/** The command that recreates a workload's pods (a bare pod is deleted: it must be recreated from its manifest). */
export function restartCommand(kind: string, name: string, namespace: string): string {
  const t = kubectlTarget(kind, name);
  return t.startsWith('pod/')
    ? `kubectl delete ${t} -n ${namespace}   # bare pod: recreate it from its manifest`
    : `kubectl rollout restart ${t} -n ${namespace}`;
}

import 'server-only';
import { getConfig } from '@/lib/config/env';
import { getKubeCaches } from '@/lib/kube/cache';

/**
 * Public probes (issue 14; docs/deploy.md "Probes"): a status word from cached, in-process state only —
 * no upstream call per hit, no URLs, versions, context names or upstream errors (those are in the
 * authenticated /api/healthz).
 *
 * Ready = the configuration is valid and every informer cache has answered once (with data, "CRD
 * missing", "forbidden" or an error). An unreachable Prometheus or API server does not make the pod
 * unready: the dashboard then shows what is missing, which is better than no dashboard.
 */
export function readiness(): { ready: boolean } {
  try {
    getConfig();
  } catch {
    return { ready: false };
  }
  const caches = getKubeCaches();
  let ready = caches.length > 0;
  for (const { cache } of caches) {
    if (!cache) continue; // a context that cannot be loaded is a permanent, reported state, not "starting"
    cache.start(); // idempotent: the informers run for the life of the process
    if (cache.statuses().some((s) => !s.synced && s.phase === 'starting')) ready = false;
  }
  return { ready };
}

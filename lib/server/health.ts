import 'server-only';
import { getConfig } from '@/lib/config/env';
import { probeKube } from '@/lib/kube/cache';
import { getPrometheusClient } from '@/lib/prometheus/client';
import type { HealthResponse } from '@/lib/api/types';

/** Health probes use short timeouts: a liveness probe must not hang on a slow upstream. */
const PROBE_TIMEOUT_MS = 2_000;

export async function getHealth(signal: AbortSignal): Promise<HealthResponse> {
  const config = getConfig();
  const timeoutMs = Math.min(PROBE_TIMEOUT_MS, config.prometheus.timeoutMs);
  const [prom, kube] = await Promise.all([
    getPrometheusClient()
      .probe({ signal, timeoutMs })
      .catch((e: unknown) => ({ ok: false, url: config.prometheus.url, error: e instanceof Error ? e.message : String(e) })),
    probeKube({ signal, timeoutMs: Math.min(PROBE_TIMEOUT_MS, config.kube.timeoutMs) }).catch((e: unknown) => ({
      ok: false,
      error: e instanceof Error ? e.message : String(e),
    })),
  ]);
  return {
    status: prom.ok && kube.ok ? 'ok' : 'degraded',
    prometheus: { ok: prom.ok, url: prom.url, version: 'version' in prom ? prom.version : undefined, error: prom.error },
    kubernetes: kube,
  };
}

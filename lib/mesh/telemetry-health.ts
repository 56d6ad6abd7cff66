// Can the data support the picture? (docs/classification.md §6) A graph built from half the telemetry looks
// like a healthy, quiet mesh; these warnings say which half is missing, from what the cluster runs versus
// which proxies reported in the window.
import type { MeshContext, SeriesGroup } from './model';
import type { TelemetryInput, Warning } from './types';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function telemetryHealth(contexts: readonly MeshContext[], groups: readonly SeriesGroup[], telemetry: Pick<TelemetryInput, 'available'>): Warning[] {
  const counted = groups.filter((g) => !g.bucketsOnly);
  // Nothing at all in the window is an idle mesh or a wrong PROMETHEUS_URL (the Prometheus warnings say which);
  // the checks below are about half the proxies reporting and the other half silent.
  if (!telemetry.available || counted.length === 0) return [];
  const warnings: Warning[] = [];
  const proxies = new Set(counted.flatMap((g) => g.attributions.map((a) => a.proxy)));
  const multi = contexts.length > 1;
  for (const c of contexts) {
    if (!c.inventory.snapshot.available) continue;
    const where = multi ? `${c.index.cluster}: ` : '';
    const running = c.inventory.pods.filter((p) => p.pod.phase === 'Running' && !p.classification.infrastructure);
    const ambient = running.filter((p) => p.classification.mode === 'ambient' && !p.classification.ambientPending).length;
    const sidecar = running.filter((p) => p.classification.mode === 'sidecar').length;
    if (ambient > 0 && c.inventory.controlPlane.pods.ztunnel > 0 && !proxies.has('ztunnel')) {
      warnings.push({
        source: 'prometheus',
        message: `${where}${plural(ambient, 'ambient pod')} running but no ztunnel series in the window: Prometheus does not seem to scrape ztunnel (port 15020, /metrics; a PodMonitor for Envoy's http-envoy-prom port misses it). Ambient traffic cannot be shown.`,
      });
    }
    if (sidecar > 0 && !proxies.has('envoy') && !proxies.has('waypoint')) {
      warnings.push({
        source: 'prometheus',
        message: `${where}${plural(sidecar, 'sidecar pod')} running but no Envoy series in the window: Prometheus does not seem to scrape the sidecars (port 15020, /stats/prometheus). Their requests cannot be shown.`,
      });
    }
    for (const wp of c.waypoints.waypoints.values()) {
      if (!wp.effective) continue;
      const legs = counted.filter((g) => g.rank !== 'waypoint' && (g.dst.waypoint?.ref === wp.ref || g.src.waypoint?.ref === wp.ref)).length;
      const own = counted.some((g) => g.rank === 'waypoint' && g.waypoint?.ref === wp.ref);
      if (legs > 0 && !own) {
        warnings.push({
          source: 'prometheus',
          message: `${where}waypoint ${wp.ref} carried traffic (ztunnel saw ${plural(legs, 'leg')} to or from it) but reported no requests (no reporter="waypoint" series): its metrics port 15020 is not scraped, or it runs Istio older than 1.22. Its edges show L4 numbers only.`,
        });
      }
    }
  }
  return warnings;
}

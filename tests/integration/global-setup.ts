// Integration global setup: ONE Kubernetes API simulator (demo cluster manifests) and ONE demo telemetry
// stack (simulated proxies + two real Prometheus servers, istio-sample and minimal scrape profiles, with
// backfilled history) for the whole run, on random free ports (never the demo's reserved ports, a demo
// may be running). Tests read the URLs with `inject(...)`.
import type { TestProject } from 'vitest/node';
import { startKubeSimulator, type KubeSimulator } from '@/demo/kube-sim/server';
import { freePort } from '@/tests/helpers/free-port';
import { startDemoTelemetry, type DemoTelemetry } from '@/demo/telemetry';
import { startTestPostgres, type TestPostgres } from '@/demo/postgres/server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Prometheus with the istio-sample scrape profile (app/pod/namespace target labels). */
    promIstioSampleUrl: string;
    /** Prometheus with the minimal scrape profile (job/instance only). */
    promMinimalUrl: string;
    proxiesUrl: string;
    kubeUrl: string;
    kubeconfigPath: string;
    /** Backfill anchor T, unix seconds: history is [T − 30 h, T] (every minute over the last 6 h, every 4 minutes before). */
    anchorUnix: number;
    anchor: string;
    /** A throwaway PostgreSQL (demo/postgres/server.ts) for the snapshot store suite. */
    postgresUrl: string;
  }
}

const RESERVED = new Set([16443, 19090, 19091, 19100, 3000, 3100]);

/** A free TCP port on 127.0.0.1 (asked from the OS, never one of the demo's). */

export default async function setup(project: TestProject) {
  let kube: KubeSimulator | undefined;
  let telemetry: DemoTelemetry | undefined;
  let postgres: TestPostgres | undefined;
  const teardown = async () => {
    await postgres?.stop().catch(() => undefined);
    await telemetry?.stop().catch(() => undefined);
    await kube?.stop().catch(() => undefined);
  };
  try {
    kube = await startKubeSimulator({ manifestsDir: 'demo/cluster', port: 0, stateDir: '.demo/it/kube' });
    const [p1, p2, proxiesPort] = [await freePort(RESERVED), await freePort(RESERVED), await freePort(RESERVED)];
    telemetry = await startDemoTelemetry({
      stateDir: '.demo/it',
      profiles: [
        { profile: 'istio-sample', port: p1 },
        { profile: 'minimal', port: p2 },
      ],
      proxiesPort,
      log: (m) => console.log(`integration setup: ${m}`),
    });
    postgres = await startTestPostgres(await freePort(RESERVED));
  } catch (e) {
    await teardown();
    throw e;
  }
  const urls = telemetry.prometheusUrls;
  if (!urls['istio-sample'] || !urls.minimal) {
    await teardown();
    throw new Error('integration setup: a Prometheus profile did not start');
  }
  project.provide('promIstioSampleUrl', urls['istio-sample']);
  project.provide('promMinimalUrl', urls.minimal);
  project.provide('proxiesUrl', telemetry.proxiesUrl);
  project.provide('kubeUrl', kube.url);
  project.provide('kubeconfigPath', kube.kubeconfigPath);
  project.provide('anchorUnix', telemetry.anchorUnix);
  project.provide('anchor', telemetry.anchor);
  project.provide('postgresUrl', postgres!.url);
  return teardown;
}

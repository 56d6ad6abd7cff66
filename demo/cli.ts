// `npm run demo` and the test harness start the demo through this file.
//   tsx demo/cli.ts demo   → Kubernetes API simulator + simulated proxies + real Prometheus + `next build` + `next start` on :3000
//   tsx demo/cli.ts infra  → only the upstreams (for `next dev`), prints the environment to use
//   tsx demo/cli.ts serve  → upstreams + `next start` of an existing build (used by Playwright's webServer)
// Access (issue 14): the app refuses to start without an access setting, so this file always sets one.
// --auth none (the default here: the demo binds 127.0.0.1 only) → MESHGLASS_AUTH=none;
// --auth token → DASHBOARD_TOKEN from the environment, or a fresh random one printed at start.
// Opt-in: --second-cluster also starts a second Kubernetes API simulator (cluster "east", demo/model/east-cluster.ts)
// and points the app at both through one kubeconfig and KUBE_CONTEXTS (used by playwright.multi-cluster.config.ts);
// the simulated proxies then also carry the cross-cluster traffic of demo/model/east-cluster.ts (EAST_EDGES), scraped
// live and in the backfilled history.
// Install variants (same mesh, installed differently; docs/demo-mesh.md "Install variants"):
//   --cluster-name <name>        values.global.multiCluster.clusterName: CLUSTER_ID of istiod/ztunnel, source_cluster/
//                                destination_cluster of every series
//   --ztunnel-namespace <ns>     ztunnel and istio-cni DaemonSets in <ns> (GKE: kube-system)
//   --revision <rev>             revisioned control plane istiod-<rev> (istio.io/rev=<rev>)
// With any of them the simulator serves manifests built in memory (not demo/cluster/*.yaml), and the app is started
// WITHOUT MESH_CLUSTER_NAME and ISTIO_NAMESPACE: it must learn both from the cluster.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EAST_CLUSTER, EAST_OBJECTS, mergeKubeconfigs, withEastCluster } from './model/east-cluster';
import { startKubeSimulator } from './kube-sim/server';
import { buildManifests } from './model/manifests';
import { buildDemoTopology, type DemoInstallOptions } from './model/topology';
import { startDemoTelemetry } from './telemetry';

const ROOT = path.resolve(__dirname, '..');

interface Options {
  mode: 'demo' | 'infra' | 'serve';
  port: number;
  stateDir: string;
  kubePort: number;
  prometheusPort: number;
  proxiesPort: number;
  minimalPrometheusPort?: number;
  /** Port of the second cluster's API simulator (--second-cluster); undefined = single cluster. 0 = random. */
  secondKubePort?: number;
  /** Install variant (--cluster-name, --ztunnel-namespace, --revision); empty = the default install. */
  install: DemoInstallOptions;
  auth: 'none' | 'token';
}

/** Environment variables the app must not inherit in an install variant (it has to learn them from the cluster). */
const VARIANT_UNSET_ENV = ['MESH_CLUSTER_NAME', 'ISTIO_NAMESPACE'] as const;

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function parseArgs(argv: string[]): Options {
  const mode = (argv[0] ?? 'demo') as Options['mode'];
  if (!['demo', 'infra', 'serve'].includes(mode)) {
    console.error(`unknown mode "${mode}": use demo, infra or serve`);
    process.exit(2);
  }
  const get = (flag: string, fallback: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
  };
  return {
    mode,
    port: Number(get('--port', process.env.PORT ?? '3000')),
    stateDir: path.resolve(ROOT, get('--state', '.demo')),
    kubePort: Number(get('--kube-port', '16443')),
    prometheusPort: Number(get('--prometheus-port', '19090')),
    proxiesPort: Number(get('--proxies-port', '19100')),
    minimalPrometheusPort: argv.includes('--minimal') ? Number(get('--minimal-port', '19091')) : undefined,
    secondKubePort: argv.includes('--second-cluster') ? Number(get('--second-kube-port', '0')) : undefined,
    install: parseInstall(argv),
    auth: parseAuthFlag(get('--auth', 'none')),
  };
}

function parseInstall(argv: string[]): DemoInstallOptions {
  const install: DemoInstallOptions = {};
  for (const [flag, key] of [
    ['--cluster-name', 'clusterName'],
    ['--ztunnel-namespace', 'ztunnelNamespace'],
    ['--revision', 'revision'],
  ] as const) {
    const i = argv.indexOf(flag);
    if (i < 0) continue;
    const v = argv[i + 1];
    // cluster names may carry upper case (the default is "Kubernetes"); namespaces and revisions are DNS labels
    if (!v || !(key === 'clusterName' ? /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(v) : NAME.test(v))) {
      console.error(`${flag} needs a value (a DNS label${key === 'clusterName' ? ' or Istio cluster name' : ''})`);
      process.exit(2);
    }
    install[key] = v;
  }
  return install;
}

function parseAuthFlag(v: string): Options['auth'] {
  if (v !== 'none' && v !== 'token') {
    console.error(`--auth must be none or token (got "${v}")`);
    process.exit(2);
  }
  return v;
}

/** The access variables for the app (explicit in both modes; an inherited MESHGLASS_AUTH never leaks through). */
function accessEnv(auth: Options['auth']): { env: Record<string, string | undefined>; token?: string } {
  if (auth === 'none') {
    return { env: { MESHGLASS_AUTH: 'none', DASHBOARD_TOKEN: undefined, DASHBOARD_TOKEN_FILE: undefined, MESHGLASS_TRUSTED_PROXY_HEADER: undefined } };
  }
  const token = process.env.DASHBOARD_TOKEN?.trim() || randomBytes(32).toString('hex');
  return { env: { MESHGLASS_AUTH: 'token', DASHBOARD_TOKEN: token, DASHBOARD_TOKEN_FILE: undefined, MESHGLASS_TRUSTED_PROXY_HEADER: undefined }, token };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  mkdirSync(opts.stateDir, { recursive: true });
  const stops: (() => Promise<void> | void)[] = [];
  const child: { app?: ChildProcess } = {};
  const shutdown = async (code: number) => {
    child.app?.kill('SIGTERM');
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch {
        // best effort
      }
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const variant = Object.keys(opts.install).length > 0;
  const topology = buildDemoTopology(opts.install);
  console.log(`meshglass demo: starting the Kubernetes API simulator…${variant ? ` (install variant ${JSON.stringify(opts.install)})` : ''}`);
  const kube = await startKubeSimulator({
    ...(variant ? { objects: buildManifests(topology) } : { manifestsDir: path.join(ROOT, 'demo/cluster') }),
    port: opts.kubePort,
    stateDir: path.join(opts.stateDir, 'kube'),
  });
  stops.push(() => kube.stop());

  const kubeEnv: Record<string, string> = { KUBECONFIG: kube.kubeconfigPath };
  if (opts.secondKubePort !== undefined) {
    console.log(`meshglass demo: starting the second cluster's Kubernetes API simulator (cluster "${EAST_CLUSTER}")…`);
    const east = await startKubeSimulator({
      objects: EAST_OBJECTS,
      port: opts.secondKubePort,
      stateDir: path.join(opts.stateDir, 'kube-east'),
      contextName: 'meshglass-east',
    });
    stops.push(() => east.stop());
    const merged = path.join(opts.stateDir, 'kubeconfig-multi');
    mergeKubeconfigs([kube.kubeconfigPath, east.kubeconfigPath], merged);
    kubeEnv.KUBECONFIG = merged;
    kubeEnv.KUBE_CONTEXTS = `meshglass-demo=${topology.cluster},meshglass-east=${EAST_CLUSTER}`;
    console.log(`meshglass demo: cluster ${EAST_CLUSTER} at ${east.url}; KUBE_CONTEXTS=${kubeEnv.KUBE_CONTEXTS}`);
  }

  console.log('meshglass demo: starting simulated proxies and Prometheus (first start backfills 30 h of history)…');
  const telemetry = await startDemoTelemetry({
    stateDir: opts.stateDir,
    proxiesPort: opts.proxiesPort,
    topology: opts.secondKubePort !== undefined ? withEastCluster(topology) : topology,
    profiles: [
      { profile: 'istio-sample', port: opts.prometheusPort },
      ...(opts.minimalPrometheusPort ? [{ profile: 'minimal' as const, port: opts.minimalPrometheusPort }] : []),
    ],
  });
  stops.push(() => telemetry.stop());

  const env: Record<string, string> = {
    PROMETHEUS_URL: telemetry.prometheusUrls['istio-sample']!,
    ...kubeEnv,
    PORT: String(opts.port),
  };
  writeFileSync(path.join(opts.stateDir, 'env.json'), JSON.stringify({ ...env, anchor: telemetry.anchor }, null, 2));
  console.log(`meshglass demo: Prometheus ${env.PROMETHEUS_URL}, Kubernetes API ${kube.url}`);
  console.log(`  kubectl --kubeconfig ${kube.kubeconfigPath} get pods -A`);

  if (opts.mode === 'infra') {
    console.log('\nUpstreams are running. Start the app with:');
    console.log(
      `  MESHGLASS_AUTH=none PROMETHEUS_URL=${env.PROMETHEUS_URL} KUBECONFIG=${env.KUBECONFIG}${env.KUBE_CONTEXTS ? ` KUBE_CONTEXTS=${env.KUBE_CONTEXTS}` : ''} npx next dev -H 127.0.0.1`,
    );
    if (variant) console.log(`  (install variant: leave ${VARIANT_UNSET_ENV.join(' and ')} unset — the app must learn them from the cluster)`);
    return;
  }

  const nextBin = path.join(ROOT, 'node_modules/.bin/next');
  if (opts.mode === 'demo' && process.env.DEMO_SKIP_BUILD !== '1') {
    console.log('meshglass demo: building the app (next build)…');
    const build = spawnSync(nextBin, ['build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    if (build.status !== 0) {
      console.error('next build failed');
      await shutdown(1);
    }
  } else if (!existsSync(path.join(ROOT, '.next/BUILD_ID'))) {
    console.error('No build found: run `npx next build` first.');
    await shutdown(1);
  }
  const access = accessEnv(opts.auth);
  const appEnv: Record<string, string | undefined> = { ...process.env, ...env, ...access.env, NEXT_TELEMETRY_DISABLED: '1' };
  if (variant) {
    for (const k of VARIANT_UNSET_ENV) delete appEnv[k];
    console.log(`meshglass demo: install variant: the app starts without ${VARIANT_UNSET_ENV.join(' and ')}`);
  }
  for (const [k, v] of Object.entries(appEnv)) if (v === undefined) delete appEnv[k];
  const app = (child.app = spawn(nextBin, ['start', '-p', String(opts.port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: appEnv as NodeJS.ProcessEnv,
  }));
  if (access.token && !process.env.DASHBOARD_TOKEN) console.log(`meshglass demo: access token (sign in at /login): ${access.token}`);
  else if (opts.auth === 'token') console.log('meshglass demo: access token from DASHBOARD_TOKEN (sign in at /login)');
  else console.log('meshglass demo: MESHGLASS_AUTH=none (loopback only; use --auth token to try the login)');
  app.on('exit', (code) => void shutdown(code ?? 0));
  console.log(`\nmeshglass demo: open http://127.0.0.1:${opts.port}/  (Ctrl-C stops everything)`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

/**
 * Standalone Kubernetes API simulator:
 *   npx tsx demo/kube-sim/cli.ts --manifests demo/cluster --state .demo/kube [--port 16443] [--host 127.0.0.1] [--watch]
 * Prints the kubeconfig path on stdout; runs until SIGINT/SIGTERM. With --watch, changes to the manifests
 * directory are reloaded (watch events are emitted for the differences).
 */
import { watch as fsWatch } from 'node:fs';
import { parseArgs } from 'node:util';
import { startKubeSimulator } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      manifests: { type: 'string' },
      state: { type: 'string', default: '.demo/kube' },
      port: { type: 'string', default: '16443' },
      host: { type: 'string', default: '127.0.0.1' },
      token: { type: 'string' },
      watch: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('usage: tsx demo/kube-sim/cli.ts --manifests <dir> --state <dir> [--port 16443] [--host 127.0.0.1] [--token T] [--watch]\n');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);
  const sim = await startKubeSimulator({
    ...(values.manifests ? { manifestsDir: values.manifests } : {}),
    stateDir: values.state ?? '.demo/kube',
    port,
    host: values.host ?? '127.0.0.1',
    ...(values.token ? { token: values.token } : {}),
  });
  for (const w of sim.warnings) process.stderr.write(`kube-sim: skipped: ${w}\n`);
  process.stderr.write(`kube-sim: serving ${sim.objects().length} objects at ${sim.url}\n`);
  process.stderr.write(`kube-sim: try: kubectl --kubeconfig ${sim.kubeconfigPath} get pods -A\n`);
  process.stdout.write(`${sim.kubeconfigPath}\n`);

  if (values.watch && values.manifests) {
    let timer: NodeJS.Timeout | undefined;
    fsWatch(values.manifests, { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        try {
          const r = sim.reload();
          process.stderr.write(`kube-sim: reloaded manifests (${r.events} changes)\n`);
          for (const w of r.warnings) process.stderr.write(`kube-sim: skipped: ${w}\n`);
        } catch (err) {
          process.stderr.write(`kube-sim: reload failed: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      }, 200);
    });
  }

  const shutdown = (): void => {
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`kube-sim: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

/** The standalone CLI prints a kubeconfig path that works. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kubeGet } from './test-helpers';
import type { KubeSimulator } from './server';

const ROOT = path.resolve(__dirname, '../..');
const stateDir = mkdtempSync(path.join(tmpdir(), 'kube-sim-cli-'));

afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe('cli', () => {
  it('serves the manifests and prints the kubeconfig path', async () => {
    const child = spawn(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['demo/kube-sim/cli.ts', '--manifests', 'demo/kube-sim/testdata', '--state', stateDir, '--port', '0'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface(child.stdout).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`cli exited with ${code}: ${stderr}`)));
      });
      expect(line).toBe(path.join(stateDir, 'kubeconfig'));
      const kc = parse(readFileSync(line, 'utf8'));
      const sim = { url: kc.clusters[0].cluster.server, token: kc.users[0].user.token, caPath: path.join(stateDir, 'ca.crt') } as KubeSimulator;
      const pods = (await kubeGet(sim, '/api/v1/pods')).json();
      expect(pods.items).toHaveLength(3);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);
});

// Shared helpers of the integration tests: point the process configuration at upstreams, reset the
// process singletons (config, Prometheus client, kube informer cache, mesh-data result cache), call the
// real route handlers in-process, and query Prometheus independently of the product.
import { execFile } from 'node:child_process';
import http from 'node:http';
import { inject } from 'vitest';
import net from 'node:net';
import { promisify } from 'node:util';
import { resetConfigCache } from '@/lib/config/env';
import { resetKubeCacheForTests } from '@/lib/kube/cache';
import type { GraphEdge, GraphNode, MeshGraph } from '@/lib/mesh/types';
import { resetMeshDataCacheForTests } from '@/lib/server/mesh-data';

const ENV_VARS = [
  'PROMETHEUS_URL',
  'PROMETHEUS_TIMEOUT_MS',
  'KUBECONFIG',
  'KUBE_TIMEOUT_MS',
  'KUBE_CONTEXT',
  'KUBE_CONTEXTS',
  'MESH_CLUSTER_NAME',
  'ISTIO_NAMESPACE',
  'PROMETHEUS_METRIC_PREFIX',
  'TRACING_URL',
  'TRACING_KIND',
  'TRACING_GRAFANA_DATASOURCE',
] as const;
type EnvVar = (typeof ENV_VARS)[number];
const saved: Partial<Record<EnvVar, string | undefined>> = {};
let savedOnce = false;

/** Forget every process singleton so the next request re-reads process.env and reconnects. */
function resetProcessState(): void {
  resetMeshDataCacheForTests();
  resetKubeCacheForTests();
  // The Prometheus client is keyed by its configuration: a new config → a new client.
  resetConfigCache();
}

/** Sets the environment (undefined = unset) and resets the singletons. */
export function useEnv(env: Partial<Record<EnvVar, string | undefined>>): void {
  if (!savedOnce) {
    for (const k of ENV_VARS) saved[k] = process.env[k];
    savedOnce = true;
  }
  for (const k of ENV_VARS) {
    const v = k in env ? env[k] : undefined;
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetProcessState();
}

export function restoreEnv(): void {
  if (savedOnce) {
    for (const k of ENV_VARS) {
      const v = saved[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  resetProcessState();
}

export const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

/**
 * The shared demo upstreams (global-setup: istio-sample Prometheus, Kubernetes API simulator) and the steady
 * window T−1h … T−10m as query parameters.
 */
export function useDemoMesh(): { T: number; q: string } {
  const T = inject('anchorUnix');
  useEnv({ PROMETHEUS_URL: inject('promIstioSampleUrl'), KUBECONFIG: inject('kubeconfigPath') });
  return { T, q: `start=${iso(T - 3600)}&end=${iso(T - 600)}` };
}

type Handler = (request: Request) => Promise<Response>;

export async function call(handler: Handler, path: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await handler(new Request(`http://x${path}`, init));
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

// ---------------------------------------------------------------------------------------------------------
// Graph lookups

export function findNode(g: MeshGraph, kind: GraphNode['kind'], name: string, namespace?: string): GraphNode | undefined {
  return g.nodes.find((n) => n.kind === kind && n.name === name && (namespace === undefined || n.namespace === namespace));
}

export function findEdge(g: MeshGraph, from: GraphNode | undefined, to: GraphNode | undefined): GraphEdge | undefined {
  if (!from || !to) return undefined;
  return g.edges.find((e) => e.source === from.id && e.target === to.id);
}

// ---------------------------------------------------------------------------------------------------------
// Independent PromQL

interface PromSampleRaw {
  metric: Record<string, string>;
  value: number;
}

/** Instant query over plain HTTP (not the product's client), evaluated at `time` (unix seconds). */
export async function promQuery(baseUrl: string, query: string, time: number): Promise<PromSampleRaw[]> {
  const body = new URLSearchParams({ query, time: String(time) });
  const res = await fetch(`${baseUrl}/api/v1/query`, { method: 'POST', body });
  const json = (await res.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (json.status !== 'success' || !json.data) throw new Error(`PromQL failed: ${json.error ?? res.status}: ${query}`);
  return json.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

export function relClose(actual: number | undefined, expected: number, rel = 1e-6): boolean {
  if (actual === undefined) return false;
  if (expected === 0) return Math.abs(actual) < 1e-12;
  return Math.abs(actual - expected) <= rel * Math.abs(expected);
}

// ---------------------------------------------------------------------------------------------------------
// Fake upstreams

/** A TCP server that accepts connections and never answers (a black hole). */
export async function blackHole(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  };
}

/** An HTTP server answering every request with `status` and Prometheus' error JSON. */
export async function errorServer(status: number, errorType: string, error: string): Promise<{ url: string; close(): Promise<void> }> {
  const srv = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = JSON.stringify({ status: 'error', errorType, error });
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        srv.closeAllConnections();
        srv.close(() => r());
      }),
  };
}

/** A port on 127.0.0.1 with nothing listening (bound then released). */
export async function closedPortUrl(): Promise<string> {
  const port = await new Promise<number>((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
  return `http://127.0.0.1:${port}`;
}

// ---------------------------------------------------------------------------------------------------------
// The coverage report CLI

/** Runs `npm run report -- <args>` (cli/report.ts) in a fresh process with `env` over this one's; never throws on an exit code. */
export async function runReportCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npx', ['tsx', '--conditions=react-server', 'cli/report.ts', ...args], {
      env: { ...process.env, ...env },
      timeout: 120_000,
      maxBuffer: 20 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

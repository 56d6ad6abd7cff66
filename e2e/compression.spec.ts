import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from '../playwright.config';

// /api/graph streams each graph's shared UTF-8 bytes (made once per graph, lib/server/graph-json.ts): the server
// compresses them once when the client accepts gzip, sends plain JSON otherwise, and a second answer of the same
// graph is whole (the shared bytes are not consumed by the first).
function get(
  baseURL: string,
  path: string,
  acceptEncoding: string,
  accept = 'application/json',
): Promise<{ status?: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(new URL(path, baseURL), { headers: { 'accept-encoding': acceptEncoding, accept, authorization: `Bearer ${E2E_TOKEN}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

test('graph answers are gzip once when asked for, plain JSON otherwise, and say they vary by encoding', async ({ baseURL }) => {
  const path = '/api/graph?range=15m&omit=latency';
  const gz = await get(baseURL!, path, 'gzip, deflate, br');
  expect(gz.status).toBe(200);
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(gz.headers.vary).toMatch(/Accept-Encoding/i);
  const viaGzip = JSON.parse(gunzipSync(gz.body).toString('utf8')) as { nodes: unknown[]; edges: unknown[] };
  expect(viaGzip.nodes.length).toBeGreaterThan(5);

  const plain = await get(baseURL!, path, 'identity');
  expect(plain.status).toBe(200);
  expect(plain.headers['content-encoding']).toBeUndefined();
  const viaPlain = JSON.parse(plain.body.toString('utf8')) as { nodes: unknown[] };
  expect(viaPlain.nodes.length).toBeGreaterThan(5);

  // An absolute window (no stale-while-revalidate) is also served compressed.
  const abs = await get(
    baseURL!,
    `/api/graph?start=${encodeURIComponent(new Date(Date.now() - 900_000).toISOString())}&end=${encodeURIComponent(new Date().toISOString())}`,
    'gzip',
  );
  expect(abs.headers['content-encoding']).toBe('gzip');
  expect(JSON.parse(gunzipSync(abs.body).toString('utf8'))).toHaveProperty('edges');
});

// The graph page asks `Accept: application/gzip`: the graph's JSON compressed once per graph and shared by its
// pollers (lib/server/graph-json.ts graphGzip), which Next must pass through as they are, not compress again.
test('Accept: application/gzip gets the shared compressed graph, passed through by Next as is; the page draws from it', async ({ baseURL, page }) => {
  const path = '/api/graph?range=15m&omit=detail,latency';
  const gz = await get(baseURL!, path, 'gzip, deflate, br', 'application/gzip, application/json;q=0.9');
  expect(gz.status).toBe(200);
  expect(gz.headers['content-type']).toBe('application/gzip');
  expect(gz.headers['content-encoding']).toBeUndefined();
  const graph = JSON.parse(gunzipSync(gz.body).toString('utf8')) as { nodes: unknown[]; omitted: string[] };
  expect(graph.nodes.length).toBeGreaterThan(5);
  expect(graph.omitted).toEqual(['detail', 'latency']);
  // The next answer of the same graph is the same bytes.
  const again = await get(baseURL!, path, 'gzip', 'application/gzip');
  expect(again.body.equals(gz.body)).toBe(true);

  const drawnFrom = page.waitForResponse((r) => r.url().includes('/api/graph?') && new URL(r.url()).searchParams.get('omit') === 'detail,latency');
  await page.goto('/graph?range=15m&refresh=off');
  const res = await drawnFrom;
  expect(res.headers()['content-type']).toBe('application/gzip');
  // Drawn from it (nodes: this spec may run before the fresh demo's first scrapes give the window edges).
  await page.waitForFunction(() => (window.__meshglassCy?.nodes().length ?? 0) > 5, null, { timeout: 60_000 });
});

import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from '../playwright.config';

// /api/graph streams each graph's shared UTF-8 bytes (made once per graph, lib/server/graph-json.ts): the server
// compresses them once when the client accepts gzip, sends plain JSON otherwise, and a second answer of the same
// graph is whole (the shared bytes are not consumed by the first).
function get(baseURL: string, path: string, acceptEncoding: string): Promise<{ status?: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(new URL(path, baseURL), { headers: { 'accept-encoding': acceptEncoding, authorization: `Bearer ${E2E_TOKEN}` } }, (res) => {
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

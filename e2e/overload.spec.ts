import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from '../playwright.config';

// Bounded loopback load test (issue 14; docs/deploy.md "Limits"): 200 authenticated clients, each with its
// own session, hammer /api/graph with unique windows while a normal user opens the graph page. Expected:
// 429 + Retry-After beyond the upstream cap, never a 5xx; the server's RSS stays bounded; the normal
// user's graph loads (the UI honours Retry-After). Loopback only, fixed request count: no timing assertions.

const CLIENTS = 200;
const REQUESTS_PER_CLIENT = 8;
/** Generous bound on RSS growth: 200 cached graphs of the demo mesh and 1,600 requests' garbage. */
const MAX_RSS_GROWTH_MB = 400;
const MAX_RSS_MB = 1536;

function serverPid(port: number): number {
  const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const m = /pid=(\d+)/.exec(out);
  if (!m) throw new Error(`no process listens on :${port} (ss: ${out.trim() || 'empty'})`);
  return Number(m[1]);
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}

test('200 clients hammering unique windows get 429s, never 5xx; RSS stays bounded; a normal graph still loads', async ({ page }, info) => {
  test.setTimeout(300_000);
  const base = String(info.project.use.baseURL);
  const pid = serverPid(Number(new URL(base).port));
  const rssBefore = rssMb(pid);

  const sessions = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const r = await fetch(`${base}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
        body: new URLSearchParams({ token: E2E_TOKEN!, next: '/' }).toString(),
      });
      expect(r.status).toBe(303);
      return /^(meshglass_session=[^;]+)/.exec(r.headers.get('set-cookie') ?? '')![1]!;
    }),
  );

  const statuses = new Map<number, number>();
  let retryAfterMissing = 0;
  const now = Math.floor(Date.now() / 1000);
  const hammer = Promise.all(
    sessions.map(async (cookie, c) => {
      for (let k = 0; k < REQUESTS_PER_CLIENT; k++) {
        // Unique per request: windows 60 s apart (beyond the 15 s alignment), lengths 10–40 min.
        const i = c * REQUESTS_PER_CLIENT + k;
        const end = now - 600 - i * 60;
        const start = end - 600 - (i % 31) * 60;
        const r = await fetch(`${base}/api/graph?start=${start}&end=${end}`, { headers: { Cookie: cookie } });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status === 429 && !/^\d+$/.test(r.headers.get('retry-after') ?? '')) retryAfterMissing++;
        await r.arrayBuffer();
      }
    }),
  );

  // Meanwhile an ordinary authenticated user (Bearer via the config's extraHTTPHeaders) opens the graph.
  await page.goto('/graph?range=15m');
  await expect(page.getByRole('button', { name: 'Refresh now' })).toBeEnabled({ timeout: 120_000 });
  await expect(page.getByTestId('url-error')).toHaveCount(0);
  await hammer;
  const rssAfter = rssMb(pid);

  const summary = Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
  const fiveXX = [...statuses].filter(([s]) => s >= 500).reduce((n, [, v]) => n + v, 0);
  console.log(
    `overload: ${CLIENTS} clients × ${REQUESTS_PER_CLIENT} unique windows → ${JSON.stringify(summary)}; next-server RSS ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MB`,
  );
  info.annotations.push({
    type: 'overload',
    description: JSON.stringify({ statuses: summary, rssBeforeMb: Math.round(rssBefore), rssAfterMb: Math.round(rssAfter) }),
  });

  expect(fiveXX, JSON.stringify(summary)).toBe(0);
  expect(statuses.get(429) ?? 0, 'the upstream cap refused some requests').toBeGreaterThan(0);
  expect(retryAfterMissing).toBe(0);
  expect(
    [...statuses.keys()].every((s) => s === 200 || s === 429),
    JSON.stringify(summary),
  ).toBe(true);
  expect(rssAfter - rssBefore).toBeLessThan(MAX_RSS_GROWTH_MB);
  expect(rssAfter).toBeLessThan(MAX_RSS_MB);
  // The server is still healthy afterwards.
  expect((await page.request.get('/api/graph?range=15m')).status()).toBe(200);
});

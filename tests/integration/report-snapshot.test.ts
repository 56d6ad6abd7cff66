// Integration: `npm run report -- --snapshot <id|file>` (cli/report.ts, docs/snapshots.md): a CI gate or a
// postmortem reads the numbers a snapshot pinned, with neither Prometheus nor the Kubernetes API, and gets
// the same report the live window gave when it was pinned.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GET as oneGET } from '@/app/api/snapshots/[id]/route';
import { POST as pinPOST } from '@/app/api/snapshots/route';
import { call, closedPortUrl, iso, restoreEnv, runReportCli, useEnv } from './helpers';

const dir = mkdtempSync(path.join(tmpdir(), 'meshglass-report-snap-'));
const store = path.join(dir, 'store');
let T: number;

beforeAll(() => {
  T = inject('anchorUnix');
  useEnv({ PROMETHEUS_URL: inject('promIstioSampleUrl'), KUBECONFIG: inject('kubeconfigPath') });
  process.env.SNAPSHOT_STORE = store;
});
afterAll(() => {
  delete process.env.SNAPSHOT_STORE;
  restoreEnv();
  rmSync(dir, { recursive: true, force: true });
});

const cli = runReportCli;

describe('npm run report -- --snapshot', () => {
  it('reads a pinned snapshot by id, as a .snap file or a saved API body: the live report of that window, upstreams down', async () => {
    const start = iso(T - 3600);
    const end = iso(T - 600);
    const pinned = await call(pinPOST, '/api/snapshots', { method: 'POST', body: JSON.stringify({ state: `start=${start}&end=${end}` }) });
    expect(pinned.status).toBe(201);
    const id = pinned.body.id as string;

    const live = await cli(['--start', start, '--end', end, '--format', 'json'], {
      PROMETHEUS_URL: inject('promIstioSampleUrl'),
      KUBECONFIG: inject('kubeconfigPath'),
      SNAPSHOT_STORE: store,
    });
    expect(live.code, live.stderr).toBe(0);
    const liveReport = JSON.parse(live.stdout) as { l7Gaps: unknown[]; findings: { kind: string }[] };
    expect(liveReport.l7Gaps.length).toBeGreaterThan(0);

    // Nothing upstream answers now.
    const down = { PROMETHEUS_URL: await closedPortUrl(), KUBECONFIG: path.join(dir, 'no-kubeconfig'), SNAPSHOT_STORE: store };
    const byId = await cli(['--snapshot', id, '--format', 'json'], down);
    expect(byId.code, byId.stderr).toBe(0);
    expect(JSON.parse(byId.stdout)).toEqual(liveReport);

    const snapFile = path.join(
      store,
      readdirSync(store).find((f) => f === `${id}.snap`)!,
    );
    const byFile = await cli(['--snapshot', snapFile, '--format', 'json'], down);
    expect(byFile.code, byFile.stderr).toBe(0);
    expect(JSON.parse(byFile.stdout)).toEqual(liveReport);

    const saved = path.join(dir, 'saved.json');
    writeFileSync(saved, JSON.stringify((await call((r) => oneGET(r, { params: Promise.resolve({ id }) }), `/api/snapshots/${id}`)).body));
    const bySaved = await cli(['--snapshot', saved, '--format', 'json'], down);
    expect(bySaved.code, bySaved.stderr).toBe(0);
    expect(JSON.parse(bySaved.stdout)).toEqual(liveReport);

    // The CI gate: the snapshot's L7 gaps fail it, as they would the live window.
    const gate = await cli(['--snapshot', id, '--fail-on', 'l7-gap'], down);
    expect(gate.code).toBe(1);
    expect(gate.stderr).toMatch(/l7-gap/);

    const unknown = await cli(['--snapshot', 'AAAAAAAAAAAAAAAAAAAAAA'], down);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no snapshot/);
  }, 400_000); // seven CLI runs, each a fresh tsx process
});

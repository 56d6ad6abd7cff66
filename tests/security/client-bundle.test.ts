// The client-bundle check (scripts/ci/check-client-bundle.ts): first on synthetic builds (so we know it can
// fail), then on the real `.next` when a build exists. The real-build check looks for the canary values
// (CANARY_ENV) and for whatever secret values are in this process' env; it is only meaningful when that
// build was made with the canaries in its env (npm test's build step; see the script's header).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CANARY_ENV, checkClientBundle, clientFiles, secretsFrom } from '@/scripts/ci/check-client-bundle';

const NEXT_DIR = path.resolve(process.env.MESHGLASS_NEXT_DIR ?? '.next');
const tmpDirs: string[] = [];

function fakeBuild(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshglass-bundle-'));
  tmpDirs.push(dir);
  fs.writeFileSync(path.join(dir, 'BUILD_ID'), 'test');
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

const canaries = secretsFrom({}, { canaries: true });

describe('check-client-bundle on synthetic builds', () => {
  it('passes a clean build', () => {
    const dir = fakeBuild({
      'static/chunks/app.js': 'console.log("hello")',
      'server/app/index.html': '<p>hi</p>',
      'server/app/page.js': 'require("@kubernetes/client-node")',
    });
    expect(checkClientBundle({ nextDir: dir, secrets: canaries })).toEqual({ files: 2, findings: [] });
  });

  it.each(Object.entries(CANARY_ENV).filter(([k]) => k !== 'PROMETHEUS_BASIC_AUTH_USER'))('finds %s in a chunk, raw or encoded', (name, value) => {
    for (const form of [value, JSON.stringify(value), encodeURIComponent(value), Buffer.from(value).toString('base64')]) {
      const dir = fakeBuild({ 'static/chunks/a.js': `var x=${JSON.stringify(form)};` });
      const { findings } = checkClientBundle({ nextDir: dir, secrets: canaries });
      expect(findings.map((f) => f.what)).toContain(name);
    }
  });

  it('finds the basic-auth header value and secrets in prerendered HTML/RSC', () => {
    const header = Buffer.from(`${CANARY_ENV.PROMETHEUS_BASIC_AUTH_USER}:${CANARY_ENV.PROMETHEUS_BASIC_AUTH_PASSWORD}`).toString('base64');
    const dir = fakeBuild({ 'static/chunks/a.js': `h={Authorization:"Basic ${header}"}`, 'server/app/graph.rsc': `0:{"t":"${CANARY_ENV.DASHBOARD_TOKEN}"}` });
    const { findings } = checkClientBundle({ nextDir: dir, secrets: canaries });
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: path.join('static', 'chunks', 'a.js') }),
        expect.objectContaining({ file: path.join('server', 'app', 'graph.rsc'), what: 'DASHBOARD_TOKEN' }),
      ]),
    );
  });

  it('finds server-only library markers in static chunks', () => {
    const dir = fakeBuild({
      'static/chunks/k.js': 'e.exports=require("@kubernetes/client-node")',
      'static/chunks/p.js': 'headers["User-Agent"]="meshglass-prometheus-transport"',
    });
    const { findings } = checkClientBundle({ nextDir: dir, secrets: [] });
    expect(findings.map((f) => f.what).sort()).toEqual(['@kubernetes/client-node', 'meshglass-prometheus-transport']);
  });

  it('takes secret values from the environment, ignoring short ones', () => {
    expect(secretsFrom({ DASHBOARD_TOKEN: 'abc', PROMETHEUS_BEARER_TOKEN: 'a-real-looking-token' }).map((s) => s.name)).toEqual(['PROMETHEUS_BEARER_TOKEN']);
  });
});

describe('check-client-bundle on the real build', () => {
  const hasBuild = fs.existsSync(path.join(NEXT_DIR, 'BUILD_ID'));
  if (!hasBuild) console.warn(`client-bundle: skipped, no build in ${NEXT_DIR} (run \`npx next build\` with the canary env first)`);

  it.skipIf(!hasBuild)('no secret value or server-only library reaches the browser', () => {
    const secrets = [...secretsFrom(process.env), ...canaries];
    const { files, findings } = checkClientBundle({ nextDir: NEXT_DIR, secrets });
    expect(files).toBeGreaterThan(0);
    expect(clientFiles(NEXT_DIR).some((f) => f.endsWith('.js'))).toBe(true);
    expect(findings).toEqual([]);
  });
});

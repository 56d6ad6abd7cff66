#!/usr/bin/env node
// `meshglass-report` (package.json "bin"): runs cli/report.ts with tsx under the react-server condition
// (server-only modules refuse to load without it) and this package's tsconfig (for the `@/` paths), from
// any working directory. Arguments and exit code pass through; see `meshglass-report --help`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = createRequire(import.meta.url).resolve('tsx');
const r = spawnSync(process.execPath, ['--conditions=react-server', '--import', tsx, path.join(root, 'cli/report.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json') },
});
process.exit(r.status ?? 1);

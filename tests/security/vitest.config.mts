// Standalone config for the security tests alone (`npm test` runs them in the root vitest.config.mts'
// integration project): npx vitest run --config tests/security/vitest.config.mts
// They need no global setup (each file starts what it needs: a Prometheus, or reads `.next`).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default defineConfig({
  root,
  resolve: {
    alias: { '@': root, 'server-only': path.join(root, 'tests/helpers/empty-module.ts') },
  },
  test: {
    name: 'security',
    environment: 'node',
    include: ['tests/security/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});

import { defineConfig } from 'vitest/config';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const __dirname = path.dirname(fileURLToPath(import.meta.url));

const alias = {
  '@': path.resolve(__dirname),
  // server-only throws outside the react-server condition; adapters are tested in plain Node.
  'server-only': path.resolve(__dirname, 'tests/helpers/empty-module.ts'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          environment: 'node',
          // Property tests run hundreds of cases; a loaded 2-core CI machine needs more than the 5 s default.
          testTimeout: 30_000,
          include: ['lib/**/*.test.ts', 'demo/**/*.test.ts', 'cli/**/*.test.ts', 'components/**/*.test.ts', 'deploy/**/*.test.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          environment: 'node',
          include: ['tests/integration/**/*.test.ts', 'tests/security/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

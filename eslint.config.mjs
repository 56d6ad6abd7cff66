import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  {
    ignores: [
      '.tmp-*',
      'pw-*.config.ts',
      'node_modules/**',
      '.next/**',
      '.demo/**',
      'test-results/**',
      'playwright-report/**',
      'bench/out/**',
      'next-env.d.ts',
    ],
  },
  ...nextVitals,
  ...nextTs,
  {
    // Tests walk untyped JSON from real servers (Kubernetes lists, Prometheus answers).
    files: ['**/*.test.ts', 'tests/**/*.ts', 'demo/kube-sim/test-helpers.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Dependency rule (README "Architecture"): lib/mesh is pure and imports only itself.
    files: ['lib/mesh/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@/lib/prometheus*', '@/lib/kube*', '@/lib/server*', '@/lib/config*', 'node:*', 'fs', 'http', 'https', 'react', 'next*'] },
      ],
    },
  },
  {
    // Browser-side code and what it shares with the server (lib/api: parameters, response types) never
    // reach the server-only layers.
    files: ['components/**/*.{ts,tsx}', 'lib/graph/**/*.ts', 'lib/query/**/*.ts', 'lib/api/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@/lib/server*', '@/lib/prometheus*', '@/lib/kube*', '@/lib/config*'] }],
    },
  },
  {
    // Route handlers are thin: they talk to lib/server only (which parses parameters, reads the mesh and
    // shapes the response; docs/architecture.md).
    files: ['app/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^@/(?!lib/server(/|$))', message: 'Route handlers import lib/server only (docs/architecture.md).' },
            { regex: '^\\.\\.?/', message: 'Route handlers import lib/server only (docs/architecture.md).' },
          ],
        },
      ],
    },
  },
];

export default config;

import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  { ignores: ['.tmp-*', 'pw-*.config.ts', 'node_modules/**', '.next/**', '.demo/**', 'test-results/**', 'playwright-report/**', 'bench/out/**', 'next-env.d.ts'] },
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
      'no-restricted-imports': ['error', { patterns: ['@/lib/prometheus*', '@/lib/kube*', '@/lib/server*', '@/lib/config*', 'node:*', 'fs', 'http', 'https', 'react', 'next*'] }],
    },
  },
  {
    files: ['components/**/*.{ts,tsx}', 'lib/graph/**/*.ts', 'lib/query/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@/lib/server*', '@/lib/prometheus*', '@/lib/kube*', '@/lib/config*'] }],
    },
  },
];

export default config;

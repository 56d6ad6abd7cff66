import { FlatCompat } from '@eslint/eslintrc';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const compat = new FlatCompat({ baseDirectory: path.dirname(fileURLToPath(import.meta.url)) });

const config = [
  { ignores: ['node_modules/**', '.next/**', '.demo/**', 'test-results/**', 'playwright-report/**', 'bench/out/**', 'next-env.d.ts'] },
  ...compat.extends('next/core-web-vitals', 'next/typescript'),
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

import type { NextConfig } from 'next';
import { securityHeaders } from './lib/security/headers';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // The container image (Dockerfile) builds the standalone server; `npm run demo` and the tests use `next start`.
  output: process.env.MESHGLASS_STANDALONE === '1' ? 'standalone' : undefined,
  poweredByHeader: false,
  // @kubernetes/client-node pulls optional native deps of `ws`; keep it out of the bundle.
  serverExternalPackages: ['@kubernetes/client-node'],
  basePath: process.env.BASE_PATH || undefined,
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders({ dev: process.env.NODE_ENV === 'development' }) }];
  },
};

export default nextConfig;

import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  output: 'standalone',
  poweredByHeader: false,
  // @kubernetes/client-node pulls optional native deps of `ws`; keep it out of the bundle.
  serverExternalPackages: ['@kubernetes/client-node'],
  basePath: process.env.BASE_PATH || undefined,
};

export default nextConfig;

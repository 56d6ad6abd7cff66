import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { AppShell } from '@/components/layout/app-shell';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: 'Meshglass',
  description: 'Service graph for Istio mixed-mode meshes: sidecar, ambient and waypoint paths, L7 coverage and mTLS per edge.',
};

// Every page is rendered per request (`connection()`), so each carries the per-request CSP nonce that
// proxy.ts sets: a prerendered page's HTML has no nonce and would not hydrate under the strict policy.
// The pages fetch their data client-side, so rendering them per request costs little.
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body className="antialiased">
        <Providers>
          <AppShell>{children}</AppShell>
        </Providers>
      </body>
    </html>
  );
}

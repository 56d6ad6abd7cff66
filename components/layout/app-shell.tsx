import Link from 'next/link';
import type { ReactNode } from 'react';

export function AppShell({ children }: { children: ReactNode }) {
  return (
    <div className="flex h-screen min-h-0 flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="flex items-center gap-6 border-b border-gray-300 bg-gray-900 px-4 py-2 text-white">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          Meshglass
        </Link>
        <nav aria-label="Main" className="flex gap-4 text-sm">
          <Link href="/" className="hover:underline">
            Overview
          </Link>
          <Link href="/graph" className="hover:underline">
            Service graph
          </Link>
        </nav>
      </header>
      <main id="main" className="flex min-h-0 flex-1 flex-col">
        {children}
      </main>
    </div>
  );
}

'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';

/** A command / manifest in a code block with a Copy button (text only, never HTML). */
export function CopyBlock({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 2000);
  }
  return (
    <div className="relative">
      <pre className="overflow-x-auto rounded border border-gray-300 bg-gray-50 p-2 pr-20 font-mono text-xs leading-relaxed whitespace-pre">
        <code>{text}</code>
      </pre>
      <Button className="absolute right-1 top-1 text-xs" onClick={copy} aria-label={`Copy ${label}`}>
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
      </Button>
      <span className="sr-only" aria-live="polite">
        {state === 'copied' ? `${label} copied to the clipboard` : state === 'failed' ? 'Copy failed: select the text instead' : ''}
      </span>
    </div>
  );
}

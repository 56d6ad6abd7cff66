import type { ReactNode } from 'react';

type Tone = 'info' | 'warning' | 'error';

const TONES: Record<Tone, { box: string; word: string }> = {
  info: { box: 'border-blue-300 bg-blue-50 text-blue-950', word: 'Note' },
  warning: { box: 'border-amber-400 bg-amber-50 text-amber-950', word: 'Warning' },
  error: { box: 'border-red-400 bg-red-50 text-red-950', word: 'Error' },
};

/** A message strip. The tone is spelled out in words, never only in colour. */
export function Banner({ tone = 'info', children, action, testId }: { tone?: Tone; children: ReactNode; action?: ReactNode; testId?: string }) {
  const t = TONES[tone];
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} data-testid={testId} className={`flex items-start gap-3 border-l-4 px-3 py-2 text-sm ${t.box}`}>
      <strong className="shrink-0">{t.word}:</strong>
      <div className="min-w-0 flex-1 break-words">{children}</div>
      {action}
    </div>
  );
}

'use client';

import { useEffect, useRef, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';

/** Shows the incident link; copying may fail (no clipboard permission, http), so the link is always visible. */
export function ShareDialog({
  url,
  copied,
  onClose,
  children,
}: {
  url: string | undefined;
  copied: boolean | undefined;
  onClose: () => void;
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (url && !d.open) {
      d.showModal();
      inputRef.current?.select();
    } else if (!url && d.open) d.close();
  }, [url]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby="share-title"
      data-testid="share-dialog"
      className="m-auto w-[min(42rem,95vw)] rounded border border-gray-300 p-4 shadow-xl"
    >
      <h2 id="share-title" className="text-base font-semibold">
        Incident link
      </h2>
      <p className="mt-1 text-sm text-gray-700">
        This link pins the absolute time window, namespaces, selection, filters and layout: anyone opening it later sees the same graph and numbers.
      </p>
      <label className="mt-3 block text-sm">
        <span className="sr-only">Link</span>
        <input
          ref={inputRef}
          readOnly
          value={url ?? ''}
          data-testid="share-url"
          className="w-full rounded border border-gray-300 px-2 py-1 font-mono text-xs"
          onFocus={(e) => e.currentTarget.select()}
        />
      </label>
      <p className="mt-2 text-sm" role="status">
        {copied === true ? 'Copied to the clipboard.' : copied === false ? 'Could not copy automatically: select the link and copy it.' : ''}
      </p>
      {children}
      <div className="mt-3 flex justify-end">
        <Button onClick={onClose}>Close</Button>
      </div>
    </dialog>
  );
}

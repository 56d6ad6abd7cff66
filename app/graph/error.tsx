'use client';

export default function GraphError({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="m-4 rounded border border-red-400 bg-red-50 p-4 text-sm text-red-950">
      <p className="font-semibold">The service graph failed to render.</p>
      <p className="mt-1">{error.message}</p>
      <button type="button" className="mt-3 rounded border border-red-500 bg-white px-3 py-1" onClick={reset}>
        Try again
      </button>
    </div>
  );
}

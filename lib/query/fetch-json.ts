/** Error from one of our API routes; `message` is the route's `{error}` text when it gave one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The app's base path (next.config.ts `basePath`, from BASE_PATH at build time). Next inlines
 * `__NEXT_ROUTER_BASEPATH` into client bundles; <Link> adds it by itself, fetch() does not.
 */
const BASE_PATH = process.env.__NEXT_ROUTER_BASEPATH ?? '';

export function apiUrl(url: string): string {
  return url.startsWith('/') ? `${BASE_PATH}${url}` : url;
}

export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(apiUrl(url), { signal, headers: { accept: 'application/json' }, cache: 'no-store' });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: unknown };
      if (typeof body.error === 'string') message = body.error;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(message, res.status);
  }
  return (await res.json()) as T;
}

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

/** 429 (server overloaded, docs/deploy.md "Limits"): wait as told by Retry-After, at most this often and this long. */
const MAX_429_RETRIES = 3;
const MAX_RETRY_AFTER_SECONDS = 10;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });
}

/** A successful answer (429 retried as told), or the route's error as ApiError. */
async function fetchOk(url: string, signal: AbortSignal | undefined, accept: string): Promise<Response> {
  let res = await fetch(apiUrl(url), { signal, headers: { accept }, cache: 'no-store' });
  for (let attempt = 0; res.status === 429 && attempt < MAX_429_RETRIES; attempt++) {
    const after = Number(res.headers.get('retry-after'));
    await sleep(1000 * Math.min(MAX_RETRY_AFTER_SECONDS, Number.isFinite(after) && after > 0 ? after : 1), signal);
    res = await fetch(apiUrl(url), { signal, headers: { accept }, cache: 'no-store' });
  }
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
  return res;
}

export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return (await (await fetchOk(url, signal, 'application/json')).json()) as T;
}

/**
 * A graph answer (`/api/graph`): asked as `application/gzip` when the browser can decompress it — the server
 * compresses each graph once for all its pollers and sends `stale` in `X-Meshglass-Stale` (docs/api.md §4.2) —
 * else as JSON. Either way the same object.
 */
export async function fetchGraphJson<T extends object>(url: string, signal?: AbortSignal): Promise<T> {
  const canDecompress = typeof DecompressionStream === 'function';
  const res = await fetchOk(url, signal, canDecompress ? 'application/gzip, application/json;q=0.9' : 'application/json');
  if (!canDecompress || !res.body || !res.headers.get('content-type')?.startsWith('application/gzip')) return (await res.json()) as T;
  const text = await new Response(res.body.pipeThrough(new DecompressionStream('gzip'))).text();
  const value = JSON.parse(text) as T & { stale?: unknown };
  const stale = res.headers.get('x-meshglass-stale');
  if (stale) value.stale = JSON.parse(stale) as unknown;
  return value;
}

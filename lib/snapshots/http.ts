import 'server-only';
import { errorResponse, json } from '@/lib/server/http';
import { SnapshotCorruptError, SnapshotTooLargeError } from './codec';
import { CaptureUpstreamError } from './capture';
import { SnapshotStoreFullError, SnapshotStoreUnavailableError } from './store';

/** The snapshot API's error contract (README "HTTP API"): 413 too large, 507 store full, 503 store or upstreams down. */
export function snapshotErrorResponse(e: unknown, signal?: AbortSignal): Response {
  if (e instanceof SnapshotTooLargeError) return json({ error: e.message, size: e.size, limit: e.limit }, 413);
  if (e instanceof SnapshotStoreFullError) return json({ error: e.message }, 507);
  if (e instanceof SnapshotStoreUnavailableError) return json({ error: e.message }, 503);
  if (e instanceof CaptureUpstreamError) return json({ error: e.message }, e.status);
  if (e instanceof SnapshotCorruptError) {
    console.error('meshglass:', e.message);
    return json({ error: e.message }, 500);
  }
  return errorResponse(e, signal);
}

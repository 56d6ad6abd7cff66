import 'server-only';
import { getConfig } from '@/lib/config/env';
import { CLIENT_HEADER } from '@/lib/security/access';
import { errorResponse } from './http';
import { ClientLimiter, OverloadedError, UpstreamGate } from './limits';

/**
 * Requests of one client served at once. Above a browser's own limit (6 connections per origin over
 * HTTP/1.1), so it never slows a dashboard page; it stops a script from opening hundreds in parallel.
 */
export const MAX_IN_FLIGHT_PER_CLIENT = 8;
/** Clients tracked for the in-flight cap (least recently seen forgotten first). */
const MAX_TRACKED_CLIENTS = 10_000;

type Store = { gate?: UpstreamGate; inFlight?: ClientLimiter };
const g = globalThis as unknown as { __meshglassLimits?: Store };
const store = (g.__meshglassLimits ??= {});

/** The process-wide cap on concurrent upstream runs (MESHGLASS_MAX_CONCURRENT_UPSTREAM). */
export function upstreamGate(): UpstreamGate {
  const max = getConfig().limits.maxConcurrentUpstream;
  if (!store.gate || store.gate.max !== max) store.gate = new UpstreamGate(max);
  return store.gate;
}

function inFlightLimiter(): ClientLimiter {
  return (store.inFlight ??= new ClientLimiter({ ratePerSecond: 1, burst: 1, maxInFlight: MAX_IN_FLIGHT_PER_CLIENT, maxClients: MAX_TRACKED_CLIENTS }));
}

/**
 * Runs an API handler under the per-client in-flight cap. The client key is set by proxy.ts (never by
 * the client: the proxy replaces any incoming header of that name); a request that did not pass the
 * proxy (a handler called in-process by a test) has none and is only subject to the global gate.
 */
export async function limited(request: Request, fn: () => Promise<Response>): Promise<Response> {
  const client = request.headers.get(CLIENT_HEADER);
  if (client === null) return fn();
  const admission = inFlightLimiter().enter(client);
  if (!admission.ok) {
    return errorResponse(
      new OverloadedError(`more than ${MAX_IN_FLIGHT_PER_CLIENT} requests of this client in flight: retry shortly`, admission.retryAfterSeconds),
    );
  }
  try {
    return await fn();
  } finally {
    admission.release();
  }
}

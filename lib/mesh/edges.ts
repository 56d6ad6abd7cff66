// Per-edge decisions: path (docs/classification.md §1 table), mTLS (§3.4), reporter preference (§3.2).
import type { EdgePath, Mtls, ProxyKind, Reporter } from './types';

/** Path of an edge from whether a waypoint carried it and which proxy kinds reported it. */
export function decidePath(viaWaypoint: boolean, kinds: Iterable<ProxyKind>): EdgePath | undefined {
  if (viaWaypoint) return 'waypoint';
  const set = new Set(kinds);
  if (set.has('waypoint')) return 'waypoint';
  const envoy = set.has('envoy');
  const ztunnel = set.has('ztunnel');
  if (envoy && ztunnel) return 'mixed';
  if (envoy) return 'sidecar';
  if (ztunnel) return 'ambient';
  return undefined;
}

/**
 * What one observer's connection_security_policy means (docs/classification.md §3.4).
 * Returns undefined when the observation says nothing (an Envoy client's `unknown`).
 */
export function mtlsObservation(reporter: Reporter, proxy: ProxyKind, csp: string | undefined): Mtls | undefined {
  if (reporter === 'waypoint' || proxy === 'waypoint') return 'mutual';
  if (csp === 'mutual_tls') return 'mutual';
  if (csp === 'none') return 'plaintext';
  if (proxy === 'ztunnel') return 'plaintext'; // ztunnel only says mutual_tls for HBONE; `unknown` = plain TCP
  return undefined; // Envoy client-side `unknown` (never filled), or an unattributed `unknown`
}

export interface MtlsInput {
  reporter: Reporter;
  proxy: ProxyKind;
  csp: string | undefined;
}

function combine(values: (Mtls | undefined)[]): Mtls | undefined {
  const set = new Set(values.filter((v): v is Mtls => v !== undefined));
  if (set.has('plaintext')) return 'plaintext'; // some of the traffic is not mTLS
  if (set.has('mutual')) return 'mutual';
  return undefined;
}

/** Edge mTLS: waypoint edges are mutual; else the server side wins; else the client side; else unknown. */
export function decideMtls(viaWaypoint: boolean, obs: MtlsInput[]): Mtls {
  if (viaWaypoint) return 'mutual';
  const server = combine(obs.filter((o) => o.reporter !== 'source').map((o) => mtlsObservation(o.reporter, o.proxy, o.csp)));
  if (server) return server;
  const client = combine(obs.filter((o) => o.reporter === 'source').map((o) => mtlsObservation(o.reporter, o.proxy, o.csp)));
  return client ?? 'unknown';
}

/** The reporter preference of §3.2: waypoint, then destination (server side), then source. */
export const REPORTER_PREFERENCE: readonly Reporter[] = ['waypoint', 'destination', 'source'];

export function pickReporter(available: Iterable<Reporter>, skip: ReadonlySet<Reporter> = new Set()): Reporter | undefined {
  const set = new Set(available);
  return REPORTER_PREFERENCE.find((r) => set.has(r) && !skip.has(r)) ?? REPORTER_PREFERENCE.find((r) => set.has(r));
}

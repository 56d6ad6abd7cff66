// Traffic model: per edge, rates as deterministic functions of time, with closed-form integrals so
// that cumulative counters can be computed at any instant without stepping (live scrapes and the
// backfill evaluate the same functions and therefore agree exactly).
//
//   rate(t) = base · m(t) · f(state(t))
//   m(t)    = 1 + A·sin(ωday·t + φ) + Σk bk·sin(ωk·t + φk)      (gentle diurnal wave + small noise;
//             phases/periods/amplitudes come from a seeded hash of the edge id; m(t) ≥ 0.55)
//   state   = piecewise constant: steady, or inside an incident window (error share, latency factor,
//             connection-failure share)
//
// Times are absolute unix seconds. Offsets in EdgeSpec are relative to the anchor T.
import { unit } from './hash';
import type { EdgeSpec, Topology } from './topology';

const DAY = 86_400;

export interface Wave {
  a: number;
  w: number;
  phi: number;
  noise: { b: number; w: number; phi: number }[];
}

export interface EdgeState {
  from: number;
  to: number;
  /** Share of requests by outcome (sums to 1): HTTP response code (http), grpc-status (grpc). */
  codeShares: Record<string, number>;
  latencyMedianMs: number;
  latencySigma: number;
  /** Uniform latency over (minMs, maxMs] instead of the log-normal, when set. */
  latencyUniform?: { minMs: number; maxMs: number };
  /** Share of connection attempts that fail (ztunnel CONNECT). */
  connectFailShare: number;
}

export interface EdgeTraffic {
  spec: EdgeSpec;
  wave: Wave;
  states: EdgeState[];
  /** Every outcome this edge ever produces: HTTP response codes (http), grpc-status values (grpc). */
  codes: string[];
  /** Connection attempts per second at m=1 (http/grpc: rate/requestsPerConnection; tcp: rate). */
  connRate: number;
  /** Bytes per second each way at m=1 (request = client→server, response = server→client). */
  requestBytesRate: number;
  responseBytesRate: number;
}

export interface TrafficModel {
  anchor: number;
  /** Counters integrate from here (fixed for a given anchor). */
  origin: number;
  edges: EdgeTraffic[];
  byId: Map<string, EdgeTraffic>;
}

/** Counters start this long before the anchor (the backfill covers 30 h, demo/telemetry.ts; proxies were up before). */
export const ORIGIN_BEFORE_ANCHOR = 31 * 3600;

export function makeWave(key: string): Wave {
  const noise = [0, 1, 2].map((k) => ({
    b: 0.02 + 0.025 * unit(`${key}:b${k}`),
    w: (2 * Math.PI) / (240 + 900 * unit(`${key}:p${k}`)),
    phi: 2 * Math.PI * unit(`${key}:f${k}`),
  }));
  return {
    a: 0.15 + 0.1 * unit(`${key}:a`),
    w: (2 * Math.PI) / DAY,
    // peak in the (UTC) afternoon, shifted a little per edge
    phi: -Math.PI / 2 - (2 * Math.PI * (15 * 3600)) / DAY + 0.4 * (unit(`${key}:phi`) - 0.5),
    noise,
  };
}

/** m(t) */
export function waveAt(w: Wave, t: number): number {
  let v = 1 + w.a * Math.sin(w.w * t + w.phi);
  for (const n of w.noise) v += n.b * Math.sin(n.w * t + n.phi);
  return v;
}

/** ∫_a^b m(s) ds (0 when b ≤ a). */
export function waveIntegral(w: Wave, a: number, b: number): number {
  if (!(b > a)) return 0;
  let v = b - a;
  v -= (w.a / w.w) * (Math.cos(w.w * b + w.phi) - Math.cos(w.w * a + w.phi));
  for (const n of w.noise) v -= (n.b / n.w) * (Math.cos(n.w * b + n.phi) - Math.cos(n.w * a + n.phi));
  return v;
}

/** The outcome of a successful call: HTTP 200, or grpc-status 0 (OK). */
export function successCode(spec: EdgeSpec): string {
  return spec.protocol === 'grpc' ? '0' : '200';
}

function steadyShares(spec: EdgeSpec, extra503 = 0): Record<string, number> {
  const shares: Record<string, number> = {};
  let err = 0;
  for (const [code, s] of Object.entries(spec.errors)) {
    shares[code] = s;
    err += s;
  }
  if (extra503 > 0) {
    // an incident on a gRPC edge fails with UNAVAILABLE (what Envoy maps a 503 to)
    const code = spec.protocol === 'grpc' ? '14' : '503';
    shares[code] = (shares[code] ?? 0) + extra503;
    err += extra503;
  }
  shares[successCode(spec)] = Math.max(0, 1 - err);
  return shares;
}

export function buildEdgeTraffic(spec: EdgeSpec, anchor: number): EdgeTraffic {
  const wave = makeWave(spec.wave ?? spec.id);
  const bounds = new Set<number>();
  for (const i of spec.incidents) {
    bounds.add(anchor + i.fromOffset);
    bounds.add(anchor + i.toOffset);
  }
  const cuts = [-Infinity, ...[...bounds].sort((x, y) => x - y), Infinity];
  const states: EdgeState[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const from = cuts[k]!;
    const to = cuts[k + 1]!;
    const mid = Number.isFinite(from) ? (Number.isFinite(to) ? (from + to) / 2 : from + 1) : to - 1;
    let extra503 = 0;
    let latencyFactor = 1;
    let connectFail = 0;
    for (const i of spec.incidents) {
      if (mid >= anchor + i.fromOffset && mid < anchor + i.toOffset) {
        if (i.kind === 'errors') {
          extra503 += i.share;
          latencyFactor *= i.latencyFactor ?? 1;
        } else connectFail += i.share;
      }
    }
    const u = spec.latency.uniform;
    states.push({
      from,
      to,
      codeShares: steadyShares(spec, extra503),
      latencyMedianMs: spec.latency.medianMs * latencyFactor,
      latencySigma: spec.latency.sigma,
      ...(u ? { latencyUniform: { minMs: u.minMs * latencyFactor, maxMs: u.maxMs * latencyFactor } } : {}),
      connectFailShare: spec.refusedBy ? 1 : Math.min(1, connectFail),
    });
  }
  const codes = [
    ...new Set(
      states.flatMap((s) =>
        Object.entries(s.codeShares)
          .filter(([, v]) => v > 0)
          .map(([c]) => c),
      ),
    ),
  ].sort();
  const http = spec.protocol !== 'tcp';
  return {
    spec,
    wave,
    states,
    codes,
    connRate: http ? spec.rate / spec.requestsPerConnection : spec.rate,
    requestBytesRate: spec.rate * spec.requestBytes,
    responseBytesRate: spec.rate * spec.responseBytes,
  };
}

/** `originBeforeAnchor`: seconds of traffic before the anchor (default ORIGIN_BEFORE_ANCHOR; the benchmark's long histories need more). */
export function buildTrafficModel(topology: Topology, anchor: number, originBeforeAnchor = ORIGIN_BEFORE_ANCHOR): TrafficModel {
  const edges = topology.edges.map((e) => buildEdgeTraffic(e, anchor));
  return { anchor, origin: anchor - originBeforeAnchor, edges, byId: new Map(edges.map((e) => [e.spec.id, e])) };
}

/** Instantaneous request (http) or connection (tcp) rate at t. */
export function rateAt(e: EdgeTraffic, t: number): number {
  return e.spec.rate * waveAt(e.wave, t);
}

/** Error share (non-200; for grpc: grpc-status ≠ 0) at t, for tests and sanity checks. */
export function errorShareAt(e: EdgeTraffic, t: number): number {
  const s = e.states.find((st) => t >= st.from && t < st.to)!;
  return 1 - (s.codeShares[successCode(e.spec)] ?? 0);
}

// ---------------------------------------------------------------------------
// Latency distribution (log-normal)
// ---------------------------------------------------------------------------

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

/** P(latency ≤ le ms). */
export function latencyCdf(medianMs: number, sigma: number, le: number): number {
  if (!Number.isFinite(le)) return 1;
  if (le <= 0) return 0;
  return 0.5 * (1 + erf((Math.log(le) - Math.log(medianMs)) / (sigma * Math.SQRT2)));
}

export function latencyMean(medianMs: number, sigma: number): number {
  return medianMs * Math.exp((sigma * sigma) / 2);
}

/** P(latency ≤ le ms) in one state: uniform over (minMs, maxMs] when set, else log-normal. */
export function stateLatencyCdf(st: EdgeState, le: number): number {
  const u = st.latencyUniform;
  if (!u) return latencyCdf(st.latencyMedianMs, st.latencySigma, le);
  if (!Number.isFinite(le) || le >= u.maxMs) return 1;
  if (le <= u.minMs) return 0;
  return (le - u.minMs) / (u.maxMs - u.minMs);
}

/** Mean latency (ms) in one state. */
export function stateLatencyMean(st: EdgeState): number {
  const u = st.latencyUniform;
  return u ? (u.minMs + u.maxMs) / 2 : latencyMean(st.latencyMedianMs, st.latencySigma);
}

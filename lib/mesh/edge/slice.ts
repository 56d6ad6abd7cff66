// Slices of one edge (docs/classification.md §4): the traffic of a client→server pair that went through a
// waypoint, and the traffic that went directly (a sidecar client beside ambient ones, a rollout half done, a
// waypoint enrolled mid-window). Each slice is counted by the reporter rules on its own (§3) and the edge is
// their sum, so neither half's requests vanish and nothing is counted twice.
import { decideMtls, decidePath, pickReporter, type MtlsInput } from '../edges';
import { TCP_METRICS, type EdgeAcc, type SeriesGroup } from '../model';
import { isLatencySample, l4Rates, l7Rates } from '../rates';
import type { EdgePath, EdgeRates, Mtls, ProxyKind, Reporter, Telemetry, TelemetrySample } from '../types';

export type SliceVia = 'waypoint' | 'direct';

export interface SliceView {
  via: SliceVia;
  /** Groups whose numbers belong to this edge (histogram buckets included). */
  usable: SeriesGroup[];
  /** Usable groups that are not bucket-only: the ones counted. */
  counted: SeriesGroup[];
  /** Every non-bucket group attached, usable or evidence only. */
  evidence: SeriesGroup[];
  kinds: Set<ProxyKind>;
  path: EdgePath;
  telemetry: Telemetry;
  l7Reporter?: Reporter;
  /** istio_requests_total samples of the chosen L7 reporter. */
  l7Samples: TelemetrySample[];
  /** Latency samples of the chosen L7 reporter: duration buckets (zero ones included) and `_sum`. */
  buckets: TelemetrySample[];
  l4Reporter?: Reporter;
  rates: EdgeRates;
  failuresByFlag?: Record<string, number>;
  mtls: Mtls;
  /** L7 exists for part of this slice only (a mixed workload's sidecar pods). */
  partialL7: boolean;
}

const REPORTER_ORDER: Reporter[] = ['waypoint', 'destination', 'source'];

/** The counted numbers of one slice, each from exactly one reporter (docs/classification.md §3.2). */
export function sliceView(via: SliceVia, attached: EdgeAcc['attached'], seconds: number): SliceView {
  const usable = attached.filter((a) => a.usable).map((a) => a.group);
  const evidence = attached.map((a) => a.group).filter((g) => !g.bucketsOnly);
  const counted = usable.filter((g) => !g.bucketsOnly);
  const kinds = new Set(counted.flatMap((g) => g.attributions.map((a) => a.proxy)));
  const hasRequests = counted.some((g) => g.hasRequests);
  const path = via === 'waypoint' ? 'waypoint' : (decidePath(false, kinds) ?? (hasRequests ? 'sidecar' : 'ambient'));
  const telemetry: Telemetry = hasRequests ? 'l7' : 'l4';

  // L7: waypoint > destination > source; a destination side that is only partly Envoy yields to a full source.
  const l7Groups = counted.filter((g) => g.hasRequests);
  const destKinds = new Set(counted.filter((g) => g.rank === 'destination').flatMap((g) => g.attributions.map((a) => a.proxy)));
  const destPartial = destKinds.has('ztunnel') && l7Groups.some((g) => g.rank === 'destination');
  const sourceFullL7 =
    l7Groups.some((g) => g.rank === 'source') && counted.filter((g) => g.rank === 'source').every((g) => g.attributions.every((a) => a.proxy !== 'ztunnel'));
  const l7Reporter = pickReporter(
    l7Groups.map((g) => g.rank),
    destPartial && sourceFullL7 ? new Set<Reporter>(['destination']) : new Set(),
  );
  const rates: EdgeRates = {};
  let l7Samples: TelemetrySample[] = [];
  let buckets: TelemetrySample[] = [];
  if (l7Reporter) {
    l7Samples = l7Groups.filter((g) => g.rank === l7Reporter).flatMap((g) => g.samples.filter((s) => s.metric === 'requests'));
    buckets = usable.filter((g) => g.rank === l7Reporter).flatMap((g) => g.samples.filter(isLatencySample));
    Object.assign(rates, l7Rates(l7Samples, buckets, seconds));
  }

  // L4: server side first. Failed connections: a client-side CONNECT never reaches the server and a
  // server-side DENY may look like a plain close to the client, so per flag the larger side (never the sum).
  const l4Groups = counted.filter((g) => g.hasTcp);
  const l4Reporter = pickReporter(l4Groups.map((g) => g.rank));
  let failuresByFlag: Record<string, number> | undefined;
  if (l4Reporter) {
    const r = l4Rates(
      l4Groups.filter((g) => g.rank === l4Reporter).flatMap((g) => g.samples.filter((s) => TCP_METRICS.has(s.metric))),
      seconds,
    );
    Object.assign(rates, r.rates);
    const perReporter = REPORTER_ORDER.map((rep) =>
      l4Rates(
        l4Groups.filter((g) => g.rank === rep).flatMap((g) => g.samples.filter((s) => s.metric === 'tcpClosed' || s.metric === 'tcpFailed')),
        seconds,
      ),
    );
    const flags: Record<string, number> = {};
    for (const pr of perReporter) {
      for (const [flag, v] of Object.entries(pr.failuresByFlag ?? {})) flags[flag] = Math.max(flags[flag] ?? 0, v);
    }
    if (perReporter.some((pr) => pr.rates.failedConnectionsPerSec !== undefined)) {
      rates.failedConnectionsPerSec = Object.values(flags).reduce((a, b) => a + b, 0);
    }
    if (Object.keys(flags).length > 0) failuresByFlag = Object.fromEntries(Object.entries(flags).sort(([a], [b]) => a.localeCompare(b)));
  }

  const mtlsObs: MtlsInput[] = counted.flatMap((g) =>
    g.attributions.map((a) => ({ reporter: g.rank, proxy: a.proxy, csp: g.labels.connection_security_policy })),
  );
  const mtls = decideMtls(via === 'waypoint', mtlsObs);
  const partialL7 = via === 'direct' && telemetry === 'l7' && l7Reporter === 'destination' && destPartial && path !== 'waypoint';

  return {
    via,
    usable,
    counted,
    evidence,
    kinds,
    path,
    telemetry,
    ...(l7Reporter ? { l7Reporter } : {}),
    l7Samples,
    buckets,
    ...(l4Reporter ? { l4Reporter } : {}),
    rates,
    ...(failuresByFlag ? { failuresByFlag } : {}),
    mtls,
    partialL7,
  };
}

/** The slices of an edge, waypoint first; one slice when all its traffic took one way. */
export function sliceEdge(acc: EdgeAcc, seconds: number): SliceView[] {
  const via = acc.attached.filter((a) => a.viaWaypoint);
  const direct = acc.attached.filter((a) => !a.viaWaypoint);
  const views: SliceView[] = [];
  if (via.length > 0) views.push(sliceView('waypoint', via, seconds));
  if (direct.length > 0) views.push(sliceView('direct', direct, seconds));
  return views;
}

// Prometheus' own accounting, read from its /metrics: request counts and time spent per query handler.
export interface PromSelf {
  /** prometheus_http_requests_total summed over handlers matching /api/v1/query.* */
  queryRequests: number;
  /** prometheus_http_request_duration_seconds_sum for /api/v1/query (+ query_range), seconds */
  httpSeconds: number;
  /** prometheus_engine_query_duration_seconds_sum summed over slices, seconds */
  engineSeconds: number;
  /** inner_eval slice only */
  innerEvalSeconds: number;
  /** process_cpu_seconds_total */
  cpuSeconds: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/;

function label(labels: string, name: string): string | undefined {
  const m = new RegExp(`${name}="([^"]*)"`).exec(labels);
  return m?.[1];
}

function parsePromSelf(text: string): PromSelf {
  const r: PromSelf = { queryRequests: 0, httpSeconds: 0, engineSeconds: 0, innerEvalSeconds: 0, cpuSeconds: 0 };
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const [, name, labels = '', raw] = m;
    const v = Number(raw);
    if (!Number.isFinite(v)) continue;
    const handler = label(labels, 'handler') ?? '';
    const isQuery = /^\/api\/v1\/query/.test(handler);
    if (name === 'prometheus_http_requests_total' && isQuery) r.queryRequests += v;
    else if (name === 'prometheus_http_request_duration_seconds_sum' && isQuery) r.httpSeconds += v;
    else if (name === 'prometheus_engine_query_duration_seconds_sum') {
      r.engineSeconds += v;
      if (label(labels, 'slice') === 'inner_eval') r.innerEvalSeconds += v;
    } else if (name === 'process_cpu_seconds_total') r.cpuSeconds = v;
  }
  return r;
}

export async function readPromSelf(promUrl: string): Promise<PromSelf> {
  const res = await fetch(`${promUrl}/metrics`);
  if (!res.ok) throw new Error(`${promUrl}/metrics answered ${res.status}`);
  return parsePromSelf(await res.text());
}

export function diffPromSelf(a: PromSelf, b: PromSelf): PromSelf {
  return {
    queryRequests: b.queryRequests - a.queryRequests,
    httpSeconds: b.httpSeconds - a.httpSeconds,
    engineSeconds: b.engineSeconds - a.engineSeconds,
    innerEvalSeconds: b.innerEvalSeconds - a.innerEvalSeconds,
    cpuSeconds: b.cpuSeconds - a.cpuSeconds,
  };
}

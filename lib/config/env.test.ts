import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, getConfig, parseConfig, resetConfigCache } from './env';

function ok(env: Record<string, string | undefined>, readFile?: (p: string) => string) {
  const r = parseConfig(env, readFile ? { readFile } : {});
  if (!r.ok) throw new Error(`expected ok, got ${r.error}`);
  return r.config;
}

function err(env: Record<string, string | undefined>, readFile?: (p: string) => string): string {
  const r = parseConfig(env, readFile ? { readFile } : {});
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const c = ok({});
    expect(c).toEqual({
      prometheus: { url: 'http://127.0.0.1:19090', timeoutMs: 30000, tlsSkipVerify: false, metricPrefix: '', maxResponseBytes: 128 * 1024 * 1024 },
      kube: { timeoutMs: 5000 },
      istioNamespace: 'istio-system',
      clusterName: 'Kubernetes',
      limits: { maxConcurrentUpstream: 4, clientRatePerMinute: 240 },
    });
  });

  it('reads every variable', () => {
    const c = ok({
      PROMETHEUS_URL: 'https://prom.example:9090/prefix/',
      PROMETHEUS_TIMEOUT_MS: '2500',
      PROMETHEUS_BEARER_TOKEN: 'tok',
      PROMETHEUS_CA_FILE: '/ca.pem',
      PROMETHEUS_TLS_SKIP_VERIFY: 'TRUE',
      PROMETHEUS_METRIC_PREFIX: 'workload:',
      PROMETHEUS_MAX_RESPONSE_MB: '16',
      MESHGLASS_MAX_CONCURRENT_UPSTREAM: '8',
      MESHGLASS_CLIENT_RATE_LIMIT: '600',
      KUBE_TIMEOUT_MS: '750',
      KUBE_CONTEXT: 'kind-mesh',
      ISTIO_NAMESPACE: 'istio-ops',
      MESH_CLUSTER_NAME: 'east-1',
      GRAFANA_URL: 'http://grafana:3000',
      PORT: '3100',
    });
    expect(c.prometheus).toEqual({
      url: 'https://prom.example:9090/prefix',
      timeoutMs: 2500,
      bearerToken: 'tok',
      caFile: '/ca.pem',
      tlsSkipVerify: true,
      metricPrefix: 'workload:',
      maxResponseBytes: 16 * 1024 * 1024,
    });
    expect(c.limits).toEqual({ maxConcurrentUpstream: 8, clientRatePerMinute: 600 });
    expect(c.kube).toEqual({ timeoutMs: 750, context: 'kind-mesh' });
    expect(c.istioNamespace).toBe('istio-ops');
    expect(c.clusterName).toBe('east-1');
    expect(c.grafanaUrl).toBe('http://grafana:3000');
    expect(c.port).toBe(3100);
  });

  it('tracing: jaeger by default, zipkin, and tempo through a Grafana data source', () => {
    expect(ok({}).tracing).toBeUndefined();
    expect(ok({ TRACING_URL: 'http://jaeger:16686/' }).tracing).toEqual({ kind: 'jaeger', url: 'http://jaeger:16686' });
    expect(ok({ TRACING_URL: 'http://zipkin:9411/zipkin', TRACING_KIND: 'zipkin' }).tracing).toEqual({ kind: 'zipkin', url: 'http://zipkin:9411/zipkin' });
    expect(ok({ TRACING_URL: 'https://grafana.example', TRACING_KIND: 'tempo', TRACING_GRAFANA_DATASOURCE: 'tempo-prod_1' }).tracing).toEqual({
      kind: 'tempo',
      url: 'https://grafana.example',
      grafanaDatasource: 'tempo-prod_1',
    });
  });

  it('treats empty strings as unset', () => {
    expect(ok({ PROMETHEUS_URL: '', PORT: ' ', KUBE_CONTEXT: '' })).toEqual(ok({}));
  });

  it.each([
    [{ PROMETHEUS_URL: 'ftp://x' }, /^PROMETHEUS_URL must be an http/],
    [{ PROMETHEUS_URL: 'not a url' }, /^PROMETHEUS_URL /],
    [{ PROMETHEUS_TIMEOUT_MS: '10s' }, /^PROMETHEUS_TIMEOUT_MS must be a whole number/],
    [{ PROMETHEUS_TIMEOUT_MS: '5' }, /^PROMETHEUS_TIMEOUT_MS must be between 100 and 300000/],
    [{ KUBE_TIMEOUT_MS: '-1' }, /^KUBE_TIMEOUT_MS /],
    [{ PROMETHEUS_TLS_SKIP_VERIFY: 'maybe' }, /^PROMETHEUS_TLS_SKIP_VERIFY must be true or false/],
    [{ PROMETHEUS_METRIC_PREFIX: 'work load' }, /^PROMETHEUS_METRIC_PREFIX /],
    [{ PROMETHEUS_METRIC_PREFIX: '1abc' }, /^PROMETHEUS_METRIC_PREFIX /],
    [{ ISTIO_NAMESPACE: 'Istio_System' }, /^ISTIO_NAMESPACE /],
    [{ MESH_CLUSTER_NAME: 'a\nb' }, /^MESH_CLUSTER_NAME must not contain control characters/],
    [{ GRAFANA_URL: 'javascript:alert(1)' }, /^GRAFANA_URL /],
    [{ PORT: '70000' }, /^PORT must be between 1 and 65535/],
    [{ MESHGLASS_MAX_CONCURRENT_UPSTREAM: '0' }, /^MESHGLASS_MAX_CONCURRENT_UPSTREAM must be between 1 and 256/],
    [{ MESHGLASS_CLIENT_RATE_LIMIT: 'fast' }, /^MESHGLASS_CLIENT_RATE_LIMIT must be a whole number/],
    [{ PROMETHEUS_MAX_RESPONSE_MB: '0' }, /^PROMETHEUS_MAX_RESPONSE_MB must be between 1 and 4096/],
    [{ PORT: '3000abc' }, /^PORT must be a whole number/],
    [{ TRACING_URL: 'javascript:alert(1)' }, /^TRACING_URL must be an http/],
    [{ TRACING_URL: 'http://jaeger:16686', TRACING_KIND: 'honeycomb' }, /^TRACING_KIND must be jaeger, tempo or zipkin/],
    [{ TRACING_KIND: 'jaeger' }, /^TRACING_KIND is set but TRACING_URL is not/],
    [{ TRACING_GRAFANA_DATASOURCE: 'tempo' }, /^TRACING_GRAFANA_DATASOURCE is set but TRACING_URL is not/],
    [{ TRACING_URL: 'http://grafana:3000', TRACING_KIND: 'tempo' }, /^TRACING_GRAFANA_DATASOURCE is required with TRACING_KIND=tempo/],
    [
      { TRACING_URL: 'http://grafana:3000', TRACING_KIND: 'tempo', TRACING_GRAFANA_DATASOURCE: 'a"b' },
      /^TRACING_GRAFANA_DATASOURCE must be a Grafana data source uid/,
    ],
    [{ TRACING_URL: 'http://jaeger:16686', TRACING_GRAFANA_DATASOURCE: 'tempo' }, /applies to TRACING_KIND=tempo only/],
    [{ PROMETHEUS_BEARER_TOKEN: 'a', PROMETHEUS_BEARER_TOKEN_FILE: '/t' }, /^PROMETHEUS_BEARER_TOKEN and PROMETHEUS_BEARER_TOKEN_FILE are both set/],
    [{ PROMETHEUS_BEARER_TOKEN: 'a\nX-Evil: 1' }, /^PROMETHEUS_BEARER_TOKEN must not contain line breaks/],
    [{ PROMETHEUS_BASIC_AUTH_USER: 'u' }, /^PROMETHEUS_BASIC_AUTH_USER is set but neither/],
    [{ PROMETHEUS_BASIC_AUTH_PASSWORD: 'p' }, /^PROMETHEUS_BASIC_AUTH_PASSWORD is set but PROMETHEUS_BASIC_AUTH_USER is not/],
    [{ PROMETHEUS_BASIC_AUTH_USER: 'u', PROMETHEUS_BASIC_AUTH_PASSWORD: 'p', PROMETHEUS_BEARER_TOKEN: 't' }, /one authentication method/],
    [
      { PROMETHEUS_BASIC_AUTH_USER: 'u', PROMETHEUS_BASIC_AUTH_PASSWORD: 'p', PROMETHEUS_BASIC_AUTH_PASSWORD_FILE: '/p' },
      /^PROMETHEUS_BASIC_AUTH_PASSWORD and PROMETHEUS_BASIC_AUTH_PASSWORD_FILE are both set/,
    ],
  ])('rejects %j naming the variable', (env, message) => {
    expect(err(env)).toMatch(message);
  });

  it('leaves the access settings to lib/security/auth-config (the report CLI needs none)', () => {
    expect(ok({ DASHBOARD_TOKEN: 'short-secret' })).toEqual(ok({}));
  });

  it('accepts basic auth with an inline password or a password file', () => {
    expect(ok({ PROMETHEUS_BASIC_AUTH_USER: 'u', PROMETHEUS_BASIC_AUTH_PASSWORD: 'p w' }).prometheus.basicAuth).toEqual({
      username: 'u',
      password: 'p w',
    });
    expect(ok({ PROMETHEUS_BASIC_AUTH_USER: 'u', PROMETHEUS_BASIC_AUTH_PASSWORD_FILE: '/pw' }).prometheus.basicAuth).toEqual({
      username: 'u',
      passwordFile: '/pw',
    });
  });

  it('checks that file variables are readable when a reader is given', () => {
    const files: Record<string, string> = { '/tok': 'abc' };
    const readFile = (p: string) => {
      const f = files[p];
      if (f === undefined) throw new Error('ENOENT: no such file');
      return f;
    };
    expect(ok({ PROMETHEUS_BEARER_TOKEN_FILE: '/tok' }, readFile).prometheus.bearerTokenFile).toBe('/tok');
    expect(err({ PROMETHEUS_BEARER_TOKEN_FILE: '/missing' }, readFile)).toMatch(/^PROMETHEUS_BEARER_TOKEN_FILE names a file that cannot be read: \/missing/);
    expect(err({ PROMETHEUS_CA_FILE: '/nope' }, readFile)).toMatch(/^PROMETHEUS_CA_FILE names a file that cannot be read/);
    expect(err({ PROMETHEUS_BASIC_AUTH_USER: 'u', PROMETHEUS_BASIC_AUTH_PASSWORD_FILE: '/x' }, readFile)).toMatch(
      /^PROMETHEUS_BASIC_AUTH_PASSWORD_FILE names a file/,
    );
  });
});

describe('getConfig', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetConfigCache();
  });

  it('throws ConfigError naming the variable and caches the outcome', () => {
    resetConfigCache();
    process.env.PROMETHEUS_TIMEOUT_MS = 'soon';
    expect(() => getConfig()).toThrow(ConfigError);
    expect(() => getConfig()).toThrow(/^PROMETHEUS_TIMEOUT_MS/);
    process.env.PROMETHEUS_TIMEOUT_MS = '2000';
    // cached: still the first outcome until reset
    expect(() => getConfig()).toThrow(ConfigError);
    resetConfigCache();
    expect(getConfig().prometheus.timeoutMs).toBe(2000);
  });
});

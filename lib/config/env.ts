import 'server-only';
import { readFileSync } from 'node:fs';
import { parseConfig, type AppConfig } from './parse';

export { parseConfig, CONFIG_VARIABLES } from './parse';
export { configuredClusters } from './parse';
export type { TracingSettings, TracingKind } from './parse';
export type { AppConfig, PrometheusConfig, KubeSettings, KubeContextSetting, BasicAuth, ParseConfigResult } from './parse';

/** Invalid configuration; the message names the offending variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const CACHE_KEY = Symbol.for('meshglass.config');
type Cached = { config?: AppConfig; error?: string };
const store = globalThis as unknown as Record<symbol, Cached | undefined>;

/**
 * The validated configuration, read from process.env once per process (file variables are checked
 * for readability). Throws ConfigError naming the bad variable; the outcome (good or bad) is cached.
 */
export function getConfig(): AppConfig {
  let cached = store[CACHE_KEY];
  if (!cached) {
    const r = parseConfig(process.env, { readFile: (p) => readFileSync(p, 'utf8') });
    cached = r.ok ? { config: r.config } : { error: r.error };
    store[CACHE_KEY] = cached;
  }
  if (cached.error !== undefined || !cached.config) throw new ConfigError(cached.error ?? 'configuration unavailable');
  return cached.config;
}

/** For tests: forget the cached configuration. */
export function resetConfigCache(): void {
  store[CACHE_KEY] = undefined;
}

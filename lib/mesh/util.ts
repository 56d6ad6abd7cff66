// Small pure helpers shared by the lib/mesh modules.
import type { Labels } from './types';

/** Istio encodes missing values as "unknown" (ztunnel) or leaves them empty/absent. */
export function isKnown(v: string | undefined | null): v is string {
  return v !== undefined && v !== null && v !== '' && v !== 'unknown';
}

export function known(v: string | undefined | null): string | undefined {
  return isKnown(v) ? v : undefined;
}

/** Selector match (a Service selector against pod labels). Empty selector selects nothing. */
export function selectorMatches(selector: Labels, labels: Labels): boolean {
  const keys = Object.keys(selector);
  if (keys.length === 0) return false;
  return keys.every((k) => labels[k] === selector[k]);
}

/** "ns/name". */
export function ref(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/**
 * Parse a Kubernetes service host: "<name>.<ns>.svc[.<domain>]" → {name, namespace}.
 * Anything else (external hosts, IPs) → undefined.
 */
export function parseServiceHost(host: string): { name: string; namespace: string } | undefined {
  const parts = host.split('.');
  if (parts.length >= 3 && parts[2] === 'svc' && parts[0] && parts[1]) {
    return { name: parts[0], namespace: parts[1] };
  }
  return undefined;
}

/** Host part of a Prometheus `instance` label: "10.1.2.3:15020" → "10.1.2.3", "[fd00::1]:15020" → "fd00::1". */
export function instanceHost(instance: string): string {
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(instance);
  if (v6) return v6[1]!;
  const colons = instance.split(':').length - 1;
  if (colons === 1) return instance.slice(0, instance.indexOf(':'));
  return instance; // bare IPv4/host, or bare IPv6 without port
}

/** Code-point order: deterministic like localeCompare on our ids, without ICU collation's cost. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function uniqSorted<T extends string>(xs: Iterable<T>): T[] {
  return [...new Set(xs)].sort();
}

/** Deterministic key of a label set restricted to `names`. */
export function labelKey(labels: Labels, names: readonly string[]): string {
  return names.map((n) => `${n}=${labels[n] ?? ''}`).join('\u0001');
}

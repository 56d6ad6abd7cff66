// Deterministic hashing / pseudo-random helpers for the demo model (no Math.random anywhere).

/** FNV-1a 32-bit hash of a string. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Uniform number in [0, 1) derived from a string key. */
export function unit(key: string): number {
  // one extra avalanche round so that similar keys spread well
  let h = hash32(key);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** mulberry32 PRNG, for generators that need a stream of numbers. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Kubernetes' rand.String alphabet (no vowels, no confusable digits).
const K8S_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Kubernetes-looking random suffix (deterministic from key). */
export function k8sSuffix(key: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += K8S_ALPHABET[Math.floor(unit(`${key}#${i}`) * K8S_ALPHABET.length)]!;
  return out;
}

/** pod-template-hash-like string (10 chars, same alphabet as Kubernetes' SafeEncodeString). */
export function templateHash(key: string): string {
  return k8sSuffix(`tmpl:${key}`, 10);
}

/** Deterministic RFC 4122-shaped UID. */
export function uid(key: string): string {
  const hex = (k: string) => hash32(k).toString(16).padStart(8, '0');
  const a = hex(`${key}:a`);
  const b = hex(`${key}:b`);
  const c = hex(`${key}:c`);
  const d = hex(`${key}:d`);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-8${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/**
 * In-memory object store of the Kubernetes API simulator: one global, monotonic resourceVersion, an event
 * log for watch replay, and synchronous listeners (single-threaded, so "replay then subscribe" has no gap).
 */
import { createHash } from 'node:crypto';
import { findByKind, groupResourceKey, groupVersionString, parseApiVersion, type ResourceDef } from './resources';
import type { KubeObject } from './selectors';

type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export type StoreEvent = {
  rv: number;
  type: WatchEventType;
  def: ResourceDef;
  /** the object after the change (for DELETED: the last state, carrying the deletion resourceVersion) */
  obj: KubeObject;
  /** previous state for MODIFIED (label/field selectors may stop or start matching) */
  prev?: KubeObject;
};

export type ObjectRef = { apiVersion: string; kind: string; name: string; namespace?: string };

export class ObjectError extends Error {}

function objKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function deterministicUid(parts: string[]): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/** JSON of an object without the fields the store itself maintains. */
function contentFingerprint(obj: KubeObject): string {
  const { resourceVersion: _rv, ...meta } = obj.metadata as Record<string, unknown>;
  void _rv;
  return JSON.stringify({ ...obj, metadata: meta });
}

export class Store {
  private rv: number;
  /** events with rv <= compactedRv are no longer replayable */
  private compactedRv: number;
  private readonly byResource = new Map<string, Map<string, KubeObject>>();
  private log: StoreEvent[] = [];
  private readonly listeners = new Set<(e: StoreEvent) => void>();

  constructor(
    initialRv = 0,
    private readonly opts: { maxLog?: number; onResourceVersion?: (rv: number) => void; now?: () => Date } = {},
  ) {
    this.rv = initialRv;
    this.compactedRv = initialRv;
  }

  currentResourceVersion(): number {
    return this.rv;
  }

  /** Validates and normalises an input object; throws ObjectError on anything unusable. */
  normalize(input: unknown): { def: ResourceDef; obj: KubeObject } {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new ObjectError('object expected');
    const raw = input as Record<string, unknown>;
    if (typeof raw.apiVersion !== 'string' || typeof raw.kind !== 'string') throw new ObjectError('apiVersion and kind are required');
    const { group } = parseApiVersion(raw.apiVersion);
    const def = findByKind(group, raw.kind);
    if (!def) throw new ObjectError(`kind ${raw.kind} of ${raw.apiVersion} is not served by the simulator`);
    const metaIn = raw.metadata;
    if (metaIn === null || typeof metaIn !== 'object' || Array.isArray(metaIn)) throw new ObjectError(`${raw.kind}: metadata missing`);
    const obj = structuredClone(raw) as KubeObject;
    const meta = obj.metadata as Record<string, unknown>;
    if (typeof meta.name !== 'string' || meta.name === '') throw new ObjectError(`${raw.kind}: metadata.name missing`);
    if (def.namespaced) {
      if (meta.namespace === undefined || meta.namespace === null || meta.namespace === '') meta.namespace = 'default';
      if (typeof meta.namespace !== 'string') throw new ObjectError(`${raw.kind} ${meta.name}: metadata.namespace must be a string`);
    } else {
      delete meta.namespace;
    }
    if (meta.labels !== undefined && (meta.labels === null || typeof meta.labels !== 'object')) {
      throw new ObjectError(`${raw.kind} ${meta.name}: metadata.labels must be a map`);
    }
    obj.apiVersion = groupVersionString(def.group, def.versions[0]!);
    if (def.kind === 'Namespace') {
      const status = (obj.status ?? {}) as Record<string, unknown>;
      if (status.phase === undefined) status.phase = 'Active';
      obj.status = status;
    }
    return { def, obj };
  }

  private bucket(def: ResourceDef): Map<string, KubeObject> {
    const k = groupResourceKey(def);
    let b = this.byResource.get(k);
    if (!b) {
      b = new Map();
      this.byResource.set(k, b);
    }
    return b;
  }

  private bump(): number {
    this.rv += 1;
    this.opts.onResourceVersion?.(this.rv);
    return this.rv;
  }

  private record(e: StoreEvent, replayable: boolean): void {
    if (replayable) {
      this.log.push(e);
      const max = this.opts.maxLog ?? 10_000;
      if (this.log.length > max) {
        const dropped = this.log.splice(0, this.log.length - max);
        this.compactedRv = dropped[dropped.length - 1]!.rv;
      }
    } else {
      this.compactedRv = e.rv;
      this.log = [];
    }
    for (const l of [...this.listeners]) l(e);
  }

  /** Creates or replaces one object. Returns the event, or null when nothing changed. */
  apply(input: unknown, replayable = true): StoreEvent | null {
    const { def, obj } = this.normalize(input);
    const b = this.bucket(def);
    const key = objKey(obj.metadata.namespace, obj.metadata.name);
    const existing = b.get(key);
    const meta = obj.metadata as Record<string, unknown>;
    const oldMeta = existing?.metadata as Record<string, unknown> | undefined;
    if (meta.uid === undefined) meta.uid = oldMeta?.uid ?? deterministicUid([def.group, def.resource, key]);
    // ownerReferences without a uid point at the owner's deterministic uid (manifests can omit them).
    if (Array.isArray(meta.ownerReferences)) {
      for (const ref of meta.ownerReferences as unknown[]) {
        if (ref === null || typeof ref !== 'object') continue;
        const r = ref as Record<string, unknown>;
        if (r.uid !== undefined || typeof r.apiVersion !== 'string' || typeof r.kind !== 'string' || typeof r.name !== 'string') continue;
        const ownerDef = findByKind(parseApiVersion(r.apiVersion).group, r.kind);
        if (!ownerDef) continue;
        const ownerNs = ownerDef.namespaced ? obj.metadata.namespace : undefined;
        r.uid = this.get(ownerDef, ownerNs, r.name)?.metadata.uid ?? deterministicUid([ownerDef.group, ownerDef.resource, objKey(ownerNs, r.name)]);
      }
    }
    if (meta.creationTimestamp === undefined) {
      meta.creationTimestamp = oldMeta?.creationTimestamp ?? (this.opts.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    if (existing && contentFingerprint(existing) === contentFingerprint(obj)) return null;
    const rv = this.bump();
    meta.resourceVersion = String(rv);
    b.set(key, obj);
    const e: StoreEvent = existing ? { rv, type: 'MODIFIED', def, obj, prev: existing } : { rv, type: 'ADDED', def, obj };
    this.record(e, replayable);
    return e;
  }

  delete(ref: ObjectRef): StoreEvent | null {
    const { group } = parseApiVersion(ref.apiVersion);
    const def = findByKind(group, ref.kind);
    if (!def) return null;
    const b = this.bucket(def);
    const key = objKey(def.namespaced ? (ref.namespace ?? 'default') : undefined, ref.name);
    const existing = b.get(key);
    if (!existing) return null;
    b.delete(key);
    const rv = this.bump();
    const obj = structuredClone(existing);
    obj.metadata.resourceVersion = String(rv);
    const e: StoreEvent = { rv, type: 'DELETED', def, obj };
    this.record(e, true);
    return e;
  }

  /**
   * Replaces the whole content: unchanged objects keep their resourceVersion, the rest produce
   * ADDED/MODIFIED/DELETED events. Unusable objects are skipped and reported.
   */
  setObjects(inputs: readonly unknown[], replayable = true): { events: StoreEvent[]; warnings: string[] } {
    const warnings: string[] = [];
    const wanted = new Map<string, { def: ResourceDef; obj: KubeObject }>();
    for (const input of inputs) {
      try {
        const n = this.normalize(input);
        const k = `${groupResourceKey(n.def)}|${objKey(n.obj.metadata.namespace, n.obj.metadata.name)}`;
        if (wanted.has(k)) warnings.push(`duplicate object ${k}: the last one wins`);
        wanted.set(k, n);
      } catch (err) {
        warnings.push(err instanceof Error ? err.message : String(err));
      }
    }
    const events: StoreEvent[] = [];
    for (const [grKey, b] of this.byResource) {
      for (const [key, obj] of [...b]) {
        if (!wanted.has(`${grKey}|${key}`)) {
          const e = this.delete({ apiVersion: obj.apiVersion ?? 'v1', kind: obj.kind ?? '', name: obj.metadata.name, namespace: obj.metadata.namespace });
          if (e) events.push(e);
        }
      }
    }
    for (const { obj } of wanted.values()) {
      const e = this.apply(obj, replayable);
      if (e) events.push(e);
    }
    return { events, warnings };
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.byResource.get(groupResourceKey(def))?.get(objKey(def.namespaced ? namespace : undefined, name));
  }

  /** Objects of one resource, optionally in one namespace, sorted by namespace then name. */
  list(def: ResourceDef, namespace?: string): KubeObject[] {
    const b = this.byResource.get(groupResourceKey(def));
    if (!b) return [];
    const out = [...b.values()].filter((o) => namespace === undefined || o.metadata.namespace === namespace);
    return out.sort((a, c) => objKey(a.metadata.namespace, a.metadata.name).localeCompare(objKey(c.metadata.namespace, c.metadata.name)));
  }

  all(): KubeObject[] {
    return [...this.byResource.values()].flatMap((b) => [...b.values()]);
  }

  /** Events after `rv`, or 'gone' when they are no longer available (too old, or from another life). */
  eventsSince(rv: number): StoreEvent[] | 'gone' {
    if (rv < this.compactedRv || rv > this.rv) return 'gone';
    return this.log.filter((e) => e.rv > rv);
  }

  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

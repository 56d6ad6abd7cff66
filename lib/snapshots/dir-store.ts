import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { decodeSnapshot, encodeSnapshot, SnapshotCorruptError } from './codec';
import { isSnapshotId } from './id';
import {
  isExpired,
  newestFirst,
  SnapshotStoreFullError,
  SnapshotStoreUnavailableError,
  type SnapshotStore,
  type SnapshotStoreHooks,
  type SnapshotStoreLimits,
} from './store';
import { metaOf, snapshotMetaSchema, type SnapshotDocument, type SnapshotMeta } from './types';

// A directory of `<id>.snap` files (docs/snapshots.md "Directory store"). One file per snapshot:
//   line 1  "meshglass-snapshot 1"
//   line 2  the list row as JSON (id, title, createdAt, window; size is the file size)
//   rest    the gzip-compressed snapshot document
// Writes go to `.tmp-<id>-<random>`, are fsynced, then renamed over the final name and the directory is
// fsynced: rename(2) is atomic, so a reader sees the whole file or none, and a crash leaves only a
// temporary file that get/list ignore and prune() removes.

const MAGIC = 'meshglass-snapshot 1\n';
const EXT = '.snap';
const TMP_PREFIX = '.tmp-';
/** A temporary file this old belongs to a writer that died (a write takes milliseconds). */
const STALE_TMP_MS = 10 * 60_000;
/** The header line is short; more than this means the file is not ours. */
const MAX_HEADER_BYTES = 4096;

export interface DirStoreOptions extends SnapshotStoreLimits {
  dir: string;
  hooks?: SnapshotStoreHooks & {
    /** Replaces the write of the temporary file (the full-disk test makes it fail with ENOSPC). */
    write?: (handle: import('node:fs/promises').FileHandle, data: Buffer) => Promise<void>;
  };
}

/** A `.snap` file's document (the id comes from its header); for `npm run report -- --snapshot <file>`. */
export function decodeSnapshotFile(data: Buffer, maxBytes: number): SnapshotDocument {
  const text = data.subarray(0, MAX_HEADER_BYTES).toString('utf8');
  const nl = text.indexOf('\n', MAGIC.length);
  if (!text.startsWith(MAGIC) || nl < 0) throw new SnapshotCorruptError('file', 'bad header');
  const meta = snapshotMetaSchema.safeParse(JSON.parse(text.slice(MAGIC.length, nl)));
  if (!meta.success) throw new SnapshotCorruptError('file', 'bad header');
  return decodeSnapshot(meta.data.id, data.subarray(Buffer.byteLength(text.slice(0, nl + 1))), maxBytes);
}

function errnoOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

export class DirectorySnapshotStore implements SnapshotStore {
  readonly kind = 'directory' as const;
  readonly location: string;
  private ready: Promise<void> | undefined;

  constructor(private readonly opts: DirStoreOptions) {
    this.location = path.resolve(opts.dir);
  }

  private ensureDir(): Promise<void> {
    this.ready ??= mkdir(this.location, { recursive: true, mode: 0o750 }).then(
      () => undefined,
      (e: unknown) => {
        this.ready = undefined;
        throw new SnapshotStoreUnavailableError(this.location, `cannot create the directory (${errnoOf(e) ?? (e as Error).message})`);
      },
    );
    return this.ready;
  }

  private file(id: string): string {
    return path.join(this.location, `${id}${EXT}`);
  }

  async put(doc: SnapshotDocument): Promise<SnapshotMeta> {
    if (!isSnapshotId(doc.id)) throw new Error('invalid snapshot id');
    await this.ensureDir();
    const body = encodeSnapshot(doc, this.opts.maxBytes);
    const header = Buffer.from(`${MAGIC}${JSON.stringify(metaOf(doc, 0))}\n`, 'utf8');
    const data = Buffer.concat([header, body]);
    const tmp = path.join(this.location, `${TMP_PREFIX}${doc.id}-${randomBytes(6).toString('hex')}`);
    try {
      const handle = await open(tmp, 'wx', 0o640);
      try {
        if (this.opts.hooks?.write) await this.opts.hooks.write(handle, data);
        else await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.opts.hooks?.beforeCommit?.();
      await rename(tmp, this.file(doc.id));
      await this.syncDir();
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      const code = errnoOf(e);
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new SnapshotStoreFullError(this.location);
      if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') throw new SnapshotStoreUnavailableError(this.location, `cannot write (${code})`);
      throw e;
    }
    // Expired snapshots go on every write: the store never needs a separate job.
    await this.prune().catch(() => undefined);
    return metaOf(doc, data.length);
  }

  private async syncDir(): Promise<void> {
    const d = await open(this.location, 'r');
    try {
      await d.sync();
    } catch {
      // Some file systems refuse fsync on directories; the rename is still atomic.
    } finally {
      await d.close();
    }
  }

  private async readMeta(name: string): Promise<SnapshotMeta | undefined> {
    const file = path.join(this.location, name);
    let handle;
    try {
      handle = await open(file, 'r');
    } catch {
      return undefined; // deleted meanwhile
    }
    try {
      const buf = Buffer.alloc(MAX_HEADER_BYTES);
      const { bytesRead } = await handle.read(buf, 0, MAX_HEADER_BYTES, 0);
      const text = buf.subarray(0, bytesRead).toString('utf8');
      if (!text.startsWith(MAGIC)) return undefined;
      const nl = text.indexOf('\n', MAGIC.length);
      if (nl < 0) return undefined;
      const r = snapshotMetaSchema.safeParse(JSON.parse(text.slice(MAGIC.length, nl)));
      if (!r.success || `${r.data.id}${EXT}` !== name) return undefined;
      const { size } = await handle.stat();
      return { ...r.data, size };
    } catch {
      return undefined;
    } finally {
      await handle.close();
    }
  }

  async get(id: string): Promise<SnapshotDocument | undefined> {
    if (!isSnapshotId(id)) return undefined;
    let data: Buffer;
    try {
      data = await readFile(this.file(id));
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return undefined;
      throw new SnapshotStoreUnavailableError(this.location, `cannot read (${errnoOf(e) ?? (e as Error).message})`);
    }
    if (!data.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) throw new SnapshotCorruptError(id, 'bad header');
    const nl = data.indexOf(0x0a, MAGIC.length);
    if (nl < 0) throw new SnapshotCorruptError(id, 'bad header');
    const doc = decodeSnapshot(id, data.subarray(nl + 1), this.opts.maxBytes);
    if (isExpired(doc.createdAt, this.opts.retentionDays, new Date())) return undefined;
    return doc;
  }

  private async names(): Promise<string[]> {
    try {
      return await readdir(this.location);
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return [];
      throw new SnapshotStoreUnavailableError(this.location, `cannot list (${errnoOf(e) ?? (e as Error).message})`);
    }
  }

  async list(): Promise<SnapshotMeta[]> {
    const now = new Date();
    const names = (await this.names()).filter((n) => n.endsWith(EXT) && !n.startsWith(TMP_PREFIX));
    const metas = await Promise.all(names.map((n) => this.readMeta(n)));
    return metas.filter((m): m is SnapshotMeta => m !== undefined && !isExpired(m.createdAt, this.opts.retentionDays, now)).sort(newestFirst);
  }

  async delete(id: string): Promise<boolean> {
    if (!isSnapshotId(id)) return false;
    try {
      await unlink(this.file(id));
      return true;
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return false;
      throw new SnapshotStoreUnavailableError(this.location, `cannot delete (${errnoOf(e) ?? (e as Error).message})`);
    }
  }

  async prune(now = new Date()): Promise<number> {
    let removed = 0;
    for (const name of await this.names()) {
      if (name.startsWith(TMP_PREFIX)) {
        const st = await stat(path.join(this.location, name)).catch(() => undefined);
        if (st && now.getTime() - st.mtimeMs > STALE_TMP_MS) await rm(path.join(this.location, name), { force: true }).catch(() => undefined);
        continue;
      }
      if (!name.endsWith(EXT) || this.opts.retentionDays <= 0) continue;
      const meta = await this.readMeta(name);
      if (meta && isExpired(meta.createdAt, this.opts.retentionDays, now)) {
        await rm(path.join(this.location, name), { force: true }).catch(() => undefined);
        removed++;
      }
    }
    return removed;
  }

  async close(): Promise<void> {}
}

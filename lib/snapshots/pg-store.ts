import pg from 'pg';
import { decodeSnapshot, encodeSnapshot } from './codec';
import { isSnapshotId } from './id';
import { SnapshotStoreFullError, SnapshotStoreUnavailableError, type SnapshotStore, type SnapshotStoreHooks, type SnapshotStoreLimits } from './store';
import { metaOf, type SnapshotDocument, type SnapshotMeta } from './types';

// PostgreSQL backend for several replicas (docs/snapshots.md "PostgreSQL"). One row per snapshot, the
// document gzip-compressed in a bytea; one INSERT inside a transaction, so a writer that dies leaves no
// row. Every call has a timeout: connecting, each statement (server side) and each query (client side).

const CONNECT_TIMEOUT_MS = 5_000;
const STATEMENT_TIMEOUT_MS = 15_000;
/** Replicas share few writes; a small pool keeps the database's connection budget for others. */
const POOL_SIZE = 4;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meshglass_snapshots (
  id text PRIMARY KEY,
  title text,
  created_at timestamptz NOT NULL,
  window_start text NOT NULL,
  window_end text NOT NULL,
  size integer NOT NULL,
  body bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS meshglass_snapshots_created_at ON meshglass_snapshots (created_at DESC);`;

export interface PgStoreOptions extends SnapshotStoreLimits {
  url: string;
  hooks?: SnapshotStoreHooks;
}

/** postgres://user:secret@host/db → postgres://user@host/db (errors and logs never carry the password). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

function describe(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return err.code ? `${err.code} ${err.message ?? ''}`.trim() : (err.message ?? String(e));
}

export class PostgresSnapshotStore implements SnapshotStore {
  readonly kind = 'postgres' as const;
  readonly location: string;
  private readonly pool: pg.Pool;
  private ready: Promise<void> | undefined;

  constructor(private readonly opts: PgStoreOptions) {
    this.location = redactUrl(opts.url);
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: POOL_SIZE,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      query_timeout: STATEMENT_TIMEOUT_MS + 1_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle client losing its connection must not crash the process.
    this.pool.on('error', () => undefined);
  }

  private wrap(e: unknown): Error {
    const code = (e as { code?: string }).code;
    // 53100 disk_full, 53200 out_of_memory, 54000 program_limit_exceeded (bytea too large)
    if (code === '53100') return new SnapshotStoreFullError(this.location);
    if (e instanceof SnapshotStoreFullError || e instanceof SnapshotStoreUnavailableError) return e;
    return new SnapshotStoreUnavailableError(this.location, describe(e));
  }

  private init(): Promise<void> {
    this.ready ??= this.pool.query(SCHEMA).then(
      () => undefined,
      (e: unknown) => {
        this.ready = undefined;
        throw this.wrap(e);
      },
    );
    return this.ready;
  }

  async put(doc: SnapshotDocument): Promise<SnapshotMeta> {
    if (!isSnapshotId(doc.id)) throw new Error('invalid snapshot id');
    const body = encodeSnapshot(doc, this.opts.maxBytes);
    await this.init();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw this.wrap(e);
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO meshglass_snapshots (id, title, created_at, window_start, window_end, size, body) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        doc.id,
        doc.title,
        doc.createdAt,
        doc.window.start,
        doc.window.end,
        body.length,
        body,
      ]);
      await this.opts.hooks?.beforeCommit?.();
      await client.query('COMMIT');
    } catch (e) {
      broken = true;
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.wrap(e);
    } finally {
      client.release(broken);
    }
    await this.prune().catch(() => undefined);
    return metaOf(doc, body.length);
  }

  private retentionClause(): string {
    return this.opts.retentionDays > 0 ? `AND created_at >= now() - make_interval(days => ${Math.floor(this.opts.retentionDays)})` : '';
  }

  async get(id: string): Promise<SnapshotDocument | undefined> {
    if (!isSnapshotId(id)) return undefined;
    await this.init();
    let rows: { body: Buffer }[];
    try {
      ({ rows } = await this.pool.query<{ body: Buffer }>(`SELECT body FROM meshglass_snapshots WHERE id = $1 ${this.retentionClause()}`, [id]));
    } catch (e) {
      throw this.wrap(e);
    }
    const row = rows[0];
    return row ? decodeSnapshot(id, row.body, this.opts.maxBytes) : undefined;
  }

  async list(): Promise<SnapshotMeta[]> {
    await this.init();
    try {
      const { rows } = await this.pool.query<{ id: string; title: string | null; created_at: Date; window_start: string; window_end: string; size: number }>(
        `SELECT id, title, created_at, window_start, window_end, size FROM meshglass_snapshots WHERE true ${this.retentionClause()} ORDER BY created_at DESC, id ASC`,
      );
      return rows.map((r) => ({
        id: r.id,
        title: r.title,
        createdAt: r.created_at.toISOString(),
        window: { start: r.window_start, end: r.window_end },
        size: r.size,
      }));
    } catch (e) {
      throw this.wrap(e);
    }
  }

  async delete(id: string): Promise<boolean> {
    if (!isSnapshotId(id)) return false;
    await this.init();
    try {
      const r = await this.pool.query('DELETE FROM meshglass_snapshots WHERE id = $1', [id]);
      return (r.rowCount ?? 0) > 0;
    } catch (e) {
      throw this.wrap(e);
    }
  }

  async prune(now = new Date()): Promise<number> {
    if (this.opts.retentionDays <= 0) return 0;
    await this.init();
    try {
      const r = await this.pool.query('DELETE FROM meshglass_snapshots WHERE created_at < $1::timestamptz - make_interval(days => $2)', [
        now.toISOString(),
        Math.floor(this.opts.retentionDays),
      ]);
      return r.rowCount ?? 0;
    } catch (e) {
      throw this.wrap(e);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

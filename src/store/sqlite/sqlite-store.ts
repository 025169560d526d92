import { closeSync, fdatasync, mkdirSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrate } from '../migrations/migrate.js';
import { KyselyStore } from '../kysely-store.js';
import type { Database } from '../schema.js';
import { sqliteWriteLock } from '../write-lock.js';
import { sqliteDirectRunner, withStatementCache } from './statement-cache.js';

export interface SqliteStoreOptions {
  /** A file path, or `:memory:` for tests. */
  readonly path: string;
  /**
   * `full`: every acknowledged write survives power loss; the write-ahead log is synced after
   * each commit and before any of its writes is answered. `normal`: it survives a crash of the
   * process but not of the machine (the log is synced only at checkpoints). Group commit makes
   * `full` affordable, so it is the default.
   */
  readonly synchronous?: 'full' | 'normal';
  readonly now?: () => number;
}

/** Opens (creating if needed) a SQLite database in WAL mode and applies the migrations. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<KyselyStore> {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const sqlite = new BetterSqlite3(options.path);
  sqlite.pragma('journal_mode = WAL');
  // SQLite's own `full` would fsync inside every commit, and better-sqlite3 runs on the event
  // loop, which would stall for the whole fsync (2 to 4 ms here). So SQLite runs at `normal`
  // (it still syncs the log before each checkpoint) and the store syncs the log itself, on
  // libuv's thread pool, before it answers the batch: the same guarantee, off the event loop.
  const durable = (options.synchronous ?? 'full') === 'full' && options.path !== ':memory:';
  sqlite.pragma('synchronous = normal');
  // Another process (the CLI beside a running server) may hold the write lock for a moment.
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  // The log is checkpointed at SQLite's default of 1,000 pages (4 MB). Checkpoints run inside a
  // commit, on the event loop, and end with an fsync of the database file, so their size is the
  // size of the stall. 10,000 pages measured 15% more alerts per second in-process, but in the
  // HTTP benchmark the difference drowned in the machine's run-to-run spread, and a checkpoint
  // ten times the size is a stall ten times as long. A checkpointer on a thread of its own would
  // remove the stall altogether.
  const statements = withStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  try {
    await migrate(db, { lock: sqliteWriteLock, now: options.now ?? Date.now });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const log = durable ? new WalSync(`${options.path}-wal`) : undefined;
  return new KyselyStore({
    db,
    lock: sqliteWriteLock,
    direct: sqliteDirectRunner(statements),
    ...(log && { sync: () => log.sync() }),
    destroy: async () => {
      await db.destroy();
      log?.close();
    },
  });
}

/**
 * Syncs the write-ahead log file through a descriptor of its own. fdatasync flushes the file, not
 * the descriptor, so it covers what SQLite's connection wrote. The file exists once the first
 * transaction has been written, and stays (SQLite resets it, never replaces it) while the
 * connection is open. SQLite creates it anew when a database is opened, so the first sync also
 * syncs the directory: the new file's entry must be on disk too (SQLite itself would do that on
 * its first sync of the log, which at `normal` comes only with the first checkpoint).
 */
class WalSync {
  #fd: number | undefined;
  #first: Promise<void> | undefined;
  constructor(private readonly path: string) {}

  async sync(): Promise<void> {
    this.#first ??= syncDirectory(dirname(this.path));
    await this.#first;
    this.#fd ??= openSync(this.path, 'r');
    const fd = this.#fd;
    await new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error === null ? resolve() : reject(error))));
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

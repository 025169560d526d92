import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrate } from '../migrations/migrate.js';
import { KyselyStore } from '../kysely-store.js';
import type { Database } from '../schema.js';
import { sqliteWriteLock } from '../write-lock.js';
import { withStatementCache } from './statement-cache.js';

export interface SqliteStoreOptions {
  /** A file path, or `:memory:` for tests. */
  readonly path: string;
  /**
   * `full` syncs the WAL on every commit, so an acknowledged write survives power loss;
   * `normal` survives a crash of the process but not of the machine. Group commit makes `full`
   * affordable, so it is the default.
   */
  readonly synchronous?: 'full' | 'normal';
  readonly now?: () => number;
}

/** Opens (creating if needed) a SQLite database in WAL mode and applies the migrations. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<KyselyStore> {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const sqlite = new BetterSqlite3(options.path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.synchronous ?? 'full'}`);
  // Another process (the CLI beside a running server) may hold the write lock for a moment.
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  try {
    await migrate(db, { lock: sqliteWriteLock, now: options.now ?? Date.now });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new KyselyStore({ db, lock: sqliteWriteLock, destroy: () => db.destroy() });
}

import { Kysely } from 'kysely';
import pg from 'pg';
import { migrate } from '../migrations/migrate.js';
import { KyselyStore } from '../kysely-store.js';
import type { Database } from '../schema.js';
import { postgresWriteLock } from '../write-lock.js';
import { CombiningPostgresDialect } from './combining-dialect.js';

export interface PostgresStoreOptions {
  /** `postgres://user@host:5432/db`; `?options=-c search_path=...` selects a schema. */
  readonly url: string;
  readonly poolSize?: number;
  readonly now?: () => number;
}

const INT8_OID = 20;

/** Opens a pool on PostgreSQL and applies the migrations under the shared advisory lock. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<KyselyStore> {
  return openPostgresStoreOn(postgresPool(options), options);
}

/** A pool as the store wants it: bigint columns read as numbers, idle errors not fatal. */
export function postgresPool(options: Pick<PostgresStoreOptions, 'url' | 'poolSize'>): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // Times and counters are bigint columns; every value Vigil stores fits a JS number exactly.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return pool;
}

/** The store on `pool` (made by `postgresPool`); closing the store ends the pool. */
export async function openPostgresStoreOn(pool: pg.Pool, options: Pick<PostgresStoreOptions, 'now'> = {}): Promise<KyselyStore> {
  const db = new Kysely<Database>({ dialect: new CombiningPostgresDialect({ pool }) });
  try {
    await migrate(db, { lock: postgresWriteLock, now: options.now ?? Date.now });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new KyselyStore({ db, lock: postgresWriteLock, deferInserts: true, multipleStatements: true, destroy: () => db.destroy() });
}

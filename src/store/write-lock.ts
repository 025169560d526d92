import { sql, type Kysely } from 'kysely';

/**
 * How a dialect opens a transaction that serialises every writer, in this process and in others.
 * Writes must be serialised because the audit chain and the incident numbers are sequences.
 */
export interface WriteLock {
  /** Opens the transaction on `conn` and holds the write lock until commit or rollback. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema: the lock runs no typed query
  begin(conn: Kysely<any>): Promise<void>;
}

/** SQLite: `BEGIN IMMEDIATE` takes the database's write lock up front, so a transaction that
 * read first never fails half-way with SQLITE_BUSY when another process wrote meanwhile. */
export const sqliteWriteLock: WriteLock = {
  async begin(conn) {
    await sql`begin immediate`.execute(conn);
  },
};

/** An arbitrary constant: the advisory lock all Vigil writers share ('vigl' in ASCII). */
const ADVISORY_KEY = 0x7669676c;

/** PostgreSQL: a transaction-scoped advisory lock shared by every Vigil instance. */
export const postgresWriteLock: WriteLock = {
  async begin(conn) {
    await sql`begin`.execute(conn);
    await sql`select pg_advisory_xact_lock(${ADVISORY_KEY})`.execute(conn);
  },
};

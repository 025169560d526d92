import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type { DirectRunner } from '../prepared.js';

/**
 * Kysely's SQLite driver prepares every query anew, and preparing costs more than running: on
 * the ingest path it was most of the time per alert. Vigil's queries come from a small, fixed
 * set of builders, so caching statements by their SQL text removes that cost. The cache is
 * bounded in case a caller ever builds SQL with values inlined.
 */
export function withStatementCache(db: SqliteDatabase, maxStatements = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit !== undefined) return hit;
      const statement = db.prepare(sql);
      if (cache.size >= maxStatements) cache.delete(cache.keys().next().value!);
      cache.set(sql, statement);
      return statement;
    },
  };
}

/**
 * Runs a compiled query straight on `db`, as Kysely's SQLite driver would but without its
 * executor: for the store's writer, which holds the connection (see `PreparedStatements.runningOn`).
 */
export function sqliteDirectRunner(db: SqliteDatabase): DirectRunner {
  return (query) => {
    const statement = db.prepare(query.sql);
    if (statement.reader) return { rows: statement.all(query.parameters) };
    const { changes } = statement.run(query.parameters);
    return { rows: [], numAffectedRows: BigInt(changes) };
  };
}

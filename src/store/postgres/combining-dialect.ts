import {
  CompiledQuery,
  PostgresDialect,
  type DatabaseConnection,
  type Driver,
  type PostgresDialectConfig,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { isDeferredInsert, isFlushPoint } from '../prepared.js';

/*
 * Fewer round trips for the writer on PostgreSQL.
 *
 * Every statement is a round trip, and the writer makes them one after another while it holds
 * the write lock, so on PostgreSQL the ingest rate is set by how many statements an alert takes.
 * Most of an alert's writes are inserts whose outcome nobody reads back in the same unit (the
 * alert, its timeline entry, its audit record). The writer marks those (see
 * `PreparedStatements.deferringInserts`); a connection of this dialect holds them back and sends
 * them with the next statement as data-modifying CTEs (`with "d0" as (insert ...) update ...`),
 * one round trip for several writes. PostgreSQL runs a WITH's statements on one snapshot, so:
 *
 * - a read never joins: it would not see the held rows. They are sent first, on their own.
 * - an update joins only when its table has no held insert and it reads no table (it could not
 *   see those rows either).
 * - a rollback drops what is held: it would undo it anyway.
 * - a held insert that fails fails the statement it went with; the writer sends a flush point at
 *   the end of each unit, so the failure stays inside the unit that caused it.
 * - PostgreSQL runs a WITH's parts in no promised order (in practice the main statement first,
 *   then the CTEs from the last): nothing may depend on the order of rows inserted together, and
 *   no table the writer defers has a serial column.
 */

/** The most inserts held before they are sent: keeps one statement's size and parameters modest. */
const maxHeld = 32;

const insertInto = /^insert into "(\w+)" \(/;
const updateSet = /^update "(\w+)" set /;

/** `PostgresDialect` whose connections hold marked inserts back and send them with the next statement. */
export class CombiningPostgresDialect extends PostgresDialect {
  constructor(config: PostgresDialectConfig) {
    super(config);
  }

  override createDriver(): Driver {
    return new CombiningDriver(super.createDriver());
  }
}

class CombiningDriver implements Driver {
  readonly #inner: Driver;
  readonly #wrapped = new WeakMap<DatabaseConnection, CombiningConnection>();

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.#inner.acquireConnection();
    let wrapped = this.#wrapped.get(connection);
    if (wrapped === undefined) {
      wrapped = new CombiningConnection(connection);
      this.#wrapped.set(connection, wrapped);
    }
    return wrapped;
  }

  // PostgresDriver runs these as statements on the connection it is given: ours, so they flush.
  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }

  // Kysely's own savepoints (`startTransaction().savepoint(...)`), statements on our connection too.
  savepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.savepoint!(connection, name, compileQuery);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.rollbackToSavepoint!(connection, name, compileQuery);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.releaseSavepoint!(connection, name, compileQuery);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const wrapped = connection as CombiningConnection;
    // Held inserts outlive no transaction: one left here belongs to a unit nobody finished.
    wrapped.drop();
    await this.#inner.releaseConnection(wrapped.inner);
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

export class CombiningConnection implements DatabaseConnection {
  readonly inner: DatabaseConnection;
  /** Inserts held back, each with the table it writes. */
  #held: { readonly query: CompiledQuery; readonly table: string }[] = [];

  constructor(inner: DatabaseConnection) {
    this.inner = inner;
  }

  /** Inserts held back, not yet sent. */
  get held(): number {
    return this.#held.length;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (isDeferredInsert(query)) {
      const table = plain(query, insertInto);
      if (table !== undefined && this.#held.length < maxHeld) {
        this.#held.push({ query, table });
        return { rows: [] };
      }
      await this.#flush();
      return this.inner.executeQuery<R>(query);
    }
    if (isFlushPoint(query)) {
      await this.#flush();
      return { rows: [] };
    }
    if (this.#held.length === 0) return this.inner.executeQuery<R>(query);
    if (/^rollback\b/i.test(query.sql)) {
      this.drop();
      return this.inner.executeQuery<R>(query);
    }
    // An update that reads (a subquery) would not see the held rows either: it goes alone.
    const table = /\bselect\b/i.test(query.sql) ? undefined : plain(query, updateSet);
    if (table !== undefined && !this.#held.some((h) => h.table === table)) {
      return this.inner.executeQuery<R>(combined(this.#take(), query));
    }
    await this.#flush();
    return this.inner.executeQuery<R>(query);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    await this.#flush();
    yield* this.inner.streamQuery<R>(query, chunkSize);
  }

  /** Forgets what is held without sending it. */
  drop(): void {
    this.#held = [];
  }

  #take(): CompiledQuery[] {
    const held = this.#held.map((h) => h.query);
    this.drop();
    return held;
  }

  async #flush(): Promise<void> {
    if (this.#held.length === 0) return;
    const held = this.#take();
    const last = held.pop()!;
    await this.inner.executeQuery(held.length === 0 ? last : combined(held, last));
  }
}

/** The table a statement of this shape writes, if it carries no literal (its values are all parameters). */
function plain(query: CompiledQuery, shape: RegExp): string | undefined {
  if (query.sql.includes("'") || query.sql.includes('$$')) return undefined;
  return shape.exec(query.sql)?.[1];
}

/** `with "d0" as (first), "d1" as (second) main`, each statement's parameters renumbered after the ones before. */
export function combined(first: readonly CompiledQuery[], main: CompiledQuery): CompiledQuery {
  const parameters: unknown[] = [];
  const shifted = (query: CompiledQuery): string => {
    const offset = parameters.length;
    parameters.push(...query.parameters);
    return offset === 0 ? query.sql : query.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  };
  const ctes = first.map((query, i) => `"d${i}" as (${shifted(query)})`);
  return CompiledQuery.raw(`with ${ctes.join(', ')} ${shifted(main)}`, parameters);
}

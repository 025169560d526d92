import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema.js';

/*
 * Queries built once and run many times with new values.
 *
 * Building a query with Kysely's builder and compiling it to SQL costs 4 to 6 µs a statement,
 * as much as SQLite takes to run most of them, and the ingest path runs about a dozen per alert.
 * The queries on that path have a fixed shape, so each is built and compiled once per store with
 * a marker in place of every value, and each run hands the driver the same SQL with the values
 * put where the markers were (Kysely's "splitting build, compile and execute" recipe).
 */

/** A marker no caller's value can be: it starts with a NUL character. */
const markerPrefix = '\u0000vigil-slot:';

/** What a prepared query was compiled to: the SQL, and for each parameter its slot or constant. */
interface Compiled {
  readonly query: CompiledQuery;
  readonly parameters: readonly ({ readonly slot: string } | { readonly value: unknown })[];
}

/** A query over named values; `Row` is what it returns. Define it once, at module level. */
export interface PreparedQuery<Args, Row> {
  readonly build: (db: Kysely<Database>, slots: Args) => Compilable<Row>;
}

/**
 * Defines a prepared query. `build` receives `slots`, stand-ins for the values, and must use
 * each where a value goes (never inspect them, never inline them with `sql.lit`).
 */
export function prepare<Args extends Record<string, unknown>>() {
  return <Row>(build: (db: Kysely<Database>, slots: Args) => Compilable<Row>): PreparedQuery<Args, Row> => ({ build });
}

/**
 * Runs a compiled query at once on a connection the caller already holds, without Kysely's
 * executor. SQLite only (see `sqliteDirectRunner`): the writer holds the one connection for the
 * whole transaction, and on that path Kysely's chain of awaits per statement cost four times
 * what SQLite took to run it.
 */
export type DirectRunner = (query: CompiledQuery) => QueryResult<unknown>;

/** Marks an insert the connection may send later, with the next statement (see `deferringInserts`). */
const deferredInsert = Symbol('vigil.deferredInsert');
/** Marks a query that only asks the connection to send what it holds back. */
const flushPoint = Symbol('vigil.flushPoint');

type Marked = CompiledQuery & { readonly [deferredInsert]?: true; readonly [flushPoint]?: true };

/** Whether `query` is an insert the writer allows to be sent later, combined with the next statement. */
export function isDeferredInsert(query: CompiledQuery): boolean {
  return (query as Marked)[deferredInsert] === true;
}

/** Whether `query` is the writer's flush point: send what is held, and nothing else. */
export function isFlushPoint(query: CompiledQuery): boolean {
  return (query as Marked)[flushPoint] === true;
}

/** `query`, marked as an insert the connection may send later, combined with the next statement. */
export function asDeferredInsert(query: CompiledQuery): CompiledQuery {
  const marked: Marked = { ...query, [deferredInsert]: true };
  return marked;
}

/** The writer's flush point. On a connection that holds nothing back, it is a harmless statement. */
const flushMarked: Marked = { ...CompiledQuery.raw('select 1'), [flushPoint]: true };
export const flushQuery: CompiledQuery = flushMarked;

interface Caches {
  readonly compiled: Map<unknown, Compiled>;
  readonly writes: Map<string, { readonly columns: readonly string[]; readonly compiled: Compiled }[]>;
}

/** The compiled forms of one store's prepared queries, and the runner for them. */
export class PreparedStatements {
  readonly #caches: Caches;
  readonly #direct: DirectRunner | undefined;
  readonly #deferring: boolean;
  /** Stand-ins: any property read gives the marker for that name. */
  readonly #slots = new Proxy({}, { get: (_target, name) => `${markerPrefix}${String(name)}` });

  constructor(shared?: { readonly caches: Caches; readonly direct?: DirectRunner; readonly deferring?: boolean }) {
    this.#caches = shared?.caches ?? { compiled: new Map(), writes: new Map() };
    this.#direct = shared?.direct;
    this.#deferring = shared?.deferring ?? false;
  }

  /**
   * The same compiled queries, with every `insert` marked as one the connection may send later,
   * combined with the next statement (PostgreSQL: src/store/postgres/combining-dialect.ts). Only
   * for the store's writer, which never reads back an insert's outcome and calls `flush` at the
   * end of each unit, so that an insert that fails fails its own unit.
   */
  deferringInserts(): PreparedStatements {
    return new PreparedStatements({ caches: this.#caches, deferring: true });
  }

  /** Sends what the connection holds back (nothing to do unless `deferringInserts`). */
  async flush(db: Kysely<Database>): Promise<void> {
    if (this.#deferring) await db.executeQuery(flushQuery);
  }

  /**
   * The same compiled queries, run by `direct` instead of the connection given to each call.
   * Only for a caller that holds the one connection `direct` runs on for as long as it uses
   * the result: the store's writer inside its transaction. Anyone else must wait for the
   * connection, or would read the writer's uncommitted rows.
   */
  runningOn(direct: DirectRunner): PreparedStatements {
    return new PreparedStatements({ caches: this.#caches, direct });
  }

  #execute<Row>(db: Kysely<Database>, query: CompiledQuery): QueryResult<Row> | Promise<QueryResult<Row>> {
    return this.#direct === undefined ? db.executeQuery<Row>(query) : (this.#direct(query) as QueryResult<Row>);
  }

  /** Runs `query` with `args` on `db` (a connection or the pool); returns its rows. */
  async rows<Args, Row>(db: Kysely<Database>, query: PreparedQuery<Args, Row>, args: Args): Promise<Row[]> {
    let compiled = this.#caches.compiled.get(query);
    if (compiled === undefined) {
      compiled = compile(query.build(db, this.#slots as Args).compile());
      this.#caches.compiled.set(query, compiled);
    }
    const result = await this.#execute<Row>(db, withValues(compiled, args as Record<string, unknown>));
    return result.rows;
  }

  /** Inserts one row into `table`. The columns are the row's own keys; each set of keys is compiled once. */
  async insert(db: Kysely<Database>, table: keyof Database, row: object): Promise<void> {
    await this.#write(db, {
      what: `insert ${table}`,
      given: row,
      build: (args) => db.insertInto(table).values(this.#slotsOf(args)),
      deferrable: this.#deferring,
    });
  }

  /** Sets the columns of `changes` on the rows of `target.table` whose `target.key` column equals `target.value`; returns how many it changed. */
  async update(db: Kysely<Database>, target: { readonly table: keyof Database; readonly key: string; readonly value: unknown }, changes: object): Promise<number> {
    const whereSlot = `where:${target.key}`;
    return this.#write(db, {
      what: `update ${target.table} ${target.key}`,
      given: { ...changes, [whereSlot]: target.value },
      build: (args) =>
        db
          .updateTable(target.table)
          .set(this.#slotsOf(args, whereSlot) as never)
          .where(target.key as never, '=', `${markerPrefix}${whereSlot}` as never),
    });
  }

  /** A statement without values (`savepoint`, `commit`). */
  async statement(db: Kysely<Database>, sqlText: string): Promise<void> {
    let compiled = this.#caches.compiled.get(sqlText);
    if (compiled === undefined) {
      compiled = { query: CompiledQuery.raw(sqlText), parameters: [] };
      this.#caches.compiled.set(sqlText, compiled);
    }
    await this.#execute(db, compiled.query);
  }

  async #write(
    db: Kysely<Database>,
    write: { readonly what: string; readonly given: object; readonly build: (args: object) => Compilable<unknown>; readonly deferrable?: boolean },
  ): Promise<number> {
    const args = withoutUndefined(write.given);
    const columns = Object.keys(args);
    // Each `what` has a few column sets at most (usually one): find this one's by comparing names.
    let variants = this.#caches.writes.get(write.what);
    if (variants === undefined) this.#caches.writes.set(write.what, (variants = []));
    let compiled = variants.find((v) => sameColumns(v.columns, columns))?.compiled;
    if (compiled === undefined) {
      compiled = compile(write.build(args).compile());
      variants.push({ columns, compiled });
    }
    const query = withValues(compiled, args as Record<string, unknown>);
    const result = await this.#execute(db, write.deferrable === true ? asDeferredInsert(query) : query);
    return Number(result.numAffectedRows ?? 0);
  }

  #slotsOf(row: object, except?: string): Record<string, string> {
    return Object.fromEntries(
      Object.keys(row)
        .filter((column) => column !== except)
        .map((column) => [column, `${markerPrefix}${column}`]),
    );
  }
}

/** As Kysely's builder does, a column whose value is undefined is left out. */
function withoutUndefined(row: object): object {
  for (const value of Object.values(row)) if (value === undefined) return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
  return row;
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function compile(query: CompiledQuery): Compiled {
  return {
    query,
    parameters: query.parameters.map((value) =>
      typeof value === 'string' && value.startsWith(markerPrefix) ? { slot: value.slice(markerPrefix.length) } : { value },
    ),
  };
}

function withValues(compiled: Compiled, args: Readonly<Record<string, unknown>>): CompiledQuery {
  const parameters = new Array<unknown>(compiled.parameters.length);
  compiled.parameters.forEach((p, i) => {
    if ('value' in p) parameters[i] = p.value;
    else if (p.slot in args) parameters[i] = args[p.slot];
    else throw new Error(`prepared query: no value for ${p.slot}`);
  });
  return { ...compiled.query, parameters };
}

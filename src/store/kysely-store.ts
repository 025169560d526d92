import { sql, type Kysely } from 'kysely';
import { VigilError, isVigilError } from '../core/errors.js';
import type { Store, StoreTx, WriteBatch } from '../core/store.js';
import { KyselyReader } from './kysely-reader.js';
import { KyselyTx } from './kysely-tx.js';
import { PreparedStatements, type DirectRunner } from './prepared.js';
import type { Database } from './schema.js';
import type { WriteLock } from './write-lock.js';

interface PendingUnit {
  readonly work: (tx: StoreTx) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

export interface KyselyStoreOptions {
  readonly db: Kysely<Database>;
  readonly lock: WriteLock;
  /** Most write units committed together in one transaction. */
  readonly maxBatch?: number;
  /** Releases the driver (closes the SQLite file or the pool). */
  readonly destroy?: () => Promise<void>;
  /**
   * Makes what has been committed durable (SQLite: an fsync of the write-ahead log, on a worker
   * thread). A batch's units are answered only after it resolves, but the next batch is written
   * meanwhile: the event loop does not wait for the disk. Without it, a commit is durable when
   * it returns. A committed batch is visible to readers during its sync; what Vigil does outside
   * (a delivery from the outbox) follows a write of its own, which is answered only after a sync
   * that covers every commit before it.
   */
  readonly sync?: () => Promise<void>;
  /**
   * Runs the writer's prepared statements on the connection it holds, without Kysely's executor
   * (SQLite, whose one connection is the writer's for the whole transaction).
   */
  readonly direct?: DirectRunner;
  /**
   * Lets the writer's inserts be sent with its next statement (PostgreSQL, with
   * `CombiningPostgresDialect`: one round trip for several writes).
   */
  readonly deferInserts?: boolean;
  /**
   * The driver takes several statements without parameters in one string (PostgreSQL's simple
   * query protocol): a unit's `release savepoint` and the next unit's `savepoint` then go in one
   * round trip.
   */
  readonly multipleStatements?: boolean;
}

/**
 * The Store over Kysely, for both dialects.
 *
 * Writes go through a group commit: units that arrive while a transaction is running queue up and
 * are committed together in the next transaction, each inside its own savepoint. One commit (one
 * fsync) then acknowledges many units, which is what lets a durable store keep up with an
 * in-memory one. A unit that throws rolls back to its savepoint and fails alone. Where the
 * adapter makes commits durable with a separate `sync` (SQLite), a batch is answered after its
 * sync, and the next batch is written while the disk works.
 */
export class KyselyStore implements Store {
  readonly read: KyselyReader;
  readonly #db: Kysely<Database>;
  readonly #lock: WriteLock;
  readonly #maxBatch: number;
  readonly #destroy: (() => Promise<void>) | undefined;
  readonly #sync: (() => Promise<void>) | undefined;
  readonly #prepared = new PreparedStatements();
  /** The same statements as the writer runs them, inside its transaction. */
  readonly #writing: PreparedStatements;
  readonly #multipleStatements: boolean;
  readonly #commit: string;
  #queue: PendingUnit[] = [];
  #draining = false;
  #closed = false;
  /** The last committed batch's answer (after its sync); the next one waits for it, and so does close(). */
  #answered: Promise<void> = Promise.resolve();
  /** Set when a sync failed: the store takes no more writes (see #commitBatch). */
  #broken: VigilError | undefined;
  readonly #batchListeners: ((batch: WriteBatch) => void)[] = [];

  constructor(options: KyselyStoreOptions) {
    this.#db = options.db;
    this.#lock = options.lock;
    this.#maxBatch = options.maxBatch ?? 500;
    this.#destroy = options.destroy;
    this.#sync = options.sync;
    this.#writing =
      options.direct !== undefined ? this.#prepared.runningOn(options.direct) : options.deferInserts === true ? this.#prepared.deferringInserts() : this.#prepared;
    this.#multipleStatements = options.multipleStatements ?? false;
    // PostgreSQL answers COMMIT in a transaction an error has aborted with a silent ROLLBACK, so a
    // lone unit that caught a database error and went on would be told it was kept. A statement
    // ahead of the commit, in the same round trip, fails instead, and nothing is answered as kept.
    // (A unit in a batch has its savepoint's release to fail.)
    this.#commit = this.#multipleStatements ? 'select 1; commit' : 'commit';
    this.read = new KyselyReader(options.db, this.#prepared);
  }

  get db(): Kysely<Database> {
    return this.#db;
  }

  write<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new VigilError('STORE_UNAVAILABLE', 'the store is closed', { retryable: true }));
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#draining) {
        this.#draining = true;
        // Start on the next turn of the event loop, not now: the requests already read in this
        // turn then join the same transaction instead of each paying for a commit of its own.
        setImmediate(() => void this.#drain());
      }
    });
  }

  onWriteBatch(listener: (batch: WriteBatch) => void): void {
    this.#batchListeners.push(listener);
  }

  #tell(batch: WriteBatch): void {
    for (const listener of this.#batchListeners) {
      try {
        listener(batch);
      } catch {
        // A listener (metrics) must not cost the writes anything.
      }
    }
  }

  async ping(): Promise<void> {
    if (this.#broken !== undefined) throw this.#broken;
    try {
      await sql`select 1`.execute(this.#db);
    } catch (cause) {
      throw unavailable(cause);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    while (this.#draining) await new Promise((r) => setTimeout(r, 5));
    await this.#answered;
    await this.#destroy?.();
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.#maxBatch);
        await this.#commitBatch(batch);
        // Let the event loop read the requests that arrived during the commit before taking
        // the next batch; the database drivers' awaits alone never yield to I/O.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.#draining = false;
    }
  }

  async #commitBatch(batch: readonly PendingUnit[]): Promise<void> {
    if (this.#broken !== undefined) {
      for (const unit of batch) unit.reject(this.#broken);
      return;
    }
    let outcomes: Outcome[];
    const started = performance.now();
    try {
      outcomes = await this.#db.connection().execute(async (conn) => {
        await this.#lock.begin(conn);
        try {
          const tx = new KyselyTx(conn, this.#writing);
          const results = batch.length === 1 ? [await this.#runAlone(batch[0]!, tx, conn)] : await this.#runInSavepoints(batch, tx, conn);
          // A lone unit that failed has nothing worth committing. Through Kysely's queue, not the
          // writer's direct path: a unit that failed may have left a builder query waiting for the
          // connection (one of a Promise.all), and it must run before the transaction ends.
          await this.#prepared.statement(conn, results.some((r) => r.ok) ? this.#commit : 'rollback');
          return results;
        } catch (error) {
          await sql`rollback`.execute(conn).catch(() => undefined);
          throw error;
        }
      });
    } catch (error) {
      // The transaction itself failed (begin, savepoint or commit): nothing of the batch is kept.
      for (const unit of batch) unit.reject(isVigilError(error) ? error : unavailable(error));
      this.#tell({ units: batch.length, failed: batch.length, commitSeconds: (performance.now() - started) / 1000, syncSeconds: undefined });
      return;
    }
    const commitSeconds = (performance.now() - started) / 1000;
    const failed = outcomes.filter((o) => !o.ok).length;
    if (this.#sync === undefined || failed === outcomes.length) {
      settle(batch, outcomes);
      this.#tell({ units: batch.length, failed, commitSeconds, syncSeconds: undefined });
      return;
    }
    let syncSeconds = 0;
    const sync = this.#sync().then(() => {
      syncSeconds = (performance.now() - started) / 1000 - commitSeconds;
    });
    // Batches are answered in commit order: a later batch's sync may finish first, but its log
    // frames come after this one's, so it is kept only if every earlier sync succeeded too.
    const synced = Promise.all([sync, this.#answered]).then(
      () => {
        const kept = this.#broken === undefined;
        if (kept) settle(batch, outcomes);
        else rejectKept(batch, outcomes, this.#broken!);
        this.#tell({ units: batch.length, failed: kept ? failed : batch.length, commitSeconds, syncSeconds });
      },
      // Committed but perhaps not on disk, and after a failed fsync the kernel may have dropped
      // the pages and cleared the error, so a later sync would succeed over a hole in the log.
      // As PostgreSQL does, stop: no unit is told it was kept, and no later write is taken.
      (error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        this.#broken ??= new VigilError('STORE_UNAVAILABLE', `a commit could not be synced to disk (${reason}); the store takes no more writes until Vigil restarts`, {
          cause: error,
          retryable: false,
        });
        rejectKept(batch, outcomes, this.#broken);
        this.#tell({ units: batch.length, failed: batch.length, commitSeconds, syncSeconds: undefined });
      },
    );
    this.#answered = synced;
  }

  async #runInSavepoints(batch: readonly PendingUnit[], tx: KyselyTx, conn: Kysely<Database>): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    /** Whether the savepoint for the next unit was taken with the last one's release. */
    let taken = false;
    for (const [i, unit] of batch.entries()) {
      if (!taken) await this.#writing.statement(conn, 'savepoint unit');
      taken = false;
      try {
        const value = await unit.work(tx);
        await this.#writing.flush(conn);
        if (this.#multipleStatements && i < batch.length - 1) {
          await this.#writing.statement(conn, 'release savepoint unit; savepoint unit');
          taken = true;
        } else {
          await this.#writing.statement(conn, 'release savepoint unit');
        }
        outcomes.push({ ok: true, value });
      } catch (error) {
        // (`taken` is still false: a chained release that fails takes no savepoint.)
        // Through Kysely's queue (see the commit): what the unit left waiting is rolled back too.
        await this.#prepared.statement(conn, 'rollback to savepoint unit');
        tx.forgetRemembered();
        await this.#prepared.statement(conn, 'release savepoint unit');
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  }

  async #runAlone(unit: PendingUnit, tx: StoreTx, conn: Kysely<Database>): Promise<Outcome> {
    try {
      const value = await unit.work(tx);
      // An insert held back that fails must fail this unit, not the commit after it.
      await this.#writing.flush(conn);
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error };
    }
  }
}

/** Rejects the units that would have been kept with `error`; the failed ones keep their own. */
function rejectKept(batch: readonly PendingUnit[], outcomes: readonly Outcome[], error: VigilError): void {
  batch.forEach((unit, i) => {
    const outcome = outcomes[i]!;
    unit.reject(outcome.ok ? error : outcome.error);
  });
}

function settle(batch: readonly PendingUnit[], outcomes: readonly Outcome[]): void {
  batch.forEach((unit, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) unit.resolve(outcome.value);
    else unit.reject(outcome.error);
  });
}

function unavailable(cause: unknown): VigilError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new VigilError('STORE_UNAVAILABLE', `the store did not answer: ${reason}`, { cause, retryable: true });
}

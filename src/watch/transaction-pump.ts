import type { Transaction } from '../core/transaction.js';
import { sleep } from './sleep.js';
import type { TransactionStream } from './transaction-stream.js';

/** The part of `TransactionIntake` the pump drives. */
export interface TransactionSink {
  add(tx: Transaction): Promise<void>;
  /** Fails with what can be tried again kept for the next call (see `TransactionIntake`). */
  flush(): Promise<void>;
  /** What a failed flush kept for the next one. */
  readonly unfinished: { readonly transactions: number; readonly findings: number };
  /** Transactions and findings given up since start (a count that only grows). */
  readonly givenUp: number;
  /** Gives up the work a failed flush kept. */
  discard(): void;
}

/**
 * Waits before each new try of a failed commit: 1, 2, 4, 8 and 16 seconds, about half a minute
 * in all, long enough for a detection thread to start over or a database to come back.
 */
export const commitRetryDelaysMs: readonly number[] = [1_000, 2_000, 4_000, 8_000, 16_000];

/**
 * Drains a stream into a transaction intake until the stream is closed and empty. The intake
 * commits a batch when it fills; the pump also commits whenever the stream runs dry, so a quiet
 * chain's findings are alerts within one poll, not after 500 more transactions.
 *
 * A failed commit (the detectors refused the batch, or the database did not take its findings) is
 * tried again after each of `retryDelaysMs`, for as long as the intake keeps the batch (it keeps
 * what can be tried again without counting anything twice). The pump takes nothing more from the
 * stream while it waits, so the stream fills and the watcher writing to it waits too: a short
 * outage delays findings and loses none. A batch the intake gave up, or that failed every try, is
 * lost (the watcher goes on, but its progress is no longer saved, so the next start processes
 * those blocks again). `signal` cuts the waits short, for a stop: one last try, then the batch is
 * given up.
 */
export async function pumpTransactions(options: {
  readonly stream: TransactionStream;
  readonly sink: TransactionSink;
  /** Told of every failed try; `retrying` is false for the last one, whose batch is given up. */
  readonly onError: (error: unknown, retrying: boolean) => void;
  /**
   * Told, after each commit, how many transactions the pump has taken from the stream so far: all
   * of them are in. Never again once a transaction's findings were lost (a batch given up):
   * progress past them must not be saved, so a restart takes them again.
   */
  readonly onCommitted?: (taken: number) => void;
  /** Waits before each new try of a failed commit. Default `commitRetryDelaysMs`. */
  readonly retryDelaysMs?: readonly number[];
  readonly signal?: AbortSignal;
}): Promise<void> {
  const { stream, sink, signal } = options;
  const delays = options.retryDelaysMs ?? commitRetryDelaysMs;
  let taken = 0;
  let lost = false;
  /**
   * Tries the failed commit again until it goes through or the tries run out. A sink that gave
   * anything up since `givenUpBefore` (before the first failed try) has lost findings: no more
   * tries then, even if it keeps other work.
   */
  const recover = async (error: unknown, givenUpBefore: number): Promise<void> => {
    for (const delay of delays) {
      const kept = sink.unfinished.transactions + sink.unfinished.findings > 0;
      if (!kept || sink.givenUp > givenUpBefore) break;
      options.onError(error, true);
      // At once when stopping: one last try.
      await sleep(delay, signal);
      try {
        await sink.flush();
        return;
      } catch (again) {
        error = again;
      }
      if (signal?.aborted === true) break;
    }
    options.onError(error, false);
    sink.discard();
    lost = true;
  };
  const flush = async (): Promise<void> => {
    const givenUp = sink.givenUp;
    try {
      await sink.flush();
    } catch (error) {
      await recover(error, givenUp);
    }
    if (!lost) options.onCommitted?.(taken);
  };
  for await (const tx of stream) {
    taken += 1;
    const givenUp = sink.givenUp;
    try {
      await sink.add(tx);
    } catch (error) {
      await recover(error, givenUp);
      // Recovered, the failed flush took in everything taken so far.
      if (!lost) options.onCommitted?.(taken);
      continue;
    }
    if (stream.size === 0) await flush();
  }
  await flush();
}

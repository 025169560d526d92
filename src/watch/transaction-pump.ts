import type { Transaction } from '../core/transaction.js';
import type { TransactionStream } from './transaction-stream.js';

/** The part of `TransactionIntake` the pump drives. */
export interface TransactionSink {
  add(tx: Transaction): Promise<void>;
  flush(): Promise<void>;
}

/**
 * Drains a stream into a transaction intake until the stream is closed and empty. The intake
 * commits a batch when it fills; the pump also commits whenever the stream runs dry, so a quiet
 * chain's findings are alerts within one poll, not after 500 more transactions. A failed commit
 * is reported and the pump goes on (those findings are lost; the watcher is not stopped, but its
 * progress is no longer saved, so the next start processes those blocks again).
 */
export async function pumpTransactions(options: {
  readonly stream: TransactionStream;
  readonly sink: TransactionSink;
  readonly onError: (error: unknown) => void;
  /**
   * Told, after each commit, how many transactions the pump has taken from the stream so far: all
   * of them are in. Never again once a transaction's findings were lost (a failed add or commit):
   * progress past them must not be saved, so a restart takes them again.
   */
  readonly onCommitted?: (taken: number) => void;
}): Promise<void> {
  const { stream, sink } = options;
  let taken = 0;
  let lost = false;
  const onError = (error: unknown): void => {
    lost = true;
    options.onError(error);
  };
  const flush = async (): Promise<void> => {
    try {
      await sink.flush();
      if (!lost) options.onCommitted?.(taken);
    } catch (error) {
      onError(error);
    }
  };
  for await (const tx of stream) {
    taken += 1;
    try {
      await sink.add(tx);
    } catch (error) {
      onError(error);
      continue;
    }
    if (stream.size === 0) await flush();
  }
  await flush();
}

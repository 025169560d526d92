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
 * is reported and the pump goes on (those findings are lost; the watcher is not stopped).
 */
export async function pumpTransactions(options: {
  readonly stream: TransactionStream;
  readonly sink: TransactionSink;
  readonly onError: (error: unknown) => void;
}): Promise<void> {
  const { stream, sink, onError } = options;
  for await (const tx of stream) {
    try {
      await sink.add(tx);
      if (stream.size === 0) await sink.flush();
    } catch (error) {
      onError(error);
    }
  }
  try {
    await sink.flush();
  } catch (error) {
    onError(error);
  }
}

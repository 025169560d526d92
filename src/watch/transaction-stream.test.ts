import { describe, expect, it } from 'vitest';
import type { AccountTransaction } from '../core/transaction.js';
import { isVigilError } from '../core/errors.js';
import { pumpTransactions } from './transaction-pump.js';
import { TransactionStream } from './transaction-stream.js';

function tx(n: number): AccountTransaction {
  return {
    kind: 'account',
    chain: 'ethereum',
    hash: `0x${n}`,
    asset: 'ETH',
    decimals: 18,
    fee: 0n,
    block: n,
    timestamp: n,
    status: 'success',
    from: '0xa',
    to: '0xb',
    amount: BigInt(n),
    nonce: null,
    tokenContract: null,
    logs: [],
  };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the transaction stream', () => {
  it('makes a writer wait while the queue is full and lets it in once the consumer reads', async () => {
    const stream = new TransactionStream({ capacity: 2 });
    await stream.write(tx(1));
    await stream.write(tx(2));
    let third = false;
    const writing = stream.write(tx(3)).then(() => {
      third = true;
    });
    await settle();
    expect(third).toBe(false);
    expect(stream.size).toBe(2);

    const reader = stream[Symbol.asyncIterator]();
    expect((await reader.next()).value).toMatchObject({ hash: '0x1' });
    await writing;
    expect(third).toBe(true);
    expect(stream.size).toBe(2);
  });

  it('hands transactions to the consumer in the order they were written', async () => {
    const stream = new TransactionStream({ capacity: 3 });
    const written = (async () => {
      for (let i = 1; i <= 10; i += 1) await stream.write(tx(i));
      stream.close();
    })();
    const read: string[] = [];
    for await (const t of stream) read.push(t.hash);
    await written;
    expect(read).toEqual(Array.from({ length: 10 }, (_, i) => `0x${i + 1}`));
  });

  it('ends the iteration after the queued transactions once closed, and refuses later writes', async () => {
    const stream = new TransactionStream({ capacity: 5 });
    await stream.write(tx(1));
    stream.close();
    const read: string[] = [];
    for await (const t of stream) read.push(t.hash);
    expect(read).toEqual(['0x1']);
    const error = await stream.write(tx(2)).then(() => undefined, (e: unknown) => e);
    expect(isVigilError(error, 'STREAM_CLOSED')).toBe(true);
  });

  it('releases a writer waiting for room when the stream closes, without taking its transaction', async () => {
    const stream = new TransactionStream({ capacity: 1 });
    await stream.write(tx(1));
    const waiting = stream.write(tx(2)).then(() => 'taken', (e: unknown) => (isVigilError(e, 'STREAM_CLOSED') ? 'refused' : 'other'));
    stream.close();
    expect(await waiting).toBe('refused');
    expect(stream.size).toBe(1);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new TransactionStream({ capacity: 0 })).toThrow(RangeError);
  });
});

describe('pumping a stream into an intake', () => {
  it('commits whenever the stream runs dry, and once more at the end', async () => {
    const stream = new TransactionStream({ capacity: 10 });
    const log: string[] = [];
    const sink = {
      add: (t: AccountTransaction) => {
        log.push(`add ${t.hash}`);
        return Promise.resolve();
      },
      flush: () => {
        log.push('flush');
        return Promise.resolve();
      },
      unfinished: { transactions: 0, findings: 0 },
      givenUp: 0,
      discard: () => undefined,
    };
    await stream.write(tx(1));
    await stream.write(tx(2));
    const pumping = pumpTransactions({ stream, sink, onError: () => undefined });
    await settle();
    expect(log).toEqual(['add 0x1', 'add 0x2', 'flush']);
    await stream.write(tx(3));
    stream.close();
    await pumping;
    expect(log).toEqual(['add 0x1', 'add 0x2', 'flush', 'add 0x3', 'flush', 'flush']);
  });
});

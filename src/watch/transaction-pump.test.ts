import { describe, expect, it } from 'vitest';
import type { Integration } from '../core/access.js';
import type { Transaction } from '../core/transaction.js';
import { TransactionIntake } from '../detect/transaction-intake.js';
import { detectionFailed } from '../detect/transaction-detection.js';
import { pumpTransactions, type TransactionSink } from './transaction-pump.js';
import { TransactionStream } from './transaction-stream.js';

function tx(n: number): Transaction {
  return { kind: 'account', chain: 'ethereum', hash: `0x${n}`, asset: 'ETH', decimals: 18, fee: 0n, block: n, timestamp: n, status: 'success', from: '0xa', to: '0xb', amount: 1n, nonce: null, tokenContract: null, logs: [] };
}

/**
 * A sink that commits on every flush and keeps what a failed flush left, as `TransactionIntake`
 * does (a flush with nothing left does nothing); its flushes fail while `failures` lasts.
 */
class FlakySink implements TransactionSink {
  readonly committed: number[] = [];
  pending: number[] = [];
  flushes = 0;
  constructor(public failures: number) {}
  add(t: Transaction): Promise<void> {
    this.pending.push(t.block);
    return Promise.resolve();
  }
  flush(): Promise<void> {
    if (this.pending.length === 0) return Promise.resolve();
    this.flushes += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error(`commit ${this.flushes} failed`));
    }
    this.committed.push(...this.pending);
    this.pending = [];
    return Promise.resolve();
  }
  givenUp = 0;
  get unfinished() {
    return { transactions: this.pending.length, findings: 0 };
  }
  discard(): void {
    this.givenUp += this.pending.length;
    this.pending = [];
  }
}

/**
 * A sink whose failing step (`add`, as when a batch fills, or `flush`) drops half its work as not
 * worth trying again and keeps the rest.
 */
function halfDropping(step: 'add' | 'flush') {
  const state = { givenUp: 0, kept: 0, failures: 0 };
  const fail = () => {
    state.failures += 1;
    state.givenUp += 1;
    state.kept = 1;
    return Promise.reject(new Error('the store refuses writes'));
  };
  const sink: TransactionSink = {
    add: () => {
      if (step === 'add') return fail();
      state.kept += 2;
      return Promise.resolve();
    },
    flush: () => (state.kept === 0 ? Promise.resolve() : fail()),
    get unfinished() {
      return { transactions: state.kept, findings: 0 };
    },
    get givenUp() {
      return state.givenUp;
    },
    discard: () => {
      state.givenUp += state.kept;
      state.kept = 0;
    },
  };
  return { sink, state };
}

/** `sink` as an intake whose batch fills at every transaction: each add flushes. */
function flushingOnAdd(sink: FlakySink): TransactionSink {
  return {
    add: async (t) => {
      await sink.add(t);
      await sink.flush();
    },
    flush: () => sink.flush(),
    get unfinished() {
      return sink.unfinished;
    },
    get givenUp() {
      return sink.givenUp;
    },
    discard: () => sink.discard(),
  };
}

async function run(input: { sink: FlakySink; blocks: number[]; retryDelaysMs: readonly number[]; signal?: AbortSignal }) {
  const stream = new TransactionStream({ capacity: 100 });
  const errors: { message: string; retrying: boolean }[] = [];
  const commits: number[] = [];
  const pump = pumpTransactions({
    stream,
    sink: input.sink,
    onError: (error, retrying) => errors.push({ message: (error as Error).message, retrying }),
    onCommitted: (taken) => commits.push(taken),
    retryDelaysMs: input.retryDelaysMs,
    ...(input.signal === undefined ? {} : { signal: input.signal }),
  });
  for (const n of input.blocks) await stream.write(tx(n));
  stream.close();
  await pump;
  return { errors, commits };
}

describe('pumpTransactions', () => {
  it('tries a failed commit again after each delay until it goes through, losing nothing', async () => {
    const sink = new FlakySink(2);
    const { errors, commits } = await run({ sink, blocks: [1, 2, 3], retryDelaysMs: [1, 1, 1] });
    expect(sink.committed).toEqual([1, 2, 3]);
    expect(errors).toEqual([
      { message: 'commit 1 failed', retrying: true },
      { message: 'commit 2 failed', retrying: true },
    ]);
    expect(commits.at(-1)).toBe(3);
  });

  it('gives the batch up once every try failed, reports no commit after it, and goes on draining the stream', async () => {
    const sink = new FlakySink(3);
    const stream = new TransactionStream({ capacity: 100 });
    const errors: boolean[] = [];
    const commits: number[] = [];
    const pump = pumpTransactions({ stream, sink, onError: (_e, retrying) => errors.push(retrying), onCommitted: (taken) => commits.push(taken), retryDelaysMs: [1, 1] });
    await stream.write(tx(1));
    await expect.poll(() => errors).toEqual([true, true, false]);
    await stream.write(tx(2));
    stream.close();
    await pump;
    // Block 1 was given up; block 2 is committed, but no progress is reported past a lost batch.
    expect(sink.committed).toEqual([2]);
    expect(commits).toEqual([]);
  });

  it('with no delays, a failed commit is given up at once', async () => {
    const sink = new FlakySink(1);
    const { errors } = await run({ sink, blocks: [1], retryDelaysMs: [] });
    expect(errors).toEqual([{ message: 'commit 1 failed', retrying: false }]);
    expect(sink.committed).toEqual([]);
  });

  it('a stop cuts the wait short: one last try, then the batch is given up', async () => {
    const sink = new FlakySink(10);
    const stop = new AbortController();
    const stream = new TransactionStream({ capacity: 100 });
    const errors: boolean[] = [];
    const pump = pumpTransactions({ stream, sink, onError: (_e, retrying) => errors.push(retrying), retryDelaysMs: [60_000, 60_000], signal: stop.signal });
    await stream.write(tx(1));
    await expect.poll(() => errors).toEqual([true]);
    const started = performance.now();
    stop.abort();
    stream.close();
    await pump;
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(sink.flushes).toBe(2);
    expect(errors).toEqual([true, false]);
  });

  it('after a failed add recovers, reports the commit without waiting for the stream to run dry', async () => {
    const sink = new FlakySink(1);
    const failingAdd = flushingOnAdd(sink);
    const stream = new TransactionStream({ capacity: 100 });
    const commits: number[] = [];
    const pump = pumpTransactions({ stream, sink: failingAdd, onError: () => undefined, onCommitted: (taken) => commits.push(taken), retryDelaysMs: [1] });
    await stream.write(tx(1));
    await expect.poll(() => commits).toEqual([1]);
    stream.close();
    await pump;
    expect(sink.committed).toEqual([1]);
  });

  it('after a failed add is given up, reports no commit again', async () => {
    const sink = new FlakySink(1);
    const failingAdd = flushingOnAdd(sink);
    const stream = new TransactionStream({ capacity: 100 });
    const commits: number[] = [];
    const pump = pumpTransactions({ stream, sink: failingAdd, onError: () => undefined, onCommitted: (taken) => commits.push(taken), retryDelaysMs: [] });
    for (const n of [1, 2, 3]) await stream.write(tx(n));
    stream.close();
    await pump;
    expect(sink.committed).toEqual([2, 3]);
    expect(commits).toEqual([]);
  });

  it('reports the loss at once when a failed flush kept nothing to try again', async () => {
    const stream = new TransactionStream({ capacity: 100 });
    let flushes = 0;
    const sink: TransactionSink = {
      add: () => Promise.resolve(),
      flush: () => {
        flushes += 1;
        return flushes === 1 ? Promise.reject(new Error('the detectors threw')) : Promise.resolve();
      },
      unfinished: { transactions: 0, findings: 0 },
      givenUp: 0,
      discard: () => undefined,
    };
    const errors: boolean[] = [];
    const commits: number[] = [];
    const pump = pumpTransactions({ stream, sink, onError: (_e, retrying) => errors.push(retrying), onCommitted: (taken) => commits.push(taken), retryDelaysMs: [1, 1] });
    await stream.write(tx(1));
    await expect.poll(() => errors).toEqual([false]);
    await stream.write(tx(2));
    stream.close();
    await pump;
    expect(flushes).toBe(3);
    expect(commits).toEqual([]);
  });

  it.each(['flush', 'add'] as const)('stops trying once a failed %s gave something up, even while the sink keeps other work', async (step) => {
    const { sink, state } = halfDropping(step);
    const stream = new TransactionStream({ capacity: 100 });
    const errors: boolean[] = [];
    const pump = pumpTransactions({ stream, sink, onError: (_e, retrying) => errors.push(retrying), retryDelaysMs: [1, 1] });
    await stream.write(tx(1));
    stream.close();
    await pump;
    expect(errors).toEqual([false]);
    expect(state.failures).toBe(1);
  });

  describe('through the intake', () => {
    const integration: Integration = { id: 'int-1', kind: 'transactions', service: 'wallets', name: 'feed', keyHash: 'x', createdAt: 0, revokedAt: null };
    /** Detection that refuses its first `refusals` batches unseen, as a failed thread does. */
    const refusing = (refusals: number) => {
      const seen: number[] = [];
      return {
        seen,
        detect: (batch: readonly Transaction[]) => {
          if (refusals-- > 0) return Promise.reject(detectionFailed('the detection thread failed'));
          seen.push(...batch.map((t) => t.block));
          return Promise.resolve([]);
        },
      };
    };
    const intakeOn = (detection: ReturnType<typeof refusing>) => new TransactionIntake({ detection, integration, ingest: () => Promise.resolve([]) });

    it('a batch the detectors refused once goes to them again, once', async () => {
      const detection = refusing(1);
      const stream = new TransactionStream({ capacity: 100 });
      const errors: boolean[] = [];
      const pump = pumpTransactions({ stream, sink: intakeOn(detection), onError: (_e, retrying) => errors.push(retrying), retryDelaysMs: [1, 1, 1] });
      for (const n of [1, 2]) await stream.write(tx(n));
      stream.close();
      await pump;
      expect(detection.seen).toEqual([1, 2]);
      expect(errors).toEqual([true]);
    });

    it('a batch refused a second time is given up, not sent a third time', async () => {
      const detection = refusing(5);
      const stream = new TransactionStream({ capacity: 100 });
      const errors: boolean[] = [];
      const commits: number[] = [];
      const pump = pumpTransactions({ stream, sink: intakeOn(detection), onError: (_e, retrying) => errors.push(retrying), onCommitted: (taken) => commits.push(taken), retryDelaysMs: [1, 1, 1] });
      await stream.write(tx(1));
      await expect.poll(() => errors).toEqual([true, false]);
      stream.close();
      await pump;
      expect(detection.seen).toEqual([]);
      expect(commits).toEqual([]);
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { Integration } from '../core/access.js';
import type { AlertEvent } from '../core/alert.js';
import type { Finding } from '../core/finding.js';
import type { Transaction } from '../core/transaction.js';
import { TransactionIntake } from './transaction-intake.js';
import { detectionAnswerLost, detectionFailed, type TransactionDetection } from './transaction-detection.js';
import { VigilError } from '../core/errors.js';

const integration: Integration = { id: 'int-1', kind: 'transactions', service: 'wallets', name: 'feed', keyHash: 'x', createdAt: 0, revokedAt: null };

function tx(n: number): Transaction {
  return { kind: 'account', chain: 'ethereum', hash: `0x${n}`, asset: 'ETH', decimals: 18, fee: 0n, block: n, timestamp: n, status: 'success', from: `0xa${n}`, to: '0xb', amount: 1n, nonce: null, tokenContract: null, logs: [] };
}

/** A finding per transaction, named after it. */
function findingOf(t: Transaction): Finding {
  return { name: 'seen', description: t.hash, alertId: 'TEST', severity: 'Low', type: 'Info', metadata: {}, addresses: [], labels: [], detector: 'test', entity: t.hash, txHashes: [t.hash], at: t.timestamp };
}

/**
 * Detection whose batches finish only when the test says so (or at once with `auto`), and which
 * refuses unseen the batches whose first transaction is listed in `failing` (each only once
 * with `failOnce`).
 */
class SteppedDetection implements Pick<TransactionDetection, 'detect'> {
  readonly calls: number[] = [];
  readonly #waiting: { batch: readonly Transaction[]; resolve: (f: Finding[]) => void; reject: (e: Error) => void }[] = [];
  constructor(readonly options: { auto?: boolean; failing?: readonly number[]; failOnce?: boolean } = {}) {}
  detect(batch: readonly Transaction[]): Promise<Finding[]> {
    this.calls.push(batch[0]!.block);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ batch, resolve, reject });
      if (this.options.auto === true) this.finish(this.#waiting.length - 1);
    });
  }
  /** Finishes the `i`-th batch still waiting. */
  finish(i = 0): void {
    const [w] = this.#waiting.splice(i, 1);
    if (w === undefined) throw new Error('no batch waiting');
    const first = w.batch[0]!.block;
    if (this.options.failing?.includes(first) === true) {
      if (this.options.failOnce === true) this.options.failing = this.options.failing.filter((b) => b !== first);
      w.reject(detectionFailed(`detection of ${first} failed`));
    } else w.resolve(w.batch.map(findingOf));
  }
  get waiting(): number {
    return this.#waiting.length;
  }
}

/** The number of the transaction a committed finding's summary names (`tx(n)` is `0xn`). */
const txNumber = (summary: string) => /0x(\d+)/.exec(summary)?.[1];

/** An ingest that records each commit's summaries; `numbers` lists the transactions committed, in order. */
function recorder() {
  const committed: string[][] = [];
  const ingest = (_i: Integration, events: readonly AlertEvent[]) => {
    committed.push(events.map((e) => e.summary));
    return Promise.resolve(events.map(() => ({ outcome: 'opened' as const, alertId: 'a', incidentId: 'i' })));
  };
  return { committed, ingest, numbers: () => committed.flat().map(txNumber) };
}

/** An intake (batches of two) whose first batch, transactions 1 and 2, the detectors refused once, unseen: kept for a second try. */
async function refusedOnce() {
  const detection = new SteppedDetection({ auto: true, failing: [1] });
  const { ingest, numbers } = recorder();
  const intake = new TransactionIntake({ detection, integration, ingest, batchSize: 2 });
  await intake.add(tx(1));
  await expect(intake.add(tx(2))).rejects.toThrow('detection of 1 failed');
  return { detection, numbers, intake };
}

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
  return done;
};

describe('TransactionIntake', () => {
  it('sends a full batch to the detectors and returns from add only once its findings are committed', async () => {
    const detection = new SteppedDetection();
    const { committed, ingest, numbers } = recorder();
    const intake = new TransactionIntake({ detection, integration, ingest, batchSize: 2 });
    await intake.add(tx(1));
    expect(detection.calls).toEqual([]);
    // The batch is full: the caller (a streaming upload) reads no further until it is committed.
    const full = intake.add(tx(2));
    expect(detection.calls).toEqual([1]);
    expect(await settled(full)).toBe(false);
    detection.finish();
    expect(await settled(full)).toBe(true);
    expect(committed).toHaveLength(1);
    await intake.add(tx(3));
    const flushed = intake.flush();
    detection.finish();
    await flushed;
    expect(numbers()).toEqual(['1', '2', '3']);
    expect(intake.summary()).toMatchObject({ transactions: 3, findings: 3, outcomes: { opened: 3 } });
  });

  it('fails the add that sent a batch the detectors could not run, keeps the batch, and detects it again first at the next flush', async () => {
    const detection = new SteppedDetection({ auto: true, failing: [3] });
    const { ingest, numbers } = recorder();
    const intake = new TransactionIntake({ detection, integration, ingest, batchSize: 2 });
    for (let n = 1; n <= 3; n += 1) await intake.add(tx(n));
    await expect(intake.add(tx(4))).rejects.toThrow('detection of 3 failed');
    expect(intake.unfinished).toEqual({ transactions: 2, findings: 0 });
    // The detection thread started over: the batch goes to it again, before what came after it.
    detection.options.failing = [];
    await intake.add(tx(5));
    await intake.flush();
    expect(detection.calls).toEqual([1, 3, 3, 5]);
    expect(numbers()).toEqual(['1', '2', '3', '4', '5']);
    expect(intake.unfinished).toEqual({ transactions: 0, findings: 0 });
    expect(intake.summary()).toMatchObject({ transactions: 5, findings: 5 });
  });

  it('commits again, without detecting them again, findings whose commit failed', async () => {
    const detection = new SteppedDetection({ auto: true });
    const { committed, ingest } = recorder();
    let down = true;
    const flaky = (i: Integration, events: readonly AlertEvent[]) => (down ? Promise.reject(new Error('database is locked')) : ingest(i, events));
    const intake = new TransactionIntake({ detection, integration, ingest: flaky, batchSize: 2 });
    await intake.add(tx(1));
    await expect(intake.add(tx(2))).rejects.toThrow('database is locked');
    expect(intake.unfinished).toEqual({ transactions: 0, findings: 2 });
    await intake.add(tx(3));
    down = false;
    await intake.flush();
    expect(detection.calls).toEqual([1, 3]);
    expect(committed.map((batch) => batch.map(txNumber))).toEqual([['1', '2'], ['3']]);
    expect(intake.summary()).toMatchObject({ transactions: 3, findings: 3, outcomes: { opened: 3 } });
  });

  it('gives a batch up when the detectors refuse it a second time', async () => {
    const { detection, numbers, intake } = await refusedOnce();
    expect(intake.unfinished).toEqual({ transactions: 2, findings: 0 });
    await expect(intake.flush()).rejects.toThrow('detection of 1 failed');
    expect(intake.unfinished).toEqual({ transactions: 0, findings: 0 });
    expect(intake.givenUp).toBe(2);
    await intake.add(tx(3));
    await intake.flush();
    expect(detection.calls).toEqual([1, 1, 3]);
    expect(numbers()).toEqual(['3']);
  });

  it('keeps nothing the detectors already saw, nor findings the store refused for good', async () => {
    const seen = { detect: (batch: readonly Transaction[]) => Promise.reject(detectionAnswerLost(`findings of ${batch.length} cannot be copied`)) };
    const { ingest } = recorder();
    const answerLost = new TransactionIntake({ detection: seen, integration, ingest });
    await answerLost.add(tx(1));
    await expect(answerLost.flush()).rejects.toThrow('findings of 1 cannot be copied');
    expect(answerLost.unfinished).toEqual({ transactions: 0, findings: 0 });
    expect(answerLost.givenUp).toBe(1);

    const refusing = () => Promise.reject(new VigilError('STORE_UNAVAILABLE', 'the store refuses writes'));
    const refused = new TransactionIntake({ detection: new SteppedDetection({ auto: true }), integration, ingest: refusing });
    await refused.add(tx(1));
    await expect(refused.flush()).rejects.toThrow('the store refuses writes');
    expect(refused.unfinished).toEqual({ transactions: 0, findings: 0 });
    expect(refused.givenUp).toBe(1);
  });

  it('gives each refused batch its own second try', async () => {
    const detection = new SteppedDetection({ auto: true, failing: [1, 3], failOnce: true });
    const { ingest, numbers } = recorder();
    const intake = new TransactionIntake({ detection, integration, ingest, batchSize: 2 });
    await intake.add(tx(1));
    await expect(intake.add(tx(2))).rejects.toThrow('detection of 1 failed');
    await intake.flush();
    await intake.add(tx(3));
    await expect(intake.add(tx(4))).rejects.toThrow('detection of 3 failed');
    await intake.flush();
    expect(detection.calls).toEqual([1, 1, 3, 3]);
    expect(numbers()).toEqual(['1', '2', '3', '4']);
    expect(intake.givenUp).toBe(0);
  });

  it('sends a refused batch again before what was added while it was out', async () => {
    const detection = new SteppedDetection({ failing: [1], failOnce: true });
    const { ingest, numbers } = recorder();
    const intake = new TransactionIntake({ detection, integration, ingest, batchSize: 2 });
    await intake.add(tx(1));
    const refused = intake.add(tx(2));
    await intake.add(tx(3));
    detection.finish();
    await expect(refused).rejects.toThrow('detection of 1 failed');
    const flushed = intake.flush();
    for (let i = 0; i < 2; i += 1) {
      await expect.poll(() => detection.waiting).toBe(1);
      detection.finish();
    }
    await flushed;
    expect(numbers()).toEqual(['1', '2', '3']);
  });

  it('keeps the findings of overlapping flushes whose commits both failed', async () => {
    const detection = new SteppedDetection();
    const { ingest, numbers } = recorder();
    let down = true;
    const flaky = (i: Integration, events: readonly AlertEvent[]) => (down ? Promise.reject(new Error('database is locked')) : ingest(i, events));
    const intake = new TransactionIntake({ detection, integration, ingest: flaky, batchSize: 10 });
    await intake.add(tx(1));
    const first = intake.flush();
    await intake.add(tx(2));
    const second = intake.flush();
    detection.finish();
    detection.finish();
    await expect(first).rejects.toThrow('database is locked');
    await expect(second).rejects.toThrow('database is locked');
    expect(intake.unfinished).toEqual({ transactions: 0, findings: 2 });
    down = false;
    await intake.flush();
    expect(numbers().sort()).toEqual(['1', '2']);
  });

  it('keeps what was added after the failure where a flush stopped, and detects it next, in order', async () => {
    // The refused batch is refused again: given up; what came after it waits.
    const { numbers, intake } = await refusedOnce();
    await intake.add(tx(3));
    await expect(intake.flush()).rejects.toThrow('detection of 1 failed');
    expect(intake.unfinished).toEqual({ transactions: 1, findings: 0 });
    await intake.flush();
    expect(numbers()).toEqual(['3']);

    // The refused batch goes through but its commit fails: its findings wait, and so does what came after.
    const once = new SteppedDetection({ auto: true, failing: [1], failOnce: true });
    const later = recorder();
    let down = false;
    const flaky = (i: Integration, events: readonly AlertEvent[]) => (down ? Promise.reject(new Error('database is locked')) : later.ingest(i, events));
    const other = new TransactionIntake({ detection: once, integration, ingest: flaky, batchSize: 2 });
    await other.add(tx(1));
    await expect(other.add(tx(2))).rejects.toThrow('detection of 1 failed');
    down = true;
    await other.add(tx(3));
    await expect(other.add(tx(4))).rejects.toThrow('database is locked');
    expect(other.unfinished).toEqual({ transactions: 2, findings: 2 });
    down = false;
    await other.flush();
    expect(once.calls).toEqual([1, 1, 3]);
    expect(later.numbers()).toEqual(['1', '2', '3', '4']);
  });

  it('does not send again a batch whose detection failed with an error other than a refusal', async () => {
    const broken = { detect: () => Promise.reject(new Error('the detectors threw')) };
    const { ingest } = recorder();
    const intake = new TransactionIntake({ detection: broken, integration, ingest });
    await intake.add(tx(1));
    await intake.add(tx(2));
    await expect(intake.flush()).rejects.toThrow('the detectors threw');
    expect(intake.unfinished).toEqual({ transactions: 0, findings: 0 });
    expect(intake.givenUp).toBe(2);
  });

  it('discard gives up what a failed flush kept', async () => {
    const { detection, numbers, intake } = await refusedOnce();
    intake.discard();
    expect(intake.unfinished).toEqual({ transactions: 0, findings: 0 });
    expect(intake.givenUp).toBe(2);
    await intake.add(tx(3));
    await intake.flush();
    expect(detection.calls).toEqual([1, 3]);
    expect(numbers()).toEqual(['3']);
  });

  it('a flush with nothing added commits nothing and asks the detectors nothing', async () => {
    const detection = new SteppedDetection({ auto: true });
    const { committed, ingest } = recorder();
    const intake = new TransactionIntake({ detection, integration, ingest });
    await intake.flush();
    expect(detection.calls).toEqual([]);
    expect(committed).toEqual([]);
  });
});

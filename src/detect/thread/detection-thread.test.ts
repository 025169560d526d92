import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import { createDetectors } from '../detect-config.js';
import { DetectionEngine } from '../detection-engine.js';
import { simulateTransactions, worldDetectConfig } from '../simulate/simulator.js';
import { DetectionClosedError, InProcessDetection } from '../transaction-detection.js';
import { DetectionThread } from './detection-thread.js';

const count = 6_000;
const config = worldDetectConfig(21, count);
const stream: Transaction[] = [...simulateTransactions({ scenario: 'mixed', count, seed: 21 })].map((l) => l.tx);
const batches = (size: number) => Array.from({ length: Math.ceil(stream.length / size) }, (_, i) => stream.slice(i * size, (i + 1) * size));

describe('DetectionThread', () => {
  const threads: DetectionThread[] = [];
  const thread = (options: ConstructorParameters<typeof DetectionThread>[0]) => {
    const t = new DetectionThread(options);
    threads.push(t);
    return t;
  };
  afterEach(async () => {
    await Promise.all(threads.splice(0).map((t) => t.close()));
  });

  it('finds exactly what the engine finds on the caller’s thread, batch by batch, even with every batch sent at once', async () => {
    const local = new InProcessDetection(new DetectionEngine({ detectors: createDetectors(config) }));
    const expected: Finding[] = [];
    for (const batch of batches(500)) expected.push(...(await local.detect(batch)));
    expect(expected.length).toBeGreaterThan(10);

    const detection = thread({ config });
    // All at once: the thread must run them in the order given and answer each with its own.
    const found = await Promise.all(batches(500).map((batch) => detection.detect(batch)));
    expect(found.flat()).toEqual(expected);
  });

  it('keeps its detectors’ state between batches, as one stream', async () => {
    const detection = thread({ config });
    const whole = thread({ config });
    const inParts: Finding[] = [];
    for (const batch of batches(97)) inParts.push(...(await detection.detect(batch)));
    expect(inParts).toEqual(await whole.detect(stream));
  });

  it('applies the suppression filter to what the thread finds', async () => {
    const detection = thread({ config, filter: { keep: (f) => f.detector !== 'structuring' } });
    const all = await thread({ config }).detect(stream);
    const kept = await detection.detect(stream);
    expect(all.some((f) => f.detector === 'structuring')).toBe(true);
    expect(kept).toEqual(all.filter((f) => f.detector !== 'structuring'));
  });

  it('starts with the first batch, and refuses batches once closed', async () => {
    const detection = thread({ config });
    expect(detection.running).toBe(false);
    expect(await detection.detect([])).toEqual([]);
    expect(detection.running).toBe(false);
    await detection.detect(stream.slice(0, 10));
    expect(detection.running).toBe(true);
    await detection.close();
    expect(detection.running).toBe(false);
    await expect(detection.detect(stream.slice(0, 10))).rejects.toBeInstanceOf(DetectionClosedError);
  });

  it('refuses the batches of a thread that fails, tells why, and tries a fresh thread for the next batch', async () => {
    const errors: Error[] = [];
    // A config the thread cannot build its detectors from: the thread fails as it starts.
    const detection = thread({ config: { prices: 'not a price table' }, onError: (e) => errors.push(e) });
    await expect(detection.detect(stream.slice(0, 10))).rejects.toThrow(/prices/);
    expect(errors).toHaveLength(1);
    expect(detection.running).toBe(false);
    await expect(detection.detect(stream.slice(0, 10))).rejects.toThrow(/prices/);
    expect(errors).toHaveLength(2);
  });

  it('fails alone when its heap is full: the batch is refused, and the next batch gets a fresh thread', async () => {
    const errors: Error[] = [];
    const detection = thread({ config, maxHeapMb: 24, onError: (e) => errors.push(e) });
    // Every address new: each one is remembered by every detector, far past 24 MB.
    const flood = [...simulateTransactions({ scenario: 'background', count: 150_000, seed: 22, freshShare: 1 })].map((l) => l.tx);
    await expect(
      (async () => {
        for (let i = 0; i < flood.length; i += 10_000) await detection.detect(flood.slice(i, i + 10_000));
      })(),
    ).rejects.toThrow(/memory/i);
    expect(errors).toHaveLength(1);
    expect(detection.running).toBe(false);
    expect(await detection.detect(stream.slice(0, 100))).toEqual(await thread({ config }).detect(stream.slice(0, 100)));
  });

  it('refuses a batch it cannot copy to the thread, and goes on with the next', async () => {
    const detection = thread({ config });
    const broken = { ...stream[0]!, logs: [{ address: '0x1', topics: [], data: '0x', copy: () => 1 }] } as unknown as Transaction;
    await expect(detection.detect([broken])).rejects.toThrow();
    expect(await detection.detect(stream.slice(0, 100))).toEqual(await thread({ config }).detect(stream.slice(0, 100)));
  });
});

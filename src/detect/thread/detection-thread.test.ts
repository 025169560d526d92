import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isVigilError } from '../../core/errors.js';
import type { Finding } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import { createDetectors } from '../detect-config.js';
import { DetectionEngine } from '../detection-engine.js';
import { simulateTransactions, worldDetectConfig } from '../simulate/simulator.js';
import { InProcessDetection, type TransactionDetection } from '../transaction-detection.js';
import { DetectionThread, type DetectionThreadOptions } from './detection-thread.js';

const count = 6_000;
const config = worldDetectConfig(21, count);
const stream: Transaction[] = [...simulateTransactions({ scenario: 'mixed', count, seed: 21 })].map((l) => l.tx);
const batches = (size: number) => Array.from({ length: Math.ceil(stream.length / size) }, (_, i) => stream.slice(i * size, (i + 1) * size));
/** What the engine finds in the whole stream, one transaction at a time. */
const expected: Finding[] = (() => {
  const engine = new DetectionEngine({ detectors: createDetectors(config) });
  return stream.flatMap((tx) => engine.observe(tx));
})();

const unavailable = (e: unknown) => isVigilError(e, 'DETECTION_UNAVAILABLE') && e.retryable;

const opened: TransactionDetection[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()));
});
function open<T extends TransactionDetection>(d: T): T {
  opened.push(d);
  return d;
}
const thread = (options: DetectionThreadOptions) => open(new DetectionThread(options));

// The contract both implementations keep: the in-process one is what replays and tests use.
describe.each([
  ['InProcessDetection', () => open(new InProcessDetection(new DetectionEngine({ detectors: createDetectors(config) })))],
  ['DetectionThread', () => thread({ config })],
] as const)('%s', (_name, make) => {
  it('finds what the engine finds one transaction at a time, batch by batch, even with every batch given at once', async () => {
    expect(expected.length).toBeGreaterThan(10);
    const detection = make();
    // All at once: they must run in the order given, and each answer must be its own batch's.
    const found = await Promise.all(batches(500).map((batch) => detection.detect(batch)));
    expect(found.flat()).toEqual(expected);
  });

  it('keeps its detectors’ state between batches, as one stream', async () => {
    const detection = make();
    const inParts: Finding[] = [];
    for (const batch of batches(97)) inParts.push(...(await detection.detect(batch)));
    expect(inParts).toEqual(expected);
  });

  it('counts per detector what the engine counts: transactions, findings, errors', async () => {
    const detection = make();
    for (const batch of batches(500)) await detection.detect(batch);
    const engine = new DetectionEngine({ detectors: createDetectors(config) });
    for (const tx of stream) engine.observe(tx);
    expect(detection.stats()).toEqual({ detectors: engine.stats(), failures: 0 });
  });

  it('answers an empty batch with nothing, and refuses batches once closed, retryably', async () => {
    const detection = make();
    expect(await detection.detect([])).toEqual([]);
    await detection.close();
    const refused = await detection.detect(stream.slice(0, 10)).catch((e: unknown) => e);
    expect(unavailable(refused)).toBe(true);
  });
});

describe('DetectionThread', () => {
  it('applies the suppression filter to what the thread finds, and counts what it dropped under the detector that made it', async () => {
    // A rule's findings name their rule (`rule:big`), and the engine counts them under `rules`.
    const withRule = { ...config, rules: [{ id: 'big', name: 'Big transfer', severity: 'Low', type: 'Info', expression: 'amount > 100e18' }] };
    const filter = { keep: (f: Finding) => f.detector !== 'pass-through' && !f.detector.startsWith('rule:') };
    const engine = new DetectionEngine({ detectors: createDetectors(withRule), filter });
    const kept = stream.flatMap((tx) => engine.observe(tx));
    const detection = thread({ config: withRule, filter });
    expect(await detection.detect(stream)).toEqual(kept);
    expect(detection.stats().detectors).toEqual(engine.stats());
    const counted = (name: string) => detection.stats().detectors.find((d) => d.name === name)?.suppressed ?? 0;
    expect(counted('pass-through')).toBeGreaterThan(0);
    expect(counted('rules')).toBeGreaterThan(0);
  });

  it('starts with the first batch that has transactions', async () => {
    const detection = thread({ config });
    expect(detection.running).toBe(false);
    await detection.detect([]);
    expect(detection.running).toBe(false);
    await detection.detect(stream.slice(0, 10));
    expect(detection.running).toBe(true);
    await detection.close();
    expect(detection.running).toBe(false);
  });

  it('refuses the batches in flight when it is closed under them', async () => {
    const detection = thread({ config });
    const inFlight = batches(500).map((batch) => detection.detect(batch).then(() => 'done', (e: unknown) => (unavailable(e) ? 'refused' : String(e))));
    await detection.close();
    const outcomes = await Promise.all(inFlight);
    expect(outcomes).toContain('refused');
    expect(outcomes.every((o) => o === 'done' || o === 'refused')).toBe(true);
  });

  it('refuses the batches of a thread that fails, tells why, and starts a thread that could not start again only after a growing backoff', async () => {
    const errors: Error[] = [];
    let now = 0;
    // A config the thread cannot build its detectors from: the thread fails as it starts.
    const detection = thread({ config: { prices: 'not a price table' }, onError: (e) => errors.push(e), restartBackoffMs: 1_000, now: () => now });
    const refused = await Promise.all([1, 2, 3].map(() => detection.detect(stream.slice(0, 10)).catch((e: unknown) => e)));
    expect(refused.every(unavailable)).toBe(true);
    expect(String(refused[0])).toMatch(/prices/);
    expect(errors).toHaveLength(1);
    expect(detection.running).toBe(false);
    // Within the backoff: refused at once, no thread started.
    now = 999;
    await expect(detection.detect(stream.slice(0, 10))).rejects.toThrow(/failed 1 times in a row as it started; next attempt in 1 ms/);
    expect(detection.running).toBe(false);
    expect(errors).toHaveLength(1);
    // Past it: a fresh thread, which fails again, and the wait doubles.
    now = 1_000;
    await expect(detection.detect(stream.slice(0, 10))).rejects.toThrow(/prices/);
    expect(errors).toHaveLength(2);
    now = 2_999;
    await expect(detection.detect(stream.slice(0, 10))).rejects.toThrow(/failed 2 times in a row/);
    expect(detection.stats().failures).toBe(2);
  });

  it('fails alone when its heap is full: the batch is refused, and the next batch gets a fresh thread', async () => {
    const errors: Error[] = [];
    const detection = thread({ config, maxHeapMb: 24, onError: (e) => errors.push(e) });
    // Every address new: each one is remembered by every detector, far past 24 MB.
    const flood = [...simulateTransactions({ scenario: 'background', count: 150_000, seed: 22, freshShare: 1 })].map((l) => l.tx);
    const refused = await (async () => {
      for (let i = 0; i < flood.length; i += 10_000) await detection.detect(flood.slice(i, i + 10_000));
    })().catch((e: unknown) => e);
    expect(unavailable(refused)).toBe(true);
    expect(String(refused)).toMatch(/memory/i);
    expect(errors).toHaveLength(1);
    expect(detection.running).toBe(false);
    const before = detection.stats();
    expect(before.failures).toBe(1);
    expect(await detection.detect(stream)).toEqual(expected);
    // The failed thread's counts are kept: the totals only grow.
    const after = detection.stats();
    const seen = (s: typeof before) => s.detectors.find((d) => d.name === 'velocity')?.transactions ?? 0;
    expect(seen(after)).toBe(seen(before) + stream.length);
  });

  it('fails a thread that does not answer a batch in time', async () => {
    // A rule over a 2 MB string keeps the thread busy far past a 1 ms deadline.
    const slow = thread({ config: { ...config, rules: [{ id: 'slow', name: 'slow', severity: 'Low', type: 'Info', expression: "hash contains 'zz'" }] }, batchTimeoutMs: 1 });
    const big = { ...stream[0]!, hash: `0x${'ab'.repeat(1 << 20)}` } as Transaction;
    const refused = await slow.detect(Array.from({ length: 50 }, () => big)).catch((e: unknown) => e);
    expect(unavailable(refused)).toBe(true);
    expect(String(refused)).toMatch(/not answered within 1 ms/);
    expect(slow.running).toBe(false);
  });

  it('refuses a batch it cannot send to the thread, and goes on with the next', async () => {
    const detection = thread({ config });
    const broken = { ...stream[0]!, logs: [{ address: '0x1', topics: [], data: '0x', copy: () => 1 }] } as unknown as Transaction;
    const refused = await detection.detect([broken]).catch((e: unknown) => e);
    expect(unavailable(refused)).toBe(true);
    expect(String(refused)).toMatch(/cannot be sent/);
    expect(await detection.detect(stream)).toEqual(expected);
  });

  it('starts from the TypeScript sources whatever the current directory', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'vigil-cwd-'));
    const cwd = process.cwd();
    // Worker threads cannot chdir (vitest may run this file in one): there the test has nothing to show.
    try {
      process.chdir(elsewhere);
    } catch {
      rmSync(elsewhere, { recursive: true, force: true });
      return;
    }
    try {
      writeFileSync(join(elsewhere, 'package.json'), '{}');
      const first = stream.slice(0, 500);
      const engine = new DetectionEngine({ detectors: createDetectors(config) });
      expect(await thread({ config }).detect(first)).toEqual(first.flatMap((tx) => engine.observe(tx)));
    } finally {
      process.chdir(cwd);
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

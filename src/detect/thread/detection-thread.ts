import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { Finding } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import type { DetectorStats, FindingFilter } from '../detection-engine.js';
import { detectionAnswerLost, detectionClosed, detectionFailed, type DetectionStats, type TransactionDetection } from '../transaction-detection.js';
import type { DetectionReply, DetectionRequest, DetectionWorkerData } from './protocol.js';

export interface DetectionThreadOptions {
  /** The detect config as JSON (what `createDetectors` takes). Validate it first: a bad one fails the thread, not the caller. */
  readonly config: unknown;
  /** Applied here, on the caller's thread, where the analysts' labels change it. */
  readonly filter?: FindingFilter;
  /** Told when the thread fails. Its batches in flight are refused; the next batch starts a fresh thread, with empty state. */
  readonly onError?: (error: Error) => void;
  /**
   * The thread's heap limit (V8's old generation), in MB; default: Node's. Past it the thread
   * fails, and only the thread: the process and its alert ingest go on.
   */
  readonly maxHeapMb?: number;
  /**
   * A batch not answered within this long fails the thread (a detector stuck in a loop would
   * otherwise hold its callers, and the server's shutdown, for ever). Default 60 s: a batch of
   * 500 takes tens of milliseconds.
   */
  readonly batchTimeoutMs?: number;
  /**
   * A thread that fails before its detectors are built (it cannot start: a heap limit too small
   * for them, say) is not started again at once: the batches until `restartBackoffMs` has passed
   * are refused, and the wait doubles with each such failure, up to a minute. Default 1 s.
   */
  readonly restartBackoffMs?: number;
  /** A monotonic clock in milliseconds, for the restart backoff (not the business clock). Default `performance.now`. */
  readonly now?: () => number;
}

/**
 * The thread's young generation (V8's new space: two semi-spaces and the space for new large
 * objects), in MB: three times Node's default. Every transaction leaves short-lived garbage in
 * each detector, and detector state that is about to be evicted anyway; a larger nursery lets
 * more of it die before a scavenge copies it, which ran the engine 8 to 10% faster at a cost of
 * about 100 MB (docs/benchmarks.md). `npm run bench:detect` runs its engine pass with the same
 * semi-space size, so it measures the engine as the thread runs it.
 */
export const detectionYoungGenerationMb = 192;

/** The longest wait before starting a thread that keeps failing at start. */
const maxRestartBackoffMs = 60_000;

const defaultNow = (): number => performance.now();

/** A batch's findings, and the detector that made each. */
interface Answer {
  readonly findings: Finding[];
  readonly origins: readonly string[];
}

interface Pending {
  readonly resolve: (answer: Answer) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * The detection engine in a worker thread of its own. The detectors' state (a million addresses
 * is hundreds of megabytes) and its garbage collections, whose full pauses reach half a second,
 * stay off the event loop that answers alerts; a batch of 500 transactions no longer holds that
 * loop for tens of milliseconds; and detection runs on a second core. The thread has a heap of
 * its own, with a limit of its own (`maxHeapMb`).
 *
 * The thread starts with the first batch (most processes never detect anything), holds the
 * process open only while a batch is in flight, and runs batches in the order given. If it dies
 * (out of memory, a bug, a batch past `batchTimeoutMs`), the batches in flight are refused with
 * `DETECTION_UNAVAILABLE` and the reason, and the next batch starts a fresh thread: the detectors
 * start over, as after a restart. A thread that dies before its detectors are built is
 * restarted only after a backoff (`restartBackoffMs`), so a thread that cannot start is not
 * started again for every batch.
 */
export class DetectionThread implements TransactionDetection {
  readonly #options: DetectionThreadOptions;
  readonly #batchTimeoutMs: number;
  #worker: Worker | undefined;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #closed = false;
  /** The running thread's engine counts, as of its last answer. */
  #current: readonly DetectorStats[] = [];
  /** The counts of threads that failed, so that the totals only grow. */
  #retired: readonly DetectorStats[] = [];
  /** Findings the filter dropped, per detector (the thread's engine has no filter). */
  readonly #suppressed = new Map<string, number>();
  #failures = 0;
  /** Failures in a row of threads that never got ready, and when the next may start. */
  #failedStarts = 0;
  #ready = false;
  #startAfter = Number.NEGATIVE_INFINITY;

  constructor(options: DetectionThreadOptions) {
    this.#options = options;
    this.#batchTimeoutMs = options.batchTimeoutMs ?? 60_000;
  }

  /** Whether a thread is running now. */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  async detect(transactions: readonly Transaction[]): Promise<Finding[]> {
    if (this.#closed) throw detectionClosed();
    if (transactions.length === 0) return [];
    const worker = this.#worker ?? this.#start();
    if (worker === undefined) {
      const waitMs = Math.ceil(this.#startAfter - this.#now());
      throw detectionFailed(`the detection thread failed ${this.#failedStarts} times in a row as it started; next attempt in ${waitMs} ms`);
    }
    const id = (this.#nextId += 1);
    const { findings, origins } = await new Promise<Answer>((resolve, reject) => {
      const request: DetectionRequest = { id, transactions };
      try {
        worker.postMessage(request);
      } catch (error) {
        // Nothing was sent (a transaction that cannot be copied): this batch fails, the thread goes on.
        reject(detectionFailed(`a transaction cannot be sent to the detection thread: ${error instanceof Error ? error.message : String(error)}`, error));
        return;
      }
      const timer = setTimeout(() => this.#fail(worker, new Error(`a batch was not answered within ${this.#batchTimeoutMs} ms`)), this.#batchTimeoutMs);
      timer.unref();
      this.#pending.set(id, { resolve, reject, timer });
      if (this.#pending.size === 1) worker.ref();
    });
    const filter = this.#options.filter;
    if (filter === undefined) return findings;
    const kept: Finding[] = [];
    for (let i = 0; i < findings.length; i += 1) {
      const f = findings[i]!;
      if (filter.keep(f)) kept.push(f);
      else {
        // Counted under the detector that made it, as the engine counts it (a rule's finding names its rule).
        const origin = origins[i] ?? f.detector;
        this.#suppressed.set(origin, (this.#suppressed.get(origin) ?? 0) + 1);
      }
    }
    return kept;
  }

  stats(): DetectionStats {
    const detectors = sumByName([...this.#retired, ...this.#current]).map((t) => {
      const suppressed = this.#suppressed.get(t.name) ?? 0;
      return { ...t, suppressed, findings: Math.max(0, t.findings - suppressed) };
    });
    return { detectors, failures: this.#failures };
  }

  /** Refuses the batches in flight and stops the thread. */
  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    this.#refuseAll(detectionClosed());
    await worker?.terminate();
  }

  #now(): number {
    return (this.#options.now ?? defaultNow)();
  }

  /** A new thread, unless threads keep failing at start and the backoff has not passed. */
  #start(): Worker | undefined {
    if (this.#now() < this.#startAfter) return undefined;
    this.#ready = false;
    const workerData: DetectionWorkerData = { config: this.#options.config };
    const limit = this.#options.maxHeapMb;
    const worker = spawnDetectionWorker(workerData, {
      maxYoungGenerationSizeMb: detectionYoungGenerationMb,
      ...(limit === undefined ? {} : { maxOldGenerationSizeMb: limit }),
    });
    worker.unref();
    // A thread already failed may still have answers on their way: they are not this thread's.
    worker.on('message', (reply: DetectionReply) => {
      if (this.#worker === worker) this.#settle(reply);
    });
    worker.on('messageerror', (error) => this.#fail(worker, error));
    worker.on('error', (error) => this.#fail(worker, error));
    worker.on('exit', (code) => this.#fail(worker, new Error(`the detection thread exited (code ${code})`)));
    this.#worker = worker;
    return worker;
  }

  #settle(reply: DetectionReply): void {
    if ('ready' in reply) {
      // Its detectors are built: it started. A later failure restarts it at once.
      this.#ready = true;
      this.#failedStarts = 0;
      return;
    }
    this.#current = reply.stats;
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    this.#pending.delete(reply.id);
    clearTimeout(pending.timer);
    if (this.#pending.size === 0) this.#worker?.unref();
    // The thread ran the batch (its state has it) but could not send the findings back.
    if ('error' in reply) pending.reject(detectionAnswerLost(reply.error));
    else pending.resolve({ findings: reply.findings, origins: reply.origins });
  }

  /** The thread is gone (or made to go): its batches are refused and the next batch starts another. */
  #fail(worker: Worker, error: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    void worker.terminate();
    this.#failures += 1;
    if (!this.#ready) {
      this.#failedStarts += 1;
      this.#startAfter = this.#now() + Math.min(maxRestartBackoffMs, (this.#options.restartBackoffMs ?? 1_000) * 2 ** (this.#failedStarts - 1));
    }
    this.#retired = sumByName([...this.#retired, ...this.#current]);
    this.#current = [];
    this.#refuseAll(detectionFailed(error.message, error));
    if (!this.#closed) this.#options.onError?.(error);
  }

  #refuseAll(error: Error): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(error);
    }
  }
}

/** The counts of each detector name summed over `stats` (the engine's counts never hold `suppressed`: see `DetectionThread#suppressed`). */
function sumByName(stats: readonly DetectorStats[]): DetectorStats[] {
  const totals = new Map<string, { -readonly [K in keyof DetectorStats]: DetectorStats[K] }>();
  for (const s of stats) {
    const t = totals.get(s.name);
    if (t === undefined) {
      totals.set(s.name, { ...s, suppressed: 0 });
      continue;
    }
    t.transactions += s.transactions;
    t.findings += s.findings;
    t.errors += s.errors;
  }
  return [...totals.values()];
}

/**
 * Starts `detection-worker`: the compiled `.js` beside this file, or, when Vigil runs from its
 * TypeScript sources (tests, `npm run vigil`), the `.ts` one, through tsx registered in the
 * thread first: a worker's entry file is not loaded through tsx even in a process started with
 * it, nor through vitest's transform. tsx is resolved from this file, so the process's current
 * directory does not matter.
 */
function spawnDetectionWorker(workerData: DetectionWorkerData, resourceLimits: ResourceLimits): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./detection-worker.js', here), { workerData, resourceLimits });
  const tsx = JSON.stringify(tsxEsmApi(here));
  const entry = JSON.stringify(new URL('./detection-worker.ts', here).href);
  return new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${entry}); });`, { eval: true, workerData, resourceLimits });
}

/**
 * The URL of tsx's ESM API as `import` from `from` would find it. (`require.resolve` finds its
 * CommonJS twin, which cannot register ESM hooks; `import.meta.resolve` is not there under vitest.)
 */
function tsxEsmApi(from: string): string {
  const require = createRequire(from);
  const manifest = require('tsx/package.json') as { exports: Record<string, { import: { default: string } }> };
  const api = manifest.exports['./esm/api']?.import.default;
  if (api === undefined) throw new Error('tsx does not export ./esm/api');
  return pathToFileURL(join(dirname(require.resolve('tsx/package.json')), api)).href;
}

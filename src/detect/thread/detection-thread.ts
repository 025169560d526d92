import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { Finding } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import type { FindingFilter } from '../detection-engine.js';
import { DetectionClosedError, type TransactionDetection } from '../transaction-detection.js';
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
}

interface Pending {
  readonly resolve: (findings: Finding[]) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The detection engine in a worker thread of its own. The detectors' state (a million addresses
 * is hundreds of megabytes) and its garbage collections, whose full pauses reach half a second,
 * stay off the event loop that answers alerts; a batch of 500 transactions no longer holds that
 * loop for tens of milliseconds; and detection runs on a second core.
 *
 * The thread starts with the first batch (most processes never detect anything), holds the
 * process open only while a batch is in flight, and runs batches in the order given. If it dies
 * (out of memory, a bug), the batches in flight are refused with the reason and the next batch
 * starts a fresh thread: the detectors start over, as after a restart.
 */
export class DetectionThread implements TransactionDetection {
  readonly #options: DetectionThreadOptions;
  #worker: Worker | undefined;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #closed = false;

  constructor(options: DetectionThreadOptions) {
    this.#options = options;
  }

  /** Whether a thread is running now. */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  async detect(transactions: readonly Transaction[]): Promise<Finding[]> {
    if (this.#closed) throw new DetectionClosedError();
    if (transactions.length === 0) return [];
    const worker = this.#worker ?? this.#start();
    const id = (this.#nextId += 1);
    const findings = await new Promise<Finding[]>((resolve, reject) => {
      const request: DetectionRequest = { id, transactions };
      // Throws (and nothing is pending) if a transaction cannot be copied to the thread.
      worker.postMessage(request);
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) worker.ref();
    });
    const filter = this.#options.filter;
    return filter === undefined ? findings : findings.filter((f) => filter.keep(f));
  }

  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    this.#refuseAll(new DetectionClosedError());
    await worker?.terminate();
  }

  #start(): Worker {
    const workerData: DetectionWorkerData = { config: this.#options.config };
    const limit = this.#options.maxHeapMb;
    const worker = spawnDetectionWorker(workerData, limit === undefined ? {} : { maxOldGenerationSizeMb: limit });
    worker.unref();
    worker.on('message', (reply: DetectionReply) => this.#settle(reply));
    worker.on('error', (error) => this.#fail(worker, error));
    worker.on('exit', (code) => this.#fail(worker, new Error(`the detection thread exited (code ${code})`)));
    this.#worker = worker;
    return worker;
  }

  #settle(reply: DetectionReply): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker?.unref();
    if ('error' in reply) pending.reject(new Error(`detection failed: ${reply.error}`));
    else pending.resolve(reply.findings);
  }

  #fail(worker: Worker, error: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#refuseAll(error);
    if (!this.#closed) this.#options.onError?.(error);
  }

  #refuseAll(error: Error): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(error);
  }
}

/**
 * Starts `detection-worker`: the compiled `.js` beside this file, or, when Vigil runs from its
 * TypeScript sources (tests, `npm run vigil`), the `.ts` one through tsx, which a worker thread
 * does not inherit from the process that starts it.
 */
function spawnDetectionWorker(workerData: DetectionWorkerData, resourceLimits: ResourceLimits): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./detection-worker.js', here), { workerData, resourceLimits });
  const entry = JSON.stringify(new URL('./detection-worker.ts', here).href);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); });`, { eval: true, workerData, resourceLimits });
}

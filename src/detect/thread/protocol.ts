import type { Finding } from '../../core/finding.js';
import type { Transaction } from '../../core/transaction.js';
import type { DetectorStats } from '../detection-engine.js';

/** What the detection thread is started with. */
export interface DetectionWorkerData {
  /** The detect config as JSON (what `createDetectors` takes), already validated by the caller. */
  readonly config: unknown;
}

/** A batch to run, in stream order. */
export interface DetectionRequest {
  readonly id: number;
  readonly transactions: readonly Transaction[];
}

/** The batch's findings and the engine's counts after it, or why it could not be run. */
export type DetectionReply =
  | { readonly id: number; readonly findings: Finding[]; readonly stats: readonly DetectorStats[] }
  | { readonly id: number; readonly error: string };

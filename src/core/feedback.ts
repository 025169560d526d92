import type { Actor } from './actor.js';

/**
 * Analyst feedback: a responder's verdict on an alert, and what Vigil learns from it. Precision is
 * counted per detector and per rule; a detector that keeps being wrong about one entity is
 * suppressed for that entity, visibly and reversibly.
 */

export type Verdict = 'true_positive' | 'false_positive';
export const verdicts: readonly Verdict[] = ['true_positive', 'false_positive'];

export interface Feedback {
  readonly id: string;
  readonly alertId: string;
  /** The detector (or alert source) that raised the alert. */
  readonly detector: string;
  /** The rule or detection within it: Forta-style alertId, Alertmanager alertname, ... */
  readonly rule: string;
  /** The entity (address) the alert is about, when a detector said so. */
  readonly entity: string | null;
  readonly verdict: Verdict;
  readonly note: string | null;
  readonly actor: Actor;
  readonly at: number;
}

export interface Suppression {
  readonly id: string;
  readonly detector: string;
  readonly entity: string;
  readonly reason: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
  readonly revokedBy: Actor | null;
}

export interface PrecisionRow {
  readonly detector: string;
  readonly rule: string;
  readonly truePositives: number;
  readonly falsePositives: number;
}

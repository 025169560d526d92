import type { Actor } from '../../core/actor.js';
import type { Playbook, PlaybookSource } from './playbook.js';

export type StepStatus = 'pending' | 'completed' | 'skipped';

/** Where one step of a run stands, and what the person who closed it said. */
export interface StepState {
  readonly stepId: string;
  readonly status: StepStatus;
  readonly by: Actor | null;
  readonly at: number | null;
  readonly output?: string;
  /** Evidence values by field name, checked against their kinds. */
  readonly evidence?: Readonly<Record<string, string>>;
  /** Answers to the step's checks by check id. */
  readonly checks?: Readonly<Record<string, boolean>>;
  /** Why the step was skipped. */
  readonly reason?: string;
  /** The approval request that allowed the step, when it required one. */
  readonly approvalId?: string;
}

/**
 * A playbook attached to an incident. It keeps a snapshot of the playbook as it was when
 * attached, so editing the playbook later does not change a response in progress.
 */
export interface PlaybookRun {
  readonly id: string;
  readonly incidentId: string;
  readonly playbook: Playbook;
  readonly source: PlaybookSource;
  /** Why it attached itself (`type=hot_wallet_drain`), or null when attached by hand. */
  readonly matched: string | null;
  readonly attachedBy: Actor;
  readonly attachedAt: number;
  readonly steps: readonly StepState[];
  readonly status: 'in_progress' | 'completed';
  readonly updatedAt: number;
}

/** A playbook an operator stored through the API; it replaces a built-in of the same name. */
export interface StoredPlaybook {
  readonly playbook: Playbook;
  /** The YAML or JSON text as sent, so `show` gives back what was written. */
  readonly sourceText: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly updatedBy: Actor;
}

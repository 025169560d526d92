/**
 * A detector's output, in the shape of a Forta finding so that Forta bots and Vigil's own
 * detectors feed the same pipeline (`POST /api/v1/findings` takes the same fields).
 */

export type FindingSeverity = 'Unknown' | 'Info' | 'Low' | 'Medium' | 'High' | 'Critical';
export type FindingType = 'Unknown' | 'Exploit' | 'Suspicious' | 'Degraded' | 'Info' | 'Scam';

/** Where an attack is; an incident that has seen all four is raised to the top. */
export type AttackStage = 'funding' | 'preparation' | 'exploitation' | 'laundering';

export interface FindingLabel {
  readonly entityType: string;
  readonly entity: string;
  readonly label: string;
  readonly confidence: number;
}

export interface Finding {
  readonly name: string;
  readonly description: string;
  /** Stable id of what was detected, such as `VIGIL-STRUCTURING`; findings group by it. */
  readonly alertId: string;
  readonly severity: FindingSeverity;
  readonly type: FindingType;
  readonly metadata: Readonly<Record<string, string>>;
  /** Addresses involved, lowercased; the first is the entity the finding is about. */
  readonly addresses: readonly string[];
  readonly labels: readonly FindingLabel[];
  /** Which detector or rule produced it, for precision tracking and feedback. */
  readonly detector: string;
  /** The entity (address, service, series) it is about; with alertId it forms the dedup key. */
  readonly entity: string;
  readonly stage?: AttackStage;
  /** Transactions that support it. */
  readonly txHashes: readonly string[];
  /** When the supporting activity happened (ms), from the data, never the wall clock. */
  readonly at: number;
}

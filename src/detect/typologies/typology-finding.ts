import type { AttackStage, Finding, FindingLabel, FindingSeverity, FindingType } from '../../core/finding.js';

export interface TypologyFindingInput {
  readonly name: string;
  readonly description: string;
  readonly alertId: string;
  readonly severity: FindingSeverity;
  readonly type: FindingType;
  readonly detector: string;
  /** The address the finding is about; it goes first in `addresses`. */
  readonly entity: string;
  readonly addresses: readonly string[];
  readonly txHashes: readonly string[];
  readonly at: number;
  readonly metadata: Readonly<Record<string, string>>;
  readonly stage?: AttackStage | undefined;
  readonly labels?: readonly FindingLabel[];
}

/**
 * Enough to act on, small enough that one finding about a thousand-hop chain or a ten-thousand
 * output transaction does not become a megabyte alert; metadata keeps the full counts.
 */
export const maxFindingAddresses = 50;
export const maxFindingTxHashes = 50;

/** A finding with the entity first, addresses lowercased and de-duplicated, and lists capped. */
export function typologyFinding(input: TypologyFindingInput): Finding {
  const entity = input.entity.toLowerCase();
  const addresses = [...new Set([entity, ...input.addresses.map((a) => a.toLowerCase())])].slice(0, maxFindingAddresses);
  const txHashes = [...new Set(input.txHashes)].slice(0, maxFindingTxHashes);
  return {
    name: input.name,
    description: input.description,
    alertId: input.alertId,
    severity: input.severity,
    type: input.type,
    metadata: input.metadata,
    addresses,
    labels: input.labels ?? [],
    detector: input.detector,
    entity,
    txHashes,
    at: input.at,
    ...(input.stage === undefined ? {} : { stage: input.stage }),
  };
}

/** A window in ms as a person says it: `'24h'`, `'30m'`, `'90s'`, `'1500ms'`. */
export function durationText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** Elapsed time as a person says it, rounded down: `'45s'`, `'12 min'`, `'3h 5m'`. */
export function elapsedText(ms: number): string {
  if (ms < 60_000) return `${Math.floor(ms / 1000)}s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min`;
  return `${Math.floor(ms / 3_600_000)}h ${Math.floor((ms % 3_600_000) / 60_000)}m`;
}

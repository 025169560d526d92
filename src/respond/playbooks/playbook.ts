import type { Severity } from '../../core/incident.js';
import type { IncidentRole } from '../../core/incident-role.js';

/** The kinds of evidence a step can ask for; each is checked when the step is completed. */
export type EvidenceKind = 'text' | 'url' | 'tx_hash' | 'address' | 'number' | 'amount';
export const evidenceKinds: readonly EvidenceKind[] = ['text', 'url', 'tx_hash', 'address', 'number', 'amount'];

export interface EvidenceField {
  readonly name: string;
  readonly kind: EvidenceKind;
  readonly required: boolean;
  readonly description?: string;
}

/** A shell snippet shown to the responder. Vigil never runs it. */
export interface PlaybookCommand {
  readonly title?: string;
  readonly run: string;
}

/** Something the responder confirms with yes or no when completing the step. */
export interface PlaybookCheck {
  readonly id: string;
  readonly question: string;
}

export interface PlaybookStep {
  readonly id: string;
  readonly title: string;
  readonly owner: IncidentRole;
  /** Markdown. */
  readonly instructions: string;
  readonly commands: readonly PlaybookCommand[];
  readonly checks: readonly PlaybookCheck[];
  readonly evidence: readonly EvidenceField[];
  /** An approval action (`rotate_hot_wallet_keys`) that must reach quorum before the step can be completed. */
  readonly requiresApproval?: string;
}

/** A label condition: equality, or a regular expression (`{ regex: '^eth' }`). */
export type LabelCondition = { readonly equals: string } | { readonly regex: string };

/**
 * When a playbook attaches itself. Every criterion given must hold (and); inside a list, any
 * value may (or). A playbook with several matchers attaches when any of them holds.
 */
export interface PlaybookMatcher {
  /** Incident types, compared without case (see `incidentTypes`). */
  readonly types?: readonly string[];
  readonly services?: readonly string[];
  /** SEV2 matches SEV1 and SEV2. */
  readonly severityAtLeast?: Severity;
  /** Each label must be satisfied by at least one of the incident's alerts. */
  readonly labels?: Readonly<Record<string, LabelCondition>>;
}

export interface Playbook {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** Empty: the playbook is attached by hand only. */
  readonly match: readonly PlaybookMatcher[];
  readonly steps: readonly PlaybookStep[];
}

/** Where a playbook in the catalogue came from; a later source replaces an earlier one by name. */
export type PlaybookSource = 'builtin' | 'directory' | 'api';

import type { Actor } from './actor.js';
import type { Matcher } from './matcher.js';

/**
 * An inhibition rule, as Alertmanager's `inhibit_rules`: while a firing alert matches the source
 * matchers, alerts that match the target matchers and carry the same values for every `equal`
 * label are muted. A halted chain inhibits the per-wallet stuck-withdrawal alerts it causes.
 */
export interface InhibitionRule {
  readonly id: string;
  readonly name: string;
  readonly sourceMatchers: readonly Matcher[];
  readonly targetMatchers: readonly Matcher[];
  /** Label names whose values must be equal on source and target (a missing label equals ""). */
  readonly equal: readonly string[];
  readonly comment: string;
  readonly createdBy: Actor;
  readonly createdAt: number;
  readonly removedAt: number | null;
  readonly removedBy: Actor | null;
}

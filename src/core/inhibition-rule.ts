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

/**
 * An index entry: the firing alert or muted alert `sourceId` matches the source matchers of rule
 * `ruleId`, and `equalKey` spells its values of the rule's `equal` labels. Kept current as alerts
 * fire, change and end, so that deciding whether a new alert is inhibited is a lookup by rule
 * and key instead of a pass over every firing alert (correlate/inhibition.ts).
 */
export interface InhibitionSource {
  readonly ruleId: string;
  readonly sourceId: string;
  /** A firing alert in an incident, or a muted alert (a silenced alert still inhibits). */
  readonly kind: 'alert' | 'muted';
  readonly integrationId: string;
  readonly dedupKey: string;
  readonly equalKey: string;
  /**
   * When the source started firing (ms). The inhibitor named is the oldest alert in an incident,
   * or when there is none the oldest muted alert.
   */
  readonly since: number;
}

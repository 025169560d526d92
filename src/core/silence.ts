import type { Actor } from './actor.js';
import type { Matcher } from './matcher.js';

/**
 * A silence mutes the alerts its matchers select for a period, as in Alertmanager: an alert that
 * arrives while it is active is stored and visible but opens no incident and pages no one.
 */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly Matcher[];
  /** From when (ms, inclusive) to when (ms, exclusive) it mutes. */
  readonly startsAt: number;
  readonly endsAt: number;
  readonly comment: string;
  readonly createdBy: Actor;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Set when someone ended it early; `endsAt` is then the moment it was expired. */
  readonly expiredBy: Actor | null;
  /** When the "ends soon" reminder was recorded; null until then. */
  readonly reminderSentAt: number | null;
}

export type SilenceState = 'pending' | 'active' | 'expired';
export const silenceStates: readonly SilenceState[] = ['pending', 'active', 'expired'];

/** Where a silence stands at `at`, from its times alone. */
export function silenceState(silence: Pick<Silence, 'startsAt' | 'endsAt'>, at: number): SilenceState {
  if (at < silence.startsAt) return 'pending';
  return at < silence.endsAt ? 'active' : 'expired';
}

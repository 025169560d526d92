import type { Actor } from './actor.js';
import type { Matcher } from './matcher.js';

/** How a window repeats: an RFC 5545 RRULE read in a time zone, from the wall time of `startsAt`. */
export interface Recurrence {
  /** The RRULE without DTSTART, such as `FREQ=WEEKLY;BYDAY=SU`. */
  readonly rrule: string;
  /** The IANA zone the rule's wall times are in, such as `Europe/Berlin`. */
  readonly timeZone: string;
}

/**
 * A maintenance window mutes the alerts of one service (optionally only those its matchers
 * select) while it is open: once, or on every occurrence of a recurrence.
 */
export interface MaintenanceWindow {
  readonly id: string;
  readonly name: string;
  readonly service: string;
  /** Extra conditions on the alert; empty: every alert of the service. */
  readonly matchers: readonly Matcher[];
  /** The start of the (first) occurrence, ms. */
  readonly startsAt: number;
  /** How long each occurrence lasts, ms (elapsed time, not wall time). */
  readonly durationMs: number;
  /** Null for a one-off window. */
  readonly recurrence: Recurrence | null;
  readonly comment: string;
  readonly createdBy: Actor;
  readonly createdAt: number;
  readonly removedAt: number | null;
  readonly removedBy: Actor | null;
}

/** One occurrence of a window: [start, end) in ms. */
export interface Occurrence {
  readonly start: number;
  readonly end: number;
}

/**
 * The shape of an on-call schedule. A schedule is pure data: who is on call follows from it and an
 * instant (see on-call.ts), so the store, the API, the CLI and the escalation all read the same answer.
 */

/** Days of the week, as in restriction windows. */
export const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof weekdays)[number];

/**
 * How often a layer hands off. Daily, weekly and custom lengths in days hand off at the layer's
 * local handoff time, so a day is 23 or 25 hours long across a daylight-saving change; a custom
 * length in hours is elapsed time (8 hours is always 8 hours), counted from the first handoff.
 */
export type Rotation =
  | { readonly kind: 'daily' }
  | { readonly kind: 'weekly' }
  | { readonly kind: 'custom'; readonly length: number; readonly unit: 'hours' | 'days' };

/**
 * A window in which a layer is on call, in the schedule's time zone: it opens at `from` on each of
 * `days` and closes at `to` the same day, or the next day when `to` is not after `from`
 * (22:00-06:00 is a night window; 00:00-00:00 is the whole day). Outside every window the layer
 * has nobody, and the layers below it answer.
 */
export interface Restriction {
  readonly days: readonly Weekday[];
  /** `HH:MM`, 24-hour clock. */
  readonly from: string;
  /** `HH:MM`, 24-hour clock. */
  readonly to: string;
}

/** One rotation of people. The first participant's shift begins at `handoffTime` on `start`. */
export interface Layer {
  /** Unique within the schedule; it names the layer in shifts and in the iCal feed. */
  readonly name: string;
  /** Person ids or names, in rotation order; a person may appear more than once. */
  readonly participants: readonly string[];
  readonly rotation: Rotation;
  /** `HH:MM` in the schedule's time zone, 24-hour clock. */
  readonly handoffTime: string;
  /** `YYYY-MM-DD` in the schedule's time zone: the date of the first handoff. Before it the layer has nobody. */
  readonly start: string;
  /** When given, the layer is on call only inside these windows. */
  readonly restrictions?: readonly Restriction[];
}

/** A person covering [start, end) instead of whoever the layers have; ms since the epoch. */
export interface Override {
  readonly person: string;
  readonly start: number;
  readonly end: number;
  /** Why, for people reading the schedule ("holiday", "swap with bob"). */
  readonly reason?: string;
}

/** An on-call schedule. */
export interface Schedule {
  readonly name: string;
  /** IANA time zone id (`Europe/Berlin`); handoff times, start dates and restrictions are read in it. */
  readonly timeZone: string;
  /** Highest priority first: the first layer with someone on call at an instant answers. */
  readonly layers: readonly Layer[];
  /** Above every layer; when two overlap, the later one in the list wins. */
  readonly overrides: readonly Override[];
}

/** A stretch of time with one person on call, after layers and overrides are flattened. */
export interface Shift {
  /** ms since the epoch, inclusive. */
  readonly start: number;
  /** ms since the epoch, exclusive. */
  readonly end: number;
  readonly person: string;
  /** The layer this shift comes from; null for an override. */
  readonly layer: string | null;
  readonly override: boolean;
  /**
   * The rotation turn or override this shift is (part of): `layer:<name>:<turn>` or
   * `override:<index>`. A turn cut in two by an override gives two shifts with the same source.
   */
  readonly source: string;
}

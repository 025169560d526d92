/**
 * The turns of one layer: when each handoff happens and whose turn it is. Handoffs are computed
 * from the local date and handoff time, so they stay at the same wall-clock time across
 * daylight-saving changes (see local-time.ts).
 */
import { addDays, atLocalTime, parseLocalDate, parseTimeOfDay, toLocal, daysBetween, weekdayOf } from './local-time.js';
import type { LocalDate, TimeOfDay } from './local-time.js';
import { weekdays } from './schedule.js';
import type { Layer } from './schedule.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** One turn of a layer's rotation: [start, end), `turn` counting from 0 at the layer's start. */
export interface Turn {
  readonly turn: number;
  readonly start: number;
  readonly end: number;
  readonly person: string;
}

/** Length of a turn in whole local days, or undefined for a length in hours. */
function turnDays(layer: Layer): number | undefined {
  const rotation = layer.rotation;
  switch (rotation.kind) {
    case 'daily':
      return 1;
    case 'weekly':
      return 7;
    case 'custom':
      return rotation.unit === 'days' ? rotation.length : undefined;
  }
}

/** A layer with its times parsed, ready to answer questions about instants. */
export class LayerRotation {
  readonly #layer: Layer;
  readonly #timeZone: string;
  readonly #start: LocalDate;
  readonly #handoff: TimeOfDay;
  readonly #first: number;
  /** Whole local days per turn, or undefined when turns are a fixed number of hours. */
  readonly #days: number | undefined;
  /** The length of a turn in ms; for day-based turns a first guess, DST makes it 1 hour off. */
  readonly #length: number;

  /** Throws on a malformed start date or handoff time; validate with scheduleSchema first. */
  constructor(layer: Layer, timeZone: string) {
    const start = parseLocalDate(layer.start);
    const handoff = parseTimeOfDay(layer.handoffTime);
    if (start === undefined) throw new RangeError(`layer ${layer.name}: start must be a YYYY-MM-DD date, got ${layer.start}`);
    if (handoff === undefined) throw new RangeError(`layer ${layer.name}: handoffTime must be HH:MM, got ${layer.handoffTime}`);
    this.#layer = layer;
    this.#timeZone = timeZone;
    this.#start = start;
    this.#handoff = handoff;
    this.#first = atLocalTime({ date: start, time: handoff, timeZone });
    this.#days = turnDays(layer);
    this.#length = this.#days === undefined ? layer.rotation.kind === 'custom' ? layer.rotation.length * HOUR_MS : DAY_MS : this.#days * DAY_MS;
    if (!(this.#length > 0)) throw new RangeError(`layer ${layer.name}: a turn must be longer than zero`);
  }

  /** The instant turn `turn` begins. */
  handoff(turn: number): number {
    const days = this.#days;
    if (days === undefined) return this.#first + turn * this.#length;
    return atLocalTime({ date: addDays(this.#start, turn * days), time: this.#handoff, timeZone: this.#timeZone });
  }

  /** The turn in progress at `at`; -1 before the first handoff. */
  turnAt(at: number): number {
    if (at < this.#first) return -1;
    let turn = Math.floor((at - this.#first) / this.#length);
    // A guess from a fixed length can be one off after DST changes; step to the right turn.
    while (turn > 0 && this.handoff(turn) > at) turn -= 1;
    while (this.handoff(turn + 1) <= at) turn += 1;
    return turn;
  }

  /** Whose turn `turn` is. */
  person(turn: number): string | undefined {
    const people = this.#layer.participants;
    return people.length === 0 ? undefined : people[turn % people.length];
  }

  /** The turns overlapping [from, to), not cut to it. */
  turns(range: { from: number; to: number }): Turn[] {
    const turns: Turn[] = [];
    for (let turn = Math.max(0, this.turnAt(range.from)); ; turn += 1) {
      const start = this.handoff(turn);
      if (start >= range.to) break;
      const person = this.person(turn);
      if (person === undefined) break;
      turns.push({ turn, start, end: this.handoff(turn + 1), person });
    }
    return turns;
  }

  /**
   * The windows in which the layer is on call within [from, to), sorted and merged; the whole
   * range when the layer has no restrictions.
   */
  activeWindows(range: { from: number; to: number }): Array<{ start: number; end: number }> {
    const restrictions = this.#layer.restrictions;
    if (restrictions === undefined || restrictions.length === 0) return range.from < range.to ? [{ start: range.from, end: range.to }] : [];
    const timeZone = this.#timeZone;
    const first = toLocal(range.from, timeZone);
    const last = toLocal(range.to, timeZone);
    const windows: Array<{ start: number; end: number }> = [];
    // A window may open the day before `from` and still be open (22:00-06:00).
    const span = daysBetween(first, last);
    for (let offset = -1; offset <= span; offset += 1) {
      const date = addDays(first, offset);
      const weekday = weekdays[weekdayOf(date)];
      for (const restriction of restrictions) {
        if (weekday === undefined || !restriction.days.includes(weekday)) continue;
        const open = parseTimeOfDay(restriction.from);
        const close = parseTimeOfDay(restriction.to);
        if (open === undefined || close === undefined) throw new RangeError(`layer ${this.#layer.name}: restriction times must be HH:MM`);
        const overnight = close.hour * 60 + close.minute <= open.hour * 60 + open.minute;
        const start = Math.max(range.from, atLocalTime({ date, time: open, timeZone }));
        const end = Math.min(range.to, atLocalTime({ date: overnight ? addDays(date, 1) : date, time: close, timeZone }));
        if (start < end) windows.push({ start, end });
      }
    }
    windows.sort((a, b) => a.start - b.start);
    const merged: Array<{ start: number; end: number }> = [];
    for (const window of windows) {
      const previous = merged.at(-1);
      if (previous !== undefined && window.start <= previous.end) previous.end = Math.max(previous.end, window.end);
      else merged.push({ ...window });
    }
    return merged;
  }

  /** True when a restriction window (or the absence of any) has the layer on call at `at`. */
  isActiveAt(at: number): boolean {
    return this.activeWindows({ from: at, to: at + 1 }).length > 0;
  }
}

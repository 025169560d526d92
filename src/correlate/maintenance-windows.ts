import type { Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/errors.js';
import type { Ids } from '../core/ids.js';
import type { MaintenanceWindow, Occurrence, Recurrence } from '../core/maintenance-window.js';
import type { StoreReader, StoreTx } from '../core/store.js';
import type { Recorder } from '../record/recorder.js';
import { matchesAll, parseMatcherList, printMatchers } from './matchers.js';
import { checkRecurrence, occurrenceAt } from './recurrence.js';

const maxDurationMs = 31 * 86_400_000;

/** A window as a person asks for it: one-off (start and end or duration) or recurring (rrule and time zone). */
export interface MaintenanceWindowRequest {
  readonly name: string;
  readonly service: string;
  readonly matchers?: readonly string[];
  readonly startsAt: number;
  /** One-off only: exactly one of `endsAt` and `durationMs`; recurring: `durationMs`. */
  readonly endsAt?: number;
  readonly durationMs?: number;
  readonly recurrence?: Recurrence;
  readonly comment?: string;
  readonly actor: Actor;
}

function invalid(path: string, message: string): VigilError {
  return new VigilError('VALIDATION_FAILED', `${path} ${message}`, { details: [{ path, message }] });
}

/** Finds a window by id; NOT_FOUND otherwise. */
export async function findMaintenanceWindow(reader: StoreReader, id: string): Promise<MaintenanceWindow> {
  const found = await reader.getMaintenanceWindow(id);
  if (found === undefined) throw new VigilError('NOT_FOUND', `no maintenance window ${id}`);
  return found;
}

/** The windows of a service open at `at` whose matchers select an alert with these labels (all, without labels). */
export function openWindows(
  windows: readonly MaintenanceWindow[],
  query: { service: string; at: number; labels?: Readonly<Record<string, string>> },
): { window: MaintenanceWindow; occurrence: Occurrence }[] {
  const open: { window: MaintenanceWindow; occurrence: Occurrence }[] = [];
  for (const window of windows) {
    if (window.service !== query.service || window.removedAt !== null) continue;
    if (query.labels !== undefined && !matchesAll(window.matchers, query.labels)) continue;
    const occurrence = occurrenceAt(window, query.at);
    if (occurrence !== undefined) open.push({ window, occurrence });
  }
  return open;
}

/** Creates and removes maintenance windows; every change on the audit chain. */
export class MaintenanceWindowService {
  readonly #options: { clock: Clock; ids: Ids; recorder: Recorder };

  constructor(options: { clock: Clock; ids: Ids; recorder: Recorder }) {
    this.#options = options;
  }

  async create(tx: StoreTx, request: MaintenanceWindowRequest): Promise<MaintenanceWindow> {
    const now = this.#options.clock.now();
    if (request.name.trim() === '') throw invalid('name', 'must not be empty');
    if (request.service.trim() === '') throw invalid('service', 'must not be empty');
    const matchers = parseMatcherList(request.matchers ?? []);
    if (request.endsAt !== undefined && request.durationMs !== undefined) throw invalid('endsAt', 'and duration cannot both be given');
    if (request.recurrence !== undefined && request.endsAt !== undefined) throw invalid('endsAt', 'is for one-off windows; a recurring window takes a duration');
    const durationMs = request.durationMs ?? (request.endsAt === undefined ? undefined : request.endsAt - request.startsAt);
    if (durationMs === undefined) throw invalid(request.recurrence === undefined ? 'endsAt' : 'duration', 'is required');
    if (durationMs <= 0) throw invalid(request.endsAt === undefined ? 'duration' : 'endsAt', request.endsAt === undefined ? 'must be positive' : 'must be after startsAt');
    if (durationMs > maxDurationMs) throw invalid('duration', 'must be at most 31 days (use a silence or several windows for longer)');
    const recurrence = request.recurrence === undefined ? null : checkRecurrence(request.recurrence, request.startsAt);
    if (recurrence === null && request.startsAt + durationMs <= now) throw invalid('endsAt', 'must be in the future');
    const window: MaintenanceWindow = {
      id: this.#options.ids.id(),
      name: request.name.trim(),
      service: request.service.trim(),
      matchers,
      startsAt: request.startsAt,
      durationMs,
      recurrence,
      comment: request.comment?.trim() ?? '',
      createdBy: request.actor,
      createdAt: now,
      removedAt: null,
      removedBy: null,
    };
    await tx.insertMaintenanceWindow(window);
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: 'maintenance_window.created',
      subject: `maintenance:${window.id}`,
      data: {
        name: window.name,
        service: window.service,
        matchers: printMatchers(matchers),
        startsAt: window.startsAt,
        durationMs: window.durationMs,
        rrule: recurrence?.rrule ?? null,
        timeZone: recurrence?.timeZone ?? null,
      },
    });
    return window;
  }

  /** Removes a window: it mutes nothing from now on. INVALID_TRANSITION when already removed. */
  async remove(tx: StoreTx, request: { id: string; actor: Actor }): Promise<MaintenanceWindow> {
    const now = this.#options.clock.now();
    const current = await findMaintenanceWindow(tx, request.id);
    if (current.removedAt !== null) throw new VigilError('INVALID_TRANSITION', `maintenance window ${current.id} was already removed`);
    const removed: MaintenanceWindow = { ...current, removedAt: now, removedBy: request.actor };
    await tx.updateMaintenanceWindow(removed);
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: 'maintenance_window.removed',
      subject: `maintenance:${current.id}`,
      data: { name: current.name, service: current.service },
    });
    return removed;
  }
}

import type { Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { VigilError, validationFailed } from '../../core/errors.js';
import type { Ids } from '../../core/ids.js';
import type { StoreReader, StoreTx } from '../../core/store.js';
import type { StoredSchedule } from '../../core/stored-schedule.js';
import type { Recorder } from '../../record/recorder.js';
import type { Override } from './schedule.js';
import { scheduleSchema } from './schedule-schema.js';

/** Finds a schedule by id or name; NOT_FOUND otherwise. */
export async function findSchedule(reader: StoreReader, ref: string): Promise<StoredSchedule> {
  const found = await reader.findSchedule(ref);
  if (found === undefined) throw new VigilError('NOT_FOUND', `no schedule ${ref}`);
  return found;
}

/**
 * Writes schedules: a definition is validated whole (every problem with its path) before it
 * replaces the stored one, and every change is in the audit chain with who made it.
 */
export class ScheduleService {
  readonly #options: { clock: Clock; ids: Ids; recorder: Recorder };

  constructor(options: { clock: Clock; ids: Ids; recorder: Recorder }) {
    this.#options = options;
  }

  /** Creates the schedule, or replaces the one with the same name. */
  async put(tx: StoreTx, request: { definition: unknown; actor: Actor }): Promise<StoredSchedule> {
    const parsed = scheduleSchema.safeParse(request.definition);
    if (!parsed.success) throw validationFailed('the schedule', parsed.error.issues);
    const existing = await tx.findSchedule(parsed.data.name);
    const now = this.#options.clock.now();
    const stored: StoredSchedule = { id: existing?.id ?? this.#options.ids.id(), schedule: parsed.data, createdAt: existing?.createdAt ?? now, updatedAt: now };
    await tx.putSchedule(stored);
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: existing === undefined ? 'schedule.created' : 'schedule.updated',
      subject: `schedule:${stored.id}`,
      data: { name: stored.schedule.name, layers: stored.schedule.layers.map((l) => l.name), overrides: stored.schedule.overrides.length },
    });
    return stored;
  }

  /** Puts someone on call for [start, end) above every layer. */
  async addOverride(tx: StoreTx, request: { ref: string; override: Override; actor: Actor }): Promise<StoredSchedule> {
    const { override } = request;
    if (!(override.end > override.start)) throw new VigilError('VALIDATION_FAILED', 'an override must end after it starts', { details: [{ path: 'end', message: 'must be after start' }] });
    const current = await findSchedule(tx, request.ref);
    const stored: StoredSchedule = {
      ...current,
      schedule: { ...current.schedule, overrides: [...current.schedule.overrides, override] },
      updatedAt: this.#options.clock.now(),
    };
    await tx.putSchedule(stored);
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: 'schedule.override_added',
      subject: `schedule:${stored.id}`,
      data: { person: override.person, start: override.start, end: override.end, ...(override.reason === undefined ? {} : { reason: override.reason }) },
    });
    return stored;
  }
}

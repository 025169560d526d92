import { systemActor, type Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/errors.js';
import type { Ids } from '../core/ids.js';
import type { Matcher } from '../core/matcher.js';
import { silenceState, type Silence } from '../core/silence.js';
import type { Store, StoreReader, StoreTx } from '../core/store.js';
import type { Recorder } from '../record/recorder.js';
import type { Worker } from '../respond/workers.js';
import { matches, parseMatcherList, printMatchers } from './matchers.js';

/** What a person asks for when silencing: matchers, and an end or a duration. */
export interface SilenceRequest {
  /** Each item one matcher or a set, as `parseMatchers` reads them. */
  readonly matchers: readonly string[];
  /** Default: now. */
  readonly startsAt?: number;
  /** Exactly one of `endsAt` and `durationMs`. */
  readonly endsAt?: number;
  readonly durationMs?: number;
  readonly comment: string;
  readonly actor: Actor;
}

/** Told, inside the worker's write unit, that a silence ends within the reminder lead time. */
export type SilenceExpiringCallback = (tx: StoreTx, silence: Silence) => Promise<void>;

function invalid(path: string, message: string): VigilError {
  return new VigilError('VALIDATION_FAILED', `${path} ${message}`, { details: [{ path, message }] });
}

/** Finds a silence by id; NOT_FOUND otherwise. */
export async function findSilence(reader: StoreReader, id: string): Promise<Silence> {
  const found = await reader.getSilence(id);
  if (found === undefined) throw new VigilError('NOT_FOUND', `no silence ${id}`);
  return found;
}

/**
 * Creates and expires silences, Alertmanager's way: matchers that must all hold, a start and an
 * end, a creator and a comment. Every change is on the audit chain with who made it.
 */
export class SilenceService {
  readonly #options: { clock: Clock; ids: Ids; recorder: Recorder };

  constructor(options: { clock: Clock; ids: Ids; recorder: Recorder }) {
    this.#options = options;
  }

  async create(tx: StoreTx, request: SilenceRequest): Promise<Silence> {
    const now = this.#options.clock.now();
    const matchers = checkSilenceMatchers(request.matchers);
    const startsAt = request.startsAt ?? now;
    if (request.endsAt !== undefined && request.durationMs !== undefined) throw invalid('endsAt', 'and duration cannot both be given');
    const endsAt = request.endsAt ?? (request.durationMs === undefined ? undefined : startsAt + request.durationMs);
    if (endsAt === undefined) throw invalid('endsAt', 'is required (or give a duration)');
    if (endsAt <= startsAt) throw invalid('endsAt', 'must be after startsAt');
    if (endsAt <= now) throw invalid('endsAt', 'must be in the future');
    if (request.comment.trim() === '') throw invalid('comment', 'must say why (it is shown beside every alert the silence mutes)');
    const silence: Silence = {
      id: this.#options.ids.id(),
      matchers,
      startsAt,
      endsAt,
      comment: request.comment.trim(),
      createdBy: request.actor,
      createdAt: now,
      updatedAt: now,
      expiredBy: null,
      reminderSentAt: null,
    };
    await tx.insertSilence(silence);
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: 'silence.created',
      subject: `silence:${silence.id}`,
      data: { matchers: printMatchers(matchers), startsAt: silence.startsAt, endsAt: silence.endsAt, comment: silence.comment },
    });
    return silence;
  }

  /** Ends a pending or active silence now; INVALID_TRANSITION when it has already ended. */
  async expire(tx: StoreTx, request: { id: string; actor: Actor }): Promise<Silence> {
    const now = this.#options.clock.now();
    const current = await findSilence(tx, request.id);
    if (silenceState(current, now) === 'expired') throw new VigilError('INVALID_TRANSITION', `silence ${current.id} has already expired`);
    const expired: Silence = { ...current, startsAt: Math.min(current.startsAt, now), endsAt: now, updatedAt: now, expiredBy: request.actor };
    await tx.updateSilence(expired);
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: 'silence.expired',
      subject: `silence:${current.id}`,
      data: { matchers: printMatchers(current.matchers), was: silenceState(current, now), plannedEndsAt: current.endsAt },
    });
    return expired;
  }
}

/**
 * Parses a silence's matchers. As in Alertmanager, at least one must not match an empty label:
 * a silence of only `foo!="x"` or `foo=~".*"` would mute nearly everything.
 */
export function checkSilenceMatchers(items: readonly string[]): Matcher[] {
  if (items.length === 0) throw invalid('matchers', 'must hold at least one matcher');
  const matchers = parseMatcherList(items);
  if (matchers.every((m) => matches(m, {}))) {
    throw invalid('matchers', 'must hold at least one matcher that does not match an empty label (it would mute almost everything)');
  }
  return matchers;
}

export interface SilenceReminderOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly recorder: Recorder;
  /** How long before its end a silence's reminder is recorded. */
  readonly leadMs: number;
  readonly onSilenceExpiring: SilenceExpiringCallback;
}

/**
 * The worker that reminds before a silence ends: once per silence, it records `silence.expiring`
 * on the audit chain, sets `reminderSentAt` and tells `onSilenceExpiring`, all in one write unit,
 * so two instances never remind twice. A silence no longer than the lead time gets no reminder:
 * its creator chose that end a moment ago.
 */
export function silenceReminderWorker(options: SilenceReminderOptions): Worker {
  const due = async (reader: StoreReader, now: number) =>
    (await reader.listSilencesDueForReminder({ now, leadMs: options.leadMs })).filter((s) => s.endsAt - s.startsAt > options.leadMs);
  return {
    name: 'silence-reminders',
    run: async () => {
      // Look first without the write lock: most rounds have nothing to do.
      if ((await due(options.store.read, options.clock.now())).length === 0) return;
      await options.store.write(async (tx) => {
        const now = options.clock.now();
        // Again inside the write: another instance may have reminded in between.
        for (const silence of await due(tx, now)) {
          const reminded: Silence = { ...silence, reminderSentAt: now };
          await tx.updateSilence(reminded);
          await options.recorder.record(tx, {
            actor: systemActor,
            action: 'silence.expiring',
            subject: `silence:${silence.id}`,
            data: { matchers: printMatchers(silence.matchers), endsAt: silence.endsAt, createdBy: `${silence.createdBy.kind}:${silence.createdBy.id}`, comment: silence.comment },
          });
          await options.onSilenceExpiring(tx, reminded);
        }
      });
    },
  };
}

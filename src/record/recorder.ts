import type { Actor } from '../core/actor.js';
import type { JsonObject } from '../core/alert.js';
import type { Clock } from '../core/clock.js';
import type { Ids } from '../core/ids.js';
import type { StoreTx } from '../core/store.js';
import type { TimelineEntry, TimelineKind } from '../core/timeline-entry.js';
import { appendAudit, timelineFacts } from './audit-chain.js';

export interface Change {
  readonly actor: Actor;
  /** Audit action, such as `incident.acknowledged`. */
  readonly action: string;
  /** Audit subject, such as `incident:<id>`. */
  readonly subject: string;
  readonly data: JsonObject;
  /** When the change belongs on an incident's timeline. */
  readonly timeline?: {
    readonly incidentId: string;
    readonly kind: TimelineKind;
    readonly message: string;
  };
}

/**
 * Writes what changed: a timeline entry when the change is part of an incident's story, and
 * always an audit record, in the same write unit as the change itself. The audit record carries
 * the timeline entry's content (`data.timeline`), so `verifyAuditChain` can tell a timeline
 * entry edited, added or removed by hand.
 */
export class Recorder {
  readonly #clock: Clock;
  readonly #ids: Ids;

  constructor(options: { clock: Clock; ids: Ids }) {
    this.#clock = options.clock;
    this.#ids = options.ids;
  }

  async record(tx: StoreTx, change: Change): Promise<TimelineEntry | undefined> {
    const at = this.#clock.now();
    let entry: TimelineEntry | undefined;
    if (change.timeline !== undefined) {
      entry = {
        id: this.#ids.id(),
        incidentId: change.timeline.incidentId,
        at,
        actor: change.actor,
        kind: change.timeline.kind,
        message: change.timeline.message,
        body: change.data,
      };
      await tx.insertTimelineEntry(entry);
    }
    await appendAudit(tx, {
      at,
      actor: change.actor,
      action: change.action,
      subject: change.subject,
      data: entry === undefined ? change.data : { ...change.data, timeline: timelineFacts(entry) },
    });
    return entry;
  }
}


import { systemActor } from '../../core/actor.js';
import type { Silence } from '../../core/silence.js';
import type { StoreTx } from '../../core/store.js';
import { personOfActor } from '../person-of-actor.js';
import { printMatchers } from '../../correlate/matchers.js';
import type { NotificationService } from './notification-service.js';

/**
 * Tells whoever created a silence that it ends soon, so they can extend it before the alerts it
 * mutes start paging: a notice through the outbox, by the person's low-urgency contact methods.
 */
export function silenceReminder(options: { notifications: NotificationService; now: () => number }) {
  return async (tx: StoreTx, silence: Silence): Promise<void> => {
    const handle = await personOfActor(tx, silence.createdBy);
    if (handle === undefined) return;
    const minutes = Math.max(0, Math.round((silence.endsAt - options.now()) / 60_000));
    const matchers = printMatchers(silence.matchers);
    await options.notifications.notifyPersonOfNotice(tx, {
      handle,
      notice: {
        subject: `silence ${silence.id}`,
        title: `Silence ends in ${minutes} min: ${matchers}`,
        facts: [
          { label: 'Matchers', value: matchers },
          { label: 'Ends', value: new Date(silence.endsAt).toISOString() },
          { label: 'Comment', value: silence.comment },
          { label: 'Extend', value: `vigil silence add --matcher '${matchers}' --duration 2h --comment "..."` },
        ],
      },
      reason: 'silence ending soon',
      idempotencyKey: `silence-expiring:${silence.id}:${silence.endsAt}`,
      actor: systemActor,
    });
  };
}

import { Command, InvalidArgumentError, Option } from 'commander';
import { outboxStates, type OutboxState } from '../../core/outbox-message.js';
import { iso } from '../../http/present.js';
import { presentOutboxMessage } from '../../http/present-notifications.js';
import { findIncident } from '../../respond/incident-actions.js';
import { recipientText } from '../../respond/notify/notification-service.js';
import type { CliContext } from '../cli.js';
import { print, withVigil } from './with-vigil.js';

function state(text: string): OutboxState {
  if (!(outboxStates as readonly string[]).includes(text)) throw new InvalidArgumentError(`must be one of ${outboxStates.join(', ')}`);
  return text as OutboxState;
}

/** `vigil notification list|retry`: the outbox, its dead letters, and putting one back. */
export function notificationCommand(context: CliContext): Command {
  const notification = new Command('notification').description('the notification outbox: deliveries, dead letters, retries');

  notification
    .command('list')
    .description('outbox messages, newest first')
    .addOption(new Option('--state <state>', `only this state (${outboxStates.join(', ')})`).argParser(state))
    .option('--incident <ref>', 'only this incident (INC-n or id)')
    .option('--limit <n>', 'at most this many', (v) => Number.parseInt(v, 10), 100)
    .option('--json', 'print JSON')
    .action(async (opts: { state?: OutboxState; incident?: string; limit: number; json?: boolean }) => {
      const messages = await withVigil(context, async (vigil) => {
        const incidentId = opts.incident === undefined ? undefined : (await findIncident(vigil.store.read, opts.incident)).id;
        return vigil.store.read.listOutboxMessages({
          limit: Number.isInteger(opts.limit) && opts.limit > 0 ? Math.min(opts.limit, 1000) : 100,
          ...(opts.state === undefined ? {} : { states: [opts.state] }),
          ...(incidentId === undefined ? {} : { incidentId }),
        });
      });
      print(context, {
        json: opts.json,
        value: { notifications: messages.map(presentOutboxMessage) },
        human: () =>
          messages.length === 0
            ? 'no notifications'
            : messages
                .map((m) => `${m.id}  ${m.state.padEnd(10)} ${m.kind.padEnd(8)} ${recipientText(m.recipient)}  attempts ${m.attempts}  ${m.state === 'pending' ? `next ${iso(m.nextAttemptAt)}` : ''}${m.lastError === null ? '' : `  last: ${m.lastError}`}`)
                .join('\n'),
      });
    });

  notification
    .command('retry')
    .description('put a dead (or cancelled) notification back in the outbox')
    .argument('<id>', 'the notification id')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const message = await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.notifications.retry(tx, { id, actor: context.actor })));
      print(context, { json: opts.json, value: { notification: presentOutboxMessage(message) }, human: () => `notification ${message.id} is pending again; a running vigil serve delivers it on its next round` });
    });

  return notification;
}

import { Command } from 'commander';
import { presentChannel } from '../../http/present-notifications.js';
import type { CliContext } from '../cli.js';
import { readJsonFile } from './read-json-file.js';
import { print, withVigil } from './with-vigil.js';

/** `vigil channel create|list|show|delete`: team channels on the configured store. */
export function channelCommand(context: CliContext): Command {
  const channel = new Command('channel').description('team channels: where every new incident and status change is posted');

  channel
    .command('create')
    .description('create a team channel from a JSON file')
    .argument('<file>', 'the channel: {"name", "kind", ...config, "services": [...], "severities": [...]} (see README, Notifications)')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const definition = await readJsonFile(file);
      const created = await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.notifications.createChannel(tx, { definition, actor: context.actor })));
      print(context, { json: opts.json, value: { channel: presentChannel(created) }, human: () => `channel ${created.name} created (${created.config.kind}, id ${created.id})` });
    });

  channel
    .command('list')
    .description('all team channels')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await withVigil(context, (vigil) => vigil.notifications.channels(vigil.store.read));
      const scope = (values: readonly string[]) => (values.length === 0 ? 'all' : values.join(','));
      print(context, {
        json: opts.json,
        value: { channels: list.map(presentChannel) },
        human: () => (list.length === 0 ? 'no channels' : list.map((c) => `${c.name.padEnd(20)} ${c.config.kind.padEnd(9)} services: ${scope(c.services)}  severities: ${scope(c.severities)}`).join('\n')),
      });
    });

  channel
    .command('show')
    .description('one team channel, secrets masked')
    .argument('<channel>', 'name or id')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const found = await withVigil(context, (vigil) => vigil.notifications.channel(vigil.store.read, ref));
      print(context, { json: opts.json, value: { channel: presentChannel(found) }, human: () => JSON.stringify(presentChannel(found), null, 2) });
    });

  channel
    .command('delete')
    .description('delete a team channel')
    .argument('<channel>', 'name or id')
    .action(async (ref: string) => {
      const deleted = await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.notifications.deleteChannel(tx, { ref, actor: context.actor })));
      context.io.out(`channel ${deleted.name} deleted\n`);
    });

  return channel;
}

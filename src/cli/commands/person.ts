import { Command } from 'commander';
import { presentPerson } from '../../http/present-notifications.js';
import type { CliContext } from '../cli.js';
import { readJsonFile } from './read-json-file.js';
import { print, withVigil } from './with-vigil.js';

/** `vigil person set|list|show`: who can be notified, and how, on the configured store. */
export function personCommand(context: CliContext): Command {
  const person = new Command('person').description('people: contact methods and contact rules for notifications');

  person
    .command('set')
    .description('create a person from a JSON file, or replace the one with the same handle')
    .argument('<file>', 'the person: {"handle", "name", "methods": [...], "rules": [...]} (see README, Notifications)')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const definition = await readJsonFile(file);
      const saved = await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.notifications.putPerson(tx, { definition, actor: context.actor })));
      print(context, {
        json: opts.json,
        value: { person: presentPerson(saved) },
        human: () => `person ${saved.handle} saved (${saved.methods.length} methods, ${saved.rules.length} rules)`,
      });
    });

  person
    .command('list')
    .description('everyone who can be notified')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const people = await withVigil(context, (vigil) => vigil.notifications.people(vigil.store.read));
      print(context, {
        json: opts.json,
        value: { people: people.map(presentPerson) },
        human: () => (people.length === 0 ? 'no people' : people.map((p) => `${p.handle.padEnd(16)} ${p.name}  methods: ${p.methods.map((m) => `${m.id} (${m.config.kind})`).join(', ') || 'none'}`).join('\n')),
      });
    });

  person
    .command('show')
    .description('one person, secrets masked')
    .argument('<handle>', 'the handle schedules use')
    .option('--json', 'print JSON')
    .action(async (handle: string, opts: { json?: boolean }) => {
      const found = await withVigil(context, (vigil) => vigil.notifications.person(vigil.store.read, handle));
      const shown = presentPerson(found);
      print(context, {
        json: opts.json,
        value: { person: shown },
        human: () =>
          [
            `${found.handle}  ${found.name}`,
            ...shown.methods.map((m) => `  method ${m.id}: ${JSON.stringify(m)}`),
            ...found.rules.map((r) => `  rule ${r.severities.join(',')}: ${r.methods.join(', ')} ${r.delayMinutes === 0 ? 'now' : `after ${r.delayMinutes} min`}`),
          ].join('\n'),
      });
    });

  return person;
}

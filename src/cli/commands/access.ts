import { Command, Option } from 'commander';
import { integrationKinds, roles, type IntegrationKind, type Role } from '../../core/access.js';
import { normalisePerson } from '../../respond/roles/role-service.js';
import type { CliContext } from '../cli.js';
import { print, withVigil } from './with-vigil.js';

/** `vigil token create` and `vigil integration create`: work on the store, with or without a server. */
export function accessCommands(context: CliContext): Command[] {
  const token = new Command('token').description('API tokens for people and tools');
  token
    .command('create')
    .description('create an API token and print it once')
    .addOption(new Option('--role <role>', 'what the token may do').choices(roles).makeOptionMandatory())
    .option('--name <name>', 'who or what holds it', 'cli')
    .option('--person <handle>', 'the person it is issued to, for actions only they may take (publishing as communications lead)')
    .option('--json', 'print {"token": ...}')
    .action(async (opts: { role: Role; name: string; person?: string; json?: boolean }) => {
      const person = opts.person === undefined ? undefined : normalisePerson(opts.person);
      const created = await withVigil(context, (vigil) =>
        vigil.createApiToken({ role: opts.role, name: opts.name, actor: context.actor, ...(person === undefined ? {} : { person }) }),
      );
      print(context, { json: opts.json, value: { token: created.secret, id: created.id, role: opts.role }, human: () => created.secret });
    });

  const integration = new Command('integration').description('integration keys for alert senders');
  integration
    .command('create')
    .description('create an integration key for a sender and a service, and print it once')
    .addOption(new Option('--kind <kind>', 'the sender').choices(integrationKinds).makeOptionMandatory())
    .requiredOption('--service <name>', 'the service its alerts belong to')
    .option('--name <name>', 'a name for people')
    .option('--json', 'print {"key": ...}')
    .action(async (opts: { kind: IntegrationKind; service: string; name?: string; json?: boolean }) => {
      const created = await withVigil(context, (vigil) =>
        vigil.createIntegration({ kind: opts.kind, service: opts.service, actor: context.actor, ...(opts.name === undefined ? {} : { name: opts.name }) }),
      );
      print(context, { json: opts.json, value: { key: created.key, id: created.id, kind: opts.kind, service: opts.service }, human: () => created.key });
    });

  return [token, integration];
}

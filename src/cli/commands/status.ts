import { Command, Option } from 'commander';
import { VigilError } from '../../core/errors.js';
import { componentStatuses, statusPostStates, type ComponentStatus, type StatusPostState } from '../../core/status-page.js';
import { presentStatusComponent, presentStatusPost } from '../../http/present.js';
import { statusSummary } from '../../respond/comms/status-summary.js';
import type { CliContext } from '../cli.js';
import { integer } from './arguments.js';
import { print, withVigil } from './with-vigil.js';

/** `Name=status`, repeatable: the components a status post affects. */
function componentArg(text: string, previous: { ref: string; status?: ComponentStatus }[] = []) {
  const at = text.lastIndexOf('=');
  const ref = (at < 0 ? text : text.slice(0, at)).trim();
  const status = at < 0 ? undefined : text.slice(at + 1).trim();
  if (ref === '') throw new VigilError('VALIDATION_FAILED', `--component needs a name: Withdrawals=partial_outage, not ${text}`);
  if (status !== undefined && !componentStatuses.includes(status as ComponentStatus)) {
    throw new VigilError('VALIDATION_FAILED', `--component status must be among ${componentStatuses.join(', ')}, not ${status}`);
  }
  return [...previous, { ref, ...(status === undefined ? {} : { status: status as ComponentStatus }) }];
}

/** `vigil status component set|list|remove`, `vigil status post`, `vigil status show`: the public status pages. */
export function statusCommand(context: CliContext): Command {
  const status = new Command('status').description('public status pages: components, posts by the communications lead, the page itself');
  const component = status.command('component').description('the components of a service’s status page');

  component
    .command('set')
    .description('create a component, or change the one of the same service and name')
    .requiredOption('--service <name>', 'the service whose page shows it')
    .requiredOption('--name <name>', 'the component (API, Withdrawals, ...)')
    .option('--description <text>', 'one line for the public')
    .addOption(new Option('--status <status>', 'its status now').choices(componentStatuses))
    .addOption(new Option('--position <n>', 'display order, smallest first').argParser(integer('--position')))
    .option('--json', 'print JSON')
    .action(async (opts: { service: string; name: string; description?: string; status?: ComponentStatus; position?: number; json?: boolean }) => {
      const { component: saved, created } = await withVigil(context, (vigil) =>
        vigil.store.write((tx) =>
          vigil.statusComponents.put(tx, {
            service: opts.service,
            name: opts.name,
            actor: context.actor,
            ...(opts.description === undefined ? {} : { description: opts.description }),
            ...(opts.status === undefined ? {} : { status: opts.status }),
            ...(opts.position === undefined ? {} : { position: opts.position }),
          }),
        ),
      );
      print(context, { json: opts.json, value: { component: presentStatusComponent(saved) }, human: () => `${created ? 'created' : 'updated'} ${saved.service}/${saved.name}: ${saved.status}` });
    });

  component
    .command('list')
    .description('the components, of one service or all')
    .option('--service <name>', 'only this service')
    .option('--json', 'print JSON')
    .action(async (opts: { service?: string; json?: boolean }) => {
      const list = await withVigil(context, (vigil) => vigil.store.read.listStatusComponents(opts.service));
      print(context, {
        json: opts.json,
        value: { components: list.map(presentStatusComponent) },
        human: () => (list.length === 0 ? 'no components' : list.map((c) => `${c.service.padEnd(16)} ${c.name.padEnd(24)} ${c.status}`).join('\n')),
      });
    });

  component
    .command('remove')
    .description('remove a component from its page')
    .requiredOption('--service <name>', 'the service')
    .argument('<component>', 'its name or id')
    .action(async (ref: string, opts: { service: string }) => {
      const removed = await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.statusComponents.remove(tx, { service: opts.service, ref, actor: context.actor })));
      context.io.out(`removed ${removed.service}/${removed.name}\n`);
    });

  status
    .command('post')
    .description("publish an update about an incident to its service's status page (communications lead only)")
    .argument('<id>', 'INC-42, 42, or the incident id')
    .addOption(new Option('--state <state>', 'where the incident stands').choices(statusPostStates).makeOptionMandatory())
    .requiredOption('--message <text>', 'what the public reads')
    .option('--title <text>', 'public title (required on the first post)')
    .option('--component <name=status>', 'an affected component and its status; repeat for several', componentArg)
    .option('--as <person>', 'the communications lead publishing (default: your user name)')
    .option('--json', 'print JSON')
    .action(
      async (
        ref: string,
        opts: { state: StatusPostState; message: string; title?: string; component?: { ref: string; status?: ComponentStatus }[]; as?: string; json?: boolean },
      ) => {
        const post = await withVigil(context, (vigil) =>
          vigil.store.write((tx) =>
            vigil.statusPublisher.publish(tx, {
              ref,
              person: opts.as ?? context.actor.name,
              state: opts.state,
              message: opts.message,
              actor: context.actor,
              ...(opts.title === undefined ? {} : { title: opts.title }),
              ...(opts.component === undefined ? {} : { components: opts.component }),
            }),
          ),
        );
        print(context, { json: opts.json, value: { post: presentStatusPost(post) }, human: () => `published to the ${post.service} status page: ${post.state}: ${post.title}` });
      },
    );

  status
    .command('show')
    .description('the public status page of a service, as the public sees it')
    .argument('<service>', 'the service')
    .option('--json', 'print the Statuspage-style JSON')
    .action(async (service: string, opts: { json?: boolean }) => {
      const summary = await withVigil(context, (vigil) => statusSummary(vigil.store.read, { service, now: vigil.clock.now() }));
      print(context, {
        json: opts.json,
        value: summary,
        human: () =>
          [
            `${summary.page.name}: ${summary.status.description}`,
            ...summary.components.map((c) => `  ${c.name.padEnd(24)} ${c.status}`),
            ...summary.incidents.map((i) => `  incident: ${i.name} (${i.status}, ${i.impact})`),
            `  ${summary.past_incidents.length} resolved in the last 90 days`,
          ].join('\n'),
      });
    });

  return status;
}

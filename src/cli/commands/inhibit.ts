import { Command } from 'commander';
import { presentInhibitionRule } from '../../http/present-muting.js';
import type { CliContext } from '../cli.js';
import { collect } from './silence.js';
import { print, withVigil } from './with-vigil.js';

/** `vigil inhibit add|list|remove`: inhibition rules on the configured store. */
export function inhibitCommand(context: CliContext): Command {
  const inhibit = new Command('inhibit').description('inhibition rules: a firing source alert mutes the target alerts it causes');

  inhibit
    .command('add')
    .description('while an alert matching every --source fires, mute alerts matching every --target with the same --equal labels')
    .requiredOption('--source <matcher>', 'e.g. alertname="ChainHalted"; repeatable', collect)
    .requiredOption('--target <matcher>', 'e.g. alertname="WithdrawalStuck"; repeatable', collect)
    .option('--equal <label>', 'a label both must share, e.g. chain; repeatable', collect)
    .option('--name <name>', 'a name for the rule')
    .option('--comment <text>', 'a note')
    .option('--json', 'print JSON')
    .action(async (opts: { source: string[]; target: string[]; equal?: string[]; name?: string; comment?: string; json?: boolean }) => {
      const shown = await withVigil(context, async (vigil) =>
        presentInhibitionRule(
          await vigil.store.write((tx) =>
            vigil.inhibitionRules.create(tx, {
              sourceMatchers: opts.source,
              targetMatchers: opts.target,
              actor: context.actor,
              ...(opts.equal === undefined ? {} : { equal: opts.equal }),
              ...(opts.name === undefined ? {} : { name: opts.name }),
              ...(opts.comment === undefined ? {} : { comment: opts.comment }),
            }),
          ),
        ),
      );
      print(context, { json: opts.json, value: { inhibitionRule: shown }, human: () => `inhibition rule ${shown.id}: ${shown.name}` });
    });

  inhibit
    .command('list')
    .description('inhibition rules')
    .option('--all', 'include removed rules')
    .option('--json', 'print JSON')
    .action(async (opts: { all?: boolean; json?: boolean }) => {
      const shown = await withVigil(context, async (vigil) => (await vigil.store.read.listInhibitionRules({ includeRemoved: opts.all === true })).map(presentInhibitionRule));
      print(context, {
        json: opts.json,
        value: { inhibitionRules: shown },
        human: () =>
          shown.length === 0
            ? 'no inhibition rules'
            : shown
                .map((r) => `${r.id}  source {${r.sourceMatchers.join(', ')}}  target {${r.targetMatchers.join(', ')}}  equal [${r.equal.join(', ')}]${r.removedAt === null ? '' : '  removed'}`)
                .join('\n'),
      });
    });

  inhibit
    .command('remove')
    .description('remove an inhibition rule')
    .argument('<id>', 'the rule id')
    .action(async (id: string) => {
      await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.inhibitionRules.remove(tx, { id, actor: context.actor })));
      context.io.out(`inhibition rule ${id} removed\n`);
    });

  return inhibit;
}

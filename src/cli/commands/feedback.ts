import { Command, Option } from 'commander';
import type { Verdict } from '../../core/feedback.js';
import { presentSuppression } from '../../http/present.js';
import type { CliContext } from '../cli.js';
import { print, withVigil } from './with-vigil.js';

const verdictByWord: Readonly<Record<string, Verdict>> = { tp: 'true_positive', fp: 'false_positive', true_positive: 'true_positive', false_positive: 'false_positive' };

/** `vigil feedback label|precision|suppressions|revoke`: analyst feedback on the configured store. */
export function feedbackCommand(context: CliContext): Command {
  const feedback = new Command('feedback').description('label alerts true or false positive; see precision and suppressions');

  feedback
    .command('label')
    .description('label an alert a true positive (tp) or a false positive (fp)')
    .argument('<alert-id>', 'the alert id (see `vigil incident show --json`)')
    .addOption(new Option('--verdict <verdict>', 'tp or fp').choices(Object.keys(verdictByWord)).makeOptionMandatory())
    .option('--note <text>', 'why')
    .option('--json', 'print JSON')
    .action(async (alertId: string, opts: { verdict: string; note?: string; json?: boolean }) => {
      const verdict = verdictByWord[opts.verdict]!;
      const result = await withVigil(context, (vigil) => vigil.label({ alertId, verdict, actor: context.actor, ...(opts.note === undefined ? {} : { note: opts.note }) }));
      print(context, {
        json: opts.json,
        value: { feedback: result.feedback, suppression: result.suppression && presentSuppression(result.suppression), lifted: result.lifted && presentSuppression(result.lifted) },
        human: () =>
          [
            `alert ${alertId} labelled ${verdict}`,
            ...(result.suppression === null ? [] : [`suppressed ${result.suppression.detector} for ${result.suppression.entity}: ${result.suppression.reason} (id ${result.suppression.id})`]),
            ...(result.lifted === null ? [] : [`lifted the suppression of ${result.lifted.detector} for ${result.lifted.entity}`]),
          ].join('\n'),
      });
    });

  feedback
    .command('precision')
    .description('precision per detector and rule')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const rows = await withVigil(context, (vigil) => vigil.store.read.precision());
      print(context, {
        json: opts.json,
        value: { detectors: rows },
        human: () =>
          rows.length === 0
            ? 'no feedback yet'
            : rows
                .map((r) => `${r.detector.padEnd(24)} ${r.rule.padEnd(28)} tp ${String(r.truePositives).padStart(5)}  fp ${String(r.falsePositives).padStart(5)}  precision ${(r.truePositives / (r.truePositives + r.falsePositives)).toFixed(2)}`)
                .join('\n'),
      });
    });

  feedback
    .command('suppressions')
    .description('suppressions learned from feedback')
    .option('--all', 'include revoked ones')
    .option('--json', 'print JSON')
    .action(async (opts: { all?: boolean; json?: boolean }) => {
      const list = await withVigil(context, (vigil) => vigil.store.read.listSuppressions({ includeRevoked: opts.all === true }));
      print(context, {
        json: opts.json,
        value: { suppressions: list.map(presentSuppression) },
        human: () => (list.length === 0 ? 'no suppressions' : list.map((s) => `${s.id}  ${s.detector}  ${s.entity}  ${s.revokedAt === null ? 'live' : 'revoked'}  ${s.reason}`).join('\n')),
      });
    });

  feedback
    .command('revoke')
    .description('lift a suppression')
    .argument('<suppression-id>')
    .option('--reason <text>', 'why')
    .action(async (id: string, opts: { reason?: string }) => {
      const revoked = await withVigil(context, (vigil) => vigil.revokeSuppression({ suppressionId: id, actor: context.actor, ...(opts.reason === undefined ? {} : { reason: opts.reason }) }));
      context.io.out(`lifted: ${revoked.detector} sees ${revoked.entity} again\n`);
    });

  return feedback;
}

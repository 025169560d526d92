import type { Command } from 'commander';
import { VigilError } from '../../core/errors.js';
import { findIncident } from '../../respond/incident-actions.js';
import { presentRun } from '../../http/present-playbooks.js';
import type { PlaybookRun } from '../../respond/playbooks/playbook-run.js';
import type { CliContext } from '../cli.js';
import { print, withVigil } from './with-vigil.js';

/** Collects repeated `--x name=value` options into a record. */
export function keyValue(option: string) {
  return (text: string, previous: Record<string, string> = {}): Record<string, string> => {
    const at = text.indexOf('=');
    if (at < 1) throw new VigilError('VALIDATION_FAILED', `${option} takes name=value, not ${text}`);
    return { ...previous, [text.slice(0, at)]: text.slice(at + 1) };
  };
}

const yes = new Set(['yes', 'y', 'true']);
const no = new Set(['no', 'n', 'false']);

function answers(values: Record<string, string>): Record<string, boolean> {
  return Object.fromEntries(
    Object.entries(values).map(([id, text]) => {
      const answer = text.trim().toLowerCase();
      if (!yes.has(answer) && !no.has(answer)) throw new VigilError('VALIDATION_FAILED', `--check ${id} must be yes or no, not ${text}`);
      return [id, yes.has(answer)];
    }),
  );
}

function describeRun(run: PlaybookRun): string {
  const lines = [`${run.id}  ${run.playbook.name}  ${run.status}  ${run.matched === null ? `attached by ${run.attachedBy.name}` : `matched ${run.matched}`}`];
  run.playbook.steps.forEach((step, i) => {
    const state = run.steps[i];
    const mark = state?.status === 'completed' ? 'x' : state?.status === 'skipped' ? '-' : ' ';
    const who = state?.by === null || state?.by === undefined ? '' : `  (${state.by.name}, ${new Date(state.at ?? 0).toISOString()})`;
    lines.push(`  [${mark}] ${step.id.padEnd(24)} ${step.owner.padEnd(22)} ${step.title}${step.requiresApproval === undefined ? '' : `  [approval: ${step.requiresApproval}]`}${who}`);
  });
  return lines.join('\n');
}

/** Adds `playbooks`, `attach` and `step` to `vigil incident`. */
export function addIncidentPlaybookCommands(incident: Command, context: CliContext): void {
  incident
    .command('playbooks')
    .description('the playbooks attached to an incident, step by step')
    .argument('<id>', 'INC-42, 42, or the incident id')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const runs = await withVigil(context, async (vigil) => vigil.store.read.listPlaybookRuns((await findIncident(vigil.store.read, ref)).id));
      print(context, { json: opts.json, value: { runs: runs.map(presentRun) }, human: () => (runs.length === 0 ? 'no playbooks attached' : runs.map(describeRun).join('\n\n')) });
    });

  incident
    .command('attach')
    .description('attach a playbook to an incident by hand')
    .argument('<id>', 'INC-42, 42, or the incident id')
    .argument('<playbook>', 'playbook name')
    .option('--json', 'print JSON')
    .action(async (ref: string, name: string, opts: { json?: boolean }) => {
      const run = await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.playbooks.attach(tx, { ref, playbook: name, actor: context.actor })));
      print(context, { json: opts.json, value: { run: presentRun(run) }, human: () => `playbook ${name} attached (run ${run.id})` });
    });

  incident
    .command('step')
    .description('complete a playbook step (or --skip it with a reason)')
    .argument('<id>', 'INC-42, 42, or the incident id')
    .argument('<run>', 'run id, or the name of the attached playbook')
    .argument('<step>', 'step id')
    .option('--output <text>', 'what was done and what it showed')
    .option('--evidence <name=value>', 'an evidence value (repeatable)', keyValue('--evidence'))
    .option('--check <id=yes|no>', 'an answer to a check (repeatable)', keyValue('--check'))
    .option('--skip <reason>', 'skip the step instead, with this reason')
    .option('--json', 'print JSON')
    // Three arguments and the options: read from the command rather than as four parameters.
    .action(
      async function (this: Command) {
        const [ref = '', runRef = '', stepId = ''] = this.args;
        const opts = this.opts<{ output?: string; evidence?: Record<string, string>; check?: Record<string, string>; skip?: string; json?: boolean }>();
        if (opts.skip !== undefined && (opts.output !== undefined || opts.evidence !== undefined || opts.check !== undefined)) {
          throw new VigilError('VALIDATION_FAILED', '--skip cannot be combined with --output, --evidence or --check');
        }
        const checks = opts.check === undefined ? undefined : answers(opts.check);
        const run = await withVigil(context, (vigil) =>
          vigil.store.write((tx) =>
            opts.skip !== undefined
              ? vigil.playbooks.skip(tx, { ref, run: runRef, step: stepId, reason: opts.skip, actor: context.actor })
              : vigil.playbooks.complete(tx, {
                  ref,
                  run: runRef,
                  step: stepId,
                  completion: {
                    ...(opts.output === undefined ? {} : { output: opts.output }),
                    ...(opts.evidence === undefined ? {} : { evidence: opts.evidence }),
                    ...(checks === undefined ? {} : { checks }),
                  },
                  actor: context.actor,
                }),
          ),
        );
        const state = run.steps.find((s) => s.stepId === stepId);
        print(context, { json: opts.json, value: { run: presentRun(run) }, human: () => `step ${stepId} ${state?.status ?? 'updated'}${run.status === 'completed' ? `; playbook ${run.playbook.name} complete` : ''}` });
      },
    );
}

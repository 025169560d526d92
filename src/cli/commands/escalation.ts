import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { VigilError } from '../../core/errors.js';
import { presentEscalationPolicy } from '../../http/present-triage.js';
import { findEscalationPolicy } from '../../respond/escalation/escalation-service.js';
import { describeMatch } from '../../respond/escalation/escalation-routing.js';
import type { CliContext } from '../cli.js';
import { print, withVigil } from './with-vigil.js';

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new VigilError('VALIDATION_FAILED', `cannot read ${file} as JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** `vigil escalation set|list|show|delete|route|routes`: escalation policies and their routing. */
export function escalationCommand(context: CliContext): Command {
  const escalation = new Command('escalation').description('escalation policies (levels, targets, timeouts) and the routing rules that choose them');

  escalation
    .command('set')
    .description('create an escalation policy from a JSON file, or replace the one with the same name')
    .argument('<file>', 'the policy (see README: Escalation policies)')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const definition = await readJson(file);
      const stored = await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.escalations.putPolicy(tx, { definition, actor: context.actor })));
      print(context, { json: opts.json, value: { policy: presentEscalationPolicy(stored) }, human: () => `escalation policy ${stored.policy.name} saved (${stored.policy.levels.length} levels)` });
    });

  escalation
    .command('list')
    .description('all escalation policies')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await withVigil(context, (vigil) => vigil.store.read.listEscalationPolicies());
      print(context, {
        json: opts.json,
        value: { policies: list.map(presentEscalationPolicy) },
        human: () =>
          list.length === 0
            ? 'no escalation policies'
            : list.map((p) => `${p.policy.name}  ${p.policy.levels.map((l) => `${l.name} (${l.timeoutMinutes} min)`).join(' → ')}${p.policy.repeat > 0 ? `  ×${p.policy.repeat + 1}` : ''}`).join('\n'),
      });
    });

  escalation
    .command('show')
    .description('one escalation policy')
    .argument('<policy>', 'name or id')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const stored = await withVigil(context, (vigil) => findEscalationPolicy(vigil.store.read, ref));
      const shown = presentEscalationPolicy(stored);
      print(context, {
        json: opts.json,
        value: { policy: shown },
        human: () =>
          [
            `${stored.policy.name}${stored.policy.description === undefined ? '' : `: ${stored.policy.description}`}`,
            ...stored.policy.levels.map(
              (l, i) => `  ${i + 1}. ${l.name}: ${l.targets.map((t) => (t.kind === 'person' ? t.handle : t.kind === 'schedule' ? `on call in ${t.schedule}` : `channel ${t.channel}`)).join(', ')}; ${l.timeoutMinutes} min`,
            ),
            `  repeat ${stored.policy.repeat} time${stored.policy.repeat === 1 ? '' : 's'}`,
            ...stored.policy.onSeverityRise.map((r) => `  rise to ${r.atLeast} or worse: restart at level ${r.startAtLevel}`),
          ].join('\n'),
      });
    });

  escalation
    .command('delete')
    .description('delete an escalation policy no routing rule uses')
    .argument('<policy>', 'name or id')
    .action(async (ref: string) => {
      await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.escalations.deletePolicy(tx, { ref, actor: context.actor })));
      context.io.out(`escalation policy ${ref} deleted\n`);
    });

  escalation
    .command('route')
    .description('replace the routing rules from a JSON file: an ordered array of { match: { services, severities, labels }, policy }')
    .argument('<file>', 'the rules')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const routes = await readJson(file);
      const saved = await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.escalations.putRoutes(tx, { routes, actor: context.actor })));
      print(context, { json: opts.json, value: { routes: saved }, human: () => `${saved.length} routing rule${saved.length === 1 ? '' : 's'} saved` });
    });

  escalation
    .command('routes')
    .description('the routing rules, in the order they are tried')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const routes = await withVigil(context, (vigil) => vigil.store.read.getEscalationRoutes());
      print(context, {
        json: opts.json,
        value: { routes },
        human: () => (routes.length === 0 ? 'no routing rules: incidents are not escalated' : routes.map((r, i) => `${i + 1}. ${describeMatch(r.match)} → ${r.policy}`).join('\n')),
      });
    });

  return escalation;
}

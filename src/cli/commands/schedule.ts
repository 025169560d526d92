import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { VigilError } from '../../core/errors.js';
import { iso, presentSchedule, presentShift } from '../../http/present.js';
import { shiftsBetween, whoIsOnCall } from '../../respond/schedules/on-call.js';
import { findSchedule } from '../../respond/schedules/schedule-service.js';
import type { CliContext } from '../cli.js';
import { time } from './arguments.js';
import { print, withVigil } from './with-vigil.js';



/** `vigil schedule set|list|oncall|shifts|override`: on-call schedules on the configured store. */
export function scheduleCommand(context: CliContext): Command {
  const schedule = new Command('schedule').description('on-call schedules: who is on call now or at a time');

  schedule
    .command('set')
    .description('create a schedule from a JSON file, or replace the one with the same name')
    .argument('<file>', 'the schedule definition (see src/respond/schedules/README.md)')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      let definition: unknown;
      try {
        definition = JSON.parse(await readFile(file, 'utf8'));
      } catch (cause) {
        throw new VigilError('VALIDATION_FAILED', `cannot read ${file} as JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
      }
      const stored = await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.schedules.put(tx, { definition, actor: context.actor })));
      print(context, { json: opts.json, value: { schedule: presentSchedule(stored) }, human: () => `schedule ${stored.schedule.name} saved (${stored.schedule.layers.length} layers)` });
    });

  schedule
    .command('list')
    .description('all schedules')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await withVigil(context, (vigil) => vigil.store.read.listSchedules());
      print(context, {
        json: opts.json,
        value: { schedules: list.map(presentSchedule) },
        human: () => (list.length === 0 ? 'no schedules' : list.map((s) => `${s.schedule.name}  ${s.schedule.timeZone}  layers: ${s.schedule.layers.map((l) => l.name).join(', ')}`).join('\n')),
      });
    });

  schedule
    .command('oncall')
    .description('who is on call now, or at --at')
    .argument('<schedule>', 'name or id')
    .addOption(new Option('--at <time>', 'ISO 8601 time').argParser(time))
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { at?: number; json?: boolean }) => {
      const result = await withVigil(context, async (vigil) => {
        const stored = await findSchedule(vigil.store.read, ref);
        const at = opts.at ?? vigil.clock.now();
        return { schedule: stored.schedule.name, at: iso(at), person: whoIsOnCall(stored.schedule, at) };
      });
      print(context, { json: opts.json, value: result, human: () => `${result.person ?? 'nobody'} (${result.schedule} at ${result.at})` });
    });

  schedule
    .command('shifts')
    .description('the shifts of a period (default: the next 7 days)')
    .argument('<schedule>', 'name or id')
    .addOption(new Option('--from <time>', 'ISO 8601 time').argParser(time))
    .addOption(new Option('--to <time>', 'ISO 8601 time').argParser(time))
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { from?: number; to?: number; json?: boolean }) => {
      const shifts = await withVigil(context, async (vigil) => {
        const stored = await findSchedule(vigil.store.read, ref);
        const from = opts.from ?? vigil.clock.now();
        const to = opts.to ?? from + 7 * 86_400_000;
        if (to <= from || to - from > 92 * 86_400_000) throw new VigilError('VALIDATION_FAILED', '--to must be after --from, at most 92 days');
        return shiftsBetween(stored.schedule, from, to);
      });
      print(context, {
        json: opts.json,
        value: { shifts: shifts.map(presentShift) },
        human: () => shifts.map((s) => `${iso(s.start)}  ${iso(s.end)}  ${s.person.padEnd(16)} ${s.override ? 'override' : s.layer}`).join('\n'),
      });
    });

  schedule
    .command('override')
    .description('put someone on call for a period, above every layer')
    .argument('<schedule>', 'name or id')
    .requiredOption('--person <name>', 'who covers')
    .addOption(new Option('--from <time>', 'ISO 8601 time').argParser(time).makeOptionMandatory())
    .addOption(new Option('--to <time>', 'ISO 8601 time').argParser(time).makeOptionMandatory())
    .option('--reason <text>', 'why (holiday, swap)')
    .action(async (ref: string, opts: { person: string; from: number; to: number; reason?: string }) => {
      await withVigil(context, (vigil) =>
        vigil.store.write((tx) =>
          vigil.schedules.addOverride(tx, { ref, override: { person: opts.person, start: opts.from, end: opts.to, ...(opts.reason === undefined ? {} : { reason: opts.reason }) }, actor: context.actor }),
        ),
      );
      context.io.out(`${opts.person} covers ${ref} from ${iso(opts.from)} to ${iso(opts.to)}\n`);
    });

  return schedule;
}

import { Command, Option } from 'commander';
import { VigilError } from '../../core/errors.js';
import { parseDuration } from '../../correlate/duration.js';
import { openWindows } from '../../correlate/maintenance-windows.js';
import { presentMaintenanceWindow, presentOccurrence } from '../../http/present-muting.js';
import { iso } from '../../http/present.js';
import type { CliContext } from '../cli.js';
import { time } from './arguments.js';
import { collect } from './silence.js';
import { print, withVigil } from './with-vigil.js';

/** `vigil maintenance add|list|remove|check`: maintenance windows on the configured store. */
export function maintenanceCommand(context: CliContext): Command {
  const maintenance = new Command('maintenance').description('maintenance windows: mute a service, once or on a recurrence');

  maintenance
    .command('add')
    .description('a one-off window (--start with --end or --duration) or a recurring one (--rrule, --time-zone, --duration)')
    .requiredOption('--name <name>', 'what the maintenance is')
    .requiredOption('--service <service>', 'the service it mutes')
    .option('--matcher <matcher>', 'only alerts that also match this, e.g. chain="ethereum"; repeatable', collect)
    .addOption(new Option('--start <time>', 'ISO 8601 start of the (first) occurrence, e.g. 2026-03-01T03:00:00+01:00').argParser(time).makeOptionMandatory())
    .addOption(new Option('--end <time>', 'ISO 8601 end of a one-off window').argParser(time))
    .addOption(new Option('--duration <duration>', 'how long each occurrence lasts, e.g. 2h').argParser((text) => parseDuration(text)))
    .option('--rrule <rule>', 'RFC 5545 recurrence, e.g. FREQ=WEEKLY;BYDAY=SU')
    .option('--time-zone <zone>', 'IANA time zone the recurrence is read in, e.g. Europe/Berlin')
    .option('--comment <text>', 'a note')
    .option('--json', 'print JSON')
    .action(
      async (opts: { name: string; service: string; matcher?: string[]; start: number; end?: number; duration?: number; rrule?: string; timeZone?: string; comment?: string; json?: boolean }) => {
        if ((opts.rrule === undefined) !== (opts.timeZone === undefined)) throw new VigilError('VALIDATION_FAILED', '--rrule and --time-zone go together');
        const shown = await withVigil(context, async (vigil) =>
          presentMaintenanceWindow(
            await vigil.store.write((tx) =>
              vigil.maintenanceWindows.create(tx, {
                name: opts.name,
                service: opts.service,
                startsAt: opts.start,
                actor: context.actor,
                ...(opts.matcher === undefined ? {} : { matchers: opts.matcher }),
                ...(opts.end === undefined ? {} : { endsAt: opts.end }),
                ...(opts.duration === undefined ? {} : { durationMs: opts.duration }),
                ...(opts.rrule === undefined || opts.timeZone === undefined ? {} : { recurrence: { rrule: opts.rrule, timeZone: opts.timeZone } }),
                ...(opts.comment === undefined ? {} : { comment: opts.comment }),
              }),
            ),
            { now: vigil.clock.now() },
          ),
        );
        print(context, {
          json: opts.json,
          value: { maintenanceWindow: shown },
          human: () => `maintenance window ${shown.id} for ${shown.service}; next: ${shown.upcoming.map((o) => `${o.start} .. ${o.end}`).join(', ') || 'none'}`,
        });
      },
    );

  maintenance
    .command('list')
    .description('maintenance windows with their next occurrences')
    .option('--service <service>', 'only this service')
    .option('--all', 'include removed windows')
    .option('--json', 'print JSON')
    .action(async (opts: { service?: string; all?: boolean; json?: boolean }) => {
      const shown = await withVigil(context, async (vigil) => {
        const now = vigil.clock.now();
        const list = await vigil.store.read.listMaintenanceWindows({ includeRemoved: opts.all === true, ...(opts.service === undefined ? {} : { service: opts.service }) });
        return list.map((w) => presentMaintenanceWindow(w, { now }));
      });
      print(context, {
        json: opts.json,
        value: { maintenanceWindows: shown },
        human: () =>
          shown.length === 0
            ? 'no maintenance windows'
            : shown
                .map((w) => {
                  const when = w.rrule === null ? `once from ${w.startsAt}` : `${w.rrule} in ${w.timeZone}`;
                  const state = w.removedAt !== null ? 'removed' : w.openNow ? 'OPEN NOW' : `next ${w.upcoming[0]?.start ?? 'never'}`;
                  return `${w.id}  ${w.service}  ${w.name}  ${when} for ${w.duration}  ${state}`;
                })
                .join('\n'),
      });
    });

  maintenance
    .command('remove')
    .description('remove a maintenance window')
    .argument('<id>', 'the window id')
    .action(async (id: string) => {
      await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.maintenanceWindows.remove(tx, { id, actor: context.actor })));
      context.io.out(`maintenance window ${id} removed\n`);
    });

  maintenance
    .command('check')
    .description('is a service in maintenance now, or at --at')
    .requiredOption('--service <service>', 'the service')
    .addOption(new Option('--at <time>', 'ISO 8601 time').argParser(time))
    .option('--json', 'print JSON')
    .action(async (opts: { service: string; at?: number; json?: boolean }) => {
      const result = await withVigil(context, async (vigil) => {
        const at = opts.at ?? vigil.clock.now();
        const open = openWindows(await vigil.store.read.listMaintenanceWindows({ includeRemoved: false, service: opts.service }), { service: opts.service, at });
        return { service: opts.service, at: iso(at), inMaintenance: open.length > 0, windows: open.map(({ window, occurrence }) => ({ id: window.id, name: window.name, occurrence: presentOccurrence(occurrence) })) };
      });
      print(context, {
        json: opts.json,
        value: result,
        human: () =>
          result.inMaintenance
            ? `${result.service} is in maintenance at ${result.at}: ${result.windows.map((w) => `${w.name} (${w.occurrence.start} .. ${w.occurrence.end})`).join(', ')}`
            : `${result.service} is not in maintenance at ${result.at}`,
      });
    });

  return maintenance;
}

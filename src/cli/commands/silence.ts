import { Command, Option } from 'commander';
import { mutedAlertStatuses, type MuteKind, type MutedAlertStatus } from '../../core/muted-alert.js';
import { silenceStates, type SilenceState } from '../../core/silence.js';
import { parseDuration } from '../../correlate/duration.js';
import { presentMutedAlert, presentSilence } from '../../http/present-muting.js';
import type { CliContext } from '../cli.js';
import { integer, time } from './arguments.js';
import { print, withVigil } from './with-vigil.js';

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `vigil silence add|list|expire|muted`: silences and the alerts muted, on the configured store. */
export function silenceCommand(context: CliContext): Command {
  const silence = new Command('silence').description('silences: mute the alerts that match, for a while');

  silence
    .command('add')
    .description('silence the alerts that match every --matcher, from now (or --start) for --duration (or until --end)')
    .requiredOption('--matcher <matcher>', 'a matcher such as chain="ethereum" or wallet=~"hot-.*", or a set {a="b",c!="d"}; repeatable', collect)
    .addOption(new Option('--duration <duration>', 'how long, e.g. 90m, 2h, 1d').argParser((text) => parseDuration(text)))
    .addOption(new Option('--start <time>', 'ISO 8601 start (default now)').argParser(time))
    .addOption(new Option('--end <time>', 'ISO 8601 end (instead of --duration)').argParser(time))
    .requiredOption('--comment <text>', 'why (shown beside every alert it mutes)')
    .option('--json', 'print JSON')
    .action(async (opts: { matcher: string[]; duration?: number; start?: number; end?: number; comment: string; json?: boolean }) => {
      const { created, now } = await withVigil(context, async (vigil) => ({
        created: await vigil.store.write((tx) =>
          vigil.silences.create(tx, {
            matchers: opts.matcher,
            comment: opts.comment,
            actor: context.actor,
            ...(opts.start === undefined ? {} : { startsAt: opts.start }),
            ...(opts.end === undefined ? {} : { endsAt: opts.end }),
            ...(opts.duration === undefined ? {} : { durationMs: opts.duration }),
          }),
        ),
        now: vigil.clock.now(),
      }));
      const shown = presentSilence(created, now);
      print(context, { json: opts.json, value: { silence: shown }, human: () => `silence ${shown.id} ${shown.state} until ${shown.endsAt}: ${shown.matchers.join(', ')}` });
    });

  silence
    .command('list')
    .description('silences, newest first')
    .addOption(new Option('--state <state>', 'only active, pending or expired ones').choices(silenceStates))
    .option('--json', 'print JSON')
    .action(async (opts: { state?: SilenceState; json?: boolean }) => {
      const shown = await withVigil(context, async (vigil) => {
        const now = vigil.clock.now();
        const list = await vigil.store.read.listSilences({ at: now, limit: 1_000, ...(opts.state === undefined ? {} : { state: opts.state }) });
        return list.map((s) => presentSilence(s, now));
      });
      print(context, {
        json: opts.json,
        value: { silences: shown },
        human: () =>
          shown.length === 0
            ? 'no silences'
            : shown.map((s) => `${s.id}  ${s.state.padEnd(7)}  ${s.startsAt} .. ${s.endsAt}  ${s.matchers.join(', ')}  (${s.createdBy.name}: ${s.comment})`).join('\n'),
      });
    });

  silence
    .command('expire')
    .description('end a silence now')
    .argument('<id>', 'the silence id')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const shown = await withVigil(context, async (vigil) => presentSilence(await vigil.store.write((tx) => vigil.silences.expire(tx, { id, actor: context.actor })), vigil.clock.now()));
      print(context, { json: opts.json, value: { silence: shown }, human: () => `silence ${shown.id} expired at ${shown.endsAt}` });
    });

  silence
    .command('muted')
    .description('alerts muted by silences, maintenance windows or inhibition rules, newest first')
    .option('--silence <id>', 'only those muted by this silence')
    .option('--maintenance <id>', 'only those muted by this maintenance window')
    .option('--rule <id>', 'only those muted by this inhibition rule')
    .addOption(new Option('--status <status>', 'muted, resolved or released').choices(mutedAlertStatuses))
    .addOption(new Option('--limit <n>', 'at most this many').argParser(integer('--limit', 1)).default(100))
    .option('--json', 'print JSON')
    .action(async (opts: { silence?: string; maintenance?: string; rule?: string; status?: MutedAlertStatus; limit: number; json?: boolean }) => {
      const by: [MuteKind, string] | undefined =
        opts.silence !== undefined ? ['silence', opts.silence] : opts.maintenance !== undefined ? ['maintenance', opts.maintenance] : opts.rule !== undefined ? ['inhibition', opts.rule] : undefined;
      const shown = await withVigil(context, async (vigil) =>
        (
          await vigil.store.read.listMutedAlerts({
            limit: opts.limit,
            ...(by === undefined ? {} : { kind: by[0], reasonId: by[1] }),
            ...(opts.status === undefined ? {} : { status: opts.status }),
          })
        ).map(presentMutedAlert),
      );
      print(context, {
        json: opts.json,
        value: { mutedAlerts: shown },
        human: () =>
          shown.length === 0
            ? 'no muted alerts'
            : shown.map((m) => `${m.id}  ${m.status.padEnd(8)}  x${m.count}  last ${m.lastSeenAt}  ${m.summary}  <- ${m.suppressedBy}`).join('\n'),
      });
    });

  return silence;
}

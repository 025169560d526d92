import { Command, Option } from 'commander';
import { incidentStatuses, severities, shortId, type Incident, type IncidentStatus, type Severity } from '../../core/incident.js';
import { VigilError } from '../../core/errors.js';
import { findIncident } from '../../respond/incident-actions.js';
import { presentAlert, presentIncident, presentTimelineEntry } from '../../http/present.js';
import type { CliContext } from '../cli.js';
import { time } from './arguments.js';
import { print, withVigil } from './with-vigil.js';
import { addTriageCommands } from './incident-triage.js';
import { addIncidentPlaybookCommands } from './incident-playbooks.js';

function csv<T extends string>(allowed: readonly T[], name: string) {
  return (text: string): T[] => {
    const values = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
    for (const v of values) {
      if (!allowed.includes(v as T)) throw new VigilError('VALIDATION_FAILED', `${name} must be among ${allowed.join(', ')}, not ${v}`);
    }
    return values as T[];
  };
}


function row(i: Incident): string {
  const when = new Date(i.createdAt).toISOString().replace('T', ' ').slice(0, 19);
  return `${shortId(i).padEnd(9)} ${i.severity}  ${i.status.padEnd(12)} ${i.service.padEnd(16)} ${when}  ${i.title}`;
}

/** `vigil incident list|show|ack|resolve|reopen|assign|severity|note`, on the configured store. */
export function incidentCommand(context: CliContext): Command {
  const incident = new Command('incident').description('list, inspect and act on incidents');

  incident
    .command('list')
    .description('list incidents, newest first')
    .addOption(new Option('--status <list>', `comma-separated: ${incidentStatuses.join(',')}`).argParser(csv(incidentStatuses, '--status')))
    .addOption(new Option('--severity <list>', `comma-separated: ${severities.join(',')}`).argParser(csv(severities, '--severity')))
    .option('--service <name>', 'only this service')
    .addOption(new Option('--since <time>', 'created at or after (ISO 8601)').argParser(time))
    .addOption(new Option('--until <time>', 'created before (ISO 8601)').argParser(time))
    .addOption(new Option('--limit <n>', 'at most this many').argParser((t) => Number.parseInt(t, 10)).default(50))
    .option('--json', 'print JSON')
    .action(
      async (opts: { status?: IncidentStatus[]; severity?: Severity[]; service?: string; since?: number; until?: number; limit: number; json?: boolean }) => {
        if (!Number.isInteger(opts.limit) || opts.limit < 1 || opts.limit > 500) throw new VigilError('VALIDATION_FAILED', '--limit must be 1..500');
        const list = await withVigil(context, (vigil) =>
          vigil.store.read.listIncidents({
            limit: opts.limit,
            ...(opts.status === undefined ? {} : { statuses: opts.status }),
            ...(opts.severity === undefined ? {} : { severities: opts.severity }),
            ...(opts.service === undefined ? {} : { service: opts.service }),
            ...(opts.since === undefined ? {} : { since: opts.since }),
            ...(opts.until === undefined ? {} : { until: opts.until }),
          }),
        );
        print(context, { json: opts.json, value: { incidents: list.map(presentIncident) }, human: () =>
          list.length === 0 ? 'no incidents' : list.map(row).join('\n') });
      },
    );

  incident
    .command('show')
    .description('show an incident with its alerts and timeline')
    .argument('<id>', 'INC-42, 42, or the incident id')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const shown = await withVigil(context, async (vigil) => {
        const found = await findIncident(vigil.store.read, ref);
        return {
          incident: found,
          alerts: await vigil.store.read.listAlertsOfIncident(found.id),
          timeline: await vigil.store.read.listTimeline(found.id),
        };
      });
      const value = {
        incident: presentIncident(shown.incident),
        alerts: shown.alerts.map(presentAlert),
        timeline: shown.timeline.map(presentTimelineEntry),
      };
      print(context, { json: opts.json, value, human: () =>
        [
          `${shortId(shown.incident)}  ${shown.incident.title}`,
          `  service ${shown.incident.service}, ${shown.incident.severity}, ${shown.incident.status}, assignee ${shown.incident.assignee ?? '-'}`,
          `  alerts (${shown.alerts.length}):`,
          ...shown.alerts.map((a) => `    ${a.status.padEnd(8)} ${a.severity.padEnd(8)} x${a.count}  ${a.summary}`),
          '  timeline:',
          ...shown.timeline.map((e) => `    ${new Date(e.at).toISOString()}  ${e.actor.name}: ${e.message}`),
        ].join('\n') });
    });

  const statusActions = [
    ['ack', 'acknowledge', 'acknowledge an incident'],
    ['resolve', 'resolve', 'resolve an incident and its firing alerts'],
    ['reopen', 'reopen', 'reopen a resolved incident'],
  ] as const;
  for (const [name, action, description] of statusActions) {
    incident
      .command(name)
      .description(description)
      .argument('<id>', 'INC-42, 42, or the incident id')
      .option('--reason <text>', 'why, for the timeline')
      .option('--json', 'print JSON')
      .action(async (ref: string, opts: { reason?: string; json?: boolean }) => {
        const updated = await withVigil(context, (vigil) =>
          vigil.store.write((tx) =>
            vigil.actions.changeStatus(tx, { ref, action, actor: context.actor, ...(opts.reason === undefined ? {} : { reason: opts.reason }) }),
          ),
        );
        print(context, { json: opts.json, value: { incident: presentIncident(updated) }, human: () => `${shortId(updated)} ${updated.status}` });
      });
  }

  incident
    .command('assign')
    .description('assign an incident to someone (or --unassign)')
    .argument('<id>', 'INC-42, 42, or the incident id')
    .argument('[assignee]', 'who')
    .option('--unassign', 'clear the assignee')
    .option('--json', 'print JSON')
    .action(async (ref: string, assignee: string | undefined, opts: { unassign?: boolean; json?: boolean }) => {
      if ((assignee === undefined) === (opts.unassign !== true)) throw new VigilError('VALIDATION_FAILED', 'give an assignee or --unassign');
      const updated = await withVigil(context, (vigil) =>
        vigil.store.write((tx) => vigil.actions.assign(tx, { ref, assignee: assignee ?? null, actor: context.actor })),
      );
      print(context, { json: opts.json, value: { incident: presentIncident(updated) }, human: () => `${shortId(updated)} assigned to ${updated.assignee ?? 'nobody'}` });
    });

  incident
    .command('severity')
    .description("set an incident's severity")
    .argument('<id>', 'INC-42, 42, or the incident id')
    .addArgument(new Command().createArgument('<severity>', 'SEV1..SEV5').choices(severities))
    .option('--reason <text>', 'why, for the timeline')
    .option('--json', 'print JSON')
    .action(async (ref: string, severity: Severity, opts: { reason?: string; json?: boolean }) => {
      const updated = await withVigil(context, (vigil) =>
        vigil.store.write((tx) =>
          vigil.actions.setSeverity(tx, { ref, severity, actor: context.actor, ...(opts.reason === undefined ? {} : { reason: opts.reason }) }),
        ),
      );
      print(context, { json: opts.json, value: { incident: presentIncident(updated) }, human: () => `${shortId(updated)} is ${updated.severity}` });
    });

  incident
    .command('note')
    .description("add a note to an incident's timeline")
    .argument('<id>', 'INC-42, 42, or the incident id')
    .argument('<text...>', 'the note')
    .option('--json', 'print JSON')
    .action(async (ref: string, words: string[], opts: { json?: boolean }) => {
      const text = words.join(' ').trim();
      if (text === '') throw new VigilError('VALIDATION_FAILED', 'the note is empty');
      const entry = await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.actions.addNote(tx, { ref, text, actor: context.actor })));
      print(context, { json: opts.json, value: { entry: presentTimelineEntry(entry) }, human: () => `noted at ${new Date(entry.at).toISOString()}` });
    });

  addTriageCommands(incident, context);
  addIncidentPlaybookCommands(incident, context);
  return incident;
}

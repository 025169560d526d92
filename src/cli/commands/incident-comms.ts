import { Option, type Command } from 'commander';
import { VigilError } from '../../core/errors.js';
import { incidentRoles, parseIncidentRole, type IncidentRole } from '../../core/incident-role.js';
import { shortId } from '../../core/incident.js';
import { iso, presentIncidentUpdate, presentRoleAssignment } from '../../http/present.js';
import { findIncident } from '../../respond/incident-actions.js';
import { currentAssignments, roleLabel } from '../../respond/roles/role-holders.js';
import type { CliContext } from '../cli.js';
import { print, withVigil } from './with-vigil.js';

function role(text: string): IncidentRole {
  const parsed = parseIncidentRole(text);
  if (parsed === undefined) throw new VigilError('VALIDATION_FAILED', `no role ${text}; roles: ${incidentRoles.join(', ')} (or ic, comms, tech, ops, ...)`);
  return parsed;
}

/**
 * `vigil incident role|roles|update`: incident roles and updates, added to the `incident`
 * command, on the configured store.
 */
export function addIncidentCommsCommands(incident: Command, context: CliContext): Command {
  const roleCommand = incident
    .command('role')
    .description('assign a role (handing it over from its holder), or release it with --release')
    .argument('<id>', 'INC-42, 42, or the incident id')
    .argument('<role>', `${incidentRoles.join(', ')}, or ic, scribe, comms, tech, ops, protocol, infra, external`)
    .argument('[person]', 'the person handle (alice); with --release, which technical specialist')
    .option('--release', 'end the holder’s assignment instead')
    .option('--json', 'print JSON');
  roleCommand.action(async (ref: string, roleText: string, person: string | undefined) => {
    const opts = roleCommand.opts<{ release?: boolean; json?: boolean }>();
    const which = role(roleText);
    if (opts.release === true) {
      const released = await withVigil(context, (vigil) =>
        vigil.store.write((tx) => vigil.roles.release(tx, { ref, role: which, actor: context.actor, ...(person === undefined ? {} : { person }) })),
      );
      print(context, { json: opts.json, value: { assignment: presentRoleAssignment(released) }, human: () => `${released.person} is no longer ${roleLabel(which)}` });
      return;
    }
    if (person === undefined) throw new VigilError('VALIDATION_FAILED', 'say who: vigil incident role INC-1 ic alice');
    const result = await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.roles.assign(tx, { ref, role: which, person, actor: context.actor })));
    const id = shortId(result.incident);
    const who = result.assignment.person;
    print(context, {
      json: opts.json,
      value: { assignment: presentRoleAssignment(result.assignment), outcome: result.outcome, from: result.from },
      human: () =>
        result.outcome === 'handed_over'
          ? `${id}: ${roleLabel(which)} handed over from ${result.from} to ${who}`
          : result.outcome === 'unchanged'
            ? `${id}: ${who} already is ${roleLabel(which)}`
            : `${id}: ${who} is ${roleLabel(which)}`,
    });
  });

  incident
    .command('roles')
    .description('who holds which role on an incident, and who held it before')
    .argument('<id>', 'INC-42, 42, or the incident id')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const { found, all } = await withVigil(context, async (vigil) => {
        const found = await findIncident(vigil.store.read, ref);
        return { found, all: await vigil.store.read.listRoleAssignments(found.id) };
      });
      const current = currentAssignments(all);
      print(context, {
        json: opts.json,
        value: { incidentId: found.id, current: current.map((a) => ({ role: a.role, person: a.person, since: iso(a.assignedAt) })), history: all.map(presentRoleAssignment) },
        human: () =>
          [
            `${shortId(found)} roles`,
            ...(current.length === 0 ? ['  nobody holds a role'] : current.map((a) => `  ${roleLabel(a.role).padEnd(22)} ${a.person.padEnd(16)} since ${iso(a.assignedAt)}`)),
            ...(all.length === current.length
              ? []
              : ['history', ...all.filter((a) => a.releasedAt !== null).map((a) => `  ${roleLabel(a.role).padEnd(22)} ${a.person.padEnd(16)} ${iso(a.assignedAt)} - ${iso(a.releasedAt)}`)]),
          ].join('\n'),
      });
    });

  incident
    .command('update')
    .description('post an internal or stakeholder update (a stakeholder update restarts the reminder cadence)')
    .argument('<id>', 'INC-42, 42, or the incident id')
    .addOption(new Option('--stakeholders <text>', 'an update for the people who depend on the service').conflicts('internal'))
    .addOption(new Option('--internal <text>', 'an update for the responders'))
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { stakeholders?: string; internal?: string; json?: boolean }) => {
      const audience = opts.stakeholders !== undefined ? 'stakeholders' : 'internal';
      const body = (opts.stakeholders ?? opts.internal ?? '').trim();
      if (body === '') throw new VigilError('VALIDATION_FAILED', 'give the update as --stakeholders "..." or --internal "..."');
      const update = await withVigil(context, (vigil) => vigil.store.write((tx) => vigil.updates.post(tx, { ref, audience, body, actor: context.actor })));
      print(context, { json: opts.json, value: { update: presentIncidentUpdate(update) }, human: () => `${audience} update posted` });
    });

  return incident;
}

import type { Actor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { isVigilError } from '../../core/errors.js';
import { severities, shortId, type Incident } from '../../core/incident.js';
import type { Store } from '../../core/store.js';
import { findIncident, type IncidentActions } from '../incident-actions.js';
import { currentAssignments, roleLabel } from '../roles/role-holders.js';
import type { RoleService } from '../roles/role-service.js';
import { chatHelp, parseChatCommand, type PersonMention } from './slack-command.js';

/** The fields Slack posts for a slash command (form-encoded). */
export interface SlashCommand {
  readonly team_id: string;
  readonly channel_id?: string | undefined;
  readonly user_id: string;
  readonly user_name: string;
  readonly command: string;
  readonly text: string;
  readonly response_url?: string | undefined;
  readonly trigger_id?: string | undefined;
}

/** Slack's answer to a slash command: `in_channel` shows it to everyone, `ephemeral` to the caller. */
export interface SlackResponse {
  readonly response_type: 'in_channel' | 'ephemeral';
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

type SlackBlock =
  | { readonly type: 'section'; readonly text: { readonly type: 'mrkdwn'; readonly text: string } }
  | { readonly type: 'context'; readonly elements: readonly { readonly type: 'mrkdwn'; readonly text: string }[] };

/** Slack's three control characters; anything from people or alerts is escaped before it is sent. */
export function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function answer(responseType: SlackResponse['response_type'], text: string, context?: string): SlackResponse {
  const blocks: SlackBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  if (context !== undefined) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context }] });
  return { response_type: responseType, text, blocks };
}

const changed = (text: string) => answer('in_channel', text);
const onlyYou = (text: string, context?: string) => answer('ephemeral', text, context);

function line(incident: Incident): string {
  return `*${shortId(incident)}* ${incident.severity} ${incident.status} · ${slackEscape(incident.service)} · ${slackEscape(incident.title)}`;
}

export interface SlackChatOpsOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly actions: IncidentActions;
  readonly roles: RoleService;
  /** Slack user id -> Vigil person handle; users not in it are known by their Slack user name. */
  readonly users: Readonly<Record<string, string>>;
}

/**
 * `/vigil` in Slack. The request was already verified as Slack's; this turns its text into the
 * same incident actions the API and the CLI use, with the Slack user as the actor, and answers
 * in Slack's format. A user's mistake (unknown incident, bad command) is an ephemeral explanation.
 */
export class SlackChatOps {
  readonly #options: SlackChatOpsOptions;

  constructor(options: SlackChatOpsOptions) {
    this.#options = options;
  }

  /** The person handle of a Slack user: the configured mapping, else their user name. */
  personOf(userId: string, userName: string): string {
    return this.#options.users[userId] ?? userName;
  }

  async handle(command: SlashCommand): Promise<SlackResponse> {
    const person = this.personOf(command.user_id, command.user_name);
    const actor: Actor = { kind: 'chat', id: `slack:${command.team_id}:${command.user_id}`, name: person };
    try {
      return await this.#run(command, actor);
    } catch (error) {
      // Client mistakes (unknown incident, a transition that cannot happen, a bad handle) are
      // explained to the caller; anything else is the server's and propagates as a 5xx.
      if (isVigilError(error) && error.httpStatus < 500) return onlyYou(`:warning: ${slackEscape(error.message)}`);
      throw error;
    }
  }

  async #run(command: SlashCommand, actor: Actor): Promise<SlackResponse> {
    const { store, actions, roles } = this.#options;
    const parsed = parseChatCommand(command.text);
    const slash = slackEscape(command.command || '/vigil');
    switch (parsed.kind) {
      case 'help':
        return onlyYou(chatHelp.replaceAll('/vigil', slash));
      case 'invalid':
        return onlyYou(`:warning: ${slackEscape(parsed.problem)}`, `Try \`${slash} help\``);
      case 'ack': {
        const incident = await store.write((tx) => actions.changeStatus(tx, { ref: parsed.incident, action: 'acknowledge', actor }));
        return changed(`:eyes: ${line(incident)}\nacknowledged by ${slackEscape(actor.name)}`);
      }
      case 'resolve': {
        const incident = await store.write((tx) =>
          actions.changeStatus(tx, { ref: parsed.incident, action: 'resolve', actor, ...(parsed.reason === undefined ? {} : { reason: parsed.reason }) }),
        );
        return changed(`:white_check_mark: ${line(incident)}\nresolved by ${slackEscape(actor.name)}${parsed.reason === undefined ? '' : `: ${slackEscape(parsed.reason)}`}`);
      }
      case 'note': {
        const incident = await findIncident(store.read, parsed.incident);
        await store.write((tx) => actions.addNote(tx, { ref: incident.id, text: parsed.text, actor }));
        return changed(`:memo: Note on *${shortId(incident)}* by ${slackEscape(actor.name)}: ${slackEscape(parsed.text)}`);
      }
      case 'role': {
        const person = this.#mentioned(parsed.person);
        if (person === undefined) {
          return onlyYou(`:warning: I do not know which Vigil person <@${slackEscape(parsed.person.userId ?? '')}> is; map their Slack user id in VIGIL_SLACK_USERS.`);
        }
        const result = await store.write((tx) => roles.assign(tx, { ref: parsed.incident, role: parsed.role, person, actor }));
        const label = roleLabel(parsed.role);
        const id = shortId(result.incident);
        if (result.outcome === 'unchanged') return onlyYou(`${slackEscape(person)} is already ${label} of *${id}*.`);
        if (result.outcome === 'handed_over') {
          return changed(`:arrows_counterclockwise: *${id}* ${label} handed over from ${slackEscape(result.from ?? '')} to ${slackEscape(person)} by ${slackEscape(actor.name)}`);
        }
        return changed(`:bust_in_silhouette: ${slackEscape(person)} is ${label} of *${id}*, assigned by ${slackEscape(actor.name)}`);
      }
      case 'status':
        return parsed.incident === undefined ? this.#overview() : this.#incident(parsed.incident);
    }
  }

  #mentioned(mention: PersonMention): string | undefined {
    if (mention.userId !== undefined) return this.#options.users[mention.userId] ?? mention.name;
    return mention.name;
  }

  async #overview(): Promise<SlackResponse> {
    const { store } = this.#options;
    const counts = await store.read.countOpenIncidentsBySeverity();
    const total = severities.reduce((n, s) => n + counts[s], 0);
    if (total === 0) return onlyYou(':large_green_circle: No open incidents.');
    const open = await store.read.listIncidents({ statuses: ['triggered', 'acknowledged'], limit: 200 });
    const sorted = [...open].sort((a, b) => a.severity.localeCompare(b.severity) || b.number - a.number);
    const shown = sorted.slice(0, 15);
    const summary = severities.filter((s) => counts[s] > 0).map((s) => `${s}: ${counts[s]}`).join(' · ');
    const more = total > shown.length ? `\n…and ${total - shown.length} more` : '';
    return onlyYou(`*${total} open incident${total === 1 ? '' : 's'}* (${summary})\n${shown.map(line).join('\n')}${more}`);
  }

  async #incident(ref: string): Promise<SlackResponse> {
    const { store } = this.#options;
    const incident = await findIncident(store.read, ref);
    const holders = currentAssignments(await store.read.listRoleAssignments(incident.id));
    const timeline = (await store.read.listTimeline(incident.id)).slice(-3);
    const roles = holders.length === 0 ? 'no roles assigned' : holders.map((h) => `${roleLabel(h.role)}: ${slackEscape(h.person)}`).join(' · ');
    const latest = timeline.map((e) => `• ${new Date(e.at).toISOString().slice(11, 19)} ${slackEscape(e.message)}`).join('\n');
    return onlyYou(`${line(incident)}\nopened ${new Date(incident.createdAt).toISOString().replace('T', ' ').slice(0, 16)} UTC · ${incident.alertCount} alert${incident.alertCount === 1 ? '' : 's'}\n${roles}\n${latest}`);
  }
}

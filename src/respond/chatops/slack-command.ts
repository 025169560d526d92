import { parseIncidentRole, type IncidentRole } from '../../core/incident-role.js';
import { parseShortId } from '../../core/incident.js';

/** What a `/vigil ...` line asks for, or why it cannot be understood. */
export type ChatCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'ack'; readonly incident: string }
  | { readonly kind: 'resolve'; readonly incident: string; readonly reason?: string }
  | { readonly kind: 'status'; readonly incident?: string }
  | { readonly kind: 'role'; readonly incident: string; readonly role: IncidentRole; readonly person: PersonMention }
  | { readonly kind: 'note'; readonly incident: string; readonly text: string }
  | { readonly kind: 'invalid'; readonly problem: string };

/**
 * A person as typed in Slack: `@alice` (plain text), `<@U024BE7LH|alice>` or `<@U024BE7LH>`
 * (Slack escapes mentions when the command asks it to).
 */
export interface PersonMention {
  readonly userId?: string;
  readonly name?: string;
}

export const chatHelp = [
  '`/vigil ack INC-12`: acknowledge',
  '`/vigil resolve INC-12 [reason]`: resolve',
  '`/vigil status`: open incidents by severity',
  '`/vigil status INC-12`: one incident, its roles and latest entries',
  '`/vigil role ic @name INC-12` (or `role INC-12 ic @name`): assign or hand over a role (ic, scribe, comms, tech, ops, protocol, infra, external)',
  '`/vigil note INC-12 text`: add a note to the timeline',
  '`/vigil help`: this list',
].join('\n');

/** `INC-12`, `inc-12`, `#12` or `12` as the text `findIncident` takes; undefined otherwise. */
export function incidentRef(word: string | undefined): string | undefined {
  if (word === undefined) return undefined;
  const number = parseShortId(word) ?? (/^#?\d{1,12}$/.test(word) ? Number(word.replace('#', '')) : undefined);
  return number === undefined ? undefined : `INC-${number}`;
}

export function parseMention(word: string): PersonMention | undefined {
  const escaped = /^<@([UW][A-Z0-9]+)(?:\|([^>]+))?>$/.exec(word);
  if (escaped !== null) return { userId: escaped[1]!, ...(escaped[2] === undefined ? {} : { name: escaped[2] }) };
  const plain = /^@?([\p{L}\p{N}._-][\p{L}\p{N}._@+-]*)$/u.exec(word);
  return plain === null ? undefined : { name: plain[1]! };
}

const needsIncident = (verb: string) => ({ kind: 'invalid' as const, problem: `\`${verb}\` needs an incident, such as \`/vigil ${verb} INC-12\`` });

/** Parses the `text` of a slash command (what follows `/vigil`). */
export function parseChatCommand(text: string): ChatCommand {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  const [verb, ...rest] = words;
  switch (verb?.toLowerCase()) {
    case undefined:
    case 'help':
      return { kind: 'help' };
    case 'ack':
    case 'acknowledge': {
      const incident = incidentRef(rest[0]);
      return incident === undefined ? needsIncident('ack') : { kind: 'ack', incident };
    }
    case 'resolve': {
      const incident = incidentRef(rest[0]);
      if (incident === undefined) return needsIncident('resolve');
      const reason = rest.slice(1).join(' ');
      return { kind: 'resolve', incident, ...(reason === '' ? {} : { reason }) };
    }
    case 'status': {
      if (rest.length === 0) return { kind: 'status' };
      const incident = incidentRef(rest[0]);
      return incident === undefined ? { kind: 'invalid', problem: `\`${rest[0]}\` is not an incident; try \`/vigil status INC-12\`` } : { kind: 'status', incident };
    }
    case 'note': {
      const incident = incidentRef(rest[0]);
      if (incident === undefined) return needsIncident('note');
      const note = rest.slice(1).join(' ');
      return note === '' ? { kind: 'invalid', problem: 'the note is empty: `/vigil note INC-12 what happened`' } : { kind: 'note', incident, text: note };
    }
    case 'role':
      return parseRole(rest);
    default:
      return { kind: 'invalid', problem: `I do not know \`${verb}\`.` };
  }
}

/** `role ic @name INC-12` or `role INC-12 ic @name`: the words may come in either order. */
function parseRole(words: readonly string[]): ChatCommand {
  const usage = 'use `/vigil role ic @name INC-12`';
  if (words.length !== 3) return { kind: 'invalid', problem: `role takes a role, a person and an incident: ${usage}` };
  const incidentIndex = words.findIndex((w) => incidentRef(w) !== undefined);
  const incidentWord = words[incidentIndex];
  if (incidentWord === undefined) return { kind: 'invalid', problem: `which incident? ${usage}` };
  const others = words.filter((_, i) => i !== incidentIndex);
  const roleIndex = others.findIndex((w) => parseIncidentRole(w) !== undefined);
  const roleWord = others[roleIndex];
  if (roleWord === undefined) return { kind: 'invalid', problem: `\`${others.join(' ')}\` names no role; roles: ic, scribe, comms, tech, ops, protocol, infra, external` };
  const personWord = others[1 - roleIndex]!;
  const person = parseMention(personWord);
  if (person === undefined) return { kind: 'invalid', problem: `\`${personWord}\` is not a person; ${usage}` };
  return { kind: 'role', incident: incidentRef(incidentWord)!, role: parseIncidentRole(roleWord)!, person };
}

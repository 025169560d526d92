/**
 * Who did something. Every timeline entry and audit record names one: a person's token, an
 * integration, the CLI user, a chat user (a Slack slash command), or Vigil itself (`system`).
 */
export interface Actor {
  readonly kind: 'token' | 'integration' | 'cli' | 'chat' | 'system';
  /** A stable id for the actor: token id, integration id, OS user name, `slack:<team>:<user>`, or `vigil`. */
  readonly id: string;
  /** A readable name for people. */
  readonly name: string;
}

export const systemActor: Actor = { kind: 'system', id: 'vigil', name: 'vigil' };

/** `token:01H...` style reference used in stored rows. */
export function actorRef(actor: Actor): string {
  return `${actor.kind}:${actor.id}`;
}

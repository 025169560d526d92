/**
 * Who did something. Every timeline entry and audit record names one: a person's token, an
 * integration, the CLI user, or Vigil itself (`system`).
 */
export interface Actor {
  readonly kind: 'token' | 'integration' | 'cli' | 'system';
  /** A stable id for the actor: token id, integration id, OS user name, or `vigil`. */
  readonly id: string;
  /** A readable name for people. */
  readonly name: string;
}

export const systemActor: Actor = { kind: 'system', id: 'vigil', name: 'vigil' };

/** `token:01H...` style reference used in stored rows. */
export function actorRef(actor: Actor): string {
  return `${actor.kind}:${actor.id}`;
}

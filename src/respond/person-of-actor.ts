import type { Actor } from '../core/actor.js';
import type { StoreReader } from '../core/store.js';

/**
 * The person behind an actor, by handle: the person a token was issued to, the user name of the
 * CLI (the same name schedules use), the person a Slack user maps to. Undefined for an
 * integration or Vigil itself, or a token issued to nobody.
 */
export async function personOfActor(reader: StoreReader, actor: Actor): Promise<string | undefined> {
  switch (actor.kind) {
    case 'token':
      return (await reader.getApiToken(actor.id))?.person ?? undefined;
    case 'cli':
    case 'chat':
      return actor.name;
    case 'integration':
    case 'system':
      return undefined;
  }
}

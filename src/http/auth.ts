import type { FastifyRequest } from 'fastify';
import { findApiToken, findIntegration } from '../access/credentials.js';
import { roleAllows, type ApiToken, type Integration, type IntegrationKind, type Role } from '../core/access.js';
import type { Actor } from '../core/actor.js';
import { VigilError } from '../core/errors.js';
import type { StoreReader } from '../core/store.js';

/**
 * Who is calling. People use API tokens (`Authorization: Bearer vgl_...`); senders use integration
 * keys (Bearer, `?key=`, or PagerDuty's `routing_key`). Lookups are cached for a few seconds: an
 * ingest burst must not queue a read behind every write, and a revoked credential stops working
 * within `ttlMs`.
 */
export class Authenticator {
  readonly #reader: StoreReader;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #tokens = new Map<string, { value: ApiToken | undefined; until: number }>();
  readonly #integrations = new Map<string, { value: Integration | undefined; until: number }>();

  constructor(options: { reader: StoreReader; now: () => number; ttlMs?: number }) {
    this.#reader = options.reader;
    this.#now = options.now;
    this.#ttlMs = options.ttlMs ?? 5_000;
  }

  /** The token's holder as an actor, if the token grants `role`; 401 or 403 otherwise. */
  async requireRole(request: FastifyRequest, role: Role): Promise<Actor> {
    return (await this.requirePerson(request, role)).actor;
  }

  /**
   * Like `requireRole`, and also the person the token was issued to (undefined for a token made
   * for a tool). Used where only one person may act, such as the communications lead publishing.
   */
  async requirePerson(request: FastifyRequest, role: Role): Promise<{ actor: Actor; person: string | undefined }> {
    const secret = bearer(request);
    if (secret === undefined) throw new VigilError('UNAUTHENTICATED', 'send an API token as "Authorization: Bearer <token>"');
    const token = await this.#cached(this.#tokens, secret, () => findApiToken(this.#reader, secret));
    if (token === undefined) throw new VigilError('UNAUTHENTICATED', 'the API token is not valid or was revoked');
    if (!roleAllows(token.role, role)) {
      throw new VigilError('FORBIDDEN', `this needs the ${role} role; the token has ${token.role}`);
    }
    return { actor: { kind: 'token', id: token.id, name: token.name }, person: token.person };
  }

  /** The integration of this key, which must be of `kind`; 401 or 403 otherwise. */
  async requireIntegration(key: string | undefined, kind: IntegrationKind): Promise<Integration> {
    if (key === undefined || key === '') {
      throw new VigilError('UNAUTHENTICATED', 'send the integration key as "Authorization: Bearer <key>" or ?key=<key>');
    }
    const integration = await this.#cached(this.#integrations, key, () => findIntegration(this.#reader, key));
    if (integration === undefined) throw new VigilError('UNAUTHENTICATED', 'the integration key is not valid or was revoked');
    if (integration.kind !== kind) {
      throw new VigilError('FORBIDDEN', `this key belongs to a ${integration.kind} integration, not ${kind}`);
    }
    return integration;
  }

  async #cached<T>(cache: Map<string, { value: T; until: number }>, key: string, load: () => Promise<T>): Promise<T> {
    const now = this.#now();
    const hit = cache.get(key);
    if (hit !== undefined && hit.until > now) return hit.value;
    const value = await load();
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { value, until: now + this.#ttlMs });
    return value;
  }
}

/** The Bearer credential of the request, if any. */
export function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** An integration key from the Authorization header or the `key` query parameter. */
export function integrationKey(request: FastifyRequest): string | undefined {
  const fromHeader = bearer(request);
  if (fromHeader !== undefined) return fromHeader;
  const query = request.query as Record<string, unknown> | undefined;
  const key = query?.key;
  return typeof key === 'string' ? key : undefined;
}

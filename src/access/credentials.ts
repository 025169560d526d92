import { createHash } from 'node:crypto';
import type { ApiToken, Integration, IntegrationKind, Role } from '../core/access.js';
import type { Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import type { Ids } from '../core/ids.js';
import type { StoreReader, StoreTx } from '../core/store.js';
import type { Recorder } from '../record/recorder.js';

/**
 * API tokens and integration keys. Both are random secrets shown once; only their SHA-256 is
 * stored. A plain hash is enough because the secrets carry 128+ bits of entropy: there is
 * nothing to brute-force, so a slow password hash would only slow every request.
 */

const TOKEN_PREFIX = 'vgl_';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface CredentialDeps {
  readonly clock: Clock;
  readonly ids: Ids;
  readonly recorder: Recorder;
}

/** Creates an API token; returns the secret, which is not stored and cannot be shown again. */
export async function createApiToken(
  tx: StoreTx,
  request: { readonly role: Role; readonly name: string; readonly person?: string; readonly actor: Actor },
  deps: CredentialDeps,
): Promise<{ token: ApiToken; secret: string }> {
  const secret = `${TOKEN_PREFIX}${deps.ids.secret(24)}`;
  const token: ApiToken = {
    id: deps.ids.id(),
    name: request.name,
    role: request.role,
    secretHash: hashSecret(secret),
    createdAt: deps.clock.now(),
    revokedAt: null,
    ...(request.person === undefined ? {} : { person: request.person }),
  };
  await tx.insertApiToken(token);
  await deps.recorder.record(tx, {
    actor: request.actor,
    action: 'token.created',
    subject: `token:${token.id}`,
    data: { name: token.name, role: token.role, ...(request.person === undefined ? {} : { person: request.person }) },
  });
  return { token, secret };
}

/**
 * Creates an integration for one sender kind and one service. The key is 32 lowercase hex
 * characters, the shape of a PagerDuty routing key, so senders that check the shape accept it.
 */
export async function createIntegration(
  tx: StoreTx,
  request: { readonly kind: IntegrationKind; readonly service: string; readonly name?: string; readonly actor: Actor },
  deps: CredentialDeps,
): Promise<{ integration: Integration; key: string }> {
  const key = deps.ids.secret(16);
  const integration: Integration = {
    id: deps.ids.id(),
    kind: request.kind,
    service: request.service,
    name: request.name ?? `${request.kind} for ${request.service}`,
    keyHash: hashSecret(key),
    createdAt: deps.clock.now(),
    revokedAt: null,
  };
  await tx.insertIntegration(integration);
  await deps.recorder.record(tx, {
    actor: request.actor,
    action: 'integration.created',
    subject: `integration:${integration.id}`,
    data: { kind: integration.kind, service: integration.service, name: integration.name },
  });
  return { integration, key };
}

/** The live token whose secret this is, if any. */
export async function findApiToken(reader: StoreReader, secret: string): Promise<ApiToken | undefined> {
  if (!secret.startsWith(TOKEN_PREFIX)) return undefined;
  const token = await reader.findApiTokenByHash(hashSecret(secret));
  return token?.revokedAt === null ? token : undefined;
}

/** The live integration whose key this is, if any. */
export async function findIntegration(reader: StoreReader, key: string): Promise<Integration | undefined> {
  const integration = await reader.findIntegrationByKeyHash(hashSecret(key));
  return integration?.revokedAt === null ? integration : undefined;
}

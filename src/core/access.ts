
/** What a person's API token may do. Each role includes the ones before it. */
export type Role = 'viewer' | 'responder' | 'admin';
export const roles: readonly Role[] = ['viewer', 'responder', 'admin'];

/** True when `held` grants what `needed` asks for. */
export function roleAllows(held: Role, needed: Role): boolean {
  return roles.indexOf(held) >= roles.indexOf(needed);
}

/** An API token as stored: only the SHA-256 of the secret is kept. */
export interface ApiToken {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly secretHash: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
  /**
   * The person (handle) the token was issued to. Actions that only one person on an incident may
   * take (publishing to the status page as its communications lead) need a token bound to them.
   */
  readonly person?: string;
}

/**
 * What an integration key may send: one alert format, or `transactions` for the stream that
 * Vigil's own detectors watch (their findings become alerts of source `detector`).
 */
export type IntegrationKind = 'alertmanager' | 'pagerduty' | 'forta' | 'generic' | 'transactions';
export const integrationKinds: readonly IntegrationKind[] = ['alertmanager', 'pagerduty', 'forta', 'generic', 'transactions'];

/** An integration: one sender (of one kind) feeding one service, with its own key. */
export interface Integration {
  readonly id: string;
  readonly kind: IntegrationKind;
  readonly service: string;
  readonly name: string;
  readonly keyHash: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

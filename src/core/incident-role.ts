/**
 * The roles a person can hold on one incident. The first four are the classic incident command
 * roles; the rest are the crypto war room's. Playbook steps name an owner role from this list,
 * chat-ops assigns them (`/vigil role ic @name`), and the status page is published by whoever
 * holds `communications_lead`.
 */
export type IncidentRole =
  | 'incident_commander'
  | 'scribe'
  | 'communications_lead'
  | 'technical_specialist'
  | 'operations'
  | 'protocol_lead'
  | 'infrastructure_lead'
  | 'external_communicator';

export const incidentRoles: readonly IncidentRole[] = [
  'incident_commander',
  'scribe',
  'communications_lead',
  'technical_specialist',
  'operations',
  'protocol_lead',
  'infrastructure_lead',
  'external_communicator',
];

/** Short names people type (`ic`, `comms`), mapped to the role. */
export const incidentRoleAliases: Readonly<Record<string, IncidentRole>> = {
  ic: 'incident_commander',
  commander: 'incident_commander',
  scribe: 'scribe',
  comms: 'communications_lead',
  cl: 'communications_lead',
  tech: 'technical_specialist',
  specialist: 'technical_specialist',
  ops: 'operations',
  protocol: 'protocol_lead',
  infra: 'infrastructure_lead',
  external: 'external_communicator',
};

/** The role a person means by `text` (full name or alias, any case); undefined when none. */
export function parseIncidentRole(text: string): IncidentRole | undefined {
  const key = text.trim().toLowerCase().replace(/-/g, '_');
  return (incidentRoles as readonly string[]).includes(key) ? (key as IncidentRole) : incidentRoleAliases[key];
}

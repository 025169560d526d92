/** Incident roles: what the API, the CLI, chat-ops and other respond parts import. */
export { holderOf, currentAssignments, roleLabel, sharedRoles } from './role-holders.js';
export { RoleService, normalisePerson, type AssignOutcome, type RoleServiceOptions } from './role-service.js';

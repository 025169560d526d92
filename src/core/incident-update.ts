import type { Actor } from './actor.js';

/** Who an incident update is for: the responders, or the people who depend on the service. */
export type UpdateAudience = 'internal' | 'stakeholders';
export const updateAudiences: readonly UpdateAudience[] = ['internal', 'stakeholders'];

/** A written update on an incident's progress; neither is ever shown on the public status page. */
export interface IncidentUpdate {
  readonly id: string;
  readonly incidentId: string;
  readonly audience: UpdateAudience;
  readonly body: string;
  readonly actor: Actor;
  readonly at: number;
}

/**
 * The last stakeholder-update reminder recorded for an incident: the period it was for, counted
 * from `sinceAt` (the last stakeholder update, or the incident's start). One reminder per period.
 */
export interface CommsReminder {
  readonly incidentId: string;
  readonly sinceAt: number;
  readonly period: number;
  readonly at: number;
}

import type { Actor } from './actor.js';

/** Atlassian Statuspage's component statuses, so status tooling reads them as it expects. */
export type ComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'under_maintenance';
export const componentStatuses: readonly ComponentStatus[] = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'];

/** Statuspage's incident states. */
export type StatusPostState = 'investigating' | 'identified' | 'monitoring' | 'resolved';
export const statusPostStates: readonly StatusPostState[] = ['investigating', 'identified', 'monitoring', 'resolved'];

/** A part of a service shown on its public status page (API, deposits, withdrawals, ...). */
export interface StatusComponent {
  readonly id: string;
  readonly service: string;
  readonly name: string;
  readonly description: string;
  readonly status: ComponentStatus;
  /** Display order on the page, smallest first. */
  readonly position: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A component an update says is affected, with the status it was set to. */
export interface AffectedComponent {
  readonly componentId: string;
  readonly status: ComponentStatus;
}

/**
 * One public update about an incident, written and published by the incident's communications
 * lead. Only these posts reach the public page: never the incident's alerts, notes or people.
 */
export interface StatusPost {
  readonly id: string;
  readonly incidentId: string;
  readonly service: string;
  readonly title: string;
  readonly state: StatusPostState;
  readonly message: string;
  readonly components: readonly AffectedComponent[];
  /** The handle of the communications lead who published it (internal; never shown publicly). */
  readonly publishedBy: string;
  readonly actor: Actor;
  readonly at: number;
}

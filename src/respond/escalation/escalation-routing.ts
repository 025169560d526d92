import type { Alert } from '../../core/alert.js';
import type { EscalationRoute, EscalationRouteMatch } from '../../core/escalation.js';
import type { Incident } from '../../core/incident.js';

/** True when every condition of the match holds for the incident; labels may hold on any of its alerts. */
export function routeMatches(match: EscalationRouteMatch, incident: Incident, alerts: readonly Pick<Alert, 'labels'>[]): boolean {
  if (match.services !== undefined && !match.services.includes(incident.service)) return false;
  if (match.severities !== undefined && !match.severities.includes(incident.severity)) return false;
  const labels = match.labels;
  if (labels !== undefined && !alerts.some((alert) => Object.entries(labels).every(([key, value]) => alert.labels[key] === value))) return false;
  return true;
}

/** The first route that matches the incident, or undefined when none does. */
export function routeFor(routes: readonly EscalationRoute[], incident: Incident, alerts: readonly Pick<Alert, 'labels'>[]): EscalationRoute | undefined {
  return routes.find((route) => routeMatches(route.match, incident, alerts));
}

/** `service wallets, SEV1, chain=ethereum`: what a route matched on, for the timeline. */
export function describeMatch(match: EscalationRouteMatch): string {
  const parts = [
    ...(match.services === undefined ? [] : [`service ${match.services.join('|')}`]),
    ...(match.severities === undefined ? [] : [match.severities.join('|')]),
    ...Object.entries(match.labels ?? {}).map(([k, v]) => `${k}=${v}`),
  ];
  return parts.length === 0 ? 'every incident' : parts.join(', ');
}

import type { IncidentStatus, Severity } from './api-types';

export function SeverityBadge(props: { severity: Severity }) {
  return <span className={`badge sev sev-${props.severity.toLowerCase()}`}>{props.severity}</span>;
}

export function StatusBadge(props: { status: IncidentStatus | 'firing' }) {
  return <span className={`badge status status-${props.status}`}>{props.status}</span>;
}

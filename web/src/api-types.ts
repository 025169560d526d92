/** The API's shapes as the console reads them (see src/http/present.ts and GET /openapi.json). */

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';
export const incidentStatuses: readonly IncidentStatus[] = ['triggered', 'acknowledged', 'resolved'];

export type Severity = 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4' | 'SEV5';
export const severities: readonly Severity[] = ['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV5'];

export interface Incident {
  readonly id: string;
  readonly shortId: string;
  readonly number: number;
  readonly title: string;
  readonly service: string;
  readonly groupKey: string;
  readonly status: IncidentStatus;
  readonly severity: Severity;
  readonly assignee: string | null;
  readonly alertCount: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly acknowledgedAt: string | null;
  readonly resolvedAt: string | null;
  readonly reopenedAt: string | null;
  readonly lastAlertAt: string | null;
}

export interface Alert {
  readonly id: string;
  readonly source: string;
  readonly service: string;
  readonly dedupKey: string;
  readonly status: 'firing' | 'resolved';
  readonly severity: string;
  readonly summary: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly count: number;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  readonly resolvedAt: string | null;
}

export interface Actor {
  readonly kind: 'token' | 'integration' | 'cli' | 'chat' | 'system';
  readonly id: string;
  readonly name: string;
}

export interface TimelineEntry {
  readonly id: string;
  readonly at: string;
  readonly actor: Actor;
  readonly kind: string;
  readonly message: string;
}

export interface IncidentList {
  readonly incidents: readonly Incident[];
  readonly next: { readonly before: number } | null;
}

export interface IncidentDetail {
  readonly incident: Incident;
  readonly alerts: readonly Alert[];
}

export interface Timeline {
  readonly incidentId: string;
  readonly entries: readonly TimelineEntry[];
}

export type AuditVerification =
  | { readonly ok: true; readonly records: number; readonly timelineEntries: number; readonly head: string }
  | {
      readonly ok: false;
      readonly records: number;
      readonly failure: { readonly seq: number | null; readonly reason: string; readonly message: string };
    };

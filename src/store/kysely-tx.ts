import type { ApiToken, Integration } from '../core/access.js';
import type { Alert } from '../core/alert.js';
import type { Feedback, Suppression } from '../core/feedback.js';
import type { StoredSchedule } from '../core/stored-schedule.js';
import type { CommsReminder, IncidentUpdate } from '../core/incident-update.js';
import type { RoleAssignment } from '../core/role-assignment.js';
import type { StatusComponent, StatusPost } from '../core/status-page.js';
import type { AuditRecord } from '../core/audit-record.js';
import type { Incident } from '../core/incident.js';
import type { StoreTx } from '../core/store.js';
import type { TimelineEntry } from '../core/timeline-entry.js';
import { KyselyReader } from './kysely-reader.js';
import {
  alertFromRow,
  alertToRow,
  feedbackToRow,
  scheduleToRow,
  suppressionToRow,
  apiTokenToRow,
  auditRecordToRow,
  incidentFromRow,
  incidentToRow,
  integrationToRow,
  timelineEntryToRow,
  commsReminderToRow,
  incidentUpdateToRow,
  roleAssignmentToRow,
  statusComponentToRow,
  statusPostToRow,
} from './rows.js';

/** The write side of the store, bound to the connection of an open transaction. */
export class KyselyTx extends KyselyReader implements StoreTx {
  async findFiringAlert(integrationId: string, dedupKey: string): Promise<Alert | undefined> {
    const row = await this.db
      .selectFrom('alerts')
      .selectAll()
      .where('integration_id', '=', integrationId)
      .where('dedup_key', '=', dedupKey)
      .where('status', '=', 'firing')
      .executeTakeFirst();
    return row && alertFromRow(row);
  }

  async findLatestAlert(integrationId: string, dedupKey: string): Promise<Alert | undefined> {
    const row = await this.db
      .selectFrom('alerts')
      .selectAll()
      .where('integration_id', '=', integrationId)
      .where('dedup_key', '=', dedupKey)
      .orderBy('first_seen_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && alertFromRow(row);
  }

  async insertAlert(alert: Alert): Promise<void> {
    await this.db.insertInto('alerts').values(alertToRow(alert)).execute();
  }

  async updateAlert(alert: Alert): Promise<void> {
    const { id, ...rest } = alertToRow(alert);
    await this.db.updateTable('alerts').set(rest).where('id', '=', id).execute();
  }

  async countFiringAlerts(incidentId: string): Promise<number> {
    const row = await this.db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('incident_id', '=', incidentId)
      .where('status', '=', 'firing')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async findOpenIncident(service: string, groupKey: string): Promise<Incident | undefined> {
    const row = await this.db
      .selectFrom('incidents')
      .selectAll()
      .where('service', '=', service)
      .where('group_key', '=', groupKey)
      .where('status', 'in', ['triggered', 'acknowledged'])
      .orderBy('number', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && incidentFromRow(row);
  }

  async nextIncidentNumber(): Promise<number> {
    const row = await this.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.max<number | null>('number').as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0) + 1;
  }

  async insertIncident(incident: Incident): Promise<void> {
    await this.db.insertInto('incidents').values(incidentToRow(incident)).execute();
  }

  async updateIncident(incident: Incident): Promise<void> {
    const { id, ...rest } = incidentToRow(incident);
    await this.db.updateTable('incidents').set(rest).where('id', '=', id).execute();
  }

  async insertTimelineEntry(entry: TimelineEntry): Promise<void> {
    await this.db.insertInto('timeline_entries').values(timelineEntryToRow(entry)).execute();
  }

  async auditHead(): Promise<{ seq: number; hash: string } | undefined> {
    const row = await this.db.selectFrom('audit_records').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row && { seq: Number(row.seq), hash: row.hash };
  }

  async insertAuditRecord(record: AuditRecord): Promise<void> {
    await this.db.insertInto('audit_records').values(auditRecordToRow(record)).execute();
  }

  async insertApiToken(token: ApiToken): Promise<void> {
    await this.db.insertInto('api_tokens').values(apiTokenToRow(token)).execute();
  }

  async insertIntegration(integration: Integration): Promise<void> {
    await this.db.insertInto('integrations').values(integrationToRow(integration)).execute();
  }

  async insertFeedback(feedback: Feedback): Promise<void> {
    await this.db.insertInto('feedback').values(feedbackToRow(feedback)).execute();
  }

  async insertSuppression(suppression: Suppression): Promise<void> {
    await this.db.insertInto('suppressions').values(suppressionToRow(suppression)).execute();
  }

  async updateSuppression(suppression: Suppression): Promise<void> {
    const { id, ...rest } = suppressionToRow(suppression);
    await this.db.updateTable('suppressions').set(rest).where('id', '=', id).execute();
  }

  async putSchedule(schedule: StoredSchedule): Promise<void> {
    const row = scheduleToRow(schedule);
    const { id, created_at: _created, ...rest } = row;
    const updated = await this.db.updateTable('schedules').set(rest).where('id', '=', id).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await this.db.insertInto('schedules').values(row).execute();
  }

  // Incident roles, updates and the status page.

  async insertRoleAssignment(assignment: RoleAssignment): Promise<void> {
    await this.db.insertInto('role_assignments').values(roleAssignmentToRow(assignment)).execute();
  }

  async updateRoleAssignment(assignment: RoleAssignment): Promise<void> {
    const { id, ...rest } = roleAssignmentToRow(assignment);
    await this.db.updateTable('role_assignments').set(rest).where('id', '=', id).execute();
  }

  async insertIncidentUpdate(update: IncidentUpdate): Promise<void> {
    await this.db.insertInto('incident_updates').values(incidentUpdateToRow(update)).execute();
  }

  async putCommsReminder(reminder: CommsReminder): Promise<void> {
    const { incident_id, ...rest } = commsReminderToRow(reminder);
    const updated = await this.db.updateTable('comms_reminders').set(rest).where('incident_id', '=', incident_id).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await this.db.insertInto('comms_reminders').values({ incident_id, ...rest }).execute();
  }

  async putStatusComponent(component: StatusComponent): Promise<void> {
    const row = statusComponentToRow(component);
    const { id, created_at: _created, ...rest } = row;
    const updated = await this.db.updateTable('status_components').set(rest).where('id', '=', id).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await this.db.insertInto('status_components').values(row).execute();
  }

  async deleteStatusComponent(id: string): Promise<void> {
    await this.db.deleteFrom('status_components').where('id', '=', id).execute();
  }

  async insertStatusPost(post: StatusPost): Promise<void> {
    await this.db.insertInto('status_posts').values(statusPostToRow(post)).execute();
  }
}

import type { ApiToken, Integration } from '../core/access.js';
import type { Alert } from '../core/alert.js';
import type { Feedback, Suppression } from '../core/feedback.js';
import type { StoredSchedule } from '../core/stored-schedule.js';
import type { AuditRecord } from '../core/audit-record.js';
import type { Incident } from '../core/incident.js';
import type { StoreTx } from '../core/store.js';
import type { TimelineEntry } from '../core/timeline-entry.js';
import type { StoredPerson, StoredTeamChannel } from '../core/contact.js';
import type { OutboxMessage } from '../core/outbox-message.js';
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
  outboxFromRow,
  outboxToRow,
  personToRow,
  teamChannelToRow,
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

  // --- notifications ---

  async putPerson(person: StoredPerson): Promise<void> {
    const row = personToRow(person);
    const { handle, created_at: _created, ...rest } = row;
    const updated = await this.db.updateTable('people').set(rest).where('handle', '=', handle).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await this.db.insertInto('people').values(row).execute();
  }

  async putTeamChannel(channel: StoredTeamChannel): Promise<void> {
    const row = teamChannelToRow(channel);
    const { id, created_at: _created, ...rest } = row;
    const updated = await this.db.updateTable('team_channels').set(rest).where('id', '=', id).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await this.db.insertInto('team_channels').values(row).execute();
  }

  async deleteTeamChannel(id: string): Promise<boolean> {
    const deleted = await this.db.deleteFrom('team_channels').where('id', '=', id).executeTakeFirst();
    return Number(deleted.numDeletedRows) > 0;
  }

  async insertOutboxMessage(message: OutboxMessage): Promise<void> {
    await this.db.insertInto('outbox').values(outboxToRow(message)).execute();
  }

  async updateOutboxMessage(message: OutboxMessage): Promise<void> {
    const { id, ...rest } = outboxToRow(message);
    await this.db.updateTable('outbox').set(rest).where('id', '=', id).execute();
  }

  async listDueOutboxMessages(now: number, limit: number): Promise<OutboxMessage[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('state', '=', 'delivering'), eb('lease_until', '<=', now)]),
        ]),
      )
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(outboxFromRow);
  }
}

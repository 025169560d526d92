import type { ApiToken, Integration } from '../core/access.js';
import type { Alert } from '../core/alert.js';
import type { Feedback, Suppression } from '../core/feedback.js';
import type { StoredSchedule } from '../core/stored-schedule.js';
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
  playbookToRow,
  playbookRunToRow,
  approverToRow,
  approvalPolicyToRow,
  approvalRequestToRow,
  approvalSignatureToRow,
} from './rows.js';
import { VigilError } from '../core/errors.js';
import type { PlaybookRun, StoredPlaybook } from '../respond/playbooks/playbook-run.js';
import type { ApprovalPolicy, ApprovalRequest, ApprovalSignature, Approver } from '../respond/approvals/approval.js';

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

  // Playbooks and approvals (issue 4, parts 7 and 8). Uniqueness is checked before inserting so
  // that both dialects answer CONFLICT instead of a driver error that would abort the transaction.

  async putPlaybook(playbook: StoredPlaybook): Promise<void> {
    const row = playbookToRow(playbook);
    const { name, created_at: _created, ...rest } = row;
    const updated = await this.db.updateTable('playbooks').set(rest).where('name', '=', name).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await this.db.insertInto('playbooks').values(row).execute();
  }

  async insertPlaybookRun(run: PlaybookRun): Promise<void> {
    const existing = await this.db
      .selectFrom('playbook_runs')
      .select('id')
      .where('incident_id', '=', run.incidentId)
      .where('playbook_name', '=', run.playbook.name)
      .executeTakeFirst();
    if (existing !== undefined) throw new VigilError('CONFLICT', `playbook ${run.playbook.name} is already attached to this incident (run ${existing.id})`);
    await this.db.insertInto('playbook_runs').values(playbookRunToRow(run)).execute();
  }

  async updatePlaybookRun(run: PlaybookRun): Promise<void> {
    const { id, ...rest } = playbookRunToRow(run);
    await this.db.updateTable('playbook_runs').set(rest).where('id', '=', id).execute();
  }

  async insertApprover(approver: Approver): Promise<void> {
    if (approver.revokedAt === null && (await this.getApprover(approver.handle)) !== undefined) {
      throw new VigilError('CONFLICT', `${approver.handle} already has a registered key; revoke it first`);
    }
    await this.db.insertInto('approvers').values(approverToRow(approver)).execute();
  }

  async updateApprover(approver: Approver): Promise<void> {
    const { id, ...rest } = approverToRow(approver);
    await this.db.updateTable('approvers').set(rest).where('id', '=', id).execute();
  }

  async putApprovalPolicy(policy: ApprovalPolicy): Promise<void> {
    const { action, ...rest } = approvalPolicyToRow(policy);
    const updated = await this.db.updateTable('approval_policies').set(rest).where('action', '=', action).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await this.db.insertInto('approval_policies').values(approvalPolicyToRow(policy)).execute();
  }

  async insertApprovalRequest(request: ApprovalRequest): Promise<void> {
    await this.db.insertInto('approval_requests').values(approvalRequestToRow(request)).execute();
  }

  async updateApprovalRequest(request: ApprovalRequest): Promise<void> {
    const { id, ...rest } = approvalRequestToRow(request);
    await this.db.updateTable('approval_requests').set(rest).where('id', '=', id).execute();
  }

  async insertApprovalSignature(signature: ApprovalSignature): Promise<void> {
    const existing = await this.db
      .selectFrom('approval_signatures')
      .select('id')
      .where('request_id', '=', signature.requestId)
      .where('approver', '=', signature.approver)
      .executeTakeFirst();
    if (existing !== undefined) throw new VigilError('CONFLICT', `${signature.approver} has already decided on this request`);
    await this.db.insertInto('approval_signatures').values(approvalSignatureToRow(signature)).execute();
  }
}

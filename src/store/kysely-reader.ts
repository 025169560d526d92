import type { Kysely } from 'kysely';
import type { ApiToken, Integration } from '../core/access.js';
import type { Alert } from '../core/alert.js';
import type { Feedback, PrecisionRow, Suppression } from '../core/feedback.js';
import type { StoredSchedule } from '../core/stored-schedule.js';
import type { AuditRecord } from '../core/audit-record.js';
import { severities, type Incident, type Severity } from '../core/incident.js';
import type { IncidentFilter, StoreReader } from '../core/store.js';
import type { TimelineEntry } from '../core/timeline-entry.js';
import { sql } from 'kysely';
import {
  alertFromRow,
  feedbackFromRow,
  scheduleFromRow,
  suppressionFromRow,
  apiTokenFromRow,
  auditRecordFromRow,
  incidentFromRow,
  integrationFromRow,
  timelineEntryFromRow,
  playbookFromRow,
  playbookRunFromRow,
  approverFromRow,
  approvalPolicyFromRow,
  approvalRequestFromRow,
  approvalSignatureFromRow,
} from './rows.js';
import type { PlaybookRun, StoredPlaybook } from '../respond/playbooks/playbook-run.js';
import type { ApprovalPolicy, ApprovalRequest, ApprovalSignature, ApprovalStatus, Approver } from '../respond/approvals/approval.js';
import type { Database } from './schema.js';

/** The store's queries, over any Kysely connection: the pool for reads, a transaction for writes. */
export class KyselyReader implements StoreReader {
  protected readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    const row = await this.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    return row && incidentFromRow(row);
  }

  async getIncidentByNumber(number: number): Promise<Incident | undefined> {
    const row = await this.db.selectFrom('incidents').selectAll().where('number', '=', number).executeTakeFirst();
    return row && incidentFromRow(row);
  }

  async listIncidents(filter: IncidentFilter): Promise<Incident[]> {
    let query = this.db.selectFrom('incidents').selectAll();
    if (filter.statuses !== undefined && filter.statuses.length > 0) query = query.where('status', 'in', filter.statuses);
    if (filter.severities !== undefined && filter.severities.length > 0) query = query.where('severity', 'in', filter.severities);
    if (filter.service !== undefined) query = query.where('service', '=', filter.service);
    if (filter.since !== undefined) query = query.where('created_at', '>=', filter.since);
    if (filter.until !== undefined) query = query.where('created_at', '<', filter.until);
    if (filter.beforeNumber !== undefined) query = query.where('number', '<', filter.beforeNumber);
    const rows = await query.orderBy('number', 'desc').limit(filter.limit).execute();
    return rows.map(incidentFromRow);
  }

  async countOpenIncidentsBySeverity(): Promise<Record<Severity, number>> {
    const rows = await this.db
      .selectFrom('incidents')
      .select(['severity', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', 'in', ['triggered', 'acknowledged'])
      .groupBy('severity')
      .execute();
    const counts = Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>;
    for (const row of rows) counts[row.severity as Severity] = Number(row.n);
    return counts;
  }

  async getAlert(id: string): Promise<Alert | undefined> {
    const row = await this.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
    return row && alertFromRow(row);
  }

  async listAlertsOfIncident(incidentId: string): Promise<Alert[]> {
    const rows = await this.db
      .selectFrom('alerts')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('first_seen_at')
      .orderBy('id')
      .execute();
    return rows.map(alertFromRow);
  }

  async countAlerts(): Promise<number> {
    const row = await this.db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async listTimeline(incidentId: string): Promise<TimelineEntry[]> {
    // ULIDs sort by creation, so id breaks ties between entries of the same millisecond.
    const rows = await this.db
      .selectFrom('timeline_entries')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map(timelineEntryFromRow);
  }

  async listTimelineEntriesAfter(afterId: string, limit: number): Promise<TimelineEntry[]> {
    const rows = await this.db.selectFrom('timeline_entries').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
    return rows.map(timelineEntryFromRow);
  }

  async listAuditRecords(afterSeq: number, limit: number): Promise<AuditRecord[]> {
    const rows = await this.db
      .selectFrom('audit_records')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(auditRecordFromRow);
  }

  async lastAuditRecord(): Promise<AuditRecord | undefined> {
    const row = await this.db.selectFrom('audit_records').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row && auditRecordFromRow(row);
  }

  async findApiTokenByHash(secretHash: string): Promise<ApiToken | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();
    return row && apiTokenFromRow(row);
  }

  async countApiTokens(): Promise<number> {
    const row = await this.db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async findIntegrationByKeyHash(keyHash: string): Promise<Integration | undefined> {
    const row = await this.db.selectFrom('integrations').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
    return row && integrationFromRow(row);
  }

  async getIntegration(id: string): Promise<Integration | undefined> {
    const row = await this.db.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && integrationFromRow(row);
  }

  async listIntegrations(): Promise<Integration[]> {
    const rows = await this.db.selectFrom('integrations').selectAll().orderBy('created_at').execute();
    return rows.map(integrationFromRow);
  }

  async precision(): Promise<PrecisionRow[]> {
    const rows = await this.#latestVerdicts()
      .select(['f.detector', 'f.rule', (eb) => eb.fn.countAll<number>().as('n'), 'f.verdict'])
      .groupBy(['f.detector', 'f.rule', 'f.verdict'])
      .execute();
    const byKey = new Map<string, { detector: string; rule: string; truePositives: number; falsePositives: number }>();
    for (const row of rows) {
      const key = `${row.detector}\u0000${row.rule}`;
      const entry = byKey.get(key) ?? { detector: row.detector, rule: row.rule, truePositives: 0, falsePositives: 0 };
      if (row.verdict === 'true_positive') entry.truePositives += Number(row.n);
      else entry.falsePositives += Number(row.n);
      byKey.set(key, entry);
    }
    return [...byKey.values()].sort((a, b) => a.detector.localeCompare(b.detector) || a.rule.localeCompare(b.rule));
  }

  async verdictCounts(detector: string, entity: string): Promise<{ truePositives: number; falsePositives: number }> {
    const rows = await this.#latestVerdicts()
      .select(['f.verdict', (eb) => eb.fn.countAll<number>().as('n')])
      .where('f.detector', '=', detector)
      .where('f.entity', '=', entity)
      .groupBy('f.verdict')
      .execute();
    const count = (verdict: string) => Number(rows.find((r) => r.verdict === verdict)?.n ?? 0);
    return { truePositives: count('true_positive'), falsePositives: count('false_positive') };
  }

  /** Each alert's newest verdict: a responder who changes their mind replaces their first answer. */
  #latestVerdicts() {
    return this.db
      .selectFrom('feedback as f')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('feedback as newer')
              .select(sql.lit(1).as('one'))
              .whereRef('newer.alert_id', '=', 'f.alert_id')
              .where((eb) => eb.or([eb('newer.at', '>', eb.ref('f.at')), eb.and([eb('newer.at', '=', eb.ref('f.at')), eb('newer.id', '>', eb.ref('f.id'))])])),
          ),
        ),
      );
  }

  async listFeedback(alertId: string): Promise<Feedback[]> {
    const rows = await this.db.selectFrom('feedback').selectAll().where('alert_id', '=', alertId).orderBy('at').orderBy('id').execute();
    return rows.map(feedbackFromRow);
  }

  async listSuppressions(options: { includeRevoked: boolean }): Promise<Suppression[]> {
    let query = this.db.selectFrom('suppressions').selectAll();
    if (!options.includeRevoked) query = query.where('revoked_at', 'is', null);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map(suppressionFromRow);
  }

  async getSuppression(id: string): Promise<Suppression | undefined> {
    const row = await this.db.selectFrom('suppressions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && suppressionFromRow(row);
  }

  async findSchedule(ref: string): Promise<StoredSchedule | undefined> {
    const row = await this.db.selectFrom('schedules').selectAll().where((eb) => eb.or([eb('id', '=', ref), eb('name', '=', ref)])).executeTakeFirst();
    return row && scheduleFromRow(row);
  }

  async listSchedules(): Promise<StoredSchedule[]> {
    const rows = await this.db.selectFrom('schedules').selectAll().orderBy('name').execute();
    return rows.map(scheduleFromRow);
  }

  // Playbooks and approvals (issue 4, parts 7 and 8).

  async listPlaybooks(): Promise<StoredPlaybook[]> {
    const rows = await this.db.selectFrom('playbooks').selectAll().orderBy('name').execute();
    return rows.map(playbookFromRow);
  }

  async getPlaybook(name: string): Promise<StoredPlaybook | undefined> {
    const row = await this.db.selectFrom('playbooks').selectAll().where('name', '=', name).executeTakeFirst();
    return row && playbookFromRow(row);
  }

  async listPlaybookRuns(incidentId: string): Promise<PlaybookRun[]> {
    const rows = await this.db.selectFrom('playbook_runs').selectAll().where('incident_id', '=', incidentId).orderBy('attached_at').orderBy('id').execute();
    return rows.map(playbookRunFromRow);
  }

  async getPlaybookRun(id: string): Promise<PlaybookRun | undefined> {
    const row = await this.db.selectFrom('playbook_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && playbookRunFromRow(row);
  }

  async getApprover(handle: string): Promise<Approver | undefined> {
    const row = await this.db.selectFrom('approvers').selectAll().where('handle', '=', handle).where('revoked_at', 'is', null).executeTakeFirst();
    return row && approverFromRow(row);
  }

  async findApproverKey(fingerprint: string): Promise<Approver | undefined> {
    const row = await this.db.selectFrom('approvers').selectAll().where('fingerprint', '=', fingerprint).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    return row && approverFromRow(row);
  }

  async listApprovers(options: { includeRevoked: boolean }): Promise<Approver[]> {
    let query = this.db.selectFrom('approvers').selectAll();
    if (!options.includeRevoked) query = query.where('revoked_at', 'is', null);
    const rows = await query.orderBy('handle').orderBy('created_at').orderBy('id').execute();
    return rows.map(approverFromRow);
  }

  async getApprovalPolicy(action: string): Promise<ApprovalPolicy | undefined> {
    const row = await this.db.selectFrom('approval_policies').selectAll().where('action', '=', action).executeTakeFirst();
    return row && approvalPolicyFromRow(row);
  }

  async listApprovalPolicies(): Promise<ApprovalPolicy[]> {
    const rows = await this.db.selectFrom('approval_policies').selectAll().orderBy('action').execute();
    return rows.map(approvalPolicyFromRow);
  }

  async getApprovalRequest(id: string): Promise<ApprovalRequest | undefined> {
    const row = await this.db.selectFrom('approval_requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row && approvalRequestFromRow(row);
  }

  async listApprovalRequests(filter: { incidentId?: string; action?: string; statuses?: readonly ApprovalStatus[]; limit: number }): Promise<ApprovalRequest[]> {
    let query = this.db.selectFrom('approval_requests').selectAll();
    if (filter.incidentId !== undefined) query = query.where('incident_id', '=', filter.incidentId);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    if (filter.statuses !== undefined && filter.statuses.length > 0) query = query.where('status', 'in', filter.statuses);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map(approvalRequestFromRow);
  }

  async listApprovalSignatures(requestId: string): Promise<ApprovalSignature[]> {
    const rows = await this.db.selectFrom('approval_signatures').selectAll().where('request_id', '=', requestId).orderBy('at').orderBy('id').execute();
    return rows.map(approvalSignatureFromRow);
  }
}

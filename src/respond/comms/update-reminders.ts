import { systemActor } from '../../core/actor.js';
import type { Clock } from '../../core/clock.js';
import { shortId, type Incident } from '../../core/incident.js';
import type { CommsReminder } from '../../core/incident-update.js';
import type { Store, StoreReader, StoreTx } from '../../core/store.js';
import type { Recorder } from '../../record/recorder.js';
import { holderOf, roleLabel } from '../roles/role-holders.js';
import type { Worker } from '../workers.js';
import type { UpdateCadence } from './update-cadence.js';

/**
 * Told when an open incident's stakeholders are owed an update, inside the write that records
 * it. `holder` is the communications lead, or the incident commander when there is none, or
 * undefined when nobody holds either. The composition root wires it to notifications.
 */
export type OnUpdateDue = (tx: StoreTx, incident: Incident, holder: string | undefined) => Promise<void>;

/** Which reminder, if any, is due for an incident now: the period counted from `sinceAt`. */
export interface DueReminder {
  readonly sinceAt: number;
  readonly period: number;
  readonly cadenceMs: number;
}

/**
 * The reminder due now, or undefined. The clock starts at the last stakeholder update, or else
 * when the incident opened (or was reopened); the first reminder falls one cadence after, then
 * one per cadence. A reminder already recorded for this period (and this start) is not due again;
 * periods missed while Vigil was down collapse into one reminder for the current one.
 */
export function dueReminder(options: {
  incident: Incident;
  cadence: UpdateCadence;
  lastStakeholderUpdateAt: number | undefined;
  last: CommsReminder | undefined;
  now: number;
}): DueReminder | undefined {
  const { incident, cadence, now } = options;
  if (incident.status === 'resolved') return undefined;
  const cadenceMs = cadence[incident.severity];
  if (cadenceMs === null || cadenceMs <= 0) return undefined;
  const sinceAt = Math.max(options.lastStakeholderUpdateAt ?? incident.createdAt, incident.reopenedAt ?? incident.createdAt);
  const period = Math.floor((now - sinceAt) / cadenceMs);
  if (period < 1) return undefined;
  if (options.last !== undefined && options.last.sinceAt === sinceAt && options.last.period >= period) return undefined;
  return { sinceAt, period, cadenceMs };
}

async function lastStakeholderUpdateAt(reader: StoreReader, incidentId: string): Promise<number | undefined> {
  const updates = await reader.listIncidentUpdates(incidentId);
  return updates.filter((u) => u.audience === 'stakeholders').at(-1)?.at;
}

function minutes(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${Math.round(ms / 60_000)} min`;
}

/**
 * The worker that owes stakeholders their updates: for each open incident whose severity has a
 * cadence, once per overdue period, it records `comms.update_due` on the timeline and the audit
 * chain and calls `onUpdateDue`. Candidates are found with a read; each is checked again and
 * claimed inside its own write, so two instances never record the same period twice.
 */
export function updateReminderWorker(options: {
  store: Store;
  clock: Clock;
  recorder: Recorder;
  cadence: UpdateCadence;
  onUpdateDue?: OnUpdateDue;
  /** Least time between two scans of the open incidents (default one minute). */
  scanIntervalMs?: number;
}): Worker {
  const { store, clock, recorder, cadence } = options;
  const scanIntervalMs = options.scanIntervalMs ?? 60_000;
  // Cadences are minutes long, so scanning once a minute is on time; a scan reads every open
  // incident, and rounds come as often as ingests open incidents, so it must not run in each.
  let lastScanAt: number | undefined;
  const due = async (reader: StoreReader, incident: Incident) =>
    dueReminder({
      incident,
      cadence,
      lastStakeholderUpdateAt: await lastStakeholderUpdateAt(reader, incident.id),
      last: await reader.getCommsReminder(incident.id),
      now: clock.now(),
    });
  return {
    name: 'stakeholder-update-reminders',
    async run() {
      const severitiesWithCadence = (Object.keys(cadence) as (keyof UpdateCadence)[]).filter((s) => cadence[s] !== null);
      if (severitiesWithCadence.length === 0) return;
      const now = clock.now();
      if (lastScanAt !== undefined && now - lastScanAt < scanIntervalMs) return;
      lastScanAt = now;
      for await (const candidate of openIncidents(store.read, severitiesWithCadence)) {
        // Younger than one period: nothing can be due, so spare the two reads.
        const started = Math.max(candidate.createdAt, candidate.reopenedAt ?? candidate.createdAt);
        if (now - started < (cadence[candidate.severity] ?? Infinity)) continue;
        if ((await due(store.read, candidate)) === undefined) continue;
        await store.write(async (tx) => {
          const incident = await tx.getIncident(candidate.id);
          if (incident === undefined) return;
          const reminder = await due(tx, incident);
          if (reminder === undefined) return;
          const lead = await holderOf(tx, incident.id, 'communications_lead');
          const commander = lead === undefined ? await holderOf(tx, incident.id, 'incident_commander') : undefined;
          const holder = lead ?? commander;
          const overdueMs = clock.now() - reminder.sinceAt;
          await tx.putCommsReminder({ incidentId: incident.id, sinceAt: reminder.sinceAt, period: reminder.period, at: clock.now() });
          await recorder.record(tx, {
            actor: systemActor,
            action: 'comms.update_due',
            subject: `incident:${incident.id}`,
            data: { severity: incident.severity, cadenceMs: reminder.cadenceMs, period: reminder.period, sinceAt: reminder.sinceAt, holder: holder ?? null },
            timeline: {
              incidentId: incident.id,
              kind: 'comms.update_due',
              message: `Stakeholder update due on ${shortId(incident)}: none for ${minutes(overdueMs)} (${incident.severity}: every ${minutes(reminder.cadenceMs)}); ${
                lead !== undefined
                  ? `${roleLabel('communications_lead')} ${lead}`
                  : commander !== undefined
                    ? `no communications lead, ${roleLabel('incident_commander')} ${commander}`
                    : 'nobody holds communications lead or incident commander'
              }`,
            },
          });
          await options.onUpdateDue?.(tx, incident, holder);
        });
      }
    },
  };
}

/** Every open incident of these severities, newest first, a page at a time (however many there are). */
async function* openIncidents(reader: StoreReader, severities: readonly Incident['severity'][]): AsyncGenerator<Incident> {
  let beforeNumber: number | undefined;
  for (;;) {
    const page = await reader.listIncidents({ statuses: ['triggered', 'acknowledged'], severities, limit: 1000, ...(beforeNumber === undefined ? {} : { beforeNumber }) });
    yield* page;
    const last = page.at(-1);
    if (page.length < 1000 || last === undefined) return;
    beforeNumber = last.number;
  }
}

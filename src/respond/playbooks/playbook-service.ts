import { systemActor, type Actor } from '../../core/actor.js';
import type { Alert, JsonObject } from '../../core/alert.js';
import type { Clock } from '../../core/clock.js';
import { VigilError, type ErrorDetail } from '../../core/errors.js';
import type { Ids } from '../../core/ids.js';
import { shortId, type Incident } from '../../core/incident.js';
import { openingAlert, type IncidentChange, type IncidentObserver } from '../../core/incident-observer.js';
import type { StoreReader, StoreTx } from '../../core/store.js';
import type { Recorder } from '../../record/recorder.js';
import { findIncident } from '../incident-actions.js';
import { evidenceProblem } from './evidence-value.js';
import type { PlaybookStep } from './playbook.js';
import type { CatalogEntry, PlaybookCatalog } from './playbook-catalog.js';
import { alertCouldMatch, matchPlaybook } from './playbook-match.js';
import type { PlaybookRun, StepState, StoredPlaybook } from './playbook-run.js';
import { parsePlaybook, parsePlaybookYaml } from './playbook-schema.js';

export interface PlaybookServiceOptions {
  readonly clock: Clock;
  readonly ids: Ids;
  readonly recorder: Recorder;
  readonly catalog: PlaybookCatalog;
}

/** What a responder sends to complete a step. */
export interface StepCompletion {
  readonly output?: string;
  readonly evidence?: Readonly<Record<string, string>>;
  readonly checks?: Readonly<Record<string, boolean>>;
}

/** The changes that can make a playbook match: an incident opened, an alert joined, severity rose. */
const matchingCauses: ReadonlySet<IncidentChange['cause']> = new Set(['opened', 'alert_attached', 'severity_changed', 'facts_changed']);

/** A run of an incident by its id or by its playbook's name; NOT_FOUND otherwise. */
export async function findRun(reader: StoreReader, incident: Incident, ref: string): Promise<PlaybookRun> {
  const runs = await reader.listPlaybookRuns(incident.id);
  const run = runs.find((r) => r.id === ref) ?? runs.find((r) => r.playbook.name === ref);
  if (run === undefined) throw new VigilError('NOT_FOUND', `no playbook run ${ref} on ${shortId(incident)}`);
  return run;
}

/**
 * Attaches playbooks to incidents and records their steps. It is also the incident observer
 * that attaches every matching playbook when an incident opens or an alert that joins makes
 * one match, once per playbook per incident.
 */
export class PlaybookService implements IncidentObserver {
  readonly #options: PlaybookServiceOptions;

  constructor(options: PlaybookServiceOptions) {
    this.#options = options;
  }

  get catalog(): PlaybookCatalog {
    return this.#options.catalog;
  }

  /**
   * Stores a playbook sent through the API (YAML text, or an object parsed from JSON). It
   * replaces a built-in of the same name for runs attached from now on.
   */
  async put(tx: StoreTx, request: { name: string; body: string | object; actor: Actor }): Promise<StoredPlaybook> {
    const playbook = typeof request.body === 'string' ? parsePlaybookYaml(request.body) : parsePlaybook(request.body);
    if (playbook.name !== request.name) {
      throw new VigilError('VALIDATION_FAILED', `the playbook is named ${playbook.name}, not ${request.name}`, { details: [{ path: 'name', message: `must be ${request.name}` }] });
    }
    const existing = await tx.getPlaybook(playbook.name);
    const now = this.#options.clock.now();
    const stored: StoredPlaybook = {
      playbook,
      sourceText: typeof request.body === 'string' ? request.body : JSON.stringify(request.body, null, 2),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      updatedBy: request.actor,
    };
    await tx.putPlaybook(stored);
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: existing === undefined ? 'playbook.created' : 'playbook.updated',
      subject: `playbook:${playbook.name}`,
      data: { name: playbook.name, title: playbook.title, steps: playbook.steps.map((s) => s.id) },
    });
    return stored;
  }

  /** Attaches a playbook by hand; CONFLICT when it is already attached to the incident. */
  async attach(tx: StoreTx, request: { ref: string; playbook: string; actor: Actor }): Promise<PlaybookRun> {
    const incident = await findIncident(tx, request.ref);
    const entry = await this.#options.catalog.find(tx, request.playbook);
    return this.#attach(tx, { incident, entry, matched: null, actor: request.actor });
  }

  async incidentChanged(tx: StoreTx, change: IncidentChange): Promise<void> {
    if (!matchingCauses.has(change.cause) || change.after.status === 'resolved') return;
    const incident = change.after;
    let candidates = (await this.#options.catalog.all(tx)).filter((e) => e.playbook.match.length > 0);
    // An alert joined and nothing else changed: only a playbook this alert speaks to can start to match.
    const joined = change.cause === 'alert_attached' && change.before?.severity === incident.severity ? change.alert : undefined;
    if (joined !== undefined) candidates = candidates.filter((e) => alertCouldMatch(e.playbook, joined));
    if (candidates.length === 0) return;
    // An incident an alert has just opened has no runs and that one alert (pushed below).
    const opening = openingAlert(change);
    const attached = new Set(opening === undefined ? (await tx.listPlaybookRuns(incident.id)).map((r) => r.playbook.name) : []);
    candidates = candidates.filter((e) => !attached.has(e.playbook.name));
    if (candidates.length === 0) return;
    const alerts: Alert[] = opening === undefined ? await tx.listAlertsOfIncident(incident.id) : [];
    if (change.alert !== undefined && !alerts.some((a) => a.id === change.alert?.id)) alerts.push(change.alert);
    for (const entry of candidates) {
      const matched = matchPlaybook(entry.playbook, incident, alerts);
      if (matched !== undefined) await this.#attach(tx, { incident, entry, matched, actor: systemActor });
    }
  }

  async #attach(tx: StoreTx, input: { incident: Incident; entry: CatalogEntry; matched: string | null; actor: Actor }): Promise<PlaybookRun> {
    const { incident, entry, matched, actor } = input;
    const now = this.#options.clock.now();
    const run: PlaybookRun = {
      id: this.#options.ids.id(),
      incidentId: incident.id,
      playbook: entry.playbook,
      source: entry.source,
      matched,
      attachedBy: actor,
      attachedAt: now,
      steps: entry.playbook.steps.map((s): StepState => ({ stepId: s.id, status: 'pending', by: null, at: null })),
      status: 'in_progress',
      updatedAt: now,
    };
    await tx.insertPlaybookRun(run);
    const why = matched === null ? `by ${actor.name}` : `(matched ${matched})`;
    await this.#options.recorder.record(tx, {
      actor,
      action: 'playbook.attached',
      subject: `incident:${incident.id}`,
      data: { runId: run.id, playbook: entry.playbook.name, source: entry.source, matched, steps: entry.playbook.steps.map((s) => s.id) },
      timeline: { incidentId: incident.id, kind: 'playbook.attached', message: `Playbook ${entry.playbook.title} attached ${why}` },
    });
    return run;
  }

  /**
   * Completes a step: who and when, the output, evidence checked against its kinds (required
   * fields enforced), and an answer to every check. A step that requires an approval is refused
   * with APPROVAL_REQUIRED until a request for that action on this incident reached its quorum.
   */
  async complete(tx: StoreTx, request: { ref: string; run: string; step: string; completion: StepCompletion; actor: Actor }): Promise<PlaybookRun> {
    const { incident, run, step, index } = await this.#openStep(tx, request);
    const { completion } = request;
    const problems = [...evidenceProblems(step, completion.evidence ?? {}), ...checkProblems(step, completion.checks ?? {})];
    if (problems.length > 0) {
      const first = problems[0]!;
      throw new VigilError('VALIDATION_FAILED', `step ${step.id} cannot be completed: ${first.path} ${first.message}`, { details: problems });
    }
    let approvalId: string | undefined;
    if (step.requiresApproval !== undefined) {
      const [approved] = await tx.listApprovalRequests({ incidentId: incident.id, action: step.requiresApproval, statuses: ['approved', 'executed'], limit: 1 });
      if (approved === undefined) {
        throw new VigilError('APPROVAL_REQUIRED', `step ${step.id} needs an approved ${step.requiresApproval} request on ${shortId(incident)} first (vigil approval request)`);
      }
      approvalId = approved.id;
    }
    const output = completion.output?.trim();
    const state: StepState = {
      stepId: step.id,
      status: 'completed',
      by: request.actor,
      at: this.#options.clock.now(),
      ...(output === undefined || output === '' ? {} : { output }),
      ...(completion.evidence === undefined ? {} : { evidence: { ...completion.evidence } }),
      ...(completion.checks === undefined ? {} : { checks: { ...completion.checks } }),
      ...(approvalId === undefined ? {} : { approvalId }),
    };
    const updated = await this.#save(tx, run, { index, state });
    const facts: JsonObject = {
      runId: run.id,
      playbook: run.playbook.name,
      step: step.id,
      ...(state.output === undefined ? {} : { output: state.output }),
      evidence: { ...(state.evidence ?? {}) },
      checks: { ...(state.checks ?? {}) },
      ...(approvalId === undefined ? {} : { approvalId }),
    };
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: 'playbook.step_completed',
      subject: `incident:${incident.id}`,
      data: facts,
      timeline: { incidentId: incident.id, kind: 'playbook.step_completed', message: `${run.playbook.title}: step ${step.title} completed${finished(updated)}` },
    });
    return updated;
  }

  /** Skips a step with a reason; the reason is on the timeline. */
  async skip(tx: StoreTx, request: { ref: string; run: string; step: string; reason: string; actor: Actor }): Promise<PlaybookRun> {
    const reason = request.reason.trim();
    if (reason === '') throw new VigilError('VALIDATION_FAILED', 'skipping a step needs a reason', { details: [{ path: 'reason', message: 'is required' }] });
    const { incident, run, step, index } = await this.#openStep(tx, request);
    const state: StepState = { stepId: step.id, status: 'skipped', by: request.actor, at: this.#options.clock.now(), reason };
    const updated = await this.#save(tx, run, { index, state });
    await this.#options.recorder.record(tx, {
      actor: request.actor,
      action: 'playbook.step_skipped',
      subject: `incident:${incident.id}`,
      data: { runId: run.id, playbook: run.playbook.name, step: step.id, reason },
      timeline: { incidentId: incident.id, kind: 'playbook.step_skipped', message: `${run.playbook.title}: step ${step.title} skipped: ${reason}${finished(updated)}` },
    });
    return updated;
  }

  async #openStep(tx: StoreTx, request: { ref: string; run: string; step: string }): Promise<{ incident: Incident; run: PlaybookRun; step: PlaybookStep; index: number }> {
    const incident = await findIncident(tx, request.ref);
    const run = await findRun(tx, incident, request.run);
    const index = run.playbook.steps.findIndex((s) => s.id === request.step);
    const step = run.playbook.steps[index];
    const state = run.steps[index];
    if (step === undefined || state === undefined) throw new VigilError('NOT_FOUND', `playbook ${run.playbook.name} has no step ${request.step}`);
    if (state.status !== 'pending') throw new VigilError('INVALID_TRANSITION', `step ${step.id} is already ${state.status}`);
    return { incident, run, step, index };
  }

  async #save(tx: StoreTx, run: PlaybookRun, change: { index: number; state: StepState }): Promise<PlaybookRun> {
    const { index, state } = change;
    const steps = run.steps.map((s, i) => (i === index ? state : s));
    const updated: PlaybookRun = {
      ...run,
      steps,
      status: steps.every((s) => s.status !== 'pending') ? 'completed' : 'in_progress',
      updatedAt: this.#options.clock.now(),
    };
    await tx.updatePlaybookRun(updated);
    return updated;
  }
}

function finished(run: PlaybookRun): string {
  return run.status === 'completed' ? ` (playbook ${run.playbook.name} complete)` : '';
}

function evidenceProblems(step: PlaybookStep, evidence: Readonly<Record<string, string>>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const known = new Set(step.evidence.map((f) => f.name));
  for (const name of Object.keys(evidence)) {
    if (!known.has(name)) problems.push({ path: `evidence.${name}`, message: `is not an evidence field of this step (${[...known].join(', ') || 'none'})` });
  }
  for (const field of step.evidence) {
    const value = evidence[field.name];
    if (value === undefined || value.trim() === '') {
      if (field.required) problems.push({ path: `evidence.${field.name}`, message: `is required (${field.kind})` });
      continue;
    }
    const problem = evidenceProblem(field.kind, value.trim());
    if (problem !== undefined) problems.push({ path: `evidence.${field.name}`, message: problem });
  }
  return problems;
}

function checkProblems(step: PlaybookStep, answers: Readonly<Record<string, boolean>>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const known = new Set(step.checks.map((c) => c.id));
  for (const id of Object.keys(answers)) {
    if (!known.has(id)) problems.push({ path: `checks.${id}`, message: 'is not a check of this step' });
  }
  for (const check of step.checks) {
    if (answers[check.id] === undefined) problems.push({ path: `checks.${check.id}`, message: `needs a yes or no answer: ${check.question}` });
  }
  return problems;
}


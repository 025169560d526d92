import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZodError } from 'zod';
import { createApiToken, createIntegration, type CredentialDeps } from './access/credentials.js';
import { sqlitePath, type VigilConfig } from './config.js';
import type { Integration, IntegrationKind, Role } from './core/access.js';
import type { Actor } from './core/actor.js';
import type { AlertEvent } from './core/alert.js';
import { systemClock, type Clock } from './core/clock.js';
import { createIds, type Ids } from './core/ids.js';
import type { IncidentObserver } from './core/incident-observer.js';
import type { Store } from './core/store.js';
import { Correlator, type EventResult } from './correlate/correlator.js';
import { createDetectors } from './detect/detect-config.js';
import { DetectionEngine, type TransactionDetector } from './detect/detection-engine.js';
import { VigilError, validationFailed } from './core/errors.js';
import { FeedbackService, SuppressionFilter } from './detect/feedback.js';
import type { Feedback, Suppression, Verdict } from './core/feedback.js';
import { Recorder } from './record/recorder.js';
import { IncidentActions } from './respond/incident-actions.js';
import { ScheduleService } from './respond/schedules/schedule-service.js';
import { Workers } from './respond/workers.js';
import { PlaybookCatalog } from './respond/playbooks/playbook-catalog.js';
import { parsePlaybookYaml } from './respond/playbooks/playbook-schema.js';
import { PlaybookService } from './respond/playbooks/playbook-service.js';
import { ApprovalService } from './respond/approvals/approval-service.js';
import { openPostgresStore } from './store/postgres/postgres-store.js';
import { openSqliteStore } from './store/sqlite/sqlite-store.js';

/**
 * The composition root: the only place where adapters are chosen and constructed. Everything
 * else receives its collaborators from here.
 */
export interface Vigil {
  readonly config: VigilConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly actions: IncidentActions;
  readonly schedules: ScheduleService;
  /** The detectors that watch transactions posted to `/api/v1/transactions`; state in memory. */
  readonly detection: DetectionEngine;
  /** Background work (outbox, escalation timers, reminders); `vigil serve` starts it. */
  readonly workers: Workers;
  /** Playbooks: the catalogue, attaching runs to incidents (also automatically), completing steps. */
  readonly playbooks: PlaybookService;
  /** M-of-N approvals of dangerous actions, signed with approvers' Ed25519 keys. */
  readonly approvals: ApprovalService;
  /** Records a responder's verdict on an alert; may suppress or lift a suppression. */
  label(request: { alertId: string; verdict: Verdict; note?: string; actor: Actor }): Promise<{ feedback: Feedback; suppression: Suppression | null; lifted: Suppression | null }>;
  revokeSuppression(request: { suppressionId: string; actor: Actor; reason?: string }): Promise<Suppression>;
  /** Applies one sender payload's events atomically; resolves after the commit. */
  ingest(integration: Integration, events: readonly AlertEvent[]): Promise<EventResult[]>;
  createApiToken(request: { role: Role; name: string; actor: Actor }): Promise<{ id: string; secret: string }>;
  createIntegration(request: { kind: IntegrationKind; service: string; name?: string; actor: Actor }): Promise<{ id: string; key: string }>;
  close(): Promise<void>;
}

export interface VigilOverrides {
  readonly clock?: Clock;
  readonly ids?: Ids;
  /** Use this store instead of opening one from the config (tests). */
  readonly store?: Store;
  /** Use these detectors instead of the configured ones. */
  readonly detectors?: readonly TransactionDetector[];
  /** Extra incident observers, told after the built-in ones (tests). */
  readonly observers?: readonly IncidentObserver[];
}

export async function openStore(config: VigilConfig, clock: Clock = systemClock): Promise<Store> {
  return config.databaseUrl === undefined
    ? openSqliteStore({ path: sqlitePath(config), synchronous: config.sqliteSynchronous, now: () => clock.now() })
    : openPostgresStore({ url: config.databaseUrl, now: () => clock.now() });
}

/**
 * The detectors of a detect config file (JSON), or the defaults without one. A bad file fails
 * here, at start, with the field that is wrong, not in the middle of a stream.
 */
export async function loadDetectors(path: string | undefined): Promise<TransactionDetector[]> {
  if (path === undefined) return createDetectors({});
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new VigilError('VALIDATION_FAILED', `cannot read the detect config ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  try {
    return createDetectors(JSON.parse(text));
  } catch (error) {
    if (error instanceof SyntaxError) throw new VigilError('VALIDATION_FAILED', `the detect config ${path} is not JSON: ${error.message}`, { cause: error });
    if (error instanceof ZodError) throw validationFailed(`the detect config ${path}`, error.issues, error);
    throw error;
  }
}

/** The playbooks shipped with Vigil, one YAML file each. */
export const builtinPlaybookDir = fileURLToPath(new URL('../playbooks/', import.meta.url));

/**
 * Reads every `.yaml`, `.yml` and `.json` file of `dir` into the catalogue. A bad file fails
 * here, at start, naming the file, the path in it and the line.
 */
export async function loadPlaybookDir(catalog: PlaybookCatalog, dir: string, source: 'builtin' | 'directory'): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.(ya?ml|json)$/i.test(n)).sort();
  } catch (cause) {
    throw new VigilError('VALIDATION_FAILED', `cannot read the playbook directory ${dir}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  for (const name of names) {
    const path = join(dir, name);
    const sourceText = await readFile(path, 'utf8');
    catalog.addFile({ playbook: parsePlaybookYaml(sourceText, `the playbook ${path}`), source, sourceText });
  }
  return names.length;
}

export async function createVigil(config: VigilConfig, overrides: VigilOverrides = {}): Promise<Vigil> {
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? createIds();
  const store = overrides.store ?? (await openStore(config, clock));
  const recorder = new Recorder({ clock, ids });
  // Each respond part that reacts to incident changes adds itself here; all run in the writer's unit.
  const observers: IncidentObserver[] = [];
  const correlator = new Correlator({ clock, ids, recorder, groupWindowMs: config.groupWindowMs, autoResolve: config.autoResolve, observers });
  const actions = new IncidentActions({ clock, recorder, observers });
  const credentialDeps: CredentialDeps = { clock, ids, recorder };

  const suppressions = new SuppressionFilter();
  await suppressions.refresh(store.read);
  const detection = new DetectionEngine({ detectors: overrides.detectors ?? (await loadDetectors(config.detectConfigPath)), filter: suppressions });
  const feedback = new FeedbackService({ clock, ids, recorder, suppressAfterFalsePositives: config.suppressAfterFalsePositives });

  const catalog = new PlaybookCatalog();
  await loadPlaybookDir(catalog, builtinPlaybookDir, 'builtin');
  if (config.playbookDir !== undefined) await loadPlaybookDir(catalog, config.playbookDir, 'directory');
  const playbooks = new PlaybookService({ clock, ids, recorder, catalog });
  observers.push(playbooks);

  observers.push(...(overrides.observers ?? []));
  const workers = new Workers({
    intervalMs: config.workerIntervalMs,
    onError: (worker, error) => process.emitWarning(`vigil worker ${worker} failed: ${error instanceof Error ? error.message : String(error)}`),
  });

  return {
    config,
    store,
    clock,
    ids,
    actions,
    schedules: new ScheduleService({ clock, ids, recorder }),
    detection,
    workers,
    playbooks,
    approvals: new ApprovalService({ clock, ids, recorder }),
    ingest: async (integration, events) => {
      const results = await store.write(async (tx) => {
        const results: EventResult[] = [];
        for (const event of events) results.push(await correlator.apply(tx, integration, event));
        return results;
      });
      // Something may now be due (a first page, a stop): do not wait for the next round.
      if (results.some((r) => r.outcome !== 'deduplicated' && r.outcome !== 'ignored')) workers.kick();
      return results;
    },
    label: async (request) => {
      const result = await store.write((tx) => feedback.label(tx, request));
      if (result.suppression !== null || result.lifted !== null) await suppressions.refresh(store.read);
      return result;
    },
    revokeSuppression: async (request) => {
      const revoked = await store.write((tx) => feedback.revoke(tx, request));
      await suppressions.refresh(store.read);
      return revoked;
    },
    createApiToken: async (request) => {
      const { token, secret } = await store.write((tx) => createApiToken(tx, request, credentialDeps));
      return { id: token.id, secret };
    },
    createIntegration: async (request) => {
      const { integration, key } = await store.write((tx) => createIntegration(tx, request, credentialDeps));
      return { id: integration.id, key };
    },
    close: async () => {
      await workers.stop();
      await store.close();
    },
  };
}

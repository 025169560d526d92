import { join, resolve } from 'node:path';

/** Everything an operator can set, with its default. Flags win over environment variables. */
export interface VigilConfig {
  /** A JSON file configuring the transaction detectors (prices, wallets, lists, rules); none: defaults. */
  readonly detectConfigPath: string | undefined;
  /** PostgreSQL URL; when absent, SQLite under `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** A new alert joins an open incident of its group only if that incident had an alert this recently. */
  readonly groupWindowMs: number;
  readonly autoResolve: boolean;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit: number;
  /** PagerDuty-compatible events per routing key per minute before 429. */
  readonly eventsPerMinute: number;
  readonly sqliteSynchronous: 'full' | 'normal';
  readonly logLevel: string;
  /** False positives about one entity (and no true positive) before a detector is suppressed for it. */
  readonly suppressAfterFalsePositives: number;
  /** Time between rounds of the background workers (outbox, escalation timers, reminders). */
  readonly workerIntervalMs: number;
  /** A directory of playbooks (YAML) that add to or replace the built-in ones; none: built-ins only. */
  readonly playbookDir: string | undefined;
}

export const defaultConfig: VigilConfig = {
  detectConfigPath: undefined,
  databaseUrl: undefined,
  dataDir: './vigil-data',
  host: '127.0.0.1',
  port: 8080,
  groupWindowMs: 60 * 60 * 1000,
  autoResolve: true,
  bodyLimit: 1024 * 1024,
  eventsPerMinute: 120_000,
  sqliteSynchronous: 'full',
  logLevel: 'info',
  suppressAfterFalsePositives: 3,
  workerIntervalMs: 1000,
  playbookDir: undefined,
};

/** Reads the `VIGIL_*` environment variables over the defaults. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): VigilConfig {
  return {
    detectConfigPath: env.VIGIL_DETECT_CONFIG || defaultConfig.detectConfigPath,
    databaseUrl: env.VIGIL_DATABASE_URL || defaultConfig.databaseUrl,
    dataDir: env.VIGIL_DATA_DIR || defaultConfig.dataDir,
    host: env.VIGIL_HOST || defaultConfig.host,
    port: intFrom(env.VIGIL_PORT, 'VIGIL_PORT') ?? defaultConfig.port,
    groupWindowMs: intFrom(env.VIGIL_GROUP_WINDOW_SECONDS, 'VIGIL_GROUP_WINDOW_SECONDS', 1000) ?? defaultConfig.groupWindowMs,
    autoResolve: env.VIGIL_AUTO_RESOLVE === undefined ? defaultConfig.autoResolve : env.VIGIL_AUTO_RESOLVE !== 'false',
    bodyLimit: intFrom(env.VIGIL_BODY_LIMIT, 'VIGIL_BODY_LIMIT') ?? defaultConfig.bodyLimit,
    eventsPerMinute: intFrom(env.VIGIL_EVENTS_PER_MINUTE, 'VIGIL_EVENTS_PER_MINUTE') ?? defaultConfig.eventsPerMinute,
    sqliteSynchronous: env.VIGIL_SQLITE_SYNCHRONOUS === 'normal' ? 'normal' : defaultConfig.sqliteSynchronous,
    logLevel: env.VIGIL_LOG_LEVEL || defaultConfig.logLevel,
    suppressAfterFalsePositives:
      intFrom(env.VIGIL_SUPPRESS_AFTER_FALSE_POSITIVES, 'VIGIL_SUPPRESS_AFTER_FALSE_POSITIVES') ?? defaultConfig.suppressAfterFalsePositives,
    workerIntervalMs: intFrom(env.VIGIL_WORKER_INTERVAL_MS, 'VIGIL_WORKER_INTERVAL_MS') ?? defaultConfig.workerIntervalMs,
    playbookDir: env.VIGIL_PLAYBOOK_DIR || defaultConfig.playbookDir,
  };
}

/** The SQLite file inside the data directory. */
export function sqlitePath(config: Pick<VigilConfig, 'dataDir'>): string {
  return config.dataDir === ':memory:' ? ':memory:' : join(resolve(config.dataDir), 'vigil.db');
}

function intFrom(text: string | undefined, name: string, scale = 1): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, not ${JSON.stringify(text)}`);
  return n * scale;
}

import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, freePort } from './wait.js';

/** Debian's package (`apt-get install -y prometheus-alertmanager`), or ALERTMANAGER_BIN. */
export const alertmanagerBinary = process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';

export interface RunningAlertmanager {
  readonly url: string;
  /** Posts alerts to its v2 API, as Prometheus would. */
  postAlerts(alerts: unknown[]): Promise<number>;
  output(): string;
  stop(): void;
}

/** Starts a real Alertmanager on 127.0.0.1 with `config` (YAML) in `dir`; resolves once it is ready. */
export async function startAlertmanager(options: { dir: string; config: string }): Promise<RunningAlertmanager> {
  if (!existsSync(alertmanagerBinary)) throw new Error(`${alertmanagerBinary} is missing: apt-get install -y prometheus-alertmanager`);
  writeFileSync(join(options.dir, 'alertmanager.yml'), options.config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(
    alertmanagerBinary,
    [`--config.file=${join(options.dir, 'alertmanager.yml')}`, `--storage.path=${join(options.dir, 'am-data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  await eventually('Alertmanager to be ready', async () => ((await fetch(`${url}/-/ready`).catch(() => undefined))?.status === 200 ? true : undefined)).catch((error: unknown) => {
    child.kill('SIGTERM');
    throw new Error(`${String(error)}\n${output}`);
  });
  return {
    url,
    postAlerts: async (alerts) =>
      (await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) })).status,
    output: () => output,
    stop: () => void child.kill('SIGTERM'),
  };
}

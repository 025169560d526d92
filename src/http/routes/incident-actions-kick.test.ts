import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../config.js';
import { startServer, type RunningServer } from '../../server.js';
import { startHttpReceiver, type HttpReceiver } from '../../../test/support/receivers.js';
import { eventually } from '../../../test/support/wait.js';

describe('an incident action over the API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-kick-'));
  let server: RunningServer | undefined;
  let slack: HttpReceiver | undefined;
  afterEach(async () => {
    await server?.close();
    await slack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reaches the team channels at once, not at the next worker round a minute later', async () => {
    slack = await startHttpReceiver(() => ({ status: 200 }));
    server = await startServer(
      { ...defaultConfig, dataDir: join(dir, 'vigil'), port: 0, workerIntervalMs: 60_000, secretKey: Buffer.alloc(32, 5).toString('base64') },
      { logger: false },
    );
    const admin = { authorization: `Bearer ${server.firstAdminToken ?? ''}`, 'content-type': 'application/json' };
    const { key } = await server.vigil.createIntegration({ kind: 'generic', service: 'wallets', actor: { kind: 'cli', id: 't', name: 't' } });
    expect((await fetch(`${server.url}/api/v1/channels`, { method: 'POST', headers: admin, body: JSON.stringify({ name: '#incidents', kind: 'slack', url: `${slack.url}/hook` }) })).status).toBe(201);
    await fetch(`${server.url}/api/v1/alerts`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ summary: 'Hot wallet low', severity: 'error' }) });
    await eventually('the opening post', () => (slack!.requests.length === 1 ? true : undefined), 5_000);
    expect((await fetch(`${server.url}/api/v1/incidents/INC-1/acknowledge`, { method: 'POST', headers: admin, body: '{}' })).status).toBe(200);
    await eventually('the acknowledgement post', () => (slack!.requests.length === 2 ? true : undefined), 5_000);
    expect(slack.requests[1]?.body).toContain('acknowledged');
  });
});

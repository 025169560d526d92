import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Notification } from '../core/notifier.js';
import { startSmtpReceiver, type SmtpReceiver } from '../../test/support/receivers.js';
import { EmailAdapter } from './email.js';

const n: Notification = { about: 'incident',
  id: 'm1', incidentId: 'i1', incidentRef: 'INC-3', title: 'Signer offline', service: 'custody', severity: 'SEV2', status: 'triggered', reason: 'escalation level 1', url: null, at: 0 };
const clock = { now: () => 0 };

describe('email over SMTP', () => {
  let smtp: SmtpReceiver | undefined;
  afterEach(async () => smtp?.close());

  it('logs in and sends to every address of the method', async () => {
    smtp = await startSmtpReceiver();
    const adapter = new EmailAdapter({ timeoutMs: 2_000, clock, smtp: undefined });
    const result = await adapter.deliver({ kind: 'email', to: ['a@example.test', 'b@example.test'], smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'vigil', password: 'password', from: 'vigil@example.test' } }, n);
    expect(result).toEqual({ outcome: 'delivered', status: 250 });
    expect(smtp.mails[0]).toMatchObject({ to: ['a@example.test', 'b@example.test'], user: 'vigil' });
    expect(smtp.mails[0]!.data).toContain('X-Vigil-Incident: INC-3');
  });

  it('a refused login is dead, not retried', async () => {
    smtp = await startSmtpReceiver();
    const adapter = new EmailAdapter({ timeoutMs: 2_000, clock, smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'vigil', password: 'wrong', from: 'vigil@example.test' } });
    expect(await adapter.deliver({ kind: 'email', to: ['a@example.test'] }, n)).toMatchObject({ outcome: 'dead' });
  });

  it('is dead without any SMTP server to send through', async () => {
    const adapter = new EmailAdapter({ timeoutMs: 2_000, clock, smtp: undefined });
    expect(await adapter.deliver({ kind: 'email', to: ['a@example.test'] }, n)).toMatchObject({ outcome: 'dead', error: expect.stringContaining('VIGIL_SMTP_HOST') });
  });

  it('gives up on a server that never answers within the timeout, to retry later', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as { port: number }).port;
      const adapter = new EmailAdapter({ timeoutMs: 300, clock, smtp: { host: '127.0.0.1', port, secure: false, from: 'vigil@example.test' } });
      const started = Date.now();
      expect(await adapter.deliver({ kind: 'email', to: ['a@example.test'] }, n)).toMatchObject({ outcome: 'retry' });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      sockets.forEach((s) => s.destroy());
      silent.close();
    }
  });
});

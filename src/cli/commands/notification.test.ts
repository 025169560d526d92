import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVigil } from '../../app.js';
import { configFromEnv, sqlitePath } from '../../config.js';
import { event } from '../../../test/support/vigil.js';
import { vigilIn } from '../../../test/support/cli.js';

describe('vigil person, channel and notification', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-notify-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const vigil = (...args: string[]) => vigilIn(dir, args);
  const file = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };

  it('sets, lists and shows a person with secrets masked, sealed with a key file created once with mode 0600', async () => {
    const alice = file('alice.json', {
      handle: 'alice',
      name: 'Alice',
      methods: [{ id: 'phone', kind: 'telegram', botToken: '5555:TOKEN-DO-NOT-LEAK-1234', chatId: '77' }],
      rules: [{ severities: ['SEV1', 'SEV2'], methods: ['phone'] }],
    });
    expect(await vigil('person', 'set', alice)).toMatchObject({ code: 0, out: 'person alice saved (1 methods, 1 rules)\n' });
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    const shown = await vigil('person', 'show', 'alice', '--json');
    expect(JSON.parse(shown.out).person.methods[0]).toEqual({ id: 'phone', kind: 'telegram', botToken: '********1234', chatId: '77' });
    const list = await vigil('person', 'list');
    expect(list.out).toContain('alice');
    expect(list.out + shown.out).not.toContain('TOKEN-DO-NOT-LEAK');
    const db = new BetterSqlite3(sqlitePath({ dataDir: dir }), { readonly: true });
    const raw = JSON.stringify(db.prepare('select * from people').all());
    db.close();
    expect(raw).not.toContain('TOKEN-DO-NOT-LEAK');
    expect(readFileSync(join(dir, 'secret.key'), 'utf8').trim()).toHaveLength(44);
  });

  it('fails with a one-line reason on a bad file or an unknown person', async () => {
    const bad = await vigil('person', 'set', file('bad.json', { handle: 'x', name: 'X', methods: [{ id: 'm', kind: 'fax' }] }));
    expect(bad.code).toBe(1);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toContain('VALIDATION_FAILED');
    expect(bad.err).toContain('methods.0.kind');
    expect((await vigil('person', 'set', join(dir, 'missing.json'))).err).toContain('cannot read');
    expect((await vigil('person', 'show', 'nobody')).err.trim()).toBe('vigil: NOT_FOUND: no person nobody');
  });

  it('creates, lists, shows and deletes a team channel', async () => {
    const slack = file('slack.json', { name: '#incidents', kind: 'slack', url: 'https://hooks.slack.com/services/T0/B0/SECRETSECRET', services: ['custody'] });
    expect((await vigil('channel', 'create', slack)).code).toBe(0);
    expect((await vigil('channel', 'create', slack)).err).toContain('CONFLICT');
    expect((await vigil('channel', 'list')).out).toContain('#incidents');
    const shown = JSON.parse((await vigil('channel', 'show', '#incidents', '--json')).out);
    expect(shown.channel.url).toBe('https://hooks.slack.com/********CRET');
    expect(await vigil('channel', 'delete', '#incidents')).toMatchObject({ code: 0, out: 'channel #incidents deleted\n' });
    expect((await vigil('channel', 'list', '--json')).out).toContain('"channels": []');
  });

  it('lists the outbox by state and incident, and retries a dead letter', async () => {
    const slack = file('slack.json', { name: '#incidents', kind: 'slack', url: 'http://127.0.0.1:9/unreachable' });
    await vigil('channel', 'create', slack);
    const v = await createVigil({ ...configFromEnv({}), dataDir: dir, notify: { ...configFromEnv({}).notify, maxAttempts: 1, timeoutMs: 500 } });
    try {
      const { id } = await v.createIntegration({ kind: 'generic', service: 'custody', actor: { kind: 'cli', id: 't', name: 't' } });
      await v.ingest((await v.store.read.getIntegration(id))!, [event({ severity: 'critical', summary: 'Cold wallet signer offline' })]);
      await v.workers.runOnce();
    } finally {
      await v.close();
    }
    const dead = JSON.parse((await vigil('notification', 'list', '--state', 'dead', '--incident', 'INC-1', '--json')).out).notifications;
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ kind: 'slack', state: 'dead', attempts: 1, reason: 'incident opened' });
    expect((await vigil('notification', 'list')).out).toContain('dead');
    expect((await vigil('notification', 'retry', dead[0].id)).out).toContain('pending again');
    expect((await vigil('notification', 'retry', dead[0].id)).err).toContain('INVALID_TRANSITION');
    expect((await vigil('notification', 'list', '--state', 'zombie')).code).not.toBe(0);
    expect((await vigil('notification', '--help')).code).toBe(0);
  });
});

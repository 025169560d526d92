import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVigil } from '../app.js';
import { configFromEnv } from '../config.js';
import { event } from '../../test/support/vigil.js';
import { vigilIn } from '../../test/support/cli.js';

describe('vigil incident role|roles|update and vigil status', () => {
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-comms-cli-'));
    const v = await createVigil({ ...configFromEnv({}), dataDir: dir });
    const { id } = await v.createIntegration({ kind: 'generic', service: 'custody', actor: { kind: 'cli', id: 't', name: 't' } });
    await v.ingest((await v.store.read.getIntegration(id))!, [event({ severity: 'critical', summary: 'Cold wallet signer offline' })]);
    await v.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const vigil = (...args: string[]) => vigilIn(dir, args);

  it('assigns, hands over and releases roles, and lists them', async () => {
    expect(await vigil('incident', 'role', 'INC-1', 'ic', 'alice')).toMatchObject({ code: 0, out: 'INC-1: alice is incident commander\n' });
    expect((await vigil('incident', 'role', 'INC-1', 'incident-commander', 'bob')).out).toBe('INC-1: incident commander handed over from alice to bob\n');
    const listed = await vigil('incident', 'roles', 'INC-1', '--json');
    expect(JSON.parse(listed.out)).toMatchObject({ current: [{ role: 'incident_commander', person: 'bob' }], history: [{ person: 'alice' }, { person: 'bob' }] });
    expect((await vigil('incident', 'roles', 'INC-1')).out).toContain('incident commander     bob');
    expect((await vigil('incident', 'role', 'INC-1', 'ic', '--release')).out).toBe('bob is no longer incident commander\n');
  });

  it('fails with a one-line reason on a bad role, a missing person, or an unknown incident', async () => {
    const bad = await vigil('incident', 'role', 'INC-1', 'janitor', 'alice');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^vigil: VALIDATION_FAILED: no role janitor/);
    expect((await vigil('incident', 'role', 'INC-1', 'ic')).err).toContain('say who');
    expect((await vigil('incident', 'roles', 'INC-9')).err).toBe('vigil: NOT_FOUND: no incident INC-9\n');
    expect((await vigil('incident', 'update', 'INC-1')).code).toBe(1);
  });

  it('posts updates', async () => {
    const posted = await vigil('incident', 'update', 'INC-1', '--stakeholders', 'Withdrawals paused while we rotate keys', '--json');
    expect(posted.code).toBe(0);
    expect(JSON.parse(posted.out).update).toMatchObject({ audience: 'stakeholders', body: 'Withdrawals paused while we rotate keys' });
    expect((await vigil('incident', 'update', 'INC-1', '--internal', 'HSM back')).out).toBe('internal update posted\n');
  });

  it('manages components and publishes as the communications lead only', async () => {
    expect((await vigil('status', 'component', 'set', '--service', 'custody', '--name', 'Withdrawals', '--description', 'BTC and ETH')).out).toBe(
      'created custody/Withdrawals: operational\n',
    );
    expect(JSON.parse((await vigil('status', 'component', 'list', '--json')).out).components).toHaveLength(1);
    const args = ['status', 'post', 'INC-1', '--state', 'investigating', '--title', 'Slow withdrawals', '--message', 'Looking into it', '--component', 'Withdrawals=partial_outage'];
    const refused = await vigil(...args, '--as', 'alice');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^vigil: NOT_COMMUNICATIONS_LEAD: /);
    await vigil('incident', 'role', 'INC-1', 'comms', 'alice');
    expect((await vigil(...args, '--as', 'alice')).out).toBe('published to the custody status page: investigating: Slow withdrawals\n');
    const shown = JSON.parse((await vigil('status', 'show', 'custody', '--json')).out);
    expect(shown).toMatchObject({ status: { indicator: 'major' }, incidents: [{ name: 'Slow withdrawals' }] });
    expect((await vigil('status', 'show', 'custody')).out).toContain('custody: Partial System Outage');
    expect((await vigil('status', 'component', 'set', '--service', 'custody', '--name', 'X', '--status', 'melting')).code).toBe(2);
    expect((await vigil('status', 'component', 'remove', '--service', 'custody', 'Withdrawals')).out).toBe('removed custody/Withdrawals\n');
  });

  it('creates a token issued to a person', async () => {
    const created = await vigil('token', 'create', '--role', 'responder', '--name', 'alice laptop', '--person', 'alice', '--json');
    expect(created.code).toBe(0);
    const v = await createVigil({ ...configFromEnv({}), dataDir: dir });
    try {
      const { findApiToken } = await import('../access/credentials.js');
      expect((await findApiToken(v.store.read, JSON.parse(created.out).token))?.person).toBe('alice');
    } finally {
      await v.close();
    }
    expect((await vigil('token', 'create', '--role', 'viewer', '--person', 'two words')).code).toBe(1);
  });

  it('has --help for every new command', async () => {
    for (const args of [['incident', 'role'], ['incident', 'roles'], ['incident', 'update'], ['status'], ['status', 'component', 'set'], ['status', 'post'], ['status', 'show']]) {
      const help = await vigil(...args, '--help');
      expect(help.code, args.join(' ')).toBe(0);
      expect(help.out, args.join(' ')).toContain('Usage: vigil');
    }
  });
});

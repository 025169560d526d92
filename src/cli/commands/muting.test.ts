import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVigil } from '../../app.js';
import { configFromEnv } from '../../config.js';
import { event } from '../../../test/support/vigil.js';
import { vigilIn } from '../../../test/support/cli.js';

describe('vigil silence, maintenance and inhibit', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-cli-mute-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const vigil = (...args: string[]) => vigilIn(dir, args);

  it('adds a silence, lists it, shows the alert it muted, and expires it', async () => {
    const added = await vigil('silence', 'add', '--matcher', 'chain="ethereum"', '--matcher', 'alertname=~"Withdrawal.*"', '--duration', '2h', '--comment', 'node upgrade', '--json');
    expect(added.code).toBe(0);
    const { silence } = JSON.parse(added.out);
    expect(silence).toMatchObject({ state: 'active', matchers: ['chain="ethereum"', 'alertname=~"Withdrawal.*"'], comment: 'node upgrade' });

    const v = await createVigil({ ...configFromEnv({}), dataDir: dir });
    const { id } = await v.createIntegration({ kind: 'generic', service: 'withdrawals', actor: { kind: 'cli', id: 't', name: 't' } });
    const [result] = await v.ingest((await v.store.read.getIntegration(id))!, [event({ labels: { alertname: 'WithdrawalStuck', chain: 'ethereum' } })]);
    await v.close();
    expect(result?.outcome).toBe('muted');

    const list = await vigil('silence', 'list', '--state', 'active');
    expect(list.out).toContain(silence.id);
    const muted = await vigil('silence', 'muted', '--silence', silence.id, '--json');
    expect(JSON.parse(muted.out).mutedAlerts[0].suppressedBy).toBe(`silence:${silence.id}`);
    expect((await vigil('silence', 'muted')).out).toContain(`<- silence:${silence.id}`);

    const expired = await vigil('silence', 'expire', silence.id);
    expect(expired.code).toBe(0);
    expect(expired.out).toContain('expired');
    expect((await vigil('silence', 'list', '--state', 'active')).out.trim()).toBe('no silences');
  });

  it('fails with a one-line reason on a bad matcher, a bad duration or a missing silence', async () => {
    const bad = await vigil('silence', 'add', '--matcher', 'chain="eth', '--duration', '1h', '--comment', 'x');
    expect(bad.code).toBe(1);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toMatch(/^vigil: VALIDATION_FAILED: bad matcher/);
    expect((await vigil('silence', 'add', '--matcher', 'a="b"', '--duration', 'forever', '--comment', 'x')).err).toContain('not a duration');
    expect((await vigil('silence', 'expire', 'nope')).err.trim()).toBe('vigil: NOT_FOUND: no silence nope');
    expect((await vigil('silence', 'add', '--duration', '1h', '--comment', 'x')).code).toBe(2);
  });

  it('adds a recurring maintenance window, checks a service across DST, and removes it', async () => {
    const added = await vigil(
      'maintenance', 'add', '--name', 'Sunday upgrades', '--service', 'nodes', '--start', '2026-03-01T03:00:00+01:00',
      '--duration', '2h', '--rrule', 'FREQ=WEEKLY;BYDAY=SU', '--time-zone', 'Europe/Berlin', '--json',
    );
    expect(added.code).toBe(0);
    const { maintenanceWindow } = JSON.parse(added.out);
    const check = async (at: string) => JSON.parse((await vigil('maintenance', 'check', '--service', 'nodes', '--at', at, '--json')).out).inMaintenance;
    expect(await check('2026-03-22T02:30:00Z')).toBe(true);
    expect(await check('2026-03-29T02:30:00Z')).toBe(true);
    expect(await check('2026-03-29T03:30:00Z')).toBe(false);
    expect((await vigil('maintenance', 'check', '--service', 'nodes', '--at', '2026-03-22T02:30:00Z')).out).toContain('nodes is in maintenance');
    expect((await vigil('maintenance', 'list')).out).toContain('FREQ=WEEKLY;BYDAY=SU in Europe/Berlin for 2h');
    expect((await vigil('maintenance', 'remove', maintenanceWindow.id)).code).toBe(0);
    expect((await vigil('maintenance', 'list')).out.trim()).toBe('no maintenance windows');

    const badRule = await vigil('maintenance', 'add', '--name', 'x', '--service', 'nodes', '--start', '2026-12-01T00:00:00Z', '--duration', '1h', '--rrule', 'FREQ=NEVER', '--time-zone', 'UTC');
    expect(badRule.code).toBe(1);
    expect(badRule.err).toContain('rrule');
  });

  it('adds, lists and removes an inhibition rule', async () => {
    const added = await vigil('inhibit', 'add', '--source', 'alertname="ChainHalted"', '--target', 'alertname="WithdrawalStuck"', '--equal', 'chain', '--json');
    expect(added.code).toBe(0);
    const { inhibitionRule } = JSON.parse(added.out);
    expect(inhibitionRule).toMatchObject({ sourceMatchers: ['alertname="ChainHalted"'], equal: ['chain'] });
    expect((await vigil('inhibit', 'list')).out).toContain('equal [chain]');
    expect((await vigil('inhibit', 'remove', inhibitionRule.id)).code).toBe(0);
    expect((await vigil('inhibit', 'list')).out.trim()).toBe('no inhibition rules');
    expect((await vigil('inhibit', 'remove', inhibitionRule.id)).err).toContain('INVALID_TRANSITION');
  });

  it('has --help for every command', async () => {
    for (const args of [['silence', 'add'], ['silence', 'list'], ['silence', 'expire'], ['silence', 'muted'], ['maintenance', 'add'], ['maintenance', 'check'], ['inhibit', 'add']]) {
      const help = await vigil(...args, '--help');
      expect(help.code, args.join(' ')).toBe(0);
      expect(help.out).toContain('Usage: vigil');
    }
  });
});

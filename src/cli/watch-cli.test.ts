import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vigilIn } from '../../test/support/cli.js';
import { freePort } from '../../test/support/wait.js';

describe('vigil watch', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-watch-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const vigil = (...args: string[]) => vigilIn(dir, args);
  const configFile = (config: unknown) => {
    const path = join(dir, 'watch.json');
    writeFileSync(path, JSON.stringify(config));
    return path;
  };

  it('explains itself with --help', async () => {
    const { code, out } = await vigil('watch', '--help');
    expect(code).toBe(0);
    expect(out).toContain('--config <file>');
    expect(out).toContain('--detect-config <file>');
    expect(out).toContain('--once');
  });

  it('refuses a config with a mistake in one line naming the field, before opening the store', async () => {
    const path = configFile({ chains: [{ name: 'ethereum', rpcUrl: 'ftp://node', service: 'eth' }] });
    const { code, err } = await vigil('watch', '--config', path);
    expect(code).toBe(1);
    expect(err).toBe(`vigil: VALIDATION_FAILED: the watch config ${path} is invalid at chains.0.rpcUrl: must be an http:// or https:// URL\n`);
  });

  it('refuses a missing config file and a file that is not JSON', async () => {
    expect((await vigil('watch', '--config', join(dir, 'none.json'))).err).toMatch(/^vigil: VALIDATION_FAILED: cannot read the watch config .*none\.json/);
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{ chains');
    expect((await vigil('watch', '--config', path)).err).toMatch(/^vigil: VALIDATION_FAILED: the watch config .* is not JSON/);
  });

  it('needs --config', async () => {
    const { code, err } = await vigil('watch');
    expect(code).toBe(2);
    expect(err).toContain("required option '--config <file>' not specified");
  });

  it('--once fails with one line when the node does not answer, without the URL path that may hold a key', async () => {
    const port = await freePort();
    const path = configFile({ chains: [{ name: 'ethereum', rpcUrl: `http://127.0.0.1:${port}/v3/secret-api-key`, service: 'eth' }] });
    const { code, out, err } = await vigil('watch', '--config', path, '--once', '--json');
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain(`vigil: CHAIN_UNAVAILABLE: ethereum: eth_blockNumber on http://127.0.0.1:${port} failed`);
    expect(err).not.toContain('secret-api-key');
    const [status] = JSON.parse(out) as { chain: string; head: number | null; lastError: string }[];
    expect(status).toMatchObject({ chain: 'ethereum' });
    expect(status!.lastError).not.toContain('secret-api-key');
  });
});

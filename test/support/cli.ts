import { runCli } from '../../src/cli/cli.js';

/** Runs one `vigil` command line on the store in `dir`, capturing what it prints. */
export async function vigilIn(dir: string, args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['--data-dir', dir, ...args], { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

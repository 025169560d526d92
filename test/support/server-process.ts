import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The CLI as a user runs it, through tsx so the tests need no build. */
const cliArgs = ['--import', 'tsx', 'src/cli/main.ts'];

export interface StoreEnv {
  /** VIGIL_DATA_DIR or VIGIL_DATABASE_URL. */
  readonly env: Record<string, string>;
}

/** Runs `vigil ...` to completion and returns its stdout; rejects with stderr on a non-zero exit. */
export async function vigilCli(store: StoreEnv, args: readonly string[]): Promise<string> {
  const { stdout } = await execFileAsync(process.execPath, [...cliArgs, ...args], { env: { ...process.env, ...store.env } });
  return stdout;
}

export interface VigilProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Printed on the first start of an empty store only. */
  readonly adminToken: string | undefined;
  /** Everything the process printed so far. */
  output(): string;
  /** Sends a signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `vigil serve --port 0` and waits for it to say where it listens. */
export async function startVigilProcess(store: StoreEnv, extraEnv: Record<string, string> = {}): Promise<VigilProcess> {
  const child = spawn(process.execPath, [...cliArgs, 'serve', '--port', '0', '--no-log'], {
    env: { ...process.env, ...store.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + 30_000;
  let url: string | undefined;
  while (url === undefined) {
    url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
    if (url !== undefined) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`vigil serve did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  // The admin token, when printed, follows the listening line in the same write.
  await new Promise((r) => setTimeout(r, 50));
  const adminToken = /^\s+(vgl_[0-9a-f]+)\s*$/m.exec(output)?.[1];
  return {
    child,
    url,
    adminToken,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

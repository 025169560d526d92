import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './wait.js';

/** The bare hardhat project: chain id 31337, automine, no compiler downloads. */
const projectDir = fileURLToPath(new URL('../fixtures/hardhat/', import.meta.url));
const hardhatCli = fileURLToPath(new URL('../../node_modules/hardhat/internal/cli/bootstrap.js', import.meta.url));

/** Hardhat's funded default accounts (10,000 ETH each; the keys are public, the node signs for them). */
export const hardhatAccounts = [
  '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
  '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc',
  '0x90f79bf6eb2c4f870365e785982e1f101e93b906',
  '0x15d34aaf54267db7d7c367839aaf71a00a2c6a65',
] as const;

export interface HardhatNode {
  readonly url: string;
  /** One JSON-RPC call (`evm_mine`, `evm_snapshot`, `evm_setAutomine`...). */
  rpc<T = unknown>(method: string, params?: readonly unknown[]): Promise<T>;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `hardhat node` on a free 127.0.0.1 port and waits until it answers. */
export async function startHardhat(): Promise<HardhatNode> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [hardhatCli, 'node', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: projectDir,
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  let id = 0;
  const rpc = async <T>(method: string, params: readonly unknown[] = []): Promise<T> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) });
    const body = (await response.json()) as { result?: T; error?: { message: string } };
    if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (/Started HTTP and WebSocket JSON-RPC server/.test(output)) {
      try {
        await rpc('eth_blockNumber');
        break;
      } catch {
        // not yet
      }
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`hardhat node did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    rpc,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killed);
    },
  };
}

import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';

/**
 * Everything the benchmark started, to be undone whatever happens: child processes (servers and
 * load processes), temporary directories, and other undo steps such as dropping a schema.
 * `run()` is the normal path; `runSync()` is the last resort from a process `exit` handler,
 * where nothing asynchronous can run any more.
 */
export class Cleanup {
  readonly #children = new Set<ChildProcess>();
  readonly #dirs = new Set<string>();
  readonly #steps: { name: string; run: () => Promise<void> }[] = [];

  /** Kills `child` at cleanup unless it has exited by then. */
  child(child: ChildProcess): ChildProcess {
    this.#children.add(child);
    child.once('exit', () => this.#children.delete(child));
    return child;
  }

  dir(path: string): string {
    this.#dirs.add(path);
    return path;
  }

  /** An undo step; steps run in reverse order of registration, after the processes are gone. */
  step(name: string, run: () => Promise<void>): () => Promise<void> {
    const entry = { name, run };
    this.#steps.push(entry);
    // Running it early (the normal path) removes it, so that it does not run twice.
    return async () => {
      const i = this.#steps.indexOf(entry);
      if (i >= 0) this.#steps.splice(i, 1);
      await run();
    };
  }

  /** Undoes everything; returns what failed, so the caller can say so, instead of throwing. */
  async run(): Promise<string[]> {
    const failures: string[] = [];
    await Promise.all([...this.#children].map((child) => stopProcess(child)));
    for (const entry of this.#steps.splice(0).reverse()) {
      try {
        await entry.run();
      } catch (error) {
        failures.push(`${entry.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    for (const dir of this.#dirs) {
      try {
        await rm(dir, { recursive: true, force: true, maxRetries: 3 });
        this.#dirs.delete(dir);
      } catch (error) {
        failures.push(`remove ${dir}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return failures;
  }

  /** Kills what is left and removes the directories, synchronously; undo steps cannot run here. */
  runSync(): string[] {
    for (const child of this.#children) child.kill('SIGKILL');
    for (const dir of this.#dirs) rmSync(dir, { recursive: true, force: true });
    return this.#steps.map((s) => s.name);
  }
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves when it has exited (or 5 s after the SIGKILL). */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  // Bounded even if the process cannot be reaped: the caller reports what is left.
  const giveUp = new Promise<void>((resolve) => setTimeout(resolve, graceMs + 5_000).unref());
  await Promise.race([exited, giveUp]);
  clearTimeout(killer);
}

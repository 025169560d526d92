import { createVigil, type Vigil } from '../../app.js';
import type { CliContext } from '../cli.js';

/** Opens Vigil on the configured store for one command and closes it after, whatever happens. */
export async function withVigil<T>(context: CliContext, work: (vigil: Vigil) => Promise<T>): Promise<T> {
  // Commands other than serve never run detectors, so a detect config is not even read.
  const vigil = await createVigil(context.config(), { detectors: [] });
  try {
    return await work(vigil);
  } finally {
    await vigil.close();
  }
}

/** Prints `value` as JSON when `--json` was given, else the human text. */
export function print(context: CliContext, output: { json: boolean | undefined; value: unknown; human: () => string }): void {
  context.io.out(output.json === true ? `${JSON.stringify(output.value, null, 2)}\n` : `${output.human()}\n`);
}

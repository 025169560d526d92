import { readFile } from 'node:fs/promises';
import { VigilError } from '../../core/errors.js';

/** The JSON in `file`, or VALIDATION_FAILED saying why it cannot be read. */
export async function readJsonFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new VigilError('VALIDATION_FAILED', `cannot read ${file} as JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

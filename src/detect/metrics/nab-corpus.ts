import { z } from 'zod';
import type { NabCostMatrix, NabLabelledFile, NabProfile, NabWindow } from './nab-scorer.js';

/**
 * Reading a copy of the Numenta Anomaly Benchmark corpus: data files, window labels, profiles,
 * recorded thresholds, the published scoreboard and a detector's results. The files come through
 * a port so that the detection code stays free of I/O (the CLI passes one over `node:fs`) and the
 * parsing can be tested on strings.
 */

/** Where the corpus's files come from: a text file by its path relative to the corpus root. */
export interface NabFileSource {
  readText(relativePath: string): Promise<string>;
}

/** One data file: its rows' timestamps (as written, and parsed), values, and anomaly windows. */
export interface NabDataFile extends NabLabelledFile {
  /** The category folder, e.g. `realKnownCause`. */
  readonly category: string;
  /** The file name inside its category, e.g. `nyc_taxi.csv`. */
  readonly fileName: string;
  /** Timestamps exactly as the CSV writes them, so results can repeat them byte for byte. */
  readonly timestampTexts: readonly string[];
  readonly values: readonly number[];
  /** Values exactly as the CSV writes them. */
  readonly valueTexts: readonly string[];
}

/** Thrown when a corpus file is missing or does not read as NAB writes it. */
export class NabCorpusError extends Error {
  override readonly name = 'NabCorpusError';
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/**
 * Parses a NAB timestamp (`2014-07-01 00:30:00`, labels add `.000000`) to epoch milliseconds, read
 * as UTC. NAB compares pandas timestamps without a zone, so any fixed zone gives the same matches.
 */
export function parseNabTimestamp(text: string): number {
  const m = TIMESTAMP.exec(text.trim());
  if (m === null) throw new NabCorpusError(`not a NAB timestamp: ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return frac === undefined ? ms : ms + Number(`0.${frac}`) * 1000;
}

/**
 * Splits a CSV file into lines of fields. NAB's files are plain comma-separated numbers and
 * timestamps with no quoting, which is all this reads; a quoted field is refused, not misread.
 */
function csvRows(text: string, name: string): { header: string[]; rows: string[][] } {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const rows: string[][] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    if (line.includes('"')) throw new NabCorpusError(`${name}: line ${i + 1} has a quoted field, which NAB files never have`);
    rows.push(line.split(','));
  }
  return { header, rows };
}

function column(header: readonly string[], wanted: string, name: string): number {
  const index = header.indexOf(wanted);
  if (index < 0) throw new NabCorpusError(`${name}: no "${wanted}" column (header: ${header.join(',')})`);
  return index;
}

function numberAt(row: readonly string[], index: number, where: string): number {
  const text = row[index];
  const value = text === undefined || text.trim() === '' ? Number.NaN : Number(text);
  if (Number.isNaN(value)) throw new NabCorpusError(`${where}: not a number: ${JSON.stringify(text)}`);
  return value;
}

/** Parses a data file (`timestamp,value`). */
export function parseNabDataCsv(
  text: string,
  name: string,
): { timestampTexts: string[]; timestamps: number[]; values: number[]; valueTexts: string[] } {
  const { header, rows } = csvRows(text, name);
  const t = column(header, 'timestamp', name);
  const v = column(header, 'value', name);
  const timestampTexts: string[] = [];
  const timestamps: number[] = [];
  const values: number[] = [];
  const valueTexts: string[] = [];
  rows.forEach((row, i) => {
    const stamp = row[t] ?? '';
    timestampTexts.push(stamp);
    timestamps.push(parseNabTimestamp(stamp));
    values.push(numberAt(row, v, `${name} row ${i + 1}`));
    valueTexts.push((row[v] ?? '').trim());
  });
  return { timestampTexts, timestamps, values, valueTexts };
}

/** Reads the `anomaly_score` column of a detector's results file. */
export function parseNabResultsCsv(text: string, name: string): number[] {
  const { header, rows } = csvRows(text, name);
  const s = column(header, 'anomaly_score', name);
  return rows.map((row, i) => numberAt(row, s, `${name} row ${i + 1}`));
}

/** Writes a results file the way NAB reads it: `timestamp,value,anomaly_score`, one row per input row. */
export function formatNabResultsCsv(file: Pick<NabDataFile, 'timestampTexts' | 'valueTexts'>, scores: ArrayLike<number>): string {
  const lines = ['timestamp,value,anomaly_score'];
  for (let i = 0; i < file.timestampTexts.length; i++) {
    lines.push(`${file.timestampTexts[i] ?? ''},${file.valueTexts[i] ?? ''},${String(scores[i] ?? 0)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The results path NAB expects: `<detector>/<category>/<detector>_<file>`. */
export function nabResultsPath(detector: string, file: Pick<NabDataFile, 'category' | 'fileName'>): string {
  return `${detector}/${file.category}/${detector}_${file.fileName}`;
}

const windowsSchema = z.record(z.string(), z.array(z.tuple([z.string(), z.string()])));
const profilesSchema = z.record(
  z.string(),
  z.object({ CostMatrix: z.object({ tpWeight: z.number(), fpWeight: z.number(), fnWeight: z.number() }) }),
);
const thresholdsSchema = z.record(z.string(), z.record(z.string(), z.object({ threshold: z.number() })));
const scoreboardSchema = z.record(z.string(), z.record(z.string(), z.number()));

async function readJson<T>(source: NabFileSource, path: string, schema: z.ZodType<T>): Promise<T> {
  const text = await readText(source, path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new NabCorpusError(`${path}: not JSON`, { cause: error });
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw new NabCorpusError(`${path}: ${result.error.issues[0]?.message ?? 'unexpected shape'}`);
  return result.data;
}

async function readText(source: NabFileSource, path: string): Promise<string> {
  try {
    return await source.readText(path);
  } catch (error) {
    throw new NabCorpusError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * Loads the corpus the way NAB's `CorpusLabel` sees it: every file named in
 * `labels/combined_windows.json`, read from `data/`, with its windows as epoch milliseconds.
 */
export async function loadNabCorpus(source: NabFileSource): Promise<NabDataFile[]> {
  const windows = await readJson(source, 'labels/combined_windows.json', windowsSchema);
  const names = Object.keys(windows);
  return Promise.all(
    names.map(async (name) => {
      const slash = name.indexOf('/');
      if (slash < 0) throw new NabCorpusError(`labels/combined_windows.json: "${name}" is not <category>/<file>`);
      const data = parseNabDataCsv(await readText(source, `data/${name}`), name);
      const fileWindows: NabWindow[] = (windows[name] ?? []).map(([start, end]) => ({
        start: parseNabTimestamp(start),
        end: parseNabTimestamp(end),
      }));
      return { name, category: name.slice(0, slash), fileName: name.slice(slash + 1), ...data, windows: fileWindows };
    }),
  );
}

/** The scoring profiles of `config/profiles.json`, in file order (standard, low FP, low FN). */
export async function loadNabProfiles(source: NabFileSource): Promise<NabProfile[]> {
  const profiles = await readJson(source, 'config/profiles.json', profilesSchema);
  return Object.entries(profiles).map(([name, p]) => {
    const costMatrix: NabCostMatrix = { tpWeight: p.CostMatrix.tpWeight, fpWeight: p.CostMatrix.fpWeight, fnWeight: p.CostMatrix.fnWeight };
    return { name, costMatrix };
  });
}

/** The threshold NAB recorded for a detector, per profile (`config/thresholds.json`). */
export async function loadNabThresholds(source: NabFileSource, detector: string): Promise<Record<string, number>> {
  const all = await readJson(source, 'config/thresholds.json', thresholdsSchema);
  const mine = all[detector];
  if (mine === undefined) throw new NabCorpusError(`config/thresholds.json has no detector "${detector}"`);
  return Object.fromEntries(Object.entries(mine).map(([profile, t]) => [profile, t.threshold]));
}

/** The published normalised scores, detector → profile → score (`results/final_results.json`). */
export async function loadNabScoreboard(source: NabFileSource): Promise<Record<string, Record<string, number>>> {
  return readJson(source, 'results/final_results.json', scoreboardSchema);
}

/** A detector's published anomaly scores for every corpus file, from `results/<detector>/`. */
export async function loadNabResults(source: NabFileSource, detector: string, corpus: readonly NabDataFile[]): Promise<number[][]> {
  return Promise.all(
    corpus.map(async (file) => {
      const path = `results/${nabResultsPath(detector, file)}`;
      const scores = parseNabResultsCsv(await readText(source, path), path);
      if (scores.length !== file.timestamps.length) {
        throw new NabCorpusError(`${path}: ${scores.length} rows, the data file has ${file.timestamps.length}`);
      }
      return scores;
    }),
  );
}

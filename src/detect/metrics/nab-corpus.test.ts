import { describe, expect, it } from 'vitest';
import {
  NabCorpusError,
  formatNabResultsCsv,
  loadNabCorpus,
  loadNabProfiles,
  loadNabThresholds,
  nabResultsPath,
  parseNabDataCsv,
  parseNabResultsCsv,
  parseNabTimestamp,
  type NabFileSource,
} from './nab-corpus.js';

function memorySource(files: Record<string, string>): NabFileSource {
  return {
    readText: (path) => {
      const text = files[path];
      return text === undefined ? Promise.reject(new Error('ENOENT')) : Promise.resolve(text);
    },
  };
}

describe('NAB corpus reading', () => {
  it('reads data and label timestamps to the same instant whether or not they carry microseconds', () => {
    expect(parseNabTimestamp('2014-04-10 07:15:00')).toBe(Date.UTC(2014, 3, 10, 7, 15));
    expect(parseNabTimestamp('2014-04-10 07:15:00.000000')).toBe(Date.UTC(2014, 3, 10, 7, 15));
    expect(() => parseNabTimestamp('10/04/2014')).toThrow(NabCorpusError);
  });

  it('reads a data file without a final newline and with CRLF line ends', () => {
    const parsed = parseNabDataCsv('timestamp,value\r\n2014-01-01 00:00:00,1.50\r\n2014-01-01 00:05:00,2', 'a.csv');
    expect(parsed.values).toEqual([1.5, 2]);
    expect(parsed.valueTexts).toEqual(['1.50', '2']);
    expect(parsed.timestampTexts).toEqual(['2014-01-01 00:00:00', '2014-01-01 00:05:00']);
  });

  it('refuses a value that is not a number, naming the file and row', () => {
    expect(() => parseNabDataCsv('timestamp,value\n2014-01-01 00:00:00,abc\n', 'a.csv')).toThrow(/a\.csv row 1/);
  });

  it('writes results with the input timestamps and values exactly as read', () => {
    const file = parseNabDataCsv('timestamp,value\n2014-01-01 00:00:00,1.50\n', 'a.csv');
    const csv = formatNabResultsCsv(file, [0.25]);
    expect(csv).toBe('timestamp,value,anomaly_score\n2014-01-01 00:00:00,1.50,0.25\n');
    expect(parseNabResultsCsv(csv, 'r.csv')).toEqual([0.25]);
  });

  it('names result files as NAB does', () => {
    expect(nabResultsPath('vigil', { category: 'realTweets', fileName: 'Twitter_volume_FB.csv' })).toBe('vigil/realTweets/vigil_Twitter_volume_FB.csv');
  });

  it('loads every file named in the windows file with its windows', async () => {
    const source = memorySource({
      'labels/combined_windows.json': JSON.stringify({ 'cat/a.csv': [['2014-01-01 00:05:00.000000', '2014-01-01 00:05:00.000000']] }),
      'data/cat/a.csv': 'timestamp,value\n2014-01-01 00:00:00,1\n2014-01-01 00:05:00,2\n',
    });
    const [file] = await loadNabCorpus(source);
    expect(file).toMatchObject({ name: 'cat/a.csv', category: 'cat', fileName: 'a.csv', values: [1, 2] });
    expect(file?.windows).toEqual([{ start: Date.UTC(2014, 0, 1, 0, 5), end: Date.UTC(2014, 0, 1, 0, 5) }]);
  });

  it('says which file is missing', async () => {
    const source = memorySource({ 'labels/combined_windows.json': JSON.stringify({ 'cat/a.csv': [] }) });
    await expect(loadNabCorpus(source)).rejects.toThrow(/cannot read data\/cat\/a\.csv/);
  });

  it('reads profiles and a detector’s recorded thresholds', async () => {
    const source = memorySource({
      'config/profiles.json': JSON.stringify({ standard: { CostMatrix: { tpWeight: 1, fnWeight: 1, fpWeight: 0.11, tnWeight: 1 } } }),
      'config/thresholds.json': JSON.stringify({ numenta: { standard: { score: 1, threshold: 0.5 } } }),
    });
    expect(await loadNabProfiles(source)).toEqual([{ name: 'standard', costMatrix: { tpWeight: 1, fnWeight: 1, fpWeight: 0.11 } }]);
    expect(await loadNabThresholds(source, 'numenta')).toEqual({ standard: 0.5 });
    await expect(loadNabThresholds(source, 'nobody')).rejects.toThrow(/no detector "nobody"/);
  });
});
